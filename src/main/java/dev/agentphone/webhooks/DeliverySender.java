package dev.agentphone.webhooks;

import dev.agentphone.http.StorableText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

/**
 * Sends due deliveries. A claim ({@code FOR UPDATE SKIP LOCKED}) moves each delivery's due time
 * past the attempt's timeout plus a margin, a lease: if this node dies mid-attempt, the delivery becomes due
 * again and another node (or this one after restart) sends the same frozen bytes with the same
 * {@code X-Webhook-ID}. Every attempt is recorded together with the delivery's new state, the
 * attempts of a burst in batches ({@link AttemptLog}).
 */
final class DeliverySender {
  private static final Logger LOG = LoggerFactory.getLogger(DeliverySender.class);

  static final String WEBHOOK_DELETED = "Webhook was deleted";
  static final String DETAILS_NOT_STORED = "Attempt failed; its error text could not be stored";

  private final Vertx vertx;
  private final Pool pool;
  private final WebhookPoster poster;
  private final WebhookSettings settings;
  private final AttemptLog attempts;
  private final Set<Future<Void>> inFlight = new HashSet<>();
  private boolean claiming;
  private boolean again;
  private boolean pumpScheduled;
  private boolean stopping;

  DeliverySender(Vertx vertx, Pool pool, WebhookPoster poster, WebhookSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.poster = poster;
    this.settings = settings;
    this.attempts = new AttemptLog(pool);
  }

  /** Claims and sends what is due, as capacity allows; safe to call as often as one likes. */
  void pump() {
    if (stopping) {
      return;
    }
    if (claiming) {
      again = true;
      return;
    }
    int capacity = Math.min(settings.batchSize(), settings.maxInFlight() - inFlight.size());
    if (capacity <= 0) {
      again = true;
      return;
    }
    claiming = true;
    again = false;
    pool.preparedQuery("WITH due AS (SELECT id, webhook_id FROM webhook_deliveries "
            + "WHERE status = 'pending' AND next_attempt_at <= now() "
            + "ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
            + "UPDATE webhook_deliveries d SET next_attempt_at = now() "
            + "+ (COALESCE(w.timeout_seconds, 0) * 1000 + $2::bigint) * interval '1 millisecond' "
            + "FROM due LEFT JOIN webhooks w ON w.id = due.webhook_id WHERE d.id = due.id "
            + "RETURNING d.id, d.body, d.attempt_count, d.attempt_base, w.url, w.secret, "
            + "w.timeout_seconds, CASE WHEN w.previous_secret_expires_at > now() "
            + "THEN w.previous_secret END AS previous_secret_live")
        .execute(Tuple.of(capacity, settings.leaseMarginMs()))
        .onComplete(claimed -> {
          claiming = false;
          if (claimed.failed()) {
            LOG.warn("claiming webhook deliveries failed", claimed.cause());
            return;
          }
          claimed.result().forEach(this::send);
          if (again || claimed.result().size() == capacity) {
            pump();
          }
        });
  }

  private void send(Row delivery) {
    Promise<Void> done = Promise.promise();
    Future<Void> tracked = done.future();
    inFlight.add(tracked);
    String id = delivery.getString("id");
    int attempt = delivery.getInteger("attempt_count") + 1;
    // a replayed delivery gets a fresh round: its attempts count from the replay on
    int base = delivery.getInteger("attempt_base");
    Future<WebhookPoster.Attempt> outcome;
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
    if (delivery.getString("url") == null) {
      // Nowhere to send it any more: fail it now rather than retry into the void.
      outcome = Future.succeededFuture(new WebhookPoster.Attempt(false, null,
          WEBHOOK_DELETED, null, 0, -1));
    } else {
      Buffer body = delivery.getBuffer("body");
      outcome = poster.post(delivery.getString("url"), WebhookStore.signingSecrets(delivery),
          delivery.getInteger("timeout_seconds"), id, body.getBytes());
    }
    int number = attempt;
    outcome.compose(result -> record(id, number, base, started, result)
            .recover(failure -> {
              // The outcome must be recorded even when its details cannot be: a delivery whose
              // attempt is never recorded stays pending and is sent again each time its lease
              // runs out, forever, even after a 2xx.
              LOG.warn("recording attempt {} of {} failed; recording it without its details",
                  number, id, failure);
              return record(id, number, base, started, withoutDetails(result));
            }))
        .onComplete(recorded -> {
          if (recorded.failed()) {
            // Only when the database itself is unreachable: the lease brings the delivery back
            // once it is (at-least-once, never lost).
            LOG.warn("recording attempt {} of {} failed", number, id, recorded.cause());
          }
          inFlight.remove(tracked);
          done.complete();
          pumpSoon();
        });
  }

  /**
   * Pumps once the current event has run: the attempts of a batch are recorded together, and
   * their freed capacity then goes into one claim instead of a claim of one and one of the rest.
   */
  private void pumpSoon() {
    if (!pumpScheduled) {
      pumpScheduled = true;
      vertx.runOnContext(v -> {
        pumpScheduled = false;
        pump();
      });
    }
  }

  /** The attempt with nothing in it that came from outside: status and timing only. */
  private static WebhookPoster.Attempt withoutDetails(WebhookPoster.Attempt result) {
    return new WebhookPoster.Attempt(result.success(), result.httpStatus(),
        result.error() == null || WEBHOOK_DELETED.equals(result.error()) ? result.error()
            : DETAILS_NOT_STORED, null, result.durationMs(),
        result.retryAfterMs());
  }

  private Future<Void> record(String id, int attempt, int base, OffsetDateTime started,
      WebhookPoster.Attempt result) {
    String status;
    int ofRound = attempt - base;
    long delayMs = 0;
    if (result.success()) {
      status = "success";
    } else if (ofRound >= settings.maxAttempts() || WEBHOOK_DELETED.equals(result.error())) {
      status = "failed";
    } else {
      status = "pending";
      delayMs = result.retryAfterMs() >= 0
          ? Math.min(result.retryAfterMs(), settings.maxRetryAfterMs())
          : settings.backoffMs(ofRound);
    }
    long wait = delayMs;
    return attempts.record(new AttemptLog.Attempt(id, attempt, started, (int) result.durationMs(),
            result.httpStatus(), StorableText.replaced(result.error()),
            StorableText.replaced(result.responseBody()), status, wait))
        .onSuccess(v -> {
          if ("pending".equals(status) && !stopping) {
            vertx.setTimer(Math.max(1, wait), t -> pump());
          }
        })
        .mapEmpty();
  }

  /** Stops claiming and waits for the attempts in flight to be recorded. */
  Future<Void> stop() {
    stopping = true;
    return Future.join(new java.util.ArrayList<>(inFlight)).mapEmpty();
  }
}
