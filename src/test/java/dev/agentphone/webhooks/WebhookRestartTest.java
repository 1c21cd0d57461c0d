package dev.agentphone.webhooks;

import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Deliveries survive the server: stopped with work outstanding, restarted, nothing is lost. */
class WebhookRestartTest {
  /** Retries far enough apart that the first server cannot use up the attempts before it stops. */
  static final Map<String, Object> SETTINGS = Map.of(
      "webhooks.retry.initialDelayMs", 1_500,
      "webhooks.retry.multiplier", 1,
      "webhooks.pollIntervalMs", 200);

  @Test
  void everyDeliveryArrivesAfterARestartWithItsOriginalWebhookId() {
    String database = TestDatabase.fresh();
    try (Receiver receiver = new Receiver()) {
      receiver.respond(hit -> Receiver.Reply.status(503));
      TestEngine first = TestEngine.builder().database(database).config(SETTINGS).start();
      String accountId;
      String agentId;
      List<String> attempted = new ArrayList<>();
      Map<String, String> idByEvent = new HashMap<>();
      try {
        JsonObject owner = first.signUp("restart-" + System.nanoTime() + "@example.com");
        accountId = owner.getString("account_id");
        agentId = owner.getString("agent_id");
        first.api.post("/v1/webhooks", owner.getString("api_key"),
            new JsonObject().put("url", receiver.url("/restart")));
        for (int i = 0; i < 20; i++) {
          attempted.add(Fixtures.recordEvent(first, accountId, agentId, "agent.message", "sms",
              null, Fixtures.smsData("before " + i)));
        }
        // every delivery exists and was tried once, and refused, before the server stops
        receiver.await(20, hit -> true);
        Fixtures.awaitRow(first, row -> ((Long) row.get("n")) == 20,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE attempt_count >= 1");
        for (Map<String, Object> row : first.sql("SELECT event_id, id FROM webhook_deliveries")) {
          idByEvent.put((String) row.get("event_id"), (String) row.get("id"));
        }
      } finally {
        first.close();
      }
      Set<String> idsSeenBefore = new HashSet<>();
      receiver.hits(hit -> true).forEach(hit -> idsSeenBefore.add(hit.id()));
      assertThat(idsSeenBefore).containsExactlyInAnyOrderElementsOf(idByEvent.values());

      // events accepted while no server runs (as another node would have committed them)
      List<String> accepted = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "evt_offline_" + i;
        TestDatabase.sql(database, "INSERT INTO events (id, account_id, agent_id, type, channel, "
                + "data) VALUES (?, ?, ?, 'agent.message', 'sms', ?::jsonb)", id, accountId,
            agentId, Fixtures.smsData("while down " + i).encode());
        accepted.add(id);
      }
      receiver.respond(hit -> Receiver.Reply.ok());

      TestEngine second = TestEngine.builder().database(database).config(SETTINGS).start();
      try {
        Fixtures.awaitRow(second, row -> ((Long) row.get("n")) == 30,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'success'");
        Map<String, Receiver.Hit> successByMessage = new HashMap<>();
        for (Receiver.Hit hit : receiver.hits(hit -> true)) {
          successByMessage.put(hit.json().getJsonObject("data").getString("message"), hit);
        }
        for (int i = 0; i < 20; i++) {
          assertThat(successByMessage).containsKey("before " + i);
        }
        for (int i = 0; i < 10; i++) {
          assertThat(successByMessage).containsKey("while down " + i);
        }
        for (String eventId : attempted) {
          String originalId = idByEvent.get(eventId);
          List<Receiver.Hit> sameDelivery = receiver.hits(hit -> hit.id().equals(originalId));
          // the last attempt (after the restart) carries the id the first one had
          assertThat(sameDelivery).hasSizeGreaterThanOrEqualTo(2);
          assertThat(sameDelivery.get(sameDelivery.size() - 1).body())
              .isEqualTo(sameDelivery.get(0).body());
        }
        assertThat(second.sql("SELECT count(*) AS n FROM webhook_deliveries").get(0).get("n"))
            .isEqualTo(30L);
        assertThat(second.sql("SELECT count(*) AS n FROM events WHERE dispatched_at IS NULL")
            .get(0).get("n")).isEqualTo(0L);
        assertThat(accepted).allSatisfy(id -> assertThat(second.sql(
            "SELECT status FROM webhook_deliveries WHERE event_id = ?", id).get(0).get("status"))
            .isEqualTo("success"));
      } finally {
        second.close();
      }
    }
  }
}
