package dev.agentphone.webhooks;

import dev.agentphone.platform.ClusterLease;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through bulk replay jobs at {@code webhooks.replayPerSecond}, across the whole cluster:
 * one node at a time holds the {@code webhook-replays} lease and replays, every tick, the next
 * few queued deliveries of the oldest running jobs. Each tick is one statement that claims the
 * items ({@code FOR UPDATE SKIP LOCKED}, so a lease changing hands never replays one twice),
 * requeues their deliveries, marks them and counts the progress; the jobs and their remaining
 * deliveries live in PostgreSQL, so a restarted or another node carries on where one stopped.
 */
final class ReplayRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayRunner.class);
  /** Published on this node when a job is created, so it starts without waiting for a poll. */
  static final String QUEUED = "webhooks.replay-queued";
  private static final long LEASE_TTL_MS = 10_000;
  private static final long MIN_TICK_MS = 50;

  private final Vertx vertx;
  private final Pool pool;
  private final ClusterLease lease;
  private final Runnable replayed;
  private final long idleMs;
  private final long tickMs;
  private final int perTick;
  private MessageConsumer<Object> wakeUps;
  private MessageConsumer<Object> singleReplays;
  private long timer = -1;
  private long leaseRenewedAt;
  private boolean held;
  private boolean running;
  private boolean stopping;

  /** {@code replayed} runs after deliveries were requeued (it wakes the sender). */
  ReplayRunner(Vertx vertx, Pool pool, WebhookSettings settings, Runnable replayed) {
    this.vertx = vertx;
    this.pool = pool;
    this.replayed = replayed;
    this.lease = new ClusterLease(pool, "webhook-replays", LEASE_TTL_MS);
    this.idleMs = settings.pollIntervalMs();
    int rate = Math.max(1, settings.replayPerSecond());
    // as even a pace as the timer allows: one delivery per tick up to 20 a second, then batches
    this.tickMs = Math.max(MIN_TICK_MS, 1000 / rate);
    this.perTick = (int) Math.max(1, Math.round(rate * tickMs / 1000.0));
  }

  void start() {
    wakeUps = vertx.eventBus().localConsumer(QUEUED, message -> wake());
    singleReplays = vertx.eventBus().localConsumer(DeliveryReplay.REPLAYED,
        message -> replayed.run());
    schedule(0);
  }

  /** Ticks now, unless a tick is running (it reschedules itself). */
  private void wake() {
    if (!running && !stopping) {
      vertx.cancelTimer(timer);
      schedule(0);
    }
  }

  private void schedule(long delayMs) {
    if (!stopping) {
      timer = vertx.setTimer(Math.max(1, delayMs), t -> tick());
    }
  }

  private void tick() {
    running = true;
    holdLease()
        .compose(holding -> holding ? replayNext() : Future.succeededFuture(0))
        .onComplete(done -> {
          running = false;
          int count = 0;
          if (done.failed()) {
            LOG.warn("replaying webhook deliveries failed; will retry", done.cause());
          } else {
            count = done.result();
          }
          if (count > 0) {
            replayed.run();
          }
          schedule(count > 0 ? tickMs : idleMs);
        });
  }

  /** Takes or renews the lease when a third of it has run out; true while this node holds it. */
  private Future<Boolean> holdLease() {
    long now = System.currentTimeMillis();
    if (held && now - leaseRenewedAt < LEASE_TTL_MS / 3) {
      return Future.succeededFuture(true);
    }
    return lease.acquire().map(holding -> {
      held = holding;
      leaseRenewedAt = now;
      return holding;
    });
  }

  /** Replays up to {@code perTick} queued deliveries; answers how many items it settled. */
  private Future<Integer> replayNext() {
    return pool.preparedQuery("WITH picked AS (SELECT i.job_id, i.delivery_id "
            + "FROM webhook_replay_items i JOIN webhook_replay_jobs j ON j.id = i.job_id "
            + "WHERE i.state = 'queued' AND j.status = 'running' "
            + "ORDER BY j.created_at, i.job_id, i.position LIMIT $1 FOR UPDATE OF i SKIP LOCKED), "
            + "requeued AS (UPDATE webhook_deliveries d SET " + DeliveryReplay.REQUEUE + " "
            + "FROM picked p JOIN webhook_replay_jobs j ON j.id = p.job_id "
            + "WHERE d.id = p.delivery_id AND d.status = j.status_filter AND "
            + DeliveryReplay.WEBHOOK_EXISTS + " RETURNING d.id), "
            + "marked AS (UPDATE webhook_replay_items i SET replayed_at = now(), state = CASE "
            + "WHEN i.delivery_id IN (SELECT id FROM requeued) THEN 'replayed' ELSE 'skipped' END "
            + "FROM picked p WHERE i.job_id = p.job_id AND i.delivery_id = p.delivery_id "
            + "RETURNING i.job_id, i.state), "
            + "counted AS (SELECT job_id, count(*) FILTER (WHERE state = 'replayed') AS r, "
            + "count(*) FILTER (WHERE state = 'skipped') AS s FROM marked GROUP BY job_id) "
            + "UPDATE webhook_replay_jobs j SET replayed = j.replayed + c.r, "
            + "skipped = j.skipped + c.s, "
            + "status = CASE WHEN j.replayed + c.r + j.skipped + c.s >= j.total "
            + "THEN 'completed' ELSE j.status END, "
            + "finished_at = CASE WHEN j.replayed + c.r + j.skipped + c.s >= j.total "
            + "THEN now() END "
            + "FROM counted c WHERE j.id = c.job_id RETURNING c.r + c.s AS settled")
        .execute(Tuple.of(perTick))
        .map(rows -> {
          int settled = 0;
          for (var row : rows) {
            settled += row.getLong("settled").intValue();
          }
          return settled;
        });
  }

  /** Stops ticking and hands the lease on at once. */
  Future<Void> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    Future<Void> unsubscribed = wakeUps == null ? Future.succeededFuture()
        : Future.join(wakeUps.unregister(), singleReplays.unregister()).mapEmpty();
    return unsubscribed.compose(v -> held ? lease.release() : Future.succeededFuture())
        .recover(e -> Future.succeededFuture());
  }
}
