package dev.agentphone.webhooks;

import dev.agentphone.http.StorableText;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends due deliveries. A claim ({@code FOR UPDATE SKIP LOCKED}) moves each delivery's due time
 * past the attempt's timeout plus a margin, a lease: if this node dies mid-attempt, the delivery
 * becomes due again and another node (or this one after restart) sends the same frozen bytes with
 * the same {@code X-Webhook-ID}. Fresh deliveries mostly skip the claim: the planner creates them
 * already leased to this sender, as far as it has room ({@link DeliveryPlanner.Leases}). Every
 * attempt is recorded together with the delivery's new state, the attempts of a burst in batches
 * ({@link AttemptLog}).
 */
final class DeliverySender implements DeliveryPlanner.Leases {
  private static final Logger LOG = LoggerFactory.getLogger(DeliverySender.class);

  static final String WEBHOOK_DELETED = "Webhook was deleted";
  static final String DETAILS_NOT_STORED = "Attempt failed; its error text could not be stored";

  static final String CLAIM = "WITH due AS (SELECT id, webhook_id FROM webhook_deliveries "
      + "WHERE status = 'pending' AND next_attempt_at <= now() "
      + "ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
      + "UPDATE webhook_deliveries d SET next_attempt_at = now() "
      + "+ (COALESCE(w.timeout_seconds, 0) * 1000 + $2::bigint) * interval '1 millisecond' "
      + "FROM due LEFT JOIN webhooks w ON w.id = due.webhook_id WHERE d.id = due.id "
      + "RETURNING d.id, d.body, d.attempt_count, d.attempt_base, w.url, w.secret, "
      + "w.timeout_seconds, CASE WHEN w.previous_secret_expires_at > now() "
      + "THEN w.previous_secret END AS previous_secret_live";

  /**
   * A delivery this node holds the lease of, ready to send: claimed, or leased by the planner in
   * the transaction that created it. A null {@code url}: its webhook is gone.
   */
  record Leased(String id, byte[] body, int attemptCount, int attemptBase, String url,
      String[] secrets, Integer timeoutSeconds) {
    static Leased of(Row claimed) {
      return new Leased(claimed.getString("id"), claimed.getBuffer("body").getBytes(),
          claimed.getInteger("attempt_count"), claimed.getInteger("attempt_base"),
          claimed.getString("url"),
          claimed.getString("url") == null ? null : WebhookStore.signingSecrets(claimed),
          claimed.getInteger("timeout_seconds"));
    }
  }

  private final Vertx vertx;
  private final Pool pool;
  private final WebhookPoster poster;
  private final WebhookSettings settings;
  private final AttemptLog attempts;
  private final Set<Future<Void>> inFlight = new HashSet<>();
  /** Places held for deliveries being claimed or leased, not yet in flight. */
  private int reserved;
  private int claims;
  /** The last claim came back full: more is due than one claim takes, so claims may overlap. */
  private boolean moreDue;
  private boolean again;
  private boolean pumpScheduled;
  private boolean stopping;

  private final Runnable roomFreed;

  /** {@code roomFreed} runs after attempts have finished (and a claim has had its turn). */
  DeliverySender(Vertx vertx, Pool pool, WebhookPoster poster, WebhookSettings settings,
      Runnable roomFreed) {
    this.roomFreed = roomFreed;
    this.vertx = vertx;
    this.pool = pool;
    this.poster = poster;
    this.settings = settings;
    this.attempts = new AttemptLog(pool, settings.concurrentBatches());
  }

  /** Room for more deliveries in flight. */
  int spare() {
    return settings.maxInFlight() - inFlight.size() - reserved;
  }

  @Override
  public int reserve(int wanted) {
    int granted = stopping ? 0 : Math.max(0, Math.min(wanted, spare()));
    reserved += granted;
    return granted;
  }

  @Override
  public long leaseMs(Integer timeoutSeconds) {
    return (timeoutSeconds == null ? 0 : timeoutSeconds * 1000L) + settings.leaseMarginMs();
  }

  @Override
  public void leased(int reservation, List<Leased> deliveries, int dueNow) {
    reserved -= reservation;
    if (stopping) {
      giveBack(deliveries);
      return;
    }
    deliveries.forEach(this::send);
    if (dueNow > 0 || deliveries.size() < reservation) {
      // deliveries to claim, or room the batch held and did not use: due retries may take it
      pumpSoon();
    }
  }

  /**
   * Leases taken while this node stops, ended now so that a restart or another node sends the
   * deliveries at once; if that fails, they go out when the leases run out.
   */
  private void giveBack(List<Leased> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    pool.preparedQuery("UPDATE webhook_deliveries SET next_attempt_at = now() "
            + "WHERE id = ANY($1) AND status = 'pending' AND attempt_count = 0")
        .execute(Tuple.of(deliveries.stream().map(Leased::id).toArray(String[]::new)))
        .onFailure(e -> LOG.debug("ending the leases of {} deliveries failed; they run out",
            deliveries.size(), e));
  }

  /**
   * Claims and sends what is due, as capacity allows; safe to call as often as one likes. Claims
   * overlap ({@code webhooks.concurrentBatches} at most, {@code SKIP LOCKED} keeps them apart)
   * only while claims come back full.
   */
  void pump() {
    if (stopping) {
      return;
    }
    if (claims >= settings.concurrentBatches() || (claims > 0 && !moreDue)) {
      again = true;
      return;
    }
    // Unless the last claim came back full, a claim (usually of the few retries due) holds at
    // most half the room while it runs: planning, which leases fresh deliveries into the same
    // room, need not wait for it.
    int capacity = Math.min(settings.batchSize(), moreDue ? spare() : (spare() + 1) / 2);
    if (capacity <= 0) {
      again = true;
      return;
    }
    claims++;
    reserved += capacity;
    again = false;
    long start = System.nanoTime();
    pool.preparedQuery(CLAIM)
        .execute(Tuple.of(capacity, settings.leaseMarginMs()))
        .onComplete(claimed -> {
          claims--;
          reserved -= capacity;
          if (claimed.failed()) {
            moreDue = false;
            LOG.warn("claiming webhook deliveries failed", claimed.cause());
            roomFreed.run();
            return;
          }
          DispatchMetrics.batch(DispatchMetrics.CLAIM, start, claimed.result().size());
          moreDue = claimed.result().size() == capacity;
          claimed.result().forEach(row -> send(Leased.of(row)));
          if (again || moreDue) {
            pump();
          }
          if (!moreDue) {
            // what the claim held and did not need goes to planning
            roomFreed.run();
          }
        });
    if (moreDue) {
      // the next claim's capacity goes out alongside this one
      pump();
    }
  }

  private void send(Leased delivery) {
    Promise<Void> done = Promise.promise();
    Future<Void> tracked = done.future();
    inFlight.add(tracked);
    String id = delivery.id();
    int attempt = delivery.attemptCount() + 1;
    // a replayed delivery gets a fresh round: its attempts count from the replay on
    int base = delivery.attemptBase();
    Future<WebhookPoster.Attempt> outcome;
    OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC);
    if (delivery.url() == null) {
      // Nowhere to send it any more: fail it now rather than retry into the void.
      outcome = Future.succeededFuture(new WebhookPoster.Attempt(false, null,
          WEBHOOK_DELETED, null, 0, -1));
    } else {
      outcome = poster.post(delivery.url(), delivery.secrets(), delivery.timeoutSeconds(), id,
          delivery.body());
    }
    int number = attempt;
    long sending = System.nanoTime();
    outcome.onComplete(sent -> DispatchMetrics.batch(DispatchMetrics.SEND, sending, 1));
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
        roomFreed.run();
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
