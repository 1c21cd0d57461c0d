package dev.agentphone.usage;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.BooleanSupplier;

/**
 * What the plan allows a call: how many at a time ({@code concurrentCalls}), how many minutes a
 * month ({@code voiceMinutesPerMonth}) and how long each ({@code maxCallDurationMinutes}). The
 * calls domain counts its live calls under its own lock and asks here; the monthly quotas answer
 * 429, as the concurrent-call limit does (both free themselves, when the month turns or a call
 * ends).
 */
public final class CallBudget {
  /** The disconnection reason of a call ended at the plan's maximum duration (Retell's name). */
  public static final String MAX_DURATION_REASON = "max_duration_reached";
  /** The disconnection reason of an inbound call that arrived with the month's minutes used. */
  public static final String MINUTES_USED_REASON = "voice_minutes_limit_reached";

  private final Pool pool;
  private final Plans plans;

  public CallBudget(Pool pool, Plans plans) {
    this.pool = pool;
    this.plans = plans;
  }

  /**
   * Whether the account may place one more call, given {@code liveCalls} it has now (counted
   * under the account's call lock, in {@code tx}): 429 when the calls at a time or the month's
   * voice minutes are used up.
   */
  public Future<Void> admitPlaced(SqlClient tx, String accountId, long liveCalls) {
    BillingPeriod month = BillingPeriod.month(Times.now());
    return UsageStore.periodTotals(tx, accountId, month).compose(row -> {
      Plans.Limits limits = plans.limits(row.getString("plan"));
      if (liveCalls >= limits.concurrentCalls()) {
        int full = limits.concurrentCalls();
        return Future.failedFuture(new ApiError(429, "Concurrent call limit reached: your "
            + "plan allows " + full + " live call" + (full == 1 ? "" : "s")
            + " at a time. End a call or wait for one to finish."));
      }
      long used = plans.minutes(row.getLong("call_seconds"));
      if (used >= limits.voiceMinutesPerMonth()) {
        return Future.failedFuture(new ApiError(429, "Monthly voice minute limit reached: the "
            + limits.plan() + " plan allows " + limits.voiceMinutesPerMonth()
            + " voice minutes per calendar month (voiceMinutesPerMonth) and " + used
            + " are used; calls resume on " + Times.format(month.endsAt())));
      }
      return Future.succeededFuture();
    });
  }

  /** The plan's {@code concurrentCalls} when {@code liveCalls} already fill it, else null. */
  public Future<Integer> fullAt(SqlClient tx, String accountId, long liveCalls) {
    return plans.ofAccount(tx, accountId).map(limits ->
        liveCalls >= limits.concurrentCalls() ? limits.concurrentCalls() : null);
  }

  /** How long a call of the account may last; null when its plan sets no limit. */
  public Future<Duration> maxDuration(SqlClient db, String accountId) {
    return plans.ofAccount(db, accountId).map(Plans.Limits::maxCallDuration);
  }

  /**
   * When the plan ends a live call, why, and the agent's last words. The maximum duration is
   * counted from the call's start, so a session rebuilt after a reconnect keeps the original
   * deadline. An inbound call arriving when the month's voice minutes are used up is ended at
   * once (placed calls were refused already).
   *
   * @param inMillis from now; at least 1
   */
  public record Deadline(long inMillis, String reason, String words) {
  }

  /**
   * Null when the plan sets no limit that ends this call. {@code freshInbound} is asked once the
   * usage is known: whether the call is an inbound one that has not begun yet.
   */
  public Future<Deadline> deadline(String accountId, BooleanSupplier freshInbound,
      OffsetDateTime started) {
    return UsageStore.periodTotals(pool, accountId, BillingPeriod.month(Times.now()))
        .map(totals -> {
          Plans.Limits limits = plans.limits(totals.getString("plan"));
          long used = plans.minutes(totals.getLong("call_seconds"));
          if (freshInbound.getAsBoolean() && used >= limits.voiceMinutesPerMonth()) {
            return new Deadline(1, MINUTES_USED_REASON,
                "Sorry, this number cannot take calls right now. Goodbye.");
          }
          Duration max = limits.maxCallDuration();
          if (max == null) {
            return null;
          }
          long delay = started.plus(max).toInstant().toEpochMilli() - System.currentTimeMillis();
          return new Deadline(Math.max(1, delay), MAX_DURATION_REASON,
              "This call has reached its time limit. Goodbye.");
        });
  }
}
