package dev.agentphone.cluster;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/** A node holding a live call dies; Retell reconnects to another node and the call goes on. */
class CallFailoverTest {
  @Test
  void aKilledNodesCallResumesOnTheNodeRetellReconnectsTo() throws Exception {
    try (CustomerWebhook customer = new CustomerWebhook();
         TestCluster cluster = new TestCluster(2, Map.of())) {
      TestEngine a = cluster.node(0);
      TestEngine b = cluster.node(1);
      JsonObject account = a.signUp("failover-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      String agentId = account.getString("agent_id");
      String number = account.getString("phone_number");
      a.api.patch("/v1/agents/" + agentId, key,
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
      a.api.post("/v1/agents/" + agentId + "/webhook", key,
          new JsonObject().put("url", customer.url()).put("timeout", 5));
      customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "Re: "
              + r.body().getJsonObject("data").getString("transcript")).encode()));

      String rid = "rc_failover_" + System.nanoTime();
      String callId;
      try (RetellDriver toA = new RetellDriver(a)) {
        assertThat(toA.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550188",
            number)).status()).isEqualTo(204);
        callId = b.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
            .getString("id");
        RetellDriver.Socket socket = toA.connect(rid);
        socket.await(f -> "config".equals(f.getString("response_type")));
        socket.responseRequired(1, transcript("user", "one"));
        assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo("Re: one");
        socket.update(transcript("user", "one", "agent", "Re: one", "user", "tw"));
        RetellDriver.poll(() -> a.sql("SELECT count(*) AS n FROM call_turns WHERE call_id = ?",
            callId).get(0).get("n").equals(2L));
        // node A dies with the call's socket and session on it
        a.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }

      try (RetellDriver toB = new RetellDriver(b);
           RetellDriver.Socket socket = toB.connect(rid)) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        socket.update(transcript("user", "one", "agent", "Re: one", "user", "two"));
        socket.responseRequired(2, transcript("user", "one", "agent", "Re: one", "user", "two"));
        assertThat(socket.awaitResponse(2).get(0).getString("content")).isEqualTo("Re: two");
        assertThat(toB.webhook("call_ended", RetellDriver.call(rid, "inbound", "+14155550188",
                number).put("end_timestamp", System.currentTimeMillis())
            .put("disconnection_reason", "user_hangup")
            .put("transcript_object", transcript("user", "one", "agent", "Re: one", "user",
                "two", "agent", "Re: two"))).status()).isEqualTo(204);
      }
      List<Map<String, Object>> turns = b.sql(
          "SELECT content FROM call_turns WHERE call_id = ? ORDER BY seq", callId);
      assertThat(turns).extracting(t -> t.get("content"))
          .containsExactly("one", "Re: one", "two", "Re: two");
      RetellDriver.poll(() -> "completed".equals(
          b.api.get("/v1/calls/" + callId, key).json().getString("status")));
    }
  }
}
