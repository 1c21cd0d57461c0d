package dev.agentphone.cluster;

import dev.agentphone.support.Api;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.SseClient;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A call's session on one node, its transcript stream and its end on another, and a request
 * waiting on another node for the call to end.
 */
class VoiceClusterTest {
  @Test
  void turnsReachSubscribersOnOtherNodesAndTheEndTravelsToTheSession() throws Exception {
    Vertx clients = Vertx.vertx();
    try (TestCluster cluster = new TestCluster(2, Map.of());
         RetellDriver toA = new RetellDriver(cluster.node(0));
         RetellDriver toB = new RetellDriver(cluster.node(1))) {
      TestEngine a = cluster.node(0);
      TestEngine b = cluster.node(1);
      JsonObject account = a.signUp("cluster-voice-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      a.api.patch("/v1/agents/" + account.getString("agent_id"), key,
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
      String rid = "rc_cluster_" + System.nanoTime();
      String number = account.getString("phone_number");
      assertThat(toA.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550166",
          number)).status()).isEqualTo(204);
      String callId = b.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
          .getString("id");

      try (RetellDriver.Socket socket = toA.connect(rid);
           SseClient onB = SseClient.open(clients, b, callId, key, null)) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        onB.awaitEvent("connected");
        socket.update(transcript("user", "Hello from A", "agent", "Hi", "user", "mor"));
        RetellDriver.poll(() -> onB.turns().size() == 2);
        assertThat(onB.turns().get(0).json().getString("content")).isEqualTo("Hello from A");

        // B waits for the end, for less time than its keep-alive takes to look by itself: only
        // the end published across the cluster can answer it with the completed call
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(() ->
            b.api.get("/v1/calls/" + callId + "?wait=true&timeout=10", key));

        // Retell's call_ended lands on B; the session on A finalises the call
        JsonArray all = transcript("user", "Hello from A", "agent", "Hi", "user", "more");
        assertThat(toB.webhook("call_ended", RetellDriver.call(rid, "inbound", "+14155550166",
                number).put("end_timestamp", System.currentTimeMillis())
            .put("disconnection_reason", "user_hangup").put("transcript_object", all)).status())
            .isEqualTo(204);
        onB.awaitEvent("ended");
        assertThat(onB.turns()).extracting(SseClient.Event::id).containsExactly("0", "1", "2");
        RetellDriver.poll(socket::closed);
        Api.Response waited = waiting.get(30, TimeUnit.SECONDS);
        assertThat(waited.json().getString("status")).isEqualTo("completed");
        assertThat(waited.json().getJsonArray("transcripts")).hasSize(2);
      }
      assertThat(a.api.get("/v1/calls/" + callId, key).json().getString("status"))
          .isEqualTo("completed");
    } finally {
      clients.close();
    }
  }
}
