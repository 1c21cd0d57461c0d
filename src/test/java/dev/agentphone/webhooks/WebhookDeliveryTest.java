package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery through a real local receiver, with the retry schedule shrunk to milliseconds. */
class WebhookDeliveryTest {
  static TestEngine server;
  static Api api;
  static Receiver receiver;
  static final AtomicInteger PATHS = new AtomicInteger();

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of(
        "webhooks.retry.initialDelayMs", 30,
        "webhooks.retry.multiplier", 2,
        "webhooks.pollIntervalMs", 200,
        "webhooks.retry.maxRetryAfterMs", 10_000)).start();
    api = server.api;
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  /** A fresh account with an account webhook on a path of its own. */
  record Account(String key, String accountId, String agentId, String path, String secret) {
  }

  static Account account() {
    JsonObject owner = server.signUp("wh-" + System.nanoTime() + "@example.com");
    String path = "/hook-" + PATHS.incrementAndGet();
    JsonObject webhook = api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path))).json();
    return new Account(owner.getString("api_key"), owner.getString("account_id"),
        owner.getString("agent_id"), path, webhook.getString("secret"));
  }

  static String event(Account account, String text) {
    return Fixtures.recordEvent(server, account.accountId(), account.agentId(), "agent.message",
        "sms", null, Fixtures.smsData(text));
  }

  static Map<String, Object> deliveryOf(String eventId) {
    return Fixtures.awaitRow(server, row -> !"pending".equals(row.get("status")),
        "SELECT * FROM webhook_deliveries WHERE event_id = ?", eventId);
  }

  @Test
  void anEventArrivesAsTheDocumentedEnvelopeSignedBothWays() {
    Account account = account();
    JsonObject data = Fixtures.smsData("hello there");
    String eventId = Fixtures.recordEvent(server, account.accountId(), account.agentId(),
        "agent.message", "sms", null, data);

    Receiver.Hit hit = receiver.awaitPath(1, account.path()).get(0);
    JsonObject body = hit.json();
    assertThat(body.fieldNames()).containsExactly("event", "channel", "timestamp", "accountId",
        "agentId", "data", "conversationState", "recentHistory");
    assertThat(body.getString("event")).isEqualTo("agent.message");
    assertThat(body.getString("channel")).isEqualTo("sms");
    assertThat(body.getString("accountId")).isEqualTo(account.accountId());
    assertThat(body.getString("agentId")).isEqualTo(account.agentId());
    assertThat(body.getJsonObject("data")).isEqualTo(data);
    assertThat(body.getValue("conversationState")).isNull();
    assertThat(body.getJsonArray("recentHistory")).isEmpty();
    assertThat(dev.agentphone.platform.Times.parse(body.getString("timestamp"))).isNotNull();
    Fixtures.assertSigned(hit, account.secret());

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("success");
    assertThat(delivery.get("id")).isEqualTo(hit.id());
    assertThat((byte[]) delivery.get("body")).isEqualTo(hit.body());
    assertThat(hit.header("user-agent")).startsWith("AgentPhone-Webhooks");
  }

  @Test
  void anAgentsOwnWebhookReplacesTheAccountWebhookForThatAgentOnly() {
    Account account = account();
    String otherAgent = api.post("/v1/agents", account.key(), new JsonObject().put("name", "B"))
        .json().getString("id");
    String agentPath = "/agent-hook-" + PATHS.incrementAndGet();
    String agentSecret = api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
        new JsonObject().put("url", receiver.url(agentPath))).json().getString("secret");

    Fixtures.recordEvent(server, account.accountId(), account.agentId(), "agent.message", "sms",
        null, Fixtures.smsData("to the agent hook"));
    Fixtures.recordEvent(server, account.accountId(), otherAgent, "agent.message", "sms",
        null, Fixtures.smsData("to the account hook"));

    Receiver.Hit agentHit = receiver.awaitPath(1, agentPath).get(0);
    Receiver.Hit accountHit = receiver.awaitPath(1, account.path()).get(0);
    assertThat(agentHit.json().getJsonObject("data").getString("message")).isEqualTo("to the agent hook");
    assertThat(accountHit.json().getJsonObject("data").getString("message")).isEqualTo("to the account hook");
    assertThat(accountHit.json().getString("agentId")).isEqualTo(otherAgent);
    Fixtures.assertSigned(agentHit, agentSecret);
    Fixtures.assertSigned(accountHit, account.secret());
    Receiver.sleep(200);
    assertThat(receiver.onPath(agentPath)).hasSize(1);
    assertThat(receiver.onPath(account.path())).hasSize(1);
  }

  @Test
  void serverErrorsAreRetriedWithTheSameIdAndBytesUntilSuccess() {
    Account account = account();
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(hit -> hit.path().equals(account.path()) && calls.incrementAndGet() <= 2
        ? Receiver.Reply.status(500) : Receiver.Reply.ok());
    String eventId = event(account, "retry me");

    List<Receiver.Hit> hits = receiver.awaitPath(3, account.path());
    assertThat(hits).extracting(Receiver.Hit::id).containsOnly(hits.get(0).id());
    assertThat(hits.get(1).body()).isEqualTo(hits.get(0).body());
    assertThat(hits.get(2).body()).isEqualTo(hits.get(0).body());
    hits.forEach(hit -> Fixtures.assertSigned(hit, account.secret()));

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("success");
    assertThat(delivery.get("attempt_count")).isEqualTo(3);
    assertThat(server.sql("SELECT http_status, error_message FROM webhook_attempts "
        + "WHERE delivery_id = ? ORDER BY attempt", delivery.get("id")))
        .extracting(row -> row.get("http_status")).containsExactly(500, 500, 200);
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void sixFailedAttemptsMakeTheDeliveryFailedAndEveryAttemptIsLogged() {
    Account account = account();
    receiver.respond(hit -> hit.path().equals(account.path())
        ? new Receiver.Reply(503, Map.of(), "down for maintenance", 0) : Receiver.Reply.ok());
    String eventId = event(account, "never lands");

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("failed");
    assertThat(delivery.get("attempt_count")).isEqualTo(6);
    assertThat(receiver.onPath(account.path())).hasSize(6);
    assertThat(server.sql("SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?",
        delivery.get("id")).get(0).get("n")).isEqualTo(6L);

    JsonObject logged = api.get("/v1/webhooks/deliveries", account.key()).json()
        .getJsonArray("items").getJsonObject(0);
    assertThat(logged.getString("id")).isEqualTo(delivery.get("id"));
    assertThat(logged.getString("status")).isEqualTo("failed");
    assertThat(logged.getInteger("attemptCount")).isEqualTo(6);
    assertThat(logged.getInteger("httpStatus")).isEqualTo(503);
    assertThat(logged.getString("errorMessage")).isEqualTo("HTTP 503");
    assertThat(logged.getString("responseBody")).isEqualTo("down for maintenance");
    assertThat(logged.getString("nextRetryAt")).isNull();
    assertThat(logged.getString("lastAttemptAt")).isNotNull();
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void retryAfterOn429IsHonoured() {
    Account account = account();
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(hit -> hit.path().equals(account.path()) && calls.incrementAndGet() == 1
        ? new Receiver.Reply(429, Map.of("Retry-After", "1"), "slow down", 0) : Receiver.Reply.ok());
    event(account, "patience");

    List<Receiver.Hit> hits = receiver.awaitPath(2, account.path());
    long gapMs = (hits.get(1).receivedNanos() - hits.get(0).receivedNanos()) / 1_000_000;
    // the backoff alone would retry after ~30 ms; Retry-After asked for a second
    assertThat(gapMs).isGreaterThanOrEqualTo(950);
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void aResponseSlowerThanTheTimeoutIsRetried() {
    Account account = account();
    String path = "/slow-" + PATHS.incrementAndGet();
    api.post("/v1/webhooks", account.key(), new JsonObject().put("url", receiver.url(path))
        .put("timeout", 5));
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(hit -> hit.path().equals(path) && calls.incrementAndGet() == 1
        ? new Receiver.Reply(200, Map.of(), "too late", 6_500) : Receiver.Reply.ok());
    String eventId = event(account, "slow");

    List<Receiver.Hit> hits = receiver.await(2, h -> h.path().equals(path), Duration.ofSeconds(30));
    assertThat(hits.get(1).id()).isEqualTo(hits.get(0).id());
    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("success");
    assertThat(delivery.get("attempt_count")).isEqualTo(2);
    assertThat((String) server.sql("SELECT error_message FROM webhook_attempts WHERE delivery_id = ? "
        + "AND attempt = 1", delivery.get("id")).get(0).get("error_message")).containsIgnoringCase("timeout");
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void redirectsAreNotFollowed() {
    Account account = account();
    String elsewhere = "/elsewhere-" + PATHS.incrementAndGet();
    receiver.respond(hit -> hit.path().equals(account.path())
        ? new Receiver.Reply(302, Map.of("Location", receiver.url(elsewhere)), "", 0)
        : Receiver.Reply.ok());
    String eventId = event(account, "redirect");

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("failed");
    assertThat((String) delivery.get("error_message")).contains("302").contains("redirect not followed");
    assertThat(receiver.onPath(elsewhere)).isEmpty();
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void responseBodiesAreStoredTruncatedTo4Kb() {
    Account account = account();
    String large = "x".repeat(10_000);
    receiver.respond(hit -> hit.path().equals(account.path())
        ? new Receiver.Reply(200, Map.of(), large, 0) : Receiver.Reply.ok());
    String eventId = event(account, "chatty receiver");

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("success");
    assertThat((String) delivery.get("response_body")).isEqualTo(large.substring(0, 4096));
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void pendingDeliveriesOfADeletedWebhookFailInsteadOfRetrying() {
    Account account = account();
    receiver.respond(hit -> hit.path().equals(account.path())
        ? new Receiver.Reply(503, Map.of("Retry-After", "1"), "busy", 0) : Receiver.Reply.ok());
    String eventId = event(account, "orphan");
    Fixtures.awaitRow(server, row -> ((Integer) row.get("attempt_count")) == 1,
        "SELECT attempt_count FROM webhook_deliveries WHERE event_id = ?", eventId);
    assertThat(api.delete("/v1/webhooks", account.key()).status()).isEqualTo(200);

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("failed");
    assertThat(delivery.get("error_message")).isEqualTo("Webhook was deleted");
    assertThat(receiver.onPath(account.path())).hasSize(1);
    receiver.respond(hit -> Receiver.Reply.ok());
  }

  @Test
  void networkErrorsAreRecordedWithTheirMessage() {
    Account account = account();
    int closedPort = TestEngine.freePort();
    api.post("/v1/webhooks", account.key(), new JsonObject()
        .put("url", "http://127.0.0.1:" + closedPort + "/nobody-home"));
    String eventId = event(account, "into the void");

    Map<String, Object> delivery = deliveryOf(eventId);
    assertThat(delivery.get("status")).isEqualTo("failed");
    assertThat(delivery.get("http_status")).isNull();
    assertThat((String) delivery.get("error_message")).containsIgnoringCase("refused");
  }

  @Test
  void creatingDeliveriesIsIdempotentWhenAnEventIsProcessedAgain() {
    Account account = account();
    String eventId = event(account, "once");
    deliveryOf(eventId);
    // as if a node had died after creating the delivery but before marking the event
    server.sql("UPDATE events SET dispatched_at = NULL WHERE id = ?", eventId);
    String nextId = event(account, "twice");
    deliveryOf(nextId);
    Fixtures.awaitRow(server, row -> row.get("dispatched_at") != null,
        "SELECT dispatched_at FROM events WHERE id = ?", eventId);

    assertThat(server.sql("SELECT count(*) AS n FROM webhook_deliveries WHERE event_id = ?", eventId)
        .get(0).get("n")).isEqualTo(1L);
    assertThat(receiver.onPath(account.path())).hasSize(2);
  }

  @Test
  void eventsWithoutAnyWebhookAreSettledWithoutDelivery() {
    JsonObject owner = server.signUp("nohook-" + System.nanoTime() + "@example.com");
    String eventId = Fixtures.recordEvent(server, owner.getString("account_id"),
        owner.getString("agent_id"), "agent.message", "sms", null, Fixtures.smsData("x"));
    Fixtures.awaitRow(server, row -> row.get("dispatched_at") != null,
        "SELECT dispatched_at FROM events WHERE id = ?", eventId);
    assertThat(server.sql("SELECT * FROM webhook_deliveries WHERE event_id = ?", eventId)).isEmpty();
  }

  @Test
  void testSendsDeliverASignedSampleAndReportTheOutcome() {
    Account account = account();
    Api.Response sent = api.post("/v1/webhooks/test", account.key(), null);
    assertThat(sent.status()).isEqualTo(200);
    JsonObject outcome = sent.json();
    assertThat(outcome.getBoolean("success")).isTrue();
    assertThat(outcome.getInteger("statusCode")).isEqualTo(200);
    assertThat(outcome.getLong("responseMs")).isNotNull();
    assertThat(outcome.getValue("error")).isNull();
    Receiver.Hit hit = receiver.awaitPath(1, account.path()).get(0);
    Fixtures.assertSigned(hit, account.secret());
    JsonObject body = hit.json();
    assertThat(body.getString("event")).isEqualTo("agent.message");
    assertThat(body.getString("agentId")).isEqualTo(account.agentId());
    assertThat(body.getJsonObject("data").getString("message")).isNotBlank();
    assertThat(body.getJsonObject("data").getString("numberId")).startsWith("num_");

    receiver.respond(h -> h.path().equals(account.path()) ? Receiver.Reply.status(500) : Receiver.Reply.ok());
    JsonObject failed = api.post("/v1/webhooks/test", account.key(), null).json();
    assertThat(failed.getBoolean("success")).isFalse();
    assertThat(failed.getInteger("statusCode")).isEqualTo(500);
    assertThat(failed.getString("error")).isEqualTo("HTTP 500");
    receiver.respond(h -> Receiver.Reply.ok());

    String other = api.post("/v1/agents", account.key(), new JsonObject().put("name", "Other"))
        .json().getString("id");
    api.post("/v1/webhooks/test?agentId=" + other, account.key(), null);
    assertThat(receiver.awaitPath(3, account.path()).get(2).json().getString("agentId")).isEqualTo(other);
    assertThat(api.post("/v1/webhooks/test?agentId=agt_nope", account.key(), null).status()).isEqualTo(404);

    // the agent's own endpoint
    String agentPath = "/agent-test-" + PATHS.incrementAndGet();
    assertThat(api.post("/v1/agents/" + account.agentId() + "/webhook/test", account.key(), null)
        .status()).isEqualTo(404);
    String agentSecret = api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
        new JsonObject().put("url", receiver.url(agentPath))).json().getString("secret");
    JsonObject agentOutcome = api.post("/v1/agents/" + account.agentId() + "/webhook/test",
        account.key(), null).json();
    assertThat(agentOutcome.getBoolean("success")).isTrue();
    Fixtures.assertSigned(receiver.awaitPath(1, agentPath).get(0), agentSecret);

    String stranger = server.newKey();
    assertThat(api.post("/v1/webhooks/test", stranger, null).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + account.agentId() + "/webhook/test", stranger, null)
        .status()).isEqualTo(404);
  }

  @Test
  void deliveryLogPagesStatsAndIsolationBetweenAccounts() {
    Account account = account();
    receiver.respond(hit -> hit.path().equals(account.path())
        && "bad 1".equals(hit.json().getJsonObject("data").getString("message"))
        ? Receiver.Reply.status(500) : Receiver.Reply.ok());
    List<String> events = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(event(account, "good " + i));
    }
    events.add(event(account, "bad 1"));
    events.add(Fixtures.recordEvent(server, account.accountId(), account.agentId(),
        "agent.reaction", "imessage", null, new JsonObject().put("reactionType", "love")
            .put("messageId", "msg_reacted")));
    events.forEach(WebhookDeliveryTest::deliveryOf);
    receiver.respond(hit -> Receiver.Reply.ok());

    JsonObject page = api.get("/v1/webhooks/deliveries?limit=3&offset=0", account.key()).json();
    assertThat(page.getLong("total")).isEqualTo(7);
    assertThat(page.getInteger("limit")).isEqualTo(3);
    assertThat(page.getInteger("offset")).isZero();
    JsonArray first = page.getJsonArray("items");
    JsonArray rest = api.get("/v1/webhooks/deliveries?limit=5&offset=3", account.key()).json()
        .getJsonArray("items");
    assertThat(first).hasSize(3);
    assertThat(rest).hasSize(4);
    JsonObject item = first.getJsonObject(0);
    assertThat(item.fieldNames()).containsExactlyInAnyOrder("id", "messageId", "eventType",
        "channel", "status", "httpStatus", "errorMessage", "responseBody", "attemptCount",
        "lastAttemptAt", "nextRetryAt", "createdAt");
    assertThat(item.getString("eventType")).isEqualTo("agent.reaction");
    assertThat(item.getString("channel")).isEqualTo("imessage");
    assertThat(item.getString("messageId")).isEqualTo("msg_reacted");
    // the same page as the official MCP server reads it: data and hasMore beside items
    JsonArray summaries = page.getJsonArray("data");
    assertThat(summaries).hasSize(3);
    assertThat(page.getBoolean("hasMore")).isTrue();
    for (int i = 0; i < 3; i++) {
      JsonObject full = first.getJsonObject(i);
      JsonObject summary = summaries.getJsonObject(i);
      assertThat(summary.fieldNames()).containsExactlyInAnyOrder("id", "event", "success",
          "statusCode", "deliveredAt", "responseMs");
      assertThat(summary.getString("id")).isEqualTo(full.getString("id"));
      assertThat(summary.getString("event")).isEqualTo(full.getString("eventType"));
      assertThat(summary.getBoolean("success")).isEqualTo("success".equals(full.getString("status")));
      assertThat(summary.getInteger("statusCode")).isEqualTo(full.getInteger("httpStatus"));
      assertThat(summary.getString("deliveredAt")).isEqualTo(full.getString("lastAttemptAt"));
      assertThat(server.sql("SELECT duration_ms FROM webhook_attempts WHERE delivery_id = ? "
          + "ORDER BY attempt DESC LIMIT 1", full.getString("id")).get(0).get("duration_ms"))
          .isEqualTo(summary.getInteger("responseMs"));
    }
    assertThat(api.get("/v1/webhooks/deliveries?limit=5&offset=3", account.key()).json()
        .getBoolean("hasMore")).isFalse();
    assertThat(api.get("/v1/webhooks/deliveries?hours=1", account.key()).json().getLong("total"))
        .isEqualTo(7);
    assertThat(api.get("/v1/webhooks/deliveries?limit=101", account.key()).status()).isEqualTo(422);
    assertThat(api.get("/v1/webhooks/deliveries?hours=169", account.key()).status()).isEqualTo(422);

    JsonObject stats = api.get("/v1/webhooks/deliveries/stats?hours=24", account.key()).json();
    assertThat(stats.getLong("total")).isEqualTo(7);
    assertThat(stats.getLong("success")).isEqualTo(6);
    assertThat(stats.getLong("failed")).isEqualTo(1);
    assertThat(stats.getLong("pending")).isZero();
    assertThat(stats.getDouble("successRate")).isEqualTo(85.71);
    assertThat(stats.getJsonObject("byEventType").getJsonObject("agent.message"))
        .isEqualTo(new JsonObject().put("total", 6).put("success", 5).put("failed", 1).put("pending", 0));
    assertThat(stats.getJsonObject("byEventType").getJsonObject("agent.reaction").getLong("success"))
        .isEqualTo(1);
    JsonArray byHour = stats.getJsonArray("byHour");
    assertThat(byHour.stream().mapToLong(h -> ((JsonObject) h).getLong("total")).sum()).isEqualTo(7);
    assertThat(byHour.getJsonObject(0).getString("hour")).endsWith(":00:00Z");
    assertThat(api.get("/v1/webhooks/deliveries/stats?hours=0", account.key()).status()).isEqualTo(422);

    JsonObject allTime = api.get("/v1/webhooks/deliveries/all-time", account.key()).json();
    assertThat(allTime).isEqualTo(new JsonObject().put("total", 7).put("success", 6)
        .put("failed", 1).put("successRate", 85.71));

    // another account sees none of it
    String stranger = server.newKey();
    assertThat(api.get("/v1/webhooks/deliveries", stranger).json().getLong("total")).isZero();
    assertThat(api.get("/v1/webhooks/deliveries/stats", stranger).json().getLong("total")).isZero();
    assertThat(api.get("/v1/webhooks/deliveries/all-time", stranger).json().getLong("total")).isZero();
    assertThat(api.get("/v1/agents/" + account.agentId() + "/webhook/deliveries", stranger).status())
        .isEqualTo(404);
  }

  @Test
  void windowedViewsLeaveOutOlderDeliveriesWhileAllTimeCountsThem() {
    Account account = account();
    String old = event(account, "last week");
    String recent = event(account, "just now");
    server.sql("UPDATE webhook_deliveries SET created_at = now() - interval '30 hours' "
        + "WHERE id = ?", deliveryOf(old).get("id"));
    deliveryOf(recent);

    assertThat(api.get("/v1/webhooks/deliveries/stats?hours=24", account.key()).json()
        .getLong("total")).isEqualTo(1);
    assertThat(api.get("/v1/webhooks/deliveries/stats?hours=48", account.key()).json()
        .getLong("total")).isEqualTo(2);
    JsonObject lastDay = api.get("/v1/webhooks/deliveries?hours=24", account.key()).json();
    assertThat(lastDay.getLong("total")).isEqualTo(1);
    assertThat(lastDay.getJsonArray("items").getJsonObject(0).getString("id"))
        .isEqualTo(deliveryOf(recent).get("id"));
    assertThat(api.get("/v1/webhooks/deliveries", account.key()).json().getLong("total"))
        .isEqualTo(2);
    assertThat(api.get("/v1/webhooks/deliveries/all-time", account.key()).json().getLong("total"))
        .isEqualTo(2);
  }

  @Test
  void agentDeliveriesListWhatWentToTheAgentsOwnWebhook() {
    Account account = account();
    String agentPath = "/agent-log-" + PATHS.incrementAndGet();
    api.post("/v1/agents/" + account.agentId() + "/webhook", account.key(),
        new JsonObject().put("url", receiver.url(agentPath)));
    String viaAgent = event(account, "agent one");
    String otherAgent = api.post("/v1/agents", account.key(), new JsonObject().put("name", "C"))
        .json().getString("id");
    String viaAccount = Fixtures.recordEvent(server, account.accountId(), otherAgent,
        "agent.message", "sms", null, Fixtures.smsData("account one"));
    deliveryOf(viaAgent);
    deliveryOf(viaAccount);

    String path = "/v1/agents/" + account.agentId() + "/webhook/deliveries";
    String delivered = (String) deliveryOf(viaAgent).get("id");

    // the official TypeScript client types this log as a bare array, and gets one
    for (String[] sdk : new String[][] {{"X-Fern-SDK-Name", "agentphone"},
        {"User-Agent", "agentphone/1.0.17"}}) {
      JsonArray list = api.send("GET", path, account.key(), null, null, sdk).array();
      assertThat(list).hasSize(1);
      assertThat(list.getJsonObject(0).getString("status")).isEqualTo("success");
      assertThat(list.getJsonObject(0).getString("id")).isEqualTo(delivered);
    }
    // everyone else (the official MCP server among them) gets the page, in both of its forms
    JsonObject page = api.get(path + "?limit=10&hours=24", account.key()).json();
    assertThat(page.getLong("total")).isEqualTo(1);
    assertThat(page.getInteger("limit")).isEqualTo(10);
    assertThat(page.getJsonArray("items").getJsonObject(0).getString("id")).isEqualTo(delivered);
    JsonObject summary = page.getJsonArray("data").getJsonObject(0);
    assertThat(summary.getString("id")).isEqualTo(delivered);
    assertThat(summary.getString("event")).isEqualTo("agent.message");
    assertThat(summary.getBoolean("success")).isTrue();
    assertThat(summary.getInteger("statusCode")).isEqualTo(200);
    assertThat(summary.getInteger("responseMs")).isNotNull().isNotNegative();
    assertThat(page.getBoolean("hasMore")).isFalse();
    assertThat(api.get(path + "?hours=169", account.key()).status()).isEqualTo(422);

    JsonObject none = api.get("/v1/agents/" + otherAgent + "/webhook/deliveries", account.key())
        .json();
    assertThat(none.getJsonArray("items")).isEmpty();
    assertThat(none.getJsonArray("data")).isEmpty();
    assertThat(none.getLong("total")).isZero();
    server.sql("UPDATE webhook_deliveries SET created_at = now() - interval '2 hours' "
        + "WHERE id = ?", delivered);
    assertThat(api.get(path + "?hours=1", account.key()).json().getLong("total")).isZero();
  }
}
