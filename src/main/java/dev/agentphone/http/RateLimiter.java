package dev.agentphone.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API key, shared by all HTTP verticle instances of a node. A limit of zero
 * requests per second turns limiting off.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = Math.max(burst, perSecond);
  }

  /** Takes one token; returns 0 when allowed, else the whole seconds to wait before retrying. */
  public long acquire(String key) {
    if (perSecond <= 0) {
      return 0;
    }
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst));
    synchronized (bucket) {
      long now = System.nanoTime();
      bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond);
      bucket.refilledAt = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
    }
  }

  private static final class Bucket {
    double tokens;
    long refilledAt = System.nanoTime();

    Bucket(double tokens) {
      this.tokens = tokens;
    }
  }
}
