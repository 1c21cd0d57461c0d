package dev.agentphone.http;

import io.vertx.core.Future;

/**
 * What the HTTP edge needs to authenticate a request: who an API key belongs to. Declared here,
 * implemented by the accounts domain, so the edge depends on no domain.
 */
public interface KeyLookup {
  /**
   * The caller a live key authenticates, by the key's {@link KeyHash}; fails with a 401
   * {@code ApiError} when no live key has that hash.
   */
  Future<Caller> find(String keyHash);

  /** Notes that the key was used now (fire and forget; at most about once a minute per key). */
  void used(String keyId);
}
