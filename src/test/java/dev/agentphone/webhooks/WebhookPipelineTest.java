package dev.agentphone.webhooks;

import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst planned in batches whose attempts are recorded while the next batches are planned and
 * sent: a small room for requests, so that planning waits for room and recording overlaps it.
 */
class WebhookPipelineTest {
  static TestEngine server;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of(
        "webhooks.maxInFlight", 16,
        "webhooks.batchSize", 4,
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
  void everyDeliveryOfABurstIsSentOnceAndLoggedOnce() {
    Owner owner = owner("pipeline");
    // answers that take a while, so that a batch is still recording when the next goes out
    receiver.respond(hit -> new Receiver.Reply(200, Map.of(), "ok", 5));
    int n = 400;
    burst(owner, n);

    receiver.await(n, hit -> hit.path().equals(owner.path()), Duration.ofSeconds(60));
    awaitSettled(owner.accountId(), n);
    List<Map<String, Object>> deliveries = deliveries(owner.accountId());
    assertThat(deliveries).hasSize(n);
    Map<String, Long> sent = receiver.onPath(owner.path()).stream()
        .collect(Collectors.groupingBy(Receiver.Hit::id, Collectors.counting()));
    assertThat(sent).hasSize(n);
    for (Map<String, Object> delivery : deliveries) {
      String id = (String) delivery.get("id");
      assertThat(sent.get(id)).as("requests for %s", id).isEqualTo(1L);
      assertThat(delivery.get("status")).isEqualTo("success");
      assertThat(delivery.get("attempt_count")).isEqualTo(1);
      assertThat(((Number) delivery.get("logged")).intValue()).as("attempts logged for %s", id)
          .isEqualTo(1);
    }
    // each event made one delivery
    assertThat(server.sql("SELECT count(DISTINCT event_id) AS n FROM webhook_deliveries "
        + "WHERE account_id = ?", owner.accountId()).get(0).get("n")).isEqualTo((long) n);
  }

  @Test
  void aBatchOfAttemptsTheLogRefusesIsRecordedOneByOneWithoutADuplicate() {
    // one delivery in ten answers a body the log refuses: the batch it is in fails and its
    // attempts are written again one at a time, the refused one without its details
    server.sql("ALTER TABLE webhook_attempts ADD CONSTRAINT refuses_pipeline_marker "
        + "CHECK (response_body IS NULL OR response_body NOT LIKE '%refused-in-a-burst%')");
    try {
      Owner owner = owner("pipeline-refused");
      receiver.respond(hit -> hit.path().equals(owner.path())
          && Math.floorMod(hit.id().hashCode(), 10) == 0
          ? new Receiver.Reply(200, Map.of(), "refused-in-a-burst", 2)
          : new Receiver.Reply(200, Map.of(), "ok", 2));
      int n = 200;
      burst(owner, n);

      receiver.await(n, hit -> hit.path().equals(owner.path()), Duration.ofSeconds(60));
      awaitSettled(owner.accountId(), n);
      List<Map<String, Object>> deliveries = deliveries(owner.accountId());
      assertThat(deliveries).hasSize(n);
      int refused = 0;
      for (Map<String, Object> delivery : deliveries) {
        String id = (String) delivery.get("id");
        boolean refusedBody = Math.floorMod(id.hashCode(), 10) == 0;
        refused += refusedBody ? 1 : 0;
        assertThat(receiver.hits(hit -> id.equals(hit.id()))).as("requests for %s", id)
            .hasSize(1);
        assertThat(((Number) delivery.get("logged")).intValue()).as("attempts logged for %s", id)
            .isEqualTo(1);
        assertThat(delivery.get("status")).isEqualTo("success");
        assertThat(delivery.get("response_body")).isEqualTo(refusedBody ? null : "ok");
      }
      assertThat(refused).isPositive();
    } finally {
      server.sql("ALTER TABLE webhook_attempts DROP CONSTRAINT refuses_pipeline_marker");
    }
  }

  private record Owner(String accountId, String agentId, String path) {
  }

  private static Owner owner(String name) {
    JsonObject owner = server.signUp(name + "-" + System.nanoTime() + "@example.com");
    String path = "/" + name + "-" + System.nanoTime();
    server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", receiver.url(path)).put("contextLimit", 0));
    return new Owner(owner.getString("account_id"), owner.getString("agent_id"), path);
  }

  private static void burst(Owner owner, int n) {
    server.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
            + "SELECT 'evt_pipe_' || ? || '_' || g, ?, ?, 'agent.message', 'sms', "
            + "jsonb_build_object('messageId', 'msg_pipe_' || g, 'message', 'burst ' || g) "
            + "FROM generate_series(1, ?) g",
        owner.path(), owner.accountId(), owner.agentId(), n);
    server.sql("NOTIFY agentphone_events");
  }

  private static List<Map<String, Object>> deliveries(String accountId) {
    return server.sql("SELECT d.id, d.status, d.attempt_count, d.response_body, "
        + "(SELECT count(*) FROM webhook_attempts a WHERE a.delivery_id = d.id) AS logged "
        + "FROM webhook_deliveries d WHERE d.account_id = ?", accountId);
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
