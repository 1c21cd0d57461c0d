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
 * Sends due deliveries. Each attempt runs under a lease: its delivery's due time is past the
 * attempt's timeout plus a margin, set by the plan that created a fresh delivery or by a claim
 * ({@code FOR UPDATE SKIP LOCKED}) of one that came due. If this node dies mid-attempt, the delivery becomes due
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
  /** Attempts begun and not yet recorded. */
  private final Set<Future<Void>> inFlight = new HashSet<>();
  /** Attempts whose request has not come back yet. */
  private int requests;
  /** Room held for the deliveries of a plan in flight. */
  private int reserved;
  private boolean claiming;
  private boolean again;
  /** A claim found no room: the next recorded attempt claims again. */
  private boolean waitingForCapacity;
  /** A plan that found no room, run once there is. */
  private Runnable freed;
  private boolean pumpScheduled;
  private boolean stopping;

  DeliverySender(Vertx vertx, Pool pool, WebhookPoster poster, WebhookSettings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.poster = poster;
    this.settings = settings;
    this.attempts = new AttemptLog(pool);
  }

  /** A delivery to attempt now: its frozen bytes, where they go and how they are signed. */
  record Due(String id, byte[] body, int attemptCount, int attemptBase, String url,
      String[] secrets, Integer timeoutSeconds) {
    /** A claimed row ({@link #CLAIM}); its webhook's columns are null once it was deleted. */
    static Due of(Row row) {
      String url = row.getString("url");
      return new Due(row.getString("id"), row.getBuffer("body").getBytes(),
          row.getInteger("attempt_count"), row.getInteger("attempt_base"), url,
          url == null ? null : WebhookStore.signingSecrets(row), row.getInteger("timeout_seconds"));
    }
  }

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
   * Claims and sends what is due, as capacity allows; safe to call as often as one likes. Fresh
   * deliveries come leased from planning ({@link #sendPlanned}); this picks up retries that
   * came due, leases that ran out (another node's, or this one's before a restart) and the
   * streamed path's deliveries.
   */
  void pump() {
    if (stopping) {
      return;
    }
    if (claiming) {
      again = true;
      return;
    }
    int capacity = Math.min(settings.batchSize(), free());
    if (capacity <= 0) {
      // the next recorded attempt pumps again
      waitingForCapacity = true;
      return;
    }
    claiming = true;
    again = false;
    waitingForCapacity = false;
    pool.preparedQuery(CLAIM)
        .execute(Tuple.of(capacity, settings.leaseMarginMs()))
        .onComplete(claimed -> {
          claiming = false;
          if (claimed.failed()) {
            LOG.warn("claiming webhook deliveries failed", claimed.cause());
            return;
          }
          claimed.result().forEach(row -> send(Due.of(row)));
          if (again || claimed.result().size() == capacity) {
            pump();
          }
        });
  }

  /**
   * Attempts that may start now: {@code maxInFlight} requests at once (those reserved for a plan
   * count), and as many again whose outcome waits to be recorded, so that the next batch goes
   * out while the last one's attempts are written.
   */
  private int free() {
    return Math.min(settings.maxInFlight() - requests,
        2 * settings.maxInFlight() - inFlight.size()) - reserved;
  }

  /**
   * Reserves room for up to {@code wanted} deliveries a plan is about to lease; 0 when less
   * than {@code minimum} is free, and then {@code onFree} runs once an attempt frees room.
   * The plan hands back what it leased with {@link #sendPlanned}, or {@link #release}s it.
   */
  int reserve(int wanted, int minimum, Runnable onFree) {
    int granted = Math.min(wanted, free());
    if (stopping || granted < Math.min(wanted, minimum)) {
      freed = onFree;
      return 0;
    }
    reserved += granted;
    return granted;
  }

  /** Gives back a reservation unused (the plan failed, or had fewer deliveries). */
  void release(int room) {
    reserved -= room;
  }

  /**
   * Sends deliveries a plan leased in room it had reserved, and gives back the rest. The requests
   * go out once the current event has run, so that the caller can first start its next plan.
   */
  void sendPlanned(List<Due> leased, int room) {
    reserved -= room - leased.size();
    vertx.runOnContext(v -> {
      reserved -= leased.size();
      leased.forEach(this::send);
    });
  }

  private void send(Due delivery) {
    Promise<Void> done = Promise.promise();
    Future<Void> tracked = done.future();
    inFlight.add(tracked);
    requests++;
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
    outcome.onComplete(answered -> {
      requests--;
      roomFreed();
    }).compose(result -> record(id, number, base, started, result)
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
          roomFreed();
        });
  }

  /**
   * Once the current event has run, hands the room freed by answered or recorded attempts to whoever waits
   * for it: the attempts of a batch are recorded together, and their room then goes into one
   * plan or claim instead of one for the first attempt and one for the rest.
   */
  private void roomFreed() {
    if ((waitingForCapacity || freed != null) && !pumpScheduled) {
      pumpScheduled = true;
      vertx.runOnContext(v -> {
        pumpScheduled = false;
        Runnable waiting = freed;
        freed = null;
        if (waiting != null) {
          waiting.run();
        }
        if (waitingForCapacity) {
          pump();
        }
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

  /**
   * Stops claiming and waits for the attempts in flight to be recorded, those of a plan handed
   * over in the current event included.
   */
  Future<Void> stop() {
    stopping = true;
    Promise<Void> stopped = Promise.promise();
    vertx.runOnContext(v -> Future.join(new java.util.ArrayList<>(inFlight)).<Void>mapEmpty()
        .onComplete(stopped));
    return stopped.future();
  }
}
