package dev.agentphone.http;

import dev.agentphone.platform.Actor;
import dev.agentphone.platform.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Bearer API-key authentication: the one step that resolves a request's {@link Caller}, which
 * every route then uses as the account it acts for: the key's account, or the sub-account of it
 * that {@value #SUB_ACCOUNT_HEADER} names. Keys are looked up by their SHA-256 through
 * {@link KeyLookup} and then served from a node-local cache, so steady-state requests make no
 * database round trip; use is reported at most once a minute per key. A key revoked through the
 * API is dropped from every node's cache at once ({@link KeyRevocations}); a cached key is also
 * checked again after {@code auth.cacheSeconds}, so one revoked in the database
 * ({@code UPDATE api_keys SET revoked_at = now()}) stops working on every node within that time.
 * An expired key is 401 from its expiry on, cached or not; a read-only key is 403 on any write.
 *
 * <p>A sub-account is never cached: it is looked up (one primary-key read) on every request that
 * names one, so a deleted sub-account is refused on every node from the moment its deletion
 * commits. An id that is not the key's account's live sub-account (another account's, the
 * account's own id, a deleted or made-up one) is 404, as any other account's object is. An empty
 * header is no header.
 *
 * <p>One instance per node, shared by every HTTP verticle and the sandbox tools, so they share the
 * key cache and the rate limiter (and the sandbox tools honour the header too).
 */
public final class ApiKeyAuth implements Handler<RoutingContext> {
  private static final String READ_ONLY = "agentphone.key.readOnly";
  /** Makes the request act for this sub-account of the key's account. */
  public static final String SUB_ACCOUNT_HEADER = "X-Sub-Account-Id";
  private static final long TOUCH_MILLIS = 60_000;
  /** What an account id can look like; anything else cannot name one and is not looked up. */
  private static final Pattern PLAUSIBLE_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  private static final Set<HttpMethod> WRITES =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final KeyLookup keys;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  /** Key ids revoked lately, by when: a look-up that started before the revocation cannot cache them. */
  private final ConcurrentHashMap<String, Long> revoked = new ConcurrentHashMap<>();
  private final RateLimiter limiter;
  private final long cacheMillis;

  public ApiKeyAuth(KeyLookup keys, RateLimiter limiter, long cacheMillis) {
    this.keys = keys;
    this.limiter = limiter;
    this.cacheMillis = cacheMillis;
  }

  /** A cached key: whom it authenticates, and when it was last checked and touched. */
  private static final class Entry {
    final KeyLookup.Key key;
    final long loadedAt;
    volatile long touchedAt;

    Entry(KeyLookup.Key key, long now) {
      this.key = key;
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
    String hash = KeyHash.of(header.substring(7).trim());
    long now = System.currentTimeMillis();
    Entry cached = cache.get(hash);
    if (cached != null && now - cached.loadedAt < cacheMillis) {
      if (now - cached.touchedAt > TOUCH_MILLIS) {
        cached.touchedAt = now;
        keys.used(cached.key.keyId());
      }
      admit(ctx, cached.key);
      return;
    }
    keys.find(hash).onComplete(done -> {
      if (done.failed()) {
        if (done.cause() instanceof ApiError e && e.status() == 401) {
          cache.remove(hash);
          unauthorized(ctx, "Invalid API key");
        } else {
          Responses.error(ctx, done.cause());
        }
        return;
      }
      KeyLookup.Key key = done.result();
      if (revoked.containsKey(key.keyId())) {
        unauthorized(ctx, "Invalid API key");
        return;
      }
      cache.put(hash, new Entry(key, System.currentTimeMillis()));
      admit(ctx, key);
    });
  }

  /** Drops a revoked key from this node's cache; it is refused from now on. */
  void revoked(String keyId) {
    long now = System.currentTimeMillis();
    revoked.values().removeIf(at -> now - at > cacheMillis);
    revoked.put(keyId, now);
    cache.values().removeIf(entry -> entry.key.keyId().equals(keyId));
  }

  /**
   * Whether the request's key is read-only. Reads that change nothing pass for such a key; a
   * route that lets a GET change something later (a live call's socket, whose commands act on
   * the call) asks this.
   */
  public static boolean readOnly(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(READ_ONLY));
  }

  private void admit(RoutingContext ctx, KeyLookup.Key key) {
    if (key.expiredAt(System.currentTimeMillis())) {
      unauthorized(ctx, "This API key has expired");
      return;
    }
    if (key.readOnly() && WRITES.contains(ctx.request().method())) {
      Responses.json(ctx, 403, new JsonObject().put("detail", "This API key is read-only: "
          + ctx.request().method() + " needs a key with scope \"full\""));
      return;
    }
    Caller caller = new Caller(key.accountId(), key.keyId());
    ctx.put(READ_ONLY, key.readOnly());
    // the request's own context: what the domains it calls record as who made a change
    new Actor(key.keyId(), key.prefix(), key.accountId()).bind(Vertx.currentContext());
    long wait = limiter.acquire(caller.keyId());
    if (wait > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(wait));
      Responses.json(ctx, 429, new JsonObject().put("detail", "Rate limit exceeded for this API key"));
      return;
    }
    String subAccount = ctx.request().getHeader(SUB_ACCOUNT_HEADER);
    subAccount = subAccount == null ? "" : subAccount.strip();
    if (subAccount.isEmpty()) {
      caller.attach(ctx);
      ctx.next();
      return;
    }
    if (!PLAUSIBLE_ID.matcher(subAccount).matches()) {
      Responses.error(ctx, ApiError.notFound("Sub-account"));
      return;
    }
    keys.subAccount(caller.accountId(), subAccount).onComplete(found -> {
      if (found.failed()) {
        Responses.error(ctx, found.cause());
        return;
      }
      new Caller(found.result(), caller.keyId()).attach(ctx);
      ctx.next();
    });
  }

  private static void unauthorized(RoutingContext ctx, String detail) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    Responses.json(ctx, 401, new JsonObject().put("detail", detail));
  }
}
