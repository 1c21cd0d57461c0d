package dev.agentphone.http;

import dev.agentphone.Engine;
import dev.agentphone.accounts.AccountsVerticle;
import dev.agentphone.accounts.ApiKeys;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer API-key authentication. Keys are looked up by their SHA-256 through the accounts domain
 * and then served from a node-local cache, so steady-state requests make no database round trip;
 * {@code last_used_at} is refreshed at most once a minute per key. A cached key is checked again
 * after {@code auth.cacheSeconds} (default 60): a key revoked in the database
 * ({@code UPDATE api_keys SET revoked_at = now()}) stops working on every node within that time.
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {
  private static final long TOUCH_MILLIS = 60_000;

  private final ConcurrentHashMap<String, Entry> cache;
  private final RateLimiter limiter;
  private final long cacheMillis;

  public ApiKeyAuth(ConcurrentHashMap<String, Entry> cache, RateLimiter limiter,
      long cacheMillis) {
    this.cache = cache;
    this.limiter = limiter;
    this.cacheMillis = cacheMillis;
  }

  /** The engine's key check, sharing the node's key cache and rate limiter with every other use. */
  public static ApiKeyAuth forEngine(Engine engine) {
    return new ApiKeyAuth(engine.authCache(), engine.rateLimiter(),
        engine.config().integer("auth.cacheSeconds", 60) * 1000L);
  }

  /** A cached key: whom it authenticates, and when it was last checked and touched. */
  public static final class Entry {
    final Caller caller;
    final long loadedAt;
    volatile long touchedAt;

    Entry(Caller caller, long now) {
      this.caller = caller;
      this.loadedAt = now;
      this.touchedAt = now;
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() <= 7) {
      unauthorized(ctx, "Not authenticated");
      return;
    }
    String hash = ApiKeys.hash(header.substring(7).trim());
    long now = System.currentTimeMillis();
    Entry cached = cache.get(hash);
    if (cached != null && now - cached.loadedAt < cacheMillis) {
      if (now - cached.touchedAt > TOUCH_MILLIS) {
        cached.touchedAt = now;
        ctx.vertx().eventBus().send(AccountsVerticle.KEY_USED, new JsonObject().put("keyId", cached.caller.keyId()));
      }
      admit(ctx, cached.caller);
      return;
    }
    Bus.<JsonObject>request(ctx.vertx(), AccountsVerticle.AUTHENTICATE, new JsonObject().put("keyHash", hash))
        .onComplete(done -> {
          if (done.failed()) {
            if (done.cause() instanceof ApiError e && e.status() == 401) {
              cache.remove(hash);
              unauthorized(ctx, "Invalid API key");
            } else {
              Responses.error(ctx, done.cause());
            }
            return;
          }
          Caller caller = new Caller(done.result().getString("accountId"),
              done.result().getString("keyId"));
          cache.put(hash, new Entry(caller, System.currentTimeMillis()));
          admit(ctx, caller);
        });
  }

  private void admit(RoutingContext ctx, Caller caller) {
    long wait = limiter.acquire(caller.keyId());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Responses.json(ctx, 429, new JsonObject().put("detail", "Rate limit exceeded for this API key"));
      return;
    }
    caller.attach(ctx);
    ctx.next();
  }

  private static void unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    Responses.json(ctx, 401, new JsonObject().put("detail", detail));
  }
}
