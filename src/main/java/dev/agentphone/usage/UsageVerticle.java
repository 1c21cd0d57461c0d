package dev.agentphone.usage;

import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Usage statistics of an account: summary, daily and monthly series, per number and per agent. */
final class UsageVerticle extends VerticleBase {
  /** The name of the by-agent row that holds the work of no existing agent. */
  static final String UNASSIGNED = "Unassigned";
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM");
  private static final List<String> LIMITS = List.of("numbers", "messagesPerMonth",
      "voiceMinutesPerMonth", "maxCallDurationMinutes", "concurrentCalls");

  private final Pool pool;
  private final Plans plans;

  UsageVerticle(Pool pool, Plans plans) {
    this.pool = pool;
    this.plans = plans;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, UsageApi.SUMMARY, this::summary);
    Bus.answer(vertx, UsageApi.DAILY, this::daily);
    Bus.answer(vertx, UsageApi.MONTHLY, this::monthly);
    Bus.answer(vertx, UsageApi.BY_NUMBER, this::byNumber);
    Bus.answer(vertx, UsageApi.BY_AGENT, this::byAgent);
    return Future.succeededFuture();
  }

  private Future<JsonObject> summary(JsonObject request) {
    OffsetDateTime now = Times.now();
    BillingPeriod month = BillingPeriod.month(now);
    return UsageStore.summary(pool, request.getString("accountId"), now).map(s -> {
      JsonObject limits = new JsonObject();
      for (String name : LIMITS) {
        limits.put(name, plans.limit(s.plan(), name));
      }
      int numbers = limits.getInteger("numbers");
      List<UsageStore.Window> w = s.windows();
      return new JsonObject()
          .put("plan", new JsonObject().put("name", s.plan()).put("limits", limits))
          .put("numbers", new JsonObject().put("used", s.activeNumbers()).put("limit", numbers)
              .put("remaining", Math.max(0, numbers - s.activeNumbers())))
          .put("stats", new JsonObject()
              .put("totalMessages", s.totalMessages())
              .put("messagesLast24h", w.get(0).messages())
              .put("messagesLast7d", w.get(1).messages())
              .put("messagesLast30d", w.get(2).messages())
              .put("totalCalls", s.totalCalls())
              .put("callsLast24h", w.get(0).calls())
              .put("callsLast7d", w.get(1).calls())
              .put("callsLast30d", w.get(2).calls())
              .put("totalWebhookDeliveries", s.webhooks())
              .put("successfulWebhookDeliveries", s.webhooksSuccessful())
              .put("failedWebhookDeliveries", s.webhooksFailed()))
          .put("periodStart", Times.format(month.startsAt()))
          .put("periodEnd", Times.format(month.endsAt()))
          // beyond the contract: how far the billing month's quotas are used
          .put("period", new JsonObject()
              .put("outboundMessages", s.periodOutboundMessages())
              .put("messagesPerMonth", limits.getInteger("messagesPerMonth"))
              .put("voiceSeconds", s.periodCallSeconds())
              .put("voiceMinutes", plans.minutes(s.periodCallSeconds()))
              .put("voiceMinutesPerMonth", limits.getInteger("voiceMinutesPerMonth")));
    });
  }

  private Future<JsonObject> daily(JsonObject request) {
    int days = request.getInteger("days");
    LocalDate today = BillingPeriod.utcDay(Times.now());
    return UsageStore.daily(pool, request.getString("accountId"), today.minusDays(days - 1), today)
        .map(points -> {
          JsonArray data = new JsonArray();
          points.forEach(p -> data.add(new JsonObject().put("date", p.start().toString())
              .put("messages", p.messages()).put("calls", p.calls())
              .put("voiceMinutes", plans.minutes(p.callSeconds()))
              .put("webhooks", p.webhooks())));
          return new JsonObject().put("data", data).put("days", days);
        });
  }

  private Future<JsonObject> monthly(JsonObject request) {
    int months = request.getInteger("months");
    LocalDate current = BillingPeriod.month(Times.now()).start();
    return UsageStore.monthly(pool, request.getString("accountId"),
            current.minusMonths(months - 1), current)
        .map(points -> {
          JsonArray data = new JsonArray();
          points.forEach(p -> data.add(new JsonObject().put("month", MONTH.format(p.start()))
              .put("messages", p.messages()).put("calls", p.calls())
              .put("voiceMinutes", plans.minutes(p.callSeconds()))
              .put("webhooks", p.webhooks())));
          return new JsonObject().put("data", data).put("months", months);
        });
  }

  private Future<JsonObject> byNumber(JsonObject request) {
    String period = request.getString("period", "month");
    BillingPeriod span = BillingPeriod.named(period, Times.now());
    return UsageStore.byNumber(pool, request.getString("accountId"), span)
        .map(rows -> breakdown(period, span, rows, row -> new JsonObject()
            .put("numberId", row.getString("id"))
            .put("phoneNumber", row.getString("phone_number"))
            .put("country", row.getString("country"))
            .put("agentId", row.getString("agent_id"))
            .put("agentName", row.getString("agent_name"))
            .put("status", row.getString("status"))));
  }

  private Future<JsonObject> byAgent(JsonObject request) {
    String period = request.getString("period", "month");
    BillingPeriod span = BillingPeriod.named(period, Times.now());
    return UsageStore.byAgent(pool, request.getString("accountId"), span)
        .map(rows -> breakdown(period, span, rows, UsageVerticle::agentIdentity));
  }

  /**
   * Who an agent row is, in the SDK's names ({@code agentName}, {@code isOrphan}) and the older
   * {@code name}; the row of no existing agent is "Unassigned", an orphan.
   */
  private static JsonObject agentIdentity(Row row) {
    String id = row.getString("id");
    String name = id == null ? UNASSIGNED : row.getString("name");
    return new JsonObject()
        .put("agentId", id)
        .put("agentName", name)
        .put("name", name)
        .put("isOrphan", id == null)
        .put("totalSeconds", row.getLong("call_seconds"));
  }

  private JsonObject breakdown(String period, BillingPeriod span, List<Row> rows,
      java.util.function.Function<Row, JsonObject> identity) {
    JsonArray data = new JsonArray();
    for (Row row : rows) {
      long seconds = row.getLong("call_seconds");
      data.add(identity.apply(row)
          .put("messages", row.getLong("messages"))
          .put("outboundMessages", row.getLong("outbound_messages"))
          .put("calls", row.getLong("calls"))
          .put("voiceSeconds", seconds)
          .put("voiceMinutes", plans.minutes(seconds)));
    }
    return new JsonObject().put("data", data).put("period", period)
        .put("periodStart", Times.format(span.startsAt()))
        .put("periodEnd", Times.format(span.endsAt()));
  }
}
