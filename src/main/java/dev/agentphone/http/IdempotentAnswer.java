package dev.agentphone.http;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The answer of a request running under its {@code Idempotency-Key}, kept before it is sent.
 * {@link Responses} hands every answer it writes to {@link #keep} first: an answer below 500 is
 * stored with its status and headers (a retry replays it), a 5xx gives the key up (a retry runs
 * afresh). While the request runs its lease is renewed, so a slow provider never lets a retry
 * take the key over; once the response is over the renewals stop.
 *
 * <p>An answer written past {@link Responses} is never stored: the key is given up instead, so a
 * retry runs again rather than replaying something incomplete.
 */
final class IdempotentAnswer {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentAnswer.class);
  private static final String KEY = "agentphone.idempotentAnswer";
  /** Headers of the connection or of one transfer, not of the answer. */
  private static final Set<String> NOT_REPLAYED = Set.of("content-length", "transfer-encoding",
      "connection", "keep-alive", "date", IdempotencyKeys.REPLAYED.toLowerCase(Locale.ROOT));

  private final IdempotencyStore store;
  private final String accountId;
  private final String key;
  private final String claim;
  private long renewals = -1;
  private boolean kept;

  IdempotentAnswer(IdempotencyStore store, String accountId, String key, String claim) {
    this.store = store;
    this.accountId = accountId;
    this.key = key;
    this.claim = claim;
  }

  /** Puts this on {@code ctx}, renewing the claim until the response is over. */
  void attach(RoutingContext ctx, long leaseMillis) {
    ctx.put(KEY, this);
    renewals = ctx.vertx().setPeriodic(Math.max(1, leaseMillis / 3),
        t -> store.renew(accountId, key, claim, leaseMillis)
            .onFailure(e -> LOG.warn("could not renew idempotency key: {}", e.getMessage())));
    ctx.addEndHandler(done -> {
      ctx.vertx().cancelTimer(renewals);
      // ended without passing Responses: nothing trustworthy to replay. A connection lost
      // mid-request keeps the claim, as the route may still answer (and be kept) later.
      if (done.succeeded() && !kept) {
        kept = true;
        store.release(accountId, key, claim);
      }
    });
  }

  /**
   * Keeps the answer about to be written on {@code ctx}: completes once it is stored (or the key
   * is given up), when the answer may be sent. Fails for a second answer to the same request,
   * which must not be sent. A request without a key completes at once.
   */
  static Future<Void> keep(RoutingContext ctx, int status, String contentType, Buffer body) {
    IdempotentAnswer answer = ctx.get(KEY);
    if (answer == null) {
      return Future.succeededFuture();
    }
    if (answer.kept) {
      return Future.failedFuture("already answered");
    }
    answer.kept = true;
    ctx.vertx().cancelTimer(answer.renewals);
    if (status >= 500) {
      return answer.store.release(answer.accountId, answer.key, answer.claim)
          .recover(e -> {
            LOG.warn("could not release idempotency key: {}", e.getMessage());
            return Future.succeededFuture();
          });
    }
    JsonArray headers = replayed(ctx.response().headers());
    if (contentType != null && !ctx.response().headers().contains("content-type")) {
      headers.add(new JsonArray().add("content-type").add(contentType));
    }
    return answer.store.answer(answer.accountId, answer.key, answer.claim, status, headers, body)
        .<Void>map(stored -> {
          if (!stored) {
            LOG.warn("idempotency key of {} was taken over before its answer was stored",
                answer.accountId);
          }
          return null;
        })
        .recover(e -> {
          // the work is done and the client gets its answer; only a retry loses the replay
          LOG.warn("could not store the answer of an idempotency key: {}", e.getMessage());
          return Future.succeededFuture();
        });
  }

  private static JsonArray replayed(MultiMap headers) {
    JsonArray kept = new JsonArray();
    for (Map.Entry<String, String> header : headers) {
      if (!NOT_REPLAYED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
        kept.add(new JsonArray().add(header.getKey()).add(header.getValue()));
      }
    }
    return kept;
  }
}
