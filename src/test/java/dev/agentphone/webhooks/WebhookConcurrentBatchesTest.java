package dev.agentphone.webhooks;

import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several batches of each dispatch step in flight at once (planning, claiming, recording), fresh
 * deliveries leased to the sender by the transaction that creates them: still every event
 * delivered once, every attempt logged in order, and a lease of a node that died runs out.
 */
class WebhookConcurrentBatchesTest {
  static TestEngine server;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    // small batches and little room in flight: a burst needs many batches of every step at
    // once, and most fresh deliveries find the sender full and wait for a claim
    server = TestEngine.builder().config(Map.of(
        "webhooks.batchSize", 16,
        "webhooks.concurrentBatches", 4,
        "webhooks.maxInFlight", 40,
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
  void concurrentBatchesDeliverEveryEventOnceWithEachAttemptLoggedInOrder() {
    JsonObject owner = server.signUp("concurrent-" + System.nanoTime() + "@example.com");
    String accountId = owner.getString("account_id");
    String path = "/concurrent-" + System.nanoTime();
    server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path)).put("contextLimit", 0));
    // every seventh delivery is refused on its first attempt: retries run among the batches
    Set<String> refusedOnce = ConcurrentHashMap.newKeySet();
    receiver.respond(hit -> hit.path().equals(path) && Math.floorMod(hit.id().hashCode(), 7) == 0
        && refusedOnce.add(hit.id()) ? Receiver.Reply.status(500)
        : new Receiver.Reply(200, Map.of(), "ok", 5));
    int n = 600;
    server.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
            + "SELECT 'evt_conc_' || ? || '_' || g, ?, ?, 'agent.message', 'sms', "
            + "jsonb_build_object('messageId', 'msg_conc_' || g, 'message', 'm ' || g) "
            + "FROM generate_series(1, ?) g",
        path, accountId, owner.getString("agent_id"), n);
    server.sql("NOTIFY agentphone_events");

    receiver.await(n, hit -> hit.path().equals(path), Duration.ofSeconds(90));
    awaitSucceeded(accountId, n);

    List<Receiver.Hit> hits = receiver.onPath(path);
    Set<String> messages = new HashSet<>();
    hits.forEach(hit -> messages.add(hit.json().getJsonObject("data").getString("message")));
    assertThat(messages).as("every event delivered").hasSize(n);
    assertThat(hits).as("no delivery sent twice but the refused ones")
        .hasSize(n + refusedOnce.size());
    assertThat(refusedOnce).isNotEmpty();
    List<Map<String, Object>> deliveries = server.sql("SELECT d.id, d.attempt_count, "
        + "(SELECT string_agg(a.http_status::text, ',' ORDER BY a.attempt) "
        + "FROM webhook_attempts a WHERE a.delivery_id = d.id) AS statuses "
        + "FROM webhook_deliveries d WHERE d.account_id = ?", accountId);
    assertThat(deliveries).hasSize(n);
    for (Map<String, Object> delivery : deliveries) {
      boolean refused = refusedOnce.contains((String) delivery.get("id"));
      assertThat(delivery.get("statuses")).as((String) delivery.get("id"))
          .isEqualTo(refused ? "500,200" : "200");
      assertThat(delivery.get("attempt_count")).isEqualTo(refused ? 2 : 1);
    }
  }

  @Test
  void aDeliveryLeasedByANodeThatDiedIsSentOnceItsLeaseRunsOut() {
    JsonObject owner = server.signUp("lease-" + System.nanoTime() + "@example.com");
    String accountId = owner.getString("account_id");
    String path = "/lease-" + System.nanoTime();
    String webhookId = server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path)).put("contextLimit", 0))
        .json().getString("id");
    receiver.respond(hit -> Receiver.Reply.ok());
    // what the planner commits for a fresh delivery it leases to its own sender; the node then
    // dies before sending it
    String id = "whd_lease_" + System.nanoTime();
    server.sql("INSERT INTO webhook_deliveries (id, account_id, webhook_id, agent_webhook, "
            + "agent_id, event_id, event_type, channel, body, next_attempt_at) "
            + "VALUES (?, ?, ?, false, ?, ?, 'agent.message', 'sms', "
            + "convert_to('{\"event\":\"agent.message\"}', 'UTF8'), "
            + "now() + interval '3 seconds')",
        id, accountId, webhookId, owner.getString("agent_id"), "evt_" + id);

    // the fallback poll claims every 200 ms: nothing leased goes out before its lease ends
    Receiver.sleep(1_000);
    assertThat(receiver.onPath(path)).as("sent while still leased").isEmpty();

    List<Receiver.Hit> hits = receiver.awaitPath(1, path);
    assertThat(hits).extracting(Receiver.Hit::id).containsExactly(id);
    Fixtures.awaitRow(server, row -> "success".equals(row.get("status")),
        "SELECT status FROM webhook_deliveries WHERE id = ?", id);
    assertThat(server.sql("SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?", id)
        .get(0).get("n")).isEqualTo(1L);
  }

  private static void awaitSucceeded(String accountId, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
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
