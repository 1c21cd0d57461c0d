package dev.agentphone.usage;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage figures over data seeded with explicit timestamps across days and months (UTC). */
class UsageStatsTest {
  static TestEngine engine;
  static Api api;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    api = engine.api;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  private static OffsetDateTime noon(LocalDate day) {
    return day.atTime(12, 0).atOffset(ZoneOffset.UTC);
  }

  private static JsonObject usage(Seed account) {
    Api.Response response = api.get("/v1/usage", account.key);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** Times just inside and just outside each window, relative to {@code t}. */
  private static OffsetDateTime[] aroundEveryWindow(OffsetDateTime t) {
    // "inside" keeps a minute of margin for the time between seeding and asking
    return new OffsetDateTime[] {
        t.minusSeconds(10),
        t.minusHours(24).plusMinutes(1), t.minusHours(24).minusSeconds(1),
        t.minusDays(7).plusMinutes(1), t.minusDays(7).minusSeconds(1),
        t.minusDays(30).plusMinutes(1), t.minusDays(30).minusSeconds(1),
        t.minusDays(400)};
  }

  @Test
  void summaryCountsTotalsAndRollingWindowsExactly() {
    Seed account = Seed.signUp(engine, "summary");
    OffsetDateTime t = now();
    account.messages(aroundEveryWindow(t));
    account.calls(aroundEveryWindow(t));
    account.webhook("success", t.minusDays(2));
    account.webhook("success", t.minusDays(40));
    account.webhook("failed", t.minusHours(1));
    String pending = account.webhook("pending", t.minusMinutes(5));

    JsonObject usage = usage(account);
    JsonObject stats = usage.getJsonObject("stats");
    assertThat(stats.getLong("totalMessages")).isEqualTo(8);
    assertThat(stats.getLong("messagesLast24h")).isEqualTo(2);
    assertThat(stats.getLong("messagesLast7d")).isEqualTo(4);
    assertThat(stats.getLong("messagesLast30d")).isEqualTo(6);
    assertThat(stats.getLong("totalCalls")).isEqualTo(8);
    assertThat(stats.getLong("callsLast24h")).isEqualTo(2);
    assertThat(stats.getLong("callsLast7d")).isEqualTo(4);
    assertThat(stats.getLong("callsLast30d")).isEqualTo(6);
    assertThat(stats.getLong("totalWebhookDeliveries")).isEqualTo(4);
    assertThat(stats.getLong("successfulWebhookDeliveries")).isEqualTo(2);
    assertThat(stats.getLong("failedWebhookDeliveries")).isEqualTo(1);

    // an outcome reached later moves the counts
    engine.sql("UPDATE webhook_deliveries SET status = 'success' WHERE id = ?", pending);
    stats = usage(account).getJsonObject("stats");
    assertThat(stats.getLong("totalWebhookDeliveries")).isEqualTo(4);
    assertThat(stats.getLong("successfulWebhookDeliveries")).isEqualTo(3);

    JsonObject plan = usage.getJsonObject("plan");
    assertThat(plan.getString("name")).isEqualTo("starter");
    assertThat(plan.getJsonObject("limits")).isEqualTo(new JsonObject().put("numbers", 10)
        .put("messagesPerMonth", 10000).put("voiceMinutesPerMonth", 500)
        .put("maxCallDurationMinutes", 30).put("concurrentCalls", 5));
    assertThat(usage.getJsonObject("numbers")).isEqualTo(new JsonObject().put("used", 1)
        .put("limit", 10).put("remaining", 9));
    LocalDate first = t.toLocalDate().withDayOfMonth(1);
    assertThat(usage.getString("periodStart")).isEqualTo(first + "T00:00:00Z");
    assertThat(usage.getString("periodEnd")).isEqualTo(first.plusMonths(1) + "T00:00:00Z");
  }

  @Test
  void windowBoundariesAreExactToTheMicrosecond() throws Exception {
    Seed account = Seed.signUp(engine, "boundaries");
    // one window starting mid-day, one starting exactly at midnight
    for (OffsetDateTime at : new OffsetDateTime[] {
        OffsetDateTime.parse("2026-03-10T15:30:00Z"), OffsetDateTime.parse("2026-03-10T00:00:00Z")}) {
      Seed fresh = Seed.signUp(engine, "boundaries");
      for (Duration window : UsageStore.WINDOWS) {
        OffsetDateTime start = at.minus(window);
        fresh.messages(start, start.plusNanos(1000));
        fresh.calls(start, start.plusNanos(1000));
      }
      fresh.messages(at);
      UsageStore.Summary summary = UsageStore.summary(engine.engine.pool(), fresh.accountId, at)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      // (at - window, at]: a row exactly one window old is out, one microsecond younger is in;
      // a longer window also holds both rows seeded at each shorter window's start
      assertThat(summary.windows()).extracting(UsageStore.Window::messages)
          .containsExactly(2L, 4L, 6L);
      assertThat(summary.windows()).extracting(UsageStore.Window::calls)
          .containsExactly(1L, 3L, 5L);
      assertThat(summary.totalMessages()).isEqualTo(7);
    }
    assertThat(usage(account).getJsonObject("stats").getLong("totalMessages")).isZero();
  }

  @Test
  void dailySeriesIsZeroFilledOldestFirstInUtcDays() {
    Seed account = Seed.signUp(engine, "daily");
    LocalDate today = now().toLocalDate();
    account.messages(noon(today.minusDays(1)), noon(today.minusDays(3)),
        today.minusDays(3).atStartOfDay().atOffset(ZoneOffset.UTC),
        today.minusDays(29).atStartOfDay().atOffset(ZoneOffset.UTC),
        // the last microsecond of a day belongs to it, UTC, whatever the offset it was sent with
        today.minusDays(29).atTime(23, 59, 59, 999_999_000).atOffset(ZoneOffset.UTC)
            .withOffsetSameInstant(ZoneOffset.ofHours(-5)),
        noon(today.minusDays(30)));
    account.calls(noon(today.minusDays(3)));
    account.webhook("success", noon(today.minusDays(1)));

    JsonObject daily = api.get("/v1/usage/daily", account.key).json();
    assertThat(daily.getInteger("days")).isEqualTo(30);
    JsonArray data = daily.getJsonArray("data");
    assertThat(data).hasSize(30);
    for (int i = 0; i < 30; i++) {
      assertThat(data.getJsonObject(i).getString("date"))
          .isEqualTo(today.minusDays(29 - i).toString());
    }
    assertThat(data.getJsonObject(29 - 1)).isEqualTo(point(today.minusDays(1), 1, 0, 1));
    assertThat(data.getJsonObject(29 - 3)).isEqualTo(point(today.minusDays(3), 2, 1, 0));
    assertThat(data.getJsonObject(0)).isEqualTo(point(today.minusDays(29), 2, 0, 0));
    assertThat(data.getJsonObject(29)).isEqualTo(point(today, 0, 0, 0));
    long total = data.stream().mapToLong(p -> ((JsonObject) p).getLong("messages")).sum();
    assertThat(total).isEqualTo(5);

    JsonArray one = api.get("/v1/usage/daily?days=1", account.key).json().getJsonArray("data");
    assertThat(one).containsExactly(point(today, 0, 0, 0));
    assertThat(api.get("/v1/usage/daily?days=31", account.key).json().getJsonArray("data"))
        .hasSize(31).first().isEqualTo(point(today.minusDays(30), 1, 0, 0));
    assertThat(api.get("/v1/usage/daily?days=365", account.key).json().getJsonArray("data"))
        .hasSize(365);
    for (String bad : new String[] {"0", "366", "abc"}) {
      Api.Response refused = api.get("/v1/usage/daily?days=" + bad, account.key);
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
          .containsExactly("query", "days");
    }
  }

  /** A day's point; every seeded call of these series lasts 30 seconds, one started minute. */
  private static JsonObject point(LocalDate day, long messages, long calls, long webhooks) {
    return new JsonObject().put("date", day.toString()).put("messages", messages)
        .put("calls", calls).put("voiceMinutes", calls).put("webhooks", webhooks);
  }

  @Test
  void monthlySeriesRollsOverAtTheUtcMonthBoundary() {
    Seed account = Seed.signUp(engine, "monthly");
    LocalDate month = now().toLocalDate().withDayOfMonth(1);
    OffsetDateTime boundary = month.atStartOfDay().atOffset(ZoneOffset.UTC);
    account.messages(account.numberId, "outbound", boundary.minusNanos(1000), boundary,
        boundary.plusSeconds(1));
    account.messages(noon(month.minusMonths(13)));
    account.calls(boundary.minusSeconds(1));
    account.call(account.agentId, account.numberId, boundary, 61);
    account.webhook("failed", boundary.minusDays(40));

    JsonObject monthly = api.get("/v1/usage/monthly", account.key).json();
    assertThat(monthly.getInteger("months")).isEqualTo(6);
    JsonArray data = monthly.getJsonArray("data");
    assertThat(data).hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(data.getJsonObject(i).getString("month"))
          .isEqualTo(month.minusMonths(5 - i).toString().substring(0, 7));
    }
    // 61 seconds are two started minutes; the 30 seconds of the month before, one
    assertThat(data.getJsonObject(5)).isEqualTo(monthPoint(month, 2, 1, 2, 0));
    assertThat(data.getJsonObject(4)).isEqualTo(monthPoint(month.minusMonths(1), 1, 1, 1, 0));
    // 40 days before the 1st is in the month before last
    assertThat(data.getJsonObject(3)).isEqualTo(monthPoint(month.minusMonths(2), 0, 0, 0, 1));
    assertThat(data.getJsonObject(0)).isEqualTo(monthPoint(month.minusMonths(5), 0, 0, 0, 0));

    JsonArray two = api.get("/v1/usage/monthly?months=24", account.key).json().getJsonArray("data");
    assertThat(two).hasSize(24);
    assertThat(two.getJsonObject(23 - 13))
        .isEqualTo(monthPoint(month.minusMonths(13), 1, 0, 0, 0));
    assertThat(api.get("/v1/usage/monthly?months=25", account.key).status()).isEqualTo(422);
    assertThat(api.get("/v1/usage/monthly?months=0", account.key).status()).isEqualTo(422);

    // the billing period starts on the 1st: only this month's outbound messages and call time
    JsonObject period = usage(account).getJsonObject("period");
    assertThat(period.getLong("outboundMessages")).isEqualTo(2);
    assertThat(period.getLong("voiceSeconds")).isEqualTo(61);
    assertThat(period.getLong("voiceMinutes")).isEqualTo(2);
  }

  private String starterName(Seed account) {
    return api.get("/v1/agents/" + account.agentId, account.key).json().getString("name");
  }

  private static JsonObject monthPoint(LocalDate month, long messages, long calls,
      long voiceMinutes, long webhooks) {
    return new JsonObject().put("month", month.toString().substring(0, 7))
        .put("messages", messages).put("calls", calls).put("voiceMinutes", voiceMinutes)
        .put("webhooks", webhooks);
  }

  @Test
  void byNumberAndByAgentSplitTheCurrentPeriod() {
    Seed account = Seed.signUp(engine, "breakdown");
    JsonObject second = api.post("/v1/agents", account.key,
        new JsonObject().put("name", "Second")).json();
    String secondAgent = second.getString("id");
    String secondNumber = api.post("/v1/numbers", account.key,
        new JsonObject().put("agentId", secondAgent)).json().getString("id");
    OffsetDateTime t = now();
    OffsetDateTime lastMonth = t.toLocalDate().withDayOfMonth(1).atStartOfDay()
        .atOffset(ZoneOffset.UTC).minusSeconds(1);
    account.messages(account.numberId, "inbound", t.minusSeconds(5), t.minusSeconds(4),
        lastMonth);
    account.messages(account.numberId, "outbound", t.minusSeconds(3));
    account.messages(secondNumber, "outbound", t.minusSeconds(2));
    account.call(account.agentId, account.numberId, t.minusSeconds(100), 61);
    account.call(account.agentId, account.numberId, t.minusSeconds(50), 30);
    account.call(secondAgent, secondNumber, t.minusSeconds(40), 120);
    account.call(secondAgent, secondNumber, lastMonth, 600);
    // a web call: an agent but no number
    account.call(secondAgent, null, t.minusSeconds(30), 1);

    JsonObject byNumber = api.get("/v1/usage/by-number", account.key).json();
    assertThat(byNumber.getString("period")).isEqualTo("month");
    assertThat(byNumber.getJsonArray("data")).containsExactly(
        new JsonObject().put("numberId", account.numberId)
            .put("phoneNumber", api.get("/v1/numbers/" + account.numberId, account.key).json()
                .getString("phoneNumber"))
            .put("country", "US")
            .put("agentId", account.agentId).put("agentName", starterName(account))
            .put("status", "active")
            .put("messages", 3).put("outboundMessages", 1).put("calls", 2)
            .put("voiceSeconds", 91).put("voiceMinutes", 2),
        new JsonObject().put("numberId", secondNumber)
            .put("phoneNumber", api.get("/v1/numbers/" + secondNumber, account.key).json()
                .getString("phoneNumber"))
            .put("country", "US")
            .put("agentId", secondAgent).put("agentName", "Second").put("status", "active")
            .put("messages", 1).put("outboundMessages", 1).put("calls", 1)
            .put("voiceSeconds", 120).put("voiceMinutes", 2));

    JsonArray byAgent = api.get("/v1/usage/by-agent", account.key).json().getJsonArray("data");
    assertThat(byAgent).hasSize(2);
    // the SDK's AgentUsageItem (agentName, totalSeconds, isOrphan) beside the older names
    assertThat(byAgent.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("agentId", account.agentId).put("agentName", starterName(account))
        .put("name", starterName(account)).put("isOrphan", false).put("totalSeconds", 91)
        .put("messages", 3).put("outboundMessages", 1).put("calls", 2)
        .put("voiceSeconds", 91).put("voiceMinutes", 2));
    assertThat(byAgent.getJsonObject(1)).isEqualTo(new JsonObject()
        .put("agentId", secondAgent).put("agentName", "Second").put("name", "Second")
        .put("isOrphan", false).put("totalSeconds", 121)
        .put("messages", 1).put("outboundMessages", 1).put("calls", 2)
        .put("voiceSeconds", 121).put("voiceMinutes", 3));

    // a year holds last month too (unless this is January, when last month is last year)
    if (t.getMonthValue() > 1) {
      JsonObject year = api.get("/v1/usage/by-agent?period=year", account.key).json();
      assertThat(year.getString("periodStart")).isEqualTo(t.getYear() + "-01-01T00:00:00Z");
      assertThat(year.getJsonArray("data").getJsonObject(1).getLong("voiceSeconds"))
          .isEqualTo(721);
      assertThat(year.getJsonArray("data").getJsonObject(0).getLong("messages")).isEqualTo(4);
    }
    assertThat(api.get("/v1/usage/by-number?period=week", account.key).json()
        .getString("periodStart")).endsWith("T00:00:00Z");
    assertThat(api.get("/v1/usage/by-agent?period=decade", account.key).status())
        .isEqualTo(422);

    // released numbers with activity in the period stay listed; usage counts active numbers
    assertThat(api.delete("/v1/numbers/" + secondNumber, account.key).status()).isEqualTo(200);
    assertThat(api.get("/v1/usage/by-number", account.key).json().getJsonArray("data"))
        .extracting(n -> ((JsonObject) n).getString("status")).containsExactly("active", "released");
    assertThat(usage(account).getJsonObject("numbers").getLong("used")).isEqualTo(1);
  }

  @Test
  void countersFollowLaterChangesAndRemovals() {
    Seed account = Seed.signUp(engine, "changes");
    String helper = api.post("/v1/agents", account.key, new JsonObject().put("name", "Helper"))
        .json().getString("id");
    OffsetDateTime t = now();
    account.messages(t.minusMinutes(3), t.minusMinutes(2), t.minusMinutes(1));
    String call = account.call(helper, null, t.minusMinutes(5), 10);

    engine.sql("DELETE FROM messages WHERE account_id = ? AND created_at < ?", account.accountId,
        t.minusSeconds(90));
    engine.sql("UPDATE calls SET duration_seconds = 70 WHERE id = ?", call);
    JsonObject usage = usage(account);
    assertThat(usage.getJsonObject("stats").getLong("totalMessages")).isEqualTo(1);
    assertThat(usage.getJsonObject("stats").getLong("messagesLast24h")).isEqualTo(1);
    assertThat(usage.getJsonObject("period").getLong("voiceSeconds")).isEqualTo(70);

    // a deleted agent's calls stay counted for the account, as "Unassigned" work per agent
    assertThat(api.get("/v1/usage/by-agent", account.key).json().getJsonArray("data"))
        .extracting(a -> ((JsonObject) a).getString("agentId"))
        .containsExactly(account.agentId, helper);
    assertThat(api.delete("/v1/agents/" + helper, account.key).status()).isBetween(200, 204);
    assertThat(usage(account).getJsonObject("stats").getLong("totalCalls")).isEqualTo(1);
    assertThat(usage(account).getJsonObject("period").getLong("voiceSeconds")).isEqualTo(70);
    JsonArray byAgent = api.get("/v1/usage/by-agent", account.key).json().getJsonArray("data");
    assertThat(byAgent).extracting(a -> ((JsonObject) a).getString("agentId"))
        .containsExactly(account.agentId, null);
    JsonObject unassigned = byAgent.getJsonObject(1);
    assertThat(unassigned.getString("agentName")).isEqualTo("Unassigned");
    assertThat(unassigned.getBoolean("isOrphan")).isTrue();
    assertThat(unassigned.getLong("calls")).isEqualTo(1);
    assertThat(unassigned.getLong("totalSeconds")).isEqualTo(70);
    assertThat(byAgent.getJsonObject(0).getBoolean("isOrphan")).isFalse();
  }

  @Test
  void anAccountSeesOnlyItsOwnUsage() {
    Seed busy = Seed.signUp(engine, "busy");
    OffsetDateTime t = now();
    busy.messages(t.minusMinutes(1), t.minusDays(3));
    busy.calls(t.minusMinutes(1));
    busy.webhook("success", t.minusMinutes(1));
    Seed quiet = Seed.signUp(engine, "quiet");

    JsonObject stats = usage(quiet).getJsonObject("stats");
    assertThat(stats.fieldNames()).hasSize(11);
    stats.forEach(entry -> assertThat(((Number) entry.getValue()).longValue())
        .as(entry.getKey()).isZero());
    assertThat(api.get("/v1/usage/daily?days=7", quiet.key).json().getJsonArray("data"))
        .allMatch(p -> ((JsonObject) p).getLong("messages") == 0
            && ((JsonObject) p).getLong("calls") == 0 && ((JsonObject) p).getLong("webhooks") == 0);
    assertThat(api.get("/v1/usage/monthly", quiet.key).json().getJsonArray("data"))
        .allMatch(p -> ((JsonObject) p).getLong("messages") == 0);
    assertThat(api.get("/v1/usage/by-number", quiet.key).json().getJsonArray("data"))
        .extracting(n -> ((JsonObject) n).getString("numberId")).containsExactly(quiet.numberId);
    assertThat(api.get("/v1/usage/by-agent", quiet.key).json().getJsonArray("data"))
        .extracting(n -> ((JsonObject) n).getString("agentId")).containsExactly(quiet.agentId);
    assertThat(usage(busy).getJsonObject("stats").getLong("totalMessages")).isEqualTo(2);
    assertThat(api.get("/v1/usage", null).status()).isEqualTo(401);
  }
}
