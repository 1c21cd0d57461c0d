package dev.agentphone.cluster;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.LiveClient;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/** A live socket on node B watching and controlling a call whose session node A holds. */
class LiveCallClusterTest {
  @Test
  void aSubscriberOnBTakesOverAndSpeaksForTheAgentOfACallHeldByA() {
    Vertx clients = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(2, Map.of());
         RetellDriver toA = new RetellDriver(cluster.node(0));
         CustomerWebhook customer = new CustomerWebhook()) {
      TestEngine a = cluster.node(0);
      TestEngine b = cluster.node(1);
      JsonObject account = a.signUp("cluster-live-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      String agentId = account.getString("agent_id");
      a.api.patch("/v1/agents/" + agentId, key,
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
      a.api.post("/v1/agents/" + agentId + "/webhook", key,
          new JsonObject().put("url", customer.url()).put("timeout", 5));
      String rid = "rc_cluster_live_" + System.nanoTime();
      String number = account.getString("phone_number");
      assertThat(toA.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550166",
          number)).status()).isEqualTo(204);
      String callId = b.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
          .getString("id");

      try (RetellDriver.Socket socket = toA.connect(rid);
           LiveClient onB = LiveClient.open(clients, b, callId, key, null)) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        onB.awaitType("connected");

        assertThat(onB.command("takeover").getBoolean("ok")).isTrue();
        socket.update(transcript("user", "Hello from the caller"));
        assertThat(onB.awaitType("interim").getString("text")).isEqualTo("Hello from the caller");
        socket.responseRequired(1, transcript("user", "Hello from the caller"));
        onB.await(f -> "turn".equals(f.getString("type"))
            && "Hello from the caller".equals(f.getString("content")));
        assertThat(onB.command(new JsonObject().put("type", "say")
            .put("text", "Hello, you are talking to a person.")).getBoolean("ok")).isTrue();
        assertThat(socket.awaitResponse(1)).extracting(f -> f.getString("content"))
            .containsExactly("Hello, you are talking to a person.");
        onB.await(f -> "turn".equals(f.getString("type"))
            && "Hello, you are talking to a person.".equals(f.getString("content")));
        assertThat(customer.received).noneMatch(r -> r.body() != null
            && "agent.message".equals(r.body().getString("event")));

        assertThat(onB.command("end").getBoolean("ok")).isTrue();
        assertThat(socket.await(f -> f.getBoolean("end_call", false))
            .getString("response_type")).isEqualTo("response");
      }
      assertThat(a.sql("SELECT type FROM call_events WHERE call_id = ? "
          + "AND actor IS NOT NULL ORDER BY id", callId))
          .extracting(r -> r.get("type")).containsExactly("takeover", "say");
    } finally {
      clients.close();
    }
  }
}
