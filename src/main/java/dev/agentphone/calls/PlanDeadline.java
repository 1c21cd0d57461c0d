package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.platform.Times;
import dev.agentphone.usage.BillingPeriod;
import dev.agentphone.usage.UsageLimits;
import dev.agentphone.usage.UsageStore;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.BooleanSupplier;

/**
 * When the plan ends a live call, why, and the agent's last words. The maximum duration is
 * counted from the call's start, so a session rebuilt after a reconnect keeps the original
 * deadline. An inbound call arriving when the month's voice minutes are used up is ended at once
 * (placed calls were refused already).
 *
 * @param inMillis from now; at least 1
 */
record PlanDeadline(long inMillis, String reason, String words) {

  /**
   * Null when the plan sets no limit that ends this call. {@code freshInbound} is asked once the
   * usage is known: whether the call is an inbound one that has not begun yet.
   */
  static Future<PlanDeadline> of(Engine engine, String accountId, BooleanSupplier freshInbound,
      OffsetDateTime started) {
    Plans plans = new Plans(engine.config());
    return UsageStore.periodTotals(engine.pool(), accountId, BillingPeriod.month(Times.now()))
        .map(totals -> {
          String plan = totals.getString("plan");
          long used = UsageStore.minutes(totals.getLong("call_seconds"), plans.minuteSeconds());
          if (freshInbound.getAsBoolean() && used >= plans.limit(plan, "voiceMinutesPerMonth")) {
            return new PlanDeadline(1, UsageLimits.MINUTES_USED_REASON,
                "Sorry, this number cannot take calls right now. Goodbye.");
          }
          Duration max = UsageLimits.maxCallDuration(plans, plan);
          if (max == null) {
            return null;
          }
          long delay = started.plus(max).toInstant().toEpochMilli() - System.currentTimeMillis();
          return new PlanDeadline(Math.max(1, delay), UsageLimits.MAX_DURATION_REASON,
              "This call has reached its time limit. Goodbye.");
        });
  }
}
