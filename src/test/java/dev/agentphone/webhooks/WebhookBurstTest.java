package dev.agentphone.webhooks;

import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of events committed at once: every attempt of every delivery is in the log. */
class WebhookBurstTest {
  static TestEngine server;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of(
        "webhooks.retry.initialDelayMs", 30,
        "webhooks.retry.multiplier", 2,
        "webhooks.pollIntervalMs", 200)).start();
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  @Test
  void everyAttemptOfABurstIsLoggedWithItsOutcome() {
    JsonObject owner = server.signUp("burst-" + System.nanoTime() + "@example.com");
    String path = "/burst-" + System.nanoTime();
    server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path)).put("contextLimit", 0));
    // every fifth delivery is refused on its first attempt, so the burst has retries too
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    receiver.respond(hit -> hit.path().equals(path) && hit.id().hashCode() % 5 == 0
        && refusedOnce.add(hit.id()) ? Receiver.Reply.status(500) : Receiver.Reply.ok());
    int n = 600;
    server.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
            + "SELECT 'evt_burst_' || ? || '_' || g, ?, ?, 'agent.message', 'sms', "
            + "jsonb_build_object('messageId', 'msg_burst_' || g, 'message', 'burst ' || g) "
            + "FROM generate_series(1, ?) g",
        path, owner.getString("account_id"), owner.getString("agent_id"), n);
    server.sql("NOTIFY agentphone_events");

    receiver.await(n, hit -> hit.path().equals(path), Duration.ofSeconds(60));
    awaitSettled(owner.getString("account_id"), n);

    List<Map<String, Object>> deliveries = server.sql("SELECT d.id, d.status, d.attempt_count, "
        + "d.http_status, (SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id) "
        + "AS logged, (SELECT string_agg(a.http_status::text, ',' ORDER BY a.attempt) "
        + "FROM webhook_attempts a WHERE a.delivery_id = d.id) AS statuses "
        + "FROM webhook_deliveries d WHERE d.account_id = ?", owner.getString("account_id"));
    assertThat(deliveries).hasSize(n);
    for (Map<String, Object> delivery : deliveries) {
      String id = (String) delivery.get("id");
      int received = (int) receiver.hits(hit -> id.equals(hit.id())).size();
      assertThat(delivery.get("status")).isEqualTo("success");
      assertThat(((Number) delivery.get("logged")).intValue()).as(id).isEqualTo(received)
          .isEqualTo(delivery.get("attempt_count"));
      assertThat(delivery.get("statuses"))
          .isEqualTo(refusedOnce.contains(id) ? "500,200" : "200");
    }
    assertThat(refusedOnce).isNotEmpty();
    Set<String> ids = deliveries.stream().map(row -> (String) row.get("id"))
        .collect(Collectors.toSet());
    assertThat(ids).containsAll(refusedOnce);
  }

  @Test
  void aBatchMixingAgentsSendsEachEventToItsOwnAgentsWebhookOrTheAccounts() {
    JsonObject owner = server.signUp("burst-mix-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String agent = owner.getString("agent_id");
    String other = server.api.post("/v1/agents", key, new JsonObject().put("name", "Other"))
        .json().getString("id");
    String accountPath = "/burst-account-" + System.nanoTime();
    String agentPath = "/burst-agent-" + System.nanoTime();
    server.api.post("/v1/webhooks", key,
        new JsonObject().put("url", receiver.url(accountPath)).put("contextLimit", 0));
    server.api.post("/v1/agents/" + agent + "/webhook", key,
        new JsonObject().put("url", receiver.url(agentPath)).put("contextLimit", 0));
    receiver.respond(hit -> Receiver.Reply.ok());
    // one statement, so the planner sees both agents' events in the same batches
    int n = 40;
    server.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
            + "SELECT 'evt_mix_' || ? || '_' || g, ?, CASE WHEN g % 2 = 0 THEN ? ELSE ? END, "
            + "'agent.message', 'sms', jsonb_build_object('messageId', 'msg_mix_' || g, "
            + "'message', CASE WHEN g % 2 = 0 THEN 'own' ELSE 'shared' END) "
            + "FROM generate_series(1, ?) g",
        agentPath, owner.getString("account_id"), agent, other, n);
    server.sql("NOTIFY agentphone_events");

    List<Receiver.Hit> own = receiver.await(n / 2, hit -> hit.path().equals(agentPath),
        Duration.ofSeconds(30));
    List<Receiver.Hit> shared = receiver.await(n / 2, hit -> hit.path().equals(accountPath),
        Duration.ofSeconds(30));
    assertThat(own).extracting(hit -> hit.json().getString("agentId")).containsOnly(agent);
    assertThat(own).extracting(hit -> hit.json().getJsonObject("data").getString("message"))
        .containsOnly("own");
    assertThat(shared).extracting(hit -> hit.json().getString("agentId")).containsOnly(other);
    assertThat(shared).extracting(hit -> hit.json().getJsonObject("data").getString("message"))
        .containsOnly("shared");
  }

  private static void awaitSettled(String accountId, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Object settled = server.sql("SELECT count(*) AS n FROM webhook_deliveries "
          + "WHERE account_id = ? AND status = 'success'", accountId).get(0).get("n");
      if (((Number) settled).intValue() == n) {
        return;
      }
      Receiver.sleep(50);
    }
    throw new AssertionError("the burst did not settle");
  }
}
