package dev.agentphone.usage;

import dev.agentphone.accounts.Plans;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * The plan's monthly quotas, checked where the work happens, inside the caller's transaction.
 * Monthly quotas answer 429 (the quota frees itself when the billing month turns, as the
 * concurrent-call limit does when a call ends); the numbers limit, a limit on what the account
 * holds, answers 403.
 */
public final class UsageLimits {
  private UsageLimits() {
  }

  /**
   * Refuses an outbound message once the billing month's outbound messages reach the plan's
   * {@code messagesPerMonth}. Sends of one account take turns on an advisory lock until their
   * message is stored, so racing sends cannot pass the limit together.
   */
  public static Future<Void> checkMessages(SqlClient tx, Plans plans, String accountId,
      OffsetDateTime now) {
    BillingPeriod month = BillingPeriod.month(now);
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('usage-messages:' "
            + "|| $1, 0))")
        .execute(Tuple.of(accountId))
        .compose(locked -> UsageStore.periodTotals(tx, accountId, month))
        .compose(row -> {
          String plan = row.getString("plan");
          int limit = plans.limit(plan, "messagesPerMonth");
          if (row.getLong("outbound_messages") >= limit) {
            return Future.failedFuture(new ApiError(429, "Monthly message limit reached: the "
                + plan + " plan allows " + limit + " outbound messages per calendar month "
                + "(messagesPerMonth); sending resumes on " + Times.format(month.endsAt())));
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Refuses a new call once the billing month's calls have used the plan's
   * {@code voiceMinutesPerMonth}. Run it under the account's call lock.
   */
  public static Future<Void> checkVoiceMinutes(SqlClient tx, Plans plans, String accountId,
      OffsetDateTime now) {
    BillingPeriod month = BillingPeriod.month(now);
    return UsageStore.periodTotals(tx, accountId, month).compose(row -> {
      String plan = row.getString("plan");
      int limit = plans.limit(plan, "voiceMinutesPerMonth");
      long used = UsageStore.minutes(row.getLong("call_seconds"), plans.minuteSeconds());
      if (used >= limit) {
        return Future.failedFuture(new ApiError(429, "Monthly voice minute limit reached: the "
            + plan + " plan allows " + limit + " voice minutes per calendar month "
            + "(voiceMinutesPerMonth) and " + used + " are used; calls resume on "
            + Times.format(month.endsAt())));
      }
      return Future.succeededFuture();
    });
  }

  /**
   * How long a call of an account on {@code plan} may last ({@code maxCallDurationMinutes}); null
   * when the plan sets none. Fractions of a minute count (tests set a limit of a second or so).
   */
  public static Duration maxCallDuration(Plans plans, String plan) {
    Object minutes = plans.limits(plan).getValue("maxCallDurationMinutes");
    if (!(minutes instanceof Number n) || n.doubleValue() <= 0) {
      return null;
    }
    return Duration.ofMillis(Math.round(n.doubleValue() * plans.minuteSeconds() * 1000));
  }

  /** The disconnection reason of a call ended at the plan's maximum duration (Retell's name). */
  public static final String MAX_DURATION_REASON = "max_duration_reached";

  /** The disconnection reason of an inbound call that arrived with the month's minutes used. */
  public static final String MINUTES_USED_REASON = "voice_minutes_limit_reached";
}
