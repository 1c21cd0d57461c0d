package dev.agentphone.calls;

import dev.agentphone.platform.ClusterLease;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.CallBudget;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Finds live calls whose session is gone (its node died, or it never started) and settles them
 * from Retell's record: a call Retell says has ended is finalised with Retell's timestamps,
 * reason and transcript; one still going on is left for the session Retell's reconnect rebuilds.
 * A call Retell does not know, or one still going on past the plan's maximum duration plus a
 * margin, is finalised with reason {@code session_lost}, ending when its session was last seen.
 * Each round also retries the recordings whose fetch failed or was skipped
 * ({@link CallRecordings#retryDue}).
 * A placed call that never got a Retell id (the node died before Retell answered) fails with
 * {@code placement_lost}. One node of the cluster does this at a time ({@link ClusterLease}); it
 * also runs the rounds of other work that wants the same one-node-at-a-time schedule (re-pointing
 * Retell agents still holding an LLM socket URL without a secret).
 *
 * <p>A session is gone when {@code calls.session_seen_at} (which each node's sessions refresh
 * every {@code calls.sessionHeartbeatMillis}) is older than {@code sessionStaleMillis} and the
 * session does not answer a ping on its bus address either.
 */
final class CallReconciler extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CallReconciler.class);
  static final String SESSION_LOST = "session_lost";
  static final String PLACEMENT_LOST = "placement_lost";
  private static final DeliveryOptions PING = new DeliveryOptions().setSendTimeout(2_000);

  private final Pool pool;
  private final RetellClient retell;
  private final CallBudget budget;
  private final CallFinalizer finalizer;
  private final CallRecordings recordings;
  private final IntFunction<Future<?>> alsoUnderLease;
  private final ClusterLease lease;
  private final CallSettings.Reconciler settings;
  private final long placementMillis;
  private long timer = -1;
  private boolean running;

  /** {@code alsoUnderLease}: more work for each round, given the batch size. */
  CallReconciler(Pool pool, RetellClient retell, CallBudget budget, CallFinalizer finalizer,
      CallRecordings recordings, CallSettings settings, IntFunction<Future<?>> alsoUnderLease) {
    this.pool = pool;
    this.retell = retell;
    this.budget = budget;
    this.finalizer = finalizer;
    this.recordings = recordings;
    this.alsoUnderLease = alsoUnderLease;
    this.settings = settings.reconciler();
    this.lease = new ClusterLease(pool, "calls-reconciler", this.settings.leaseMillis());
    // a placement still waiting for Retell's answer is not lost: it fails on its own time-out
    this.placementMillis = Math.max(this.settings.placementTimeoutMillis(),
        2 * settings.retellTimeoutMillis());
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(settings.intervalMillis(), t -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return lease.release().recover(e -> Future.succeededFuture());
  }

  private void round() {
    if (running) {
      return;
    }
    running = true;
    lease.acquire()
        .compose(held -> held
            ? reconcile().compose(v -> recordings.retryDue(settings.batchSize()))
                .compose(v -> alsoUnderLease.apply(settings.batchSize())).mapEmpty()
            : Future.succeededFuture())
        .onComplete(done -> {
          running = false;
          if (done.failed()) {
            LOG.warn("call reconciliation round failed: {}", done.cause().getMessage());
          }
        });
  }

  private Future<Void> reconcile() {
    return pool.preparedQuery("SELECT id, account_id, retell_call_id, started_at, "
            + "coalesce(session_seen_at, started_at) AS seen_at FROM calls WHERE status IN ("
            + CallStore.LIVE + ") AND coalesce(session_seen_at, started_at) < now() - $1 * "
            + "interval '1 millisecond' ORDER BY coalesce(session_seen_at, started_at) LIMIT $2")
        .execute(Tuple.of(settings.sessionStaleMillis(), settings.batchSize()))
        .compose(rows -> {
          List<Row> stale = new ArrayList<>();
          rows.forEach(stale::add);
          Future<Void> chain = Future.succeededFuture();
          for (Row row : stale) {
            chain = chain.compose(v -> settle(row).recover(e -> {
              LOG.warn("could not reconcile call {}: {}", row.getString("id"), e.getMessage());
              return Future.succeededFuture();
            }));
          }
          return chain;
        });
  }

  private Future<Void> settle(Row call) {
    String id = call.getString("id");
    return sessionAnswers(id).compose(alive -> {
      if (alive) {
        return Future.succeededFuture();
      }
      String retellId = call.getString("retell_call_id");
      if (retellId == null) {
        return placementLost(call);
      }
      return retell.getCall(retellId).compose(record -> {
        String status = record == null ? null : record.getString("call_status");
        if (record != null && !"registered".equals(status) && !"ongoing".equals(status)) {
          LOG.info("call {} lost its session; Retell says it ended ({})", id,
              record.getString("disconnection_reason"));
          return end(id, record, SESSION_LOST).compose(v -> recordings.offered(id, record));
        }
        return lostIfOverdue(call, record == null ? "unknown to Retell" : "still " + status);
      });
    });
  }

  private Future<Boolean> sessionAnswers(String callId) {
    return vertx.eventBus().request(CallSession.address(callId),
            new JsonObject().put("op", "ping"), PING)
        .map(reply -> true)
        .recover(e -> Future.succeededFuture(false));
  }

  /** The node died between storing a placed call and learning Retell's id for it. */
  private Future<Void> placementLost(Row call) {
    OffsetDateTime started = call.getOffsetDateTime("started_at");
    if (started.plus(Duration.ofMillis(placementMillis)).isAfter(OffsetDateTime.now())) {
      return Future.succeededFuture();
    }
    LOG.info("call {} was never placed with Retell", call.getString("id"));
    long at = started.toInstant().toEpochMilli();
    return end(call.getString("id"), new JsonObject().put("start_timestamp", at)
        .put("end_timestamp", at), PLACEMENT_LOST);
  }

  /**
   * Past the plan's maximum duration plus the margin, nothing can still be carrying the call: it
   * ends when its session was last seen, so no time is charged that nobody can vouch for.
   */
  private Future<Void> lostIfOverdue(Row call, String why) {
    OffsetDateTime seen = call.getOffsetDateTime("seen_at");
    return budget.maxDuration(pool, call.getString("account_id")).compose(max -> {
      OffsetDateTime overdue = (max == null ? seen
          : call.getOffsetDateTime("started_at").plus(max))
          .plus(Duration.ofMillis(settings.lostCallMarginMillis()));
      if (overdue.isAfter(OffsetDateTime.now())) {
        return Future.succeededFuture();
      }
      LOG.info("call {} lost its session and is {}: ended as {}", call.getString("id"), why,
          SESSION_LOST);
      return end(call.getString("id"), new JsonObject()
          .put("end_timestamp", seen.toInstant().toEpochMilli()), SESSION_LOST);
    });
  }

  private Future<Void> end(String callId, JsonObject record, String reason) {
    return finalizer.finishAndAnnounce(callId, record, reason).mapEmpty();
  }
}
