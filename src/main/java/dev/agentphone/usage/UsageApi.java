package dev.agentphone.usage;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The usage domain's published API over the event bus: an account's usage statistics, in the
 * contract's shapes. (Plan limits are checked in-process, inside the caller's transaction:
 * {@link MessageQuota}, {@link CallBudget}.)
 */
public final class UsageApi {
  static final String SUMMARY = "usage.summary";
  static final String DAILY = "usage.daily";
  static final String MONTHLY = "usage.monthly";
  static final String BY_NUMBER = "usage.by-number";
  static final String BY_AGENT = "usage.by-agent";

  private final Vertx vertx;

  public UsageApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code UsageResponse}: plan and limits, numbers, totals and rolling windows. */
  public Future<JsonObject> summary(String accountId) {
    return Bus.request(vertx, SUMMARY, Bus.scope(accountId));
  }

  /** One point per UTC day for the last {@code days} days. */
  public Future<JsonObject> daily(String accountId, int days) {
    return Bus.request(vertx, DAILY, Bus.scope(accountId).put("days", days));
  }

  /** One point per UTC calendar month for the last {@code months} months. */
  public Future<JsonObject> monthly(String accountId, int months) {
    return Bus.request(vertx, MONTHLY, Bus.scope(accountId).put("months", months));
  }

  /** Per number over {@code period} ({@code week}, {@code month} or {@code year}). */
  public Future<JsonObject> byNumber(String accountId, String period) {
    return Bus.request(vertx, BY_NUMBER, Bus.scope(accountId).put("period", period));
  }

  /** Per agent over {@code period}. */
  public Future<JsonObject> byAgent(String accountId, String period) {
    return Bus.request(vertx, BY_AGENT, Bus.scope(accountId).put("period", period));
  }
}
