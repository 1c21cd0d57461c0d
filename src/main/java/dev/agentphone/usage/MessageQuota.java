package dev.agentphone.usage;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The plan's monthly outbound-message quota, checked inside the sender's transaction (part of
 * usage's transactional API). A monthly quota answers 429: it frees itself when the billing month
 * turns.
 */
public final class MessageQuota {
  private final Plans plans;

  public MessageQuota(Plans plans) {
    this.plans = plans;
  }

  /**
   * Refuses an outbound message once the billing month's outbound messages reach the plan's
   * {@code messagesPerMonth}. Sends of one account take turns on an advisory lock until their
   * message is stored (the end of {@code tx}), so racing sends cannot pass the limit together.
   */
  public Future<Void> check(SqlClient tx, String accountId) {
    BillingPeriod month = BillingPeriod.month(Times.now());
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
}
