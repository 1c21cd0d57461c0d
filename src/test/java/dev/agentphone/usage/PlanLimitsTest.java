package dev.agentphone.usage;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every plan limit refuses at its boundary and not before, on a small test plan. A plan minute
 * lasts one second here ({@code plans.minuteSeconds}), so the maximum call duration of 2 minutes
 * is reached in 2 seconds.
 */
class PlanLimitsTest {
  static TestEngine engine;
  static Api api;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of(
        "plans.catalog.starter.limits.numbers", 2,
        "plans.catalog.starter.limits.messagesPerMonth", 3,
        "plans.catalog.starter.limits.voiceMinutesPerMonth", 2,
        "plans.catalog.starter.limits.maxCallDurationMinutes", 2,
        "plans.minuteSeconds", 1)).start();
    api = engine.api;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static OffsetDateTime monthStart() {
    return OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).atStartOfDay()
        .atOffset(ZoneOffset.UTC);
  }

  private static Api.Response send(Seed account) {
    return api.post("/v1/messages", account.key, new JsonObject()
        .put("agent_id", account.agentId).put("to_number", "+12125550123").put("body", "Hi"));
  }

  private static Api.Response call(Seed account) {
    return api.post("/v1/calls", account.key, new JsonObject()
        .put("agentId", account.agentId).put("toNumber", "+14155550123"));
  }

  private static long outboundThisMonth(Seed account) {
    return (Long) engine.sql("SELECT count(*) AS n FROM messages WHERE account_id = ? "
        + "AND direction = 'outbound' AND created_at >= ?", account.accountId, monthStart())
        .get(0).get("n");
  }

  @Test
  void outboundMessagesStopAtTheMonthlyLimit() {
    Seed account = Seed.signUp(engine, "messages");
    // last month's sends and this month's inbound messages do not count
    account.messages(account.numberId, "outbound", monthStart().minusSeconds(1),
        monthStart().minusSeconds(2), monthStart().minusDays(3), monthStart().minusDays(4));
    account.messages(OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(2),
        OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(3));

    for (int i = 0; i < 3; i++) {
      Api.Response sent = send(account);
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    }
    Api.Response refused = send(account);
    assertThat(refused.status()).isEqualTo(429);
    assertThat((String) refused.detail()).contains("Monthly message limit reached")
        .contains("messagesPerMonth").contains("3")
        .contains(monthStart().plusMonths(1).toLocalDate() + "T00:00:00Z");
    assertThat(outboundThisMonth(account)).isEqualTo(3);
    JsonObject period = api.get("/v1/usage", account.key).json().getJsonObject("period");
    assertThat(period.getLong("outboundMessages")).isEqualTo(3);
    assertThat(period.getLong("messagesPerMonth")).isEqualTo(3);

    // another account's quota is its own
    assertThat(send(Seed.signUp(engine, "messages-other")).status()).isEqualTo(200);
  }

  @Test
  void racingSendsCannotPassTheMessageLimitTogether() {
    Seed account = Seed.signUp(engine, "messages-race");
    assertThat(send(account).status()).isEqualTo(200);
    List<CompletableFuture<Api.Response>> racing = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      racing.add(CompletableFuture.supplyAsync(() -> send(account)));
    }
    List<Integer> statuses = racing.stream().map(f -> f.join().status()).toList();
    assertThat(statuses).containsExactlyInAnyOrder(200, 200, 429, 429, 429);
    assertThat(outboundThisMonth(account)).isEqualTo(3);
  }

  @Test
  void newCallsAreRefusedOnceTheMonthsVoiceMinutesAreUsed() {
    OffsetDateTime recently = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(30);
    // one minute of two used (and last month's do not count): a call may start
    Seed under = Seed.signUp(engine, "minutes-under");
    under.call(under.agentId, under.numberId, recently, 1);
    under.call(under.agentId, under.numberId, monthStart().minusMinutes(5), 100);
    Api.Response placed = call(under);
    assertThat(placed.status()).as(placed.body()).isEqualTo(200);

    Seed spent = Seed.signUp(engine, "minutes-spent");
    spent.call(spent.agentId, spent.numberId, recently, 2);
    Api.Response refused = call(spent);
    assertThat(refused.status()).isEqualTo(429);
    assertThat((String) refused.detail()).contains("Monthly voice minute limit reached")
        .contains("voiceMinutesPerMonth").contains("allows 2");
    assertThat(engine.sql("SELECT count(*) AS n FROM calls WHERE account_id = ?",
        spent.accountId).get(0).get("n")).isEqualTo(1L);
    assertThat(api.post("/v1/calls/web", spent.key, new JsonObject()
        .put("agentId", spent.agentId)).status()).isEqualTo(429);
    poll(() -> !"in-progress".equals(api.get("/v1/calls/" + placed.json().getString("id"),
        under.key).json().getString("status")));
  }

  @Test
  void anInboundCallArrivingWithTheMinutesUsedIsEndedAtOnce() {
    Seed spent = Seed.signUp(engine, "minutes-inbound");
    spent.call(spent.agentId, spent.numberId, OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(30), 2);
    String number = api.get("/v1/numbers/" + spent.numberId, spent.key).json()
        .getString("phoneNumber");
    Api.Response dialed = api.post("/sandbox/calls", spent.key, new JsonObject()
        .put("from", "+14155550142").put("to", number));
    assertThat(dialed.status()).as(dialed.body()).isEqualTo(200);
    String callId = dialed.json().getString("callId");
    poll(() -> !"in-progress".equals(api.get("/v1/calls/" + callId, spent.key).json()
        .getString("status")));
    assertThat(api.get("/v1/calls/" + callId, spent.key).json().getString("disconnectionReason"))
        .isEqualTo("voice_minutes_limit_reached");
  }

  @Test
  void anInboundCallOverTheConcurrentCallLimitIsEndedAtOnceAndCostsNothing() {
    try (TestEngine one = TestEngine.builder().config(Map.of(
        "plans.catalog.starter.limits.concurrentCalls", 1)).start()) {
      Seed account = Seed.signUp(one, "concurrent-inbound");
      Api.Response placed = one.api.post("/v1/calls", account.key, new JsonObject()
          .put("agentId", account.agentId).put("toNumber", "+14155550123"));
      assertThat(placed.status()).as(placed.body()).isEqualTo(200);
      String number = one.api.get("/v1/numbers/" + account.numberId, account.key).json()
          .getString("phoneNumber");

      Api.Response dialed = one.api.post("/sandbox/calls", account.key, new JsonObject()
          .put("from", "+14155550143").put("to", number));
      assertThat(dialed.status()).as(dialed.body()).isEqualTo(200);
      String inbound = dialed.json().getString("callId");
      poll(() -> !"in-progress".equals(one.api.get("/v1/calls/" + inbound, account.key).json()
          .getString("status")));
      JsonObject refused = one.api.get("/v1/calls/" + inbound, account.key).json();
      assertThat(refused.getString("disconnectionReason"))
          .isEqualTo("concurrent_call_limit_reached");
      assertThat(refused.getInteger("durationSeconds")).isZero();
      assertThat(one.sql("SELECT count(*) AS n FROM events WHERE type = 'agent.call_ended' "
          + "AND data->>'callId' = ?", inbound).get(0).get("n")).isEqualTo(1L);
      // the call already going on is untouched, and still fills the account's one place
      assertThat(one.api.get("/v1/calls/" + placed.json().getString("id"), account.key).json()
          .getString("status")).isEqualTo("in-progress");
      assertThat(one.api.post("/v1/calls", account.key, new JsonObject()
          .put("agentId", account.agentId).put("toNumber", "+14155550124")).status())
          .isEqualTo(429);
    }
  }

  @Test
  void aLiveCallIsEndedAtTheMaximumDurationAndNotBefore() {
    Seed account = Seed.signUp(engine, "duration");
    Api.Response placed = call(account);
    assertThat(placed.status()).as(placed.body()).isEqualTo(200);
    String callId = placed.json().getString("id");
    poll(() -> !"in-progress".equals(api.get("/v1/calls/" + callId, account.key).json()
        .getString("status")));

    JsonObject ended = api.get("/v1/calls/" + callId, account.key).json();
    assertThat(ended.getString("status")).isEqualTo("completed");
    assertThat(ended.getString("disconnectionReason")).isEqualTo("max_duration_reached");
    // the plan allows 2 minutes of 1 second each: the call lasted at least that long
    assertThat(OffsetDateTime.parse(ended.getString("endedAt")))
        .isAfterOrEqualTo(OffsetDateTime.parse(ended.getString("startedAt")).plusSeconds(2));
    assertThat(ended.getInteger("durationSeconds")).isGreaterThanOrEqualTo(2);
    List<Map<String, Object>> event = engine.sql("SELECT data->>'disconnectionReason' AS reason "
        + "FROM events WHERE type = 'agent.call_ended' AND data->>'callId' = ?", callId);
    assertThat(event).hasSize(1);
    assertThat(event.get(0).get("reason")).isEqualTo("max_duration_reached");
    // its time counts against the month's minutes
    assertThat(api.get("/v1/usage", account.key).json().getJsonObject("period")
        .getLong("voiceSeconds")).isEqualTo(ended.getInteger("durationSeconds").longValue());
  }

  @Test
  void theNumbersLimitCountsActiveNumbersAsUsageReportsThem() {
    Seed account = Seed.signUp(engine, "numbers");
    assertThat(api.get("/v1/usage", account.key).json().getJsonObject("numbers"))
        .isEqualTo(new JsonObject().put("used", 1).put("limit", 2).put("remaining", 1));
    Api.Response bought = api.post("/v1/numbers", account.key, new JsonObject());
    assertThat(bought.status()).isEqualTo(200);
    assertThat(api.get("/v1/usage", account.key).json().getJsonObject("numbers"))
        .isEqualTo(new JsonObject().put("used", 2).put("limit", 2).put("remaining", 0));
    Api.Response refused = api.post("/v1/numbers", account.key, new JsonObject());
    assertThat(refused.status()).isEqualTo(403);
    assertThat((String) refused.detail()).contains("numbers limit").contains("2");

    // releasing one frees its place
    assertThat(api.delete("/v1/numbers/" + bought.json().getString("id"), account.key).status())
        .isEqualTo(200);
    assertThat(api.get("/v1/usage", account.key).json().getJsonObject("numbers")
        .getLong("used")).isEqualTo(1);
    assertThat(api.post("/v1/numbers", account.key, new JsonObject()).status()).isEqualTo(200);
  }
}
