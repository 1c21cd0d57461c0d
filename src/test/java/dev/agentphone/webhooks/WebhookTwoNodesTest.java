package dev.agentphone.webhooks;

import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Two engines on one database share the outbox: every event is delivered, once. */
class WebhookTwoNodesTest {
  static final int EVENTS = 400;

  @Test
  void nodesSplitTheWorkWithoutLosingOrDoublingADelivery() {
    String database = TestDatabase.fresh();
    try (Receiver receiver = new Receiver();
         TestEngine one = TestEngine.builder().database(database).start();
         TestEngine two = TestEngine.builder().database(database).start()) {
      JsonObject owner = one.signUp("nodes-" + System.nanoTime() + "@example.com");
      one.api.post("/v1/webhooks", owner.getString("api_key"),
          new JsonObject().put("url", receiver.url("/nodes")));
      one.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
              + "SELECT 'evt_nodes_' || g, ?, ?, 'agent.message', 'sms', "
              + "jsonb_build_object('messageId', 'msg_nodes_' || g, 'message', 'n ' || g) "
              + "FROM generate_series(1, ?) g",
          owner.getString("account_id"), owner.getString("agent_id"), EVENTS);
      one.sql("NOTIFY agentphone_events");

      Fixtures.awaitRow(two, row -> ((Long) row.get("n")) == EVENTS,
          "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'success'");
      List<Receiver.Hit> hits = receiver.onPath("/nodes");
      Set<String> ids = new HashSet<>();
      Set<String> messages = new HashSet<>();
      hits.forEach(hit -> {
        ids.add(hit.id());
        messages.add(hit.json().getJsonObject("data").getString("message"));
      });
      assertThat(hits).hasSize(EVENTS);
      assertThat(ids).hasSize(EVENTS);
      assertThat(messages).hasSize(EVENTS);
      assertThat(one.sql("SELECT count(*) AS n FROM webhook_attempts").get(0).get("n"))
          .isEqualTo((long) EVENTS);
    }
  }
}
