package dev.agentphone.http;

import dev.agentphone.platform.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

import java.security.MessageDigest;
import java.util.UUID;

/**
 * {@code Idempotency-Key} on every {@code POST} under {@code /v1}, mounted after authentication
 * and before every domain route, so no domain knows of it. A key belongs to the account the
 * request acts for (after {@code X-Sub-Account-Id}) and is kept {@code http.idempotencyKeyHours}.
 *
 * <ul>
 * <li>First use: the request claims the key in PostgreSQL and runs; its answer is stored before
 *     it is sent ({@link IdempotentAnswer}).
 * <li>Again with the same method, path and body: the stored answer (status, headers, body) with
 *     {@code Idempotent-Replayed: true}; the route does not run.
 * <li>Again with anything else: 422.
 * <li>While the first is still running (on any node): the retry polls for its answer up to
 *     {@code http.idempotencyWaitMillis}, then 409 with {@code Retry-After}.
 * </ul>
 *
 * A request without the header is not touched.
 */
public final class IdempotencyKeys implements Handler<RoutingContext> {
  public static final String HEADER = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  static final int MAX_LENGTH = 255;
  /** A waiting retry looks again after 25 ms, then twice as late each time, at most 400 ms. */
  private static final long FIRST_POLL_MILLIS = 25;
  private static final long MAX_POLL_MILLIS = 400;
  private static final JsonArray LOC = new JsonArray().add("header").add(HEADER);

  private final IdempotencyStore store;
  private final IdempotencySettings settings;

  public IdempotencyKeys(IdempotencyStore store, IdempotencySettings settings) {
    this.store = store;
    this.settings = settings;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    if (key == null || ctx.request().method() != HttpMethod.POST) {
      ctx.next();
      return;
    }
    String problem = syntaxProblem(key);
    if (problem != null) {
      Responses.error(ctx, ApiError.invalid(LOC, "value_error", problem));
      return;
    }
    Run run = new Run(ctx, Caller.accountOf(ctx), key, RequestFingerprint.of(ctx),
        UUID.randomUUID().toString(), System.currentTimeMillis() + settings.waitMillis());
    run.attempt();
  }

  /** Why {@code key} is not a key (1 to 255 printable ASCII characters), or null. */
  static String syntaxProblem(String key) {
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      return "Idempotency-Key must be 1 to " + MAX_LENGTH + " characters long";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return "Idempotency-Key may contain only printable ASCII characters";
      }
    }
    return null;
  }

  /** One request's way to its key: claim it, or find its answer, or wait for it. */
  private final class Run {
    private final RoutingContext ctx;
    private final String accountId;
    private final String key;
    private final byte[] fingerprint;
    private final String claim;
    private final long deadline;
    private long pollMillis = FIRST_POLL_MILLIS;

    Run(RoutingContext ctx, String accountId, String key, byte[] fingerprint, String claim,
        long deadline) {
      this.ctx = ctx;
      this.accountId = accountId;
      this.key = key;
      this.fingerprint = fingerprint;
      this.claim = claim;
      this.deadline = deadline;
    }

    void attempt() {
      store.claim(accountId, key, fingerprint, claim, settings).onComplete(claimed -> {
        if (claimed.failed()) {
          Responses.error(ctx, claimed.cause());
        } else if (claimed.result()) {
          new IdempotentAnswer(store, accountId, key, claim).attach(ctx, settings.leaseMillis());
          ctx.next();
        } else {
          store.find(accountId, key).onComplete(found -> {
            if (found.failed()) {
              Responses.error(ctx, found.cause());
            } else {
              decide(found.result());
            }
          });
        }
      });
    }

    private void decide(IdempotencyStore.Found found) {
      if (found != null && !MessageDigest.isEqual(found.fingerprint(), fingerprint)) {
        Responses.error(ctx, ApiError.invalid(LOC, "idempotency_key_reused", "This "
            + "Idempotency-Key was already used with a different request (method, path or "
            + "body); send a new key for a new request"));
      } else if (found != null && found.answered()) {
        replay(found);
      } else if (ctx.response().closed()) {
        return; // the client gave up waiting
      } else if (System.currentTimeMillis() >= deadline) {
        ctx.response().putHeader("Retry-After", "1");
        Responses.error(ctx, ApiError.conflict("A request with this Idempotency-Key is still "
            + "in progress; retry later for its answer"));
      } else if (found == null) {
        attempt(); // given up between our claim and our look: claim it again
      } else {
        long delay = Math.min(pollMillis, Math.max(1, deadline - System.currentTimeMillis()));
        pollMillis = Math.min(MAX_POLL_MILLIS, pollMillis * 2);
        ctx.vertx().setTimer(delay, t -> attempt());
      }
    }

    private void replay(IdempotencyStore.Found found) {
      HttpServerResponse response = ctx.response();
      if (response.closed() || response.ended()) {
        return;
      }
      response.setStatusCode(found.status());
      for (Object header : found.headers()) {
        JsonArray pair = (JsonArray) header;
        response.headers().add(pair.getString(0), pair.getString(1));
      }
      response.putHeader(REPLAYED, "true");
      Buffer body = found.body();
      response.end(body == null ? Buffer.buffer() : body);
    }
  }
}
