package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.SseClient;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/calls/{id}/transcript/stream} with real SSE clients. */
class TranscriptStreamTest {
  static TestEngine engine;
  static RetellDriver retell;
  static Vertx clients;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of("voice.sseHeartbeatMillis", 100)).start();
    retell = new RetellDriver(engine);
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    clients.close();
    retell.close();
    engine.close();
  }

  record Call(String key, String callId, String retellId, String number) {
  }

  private Call call() {
    JsonObject account = engine.signUp("sse-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    engine.api.patch("/v1/agents/" + account.getString("agent_id"), key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    String rid = "rc_sse_" + System.nanoTime();
    String number = account.getString("phone_number");
    assertThat(retell.webhook("call_started",
        RetellDriver.call(rid, "inbound", "+14155550177", number)).status()).isEqualTo(204);
    String callId = engine.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
        .getString("id");
    return new Call(key, callId, rid, number);
  }

  private static JsonArray utterances(int count) {
    JsonArray transcript = new JsonArray();
    for (int i = 0; i < count; i++) {
      transcript.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "agent")
          .put("content", "utterance " + i));
    }
    return transcript;
  }

  private void end(Call call, int turns) {
    JsonObject ended = RetellDriver.call(call.retellId(), "inbound", "+14155550177", call.number())
        .put("end_timestamp", System.currentTimeMillis())
        .put("disconnection_reason", "user_hangup")
        .put("transcript_object", utterances(turns));
    assertThat(retell.webhook("call_ended", ended).status()).isEqualTo(204);
  }

  @Test
  void subscribersJoiningMidCallSeeEveryTurnOnceInOrder() {
    Call call = call();
    int total = 80;
    List<SseClient> subscribers = new ArrayList<>();
    try (RetellDriver.Socket socket = retell.connect(call.retellId())) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      subscribers.add(SseClient.open(clients, engine, call.callId(), call.key(), null));
      for (int k = 2; k <= total; k++) {
        // each update makes the previous utterance final while subscribers keep joining
        socket.update(utterances(k));
        if (k % 10 == 0) {
          subscribers.add(SseClient.open(clients, engine, call.callId(), call.key(), null));
        }
      }
      poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ?", call.callId())
          .size() == total - 1);
    }
    end(call, total);
    subscribers.add(SseClient.open(clients, engine, call.callId(), call.key(), null));

    List<Integer> expected = IntStream.range(0, total).boxed().toList();
    for (SseClient subscriber : subscribers) {
      subscriber.awaitEvent("ended");
      assertThat(subscriber.events.get(0).event()).isEqualTo("connected");
      assertThat(subscriber.turns()).extracting(e -> Integer.parseInt(e.id()))
          .containsExactlyElementsOf(expected);
      assertThat(subscriber.turns()).extracting(e -> e.json().getString("content"))
          .allMatch(c -> c.startsWith("utterance "));
      assertThat(subscriber.events.get(subscriber.events.size() - 1).event()).isEqualTo("ended");
      poll(subscriber::ended);
      subscriber.close();
    }
  }

  @Test
  void subscribersLeavingDoNotStopTheOthersAndALaterOneStillGetsLiveTurns() {
    Call call = call();
    try (RetellDriver.Socket socket = retell.connect(call.retellId())) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      SseClient first = SseClient.open(clients, engine, call.callId(), call.key(), null);
      SseClient second = SseClient.open(clients, engine, call.callId(), call.key(), null);
      socket.update(utterances(2));
      poll(() -> first.turns().size() == 1 && second.turns().size() == 1);

      // the streams of one call share the call's subscription: one leaving keeps it for the other
      first.close();
      socket.update(utterances(3));
      poll(() -> second.turns().size() == 2);
      second.close();

      // and the last one leaving ends it, so a later stream subscribes afresh
      SseClient later = SseClient.open(clients, engine, call.callId(), call.key(), null);
      poll(() -> later.turns().size() == 2);
      socket.update(utterances(4));
      poll(() -> later.turns().size() == 3);
      assertThat(later.turns()).extracting(e -> Integer.parseInt(e.id())).containsExactly(0, 1, 2);
      assertThat(second.turns()).extracting(e -> Integer.parseInt(e.id())).containsExactly(0, 1);
      later.close();
    }
    end(call, 4);
  }

  @Test
  void anEndedCallReplaysThenEndsAndLastEventIdResumes() {
    Call call = call();
    end(call, 6);

    try (SseClient all = SseClient.open(clients, engine, call.callId(), call.key(), null)) {
      assertThat(all.status()).isEqualTo(200);
      assertThat(all.contentType()).startsWith("text/event-stream");
      JsonObject ended = all.awaitEvent("ended").json();
      assertThat(ended.getString("status")).isEqualTo("completed");
      assertThat(ended.containsKey("durationSeconds")).isTrue();
      JsonObject connected = all.events.get(0).json();
      assertThat(connected.getString("status")).isEqualTo("completed");
      assertThat(connected.getString("direction")).isEqualTo("inbound");
      assertThat(all.turns()).hasSize(6);
      JsonObject first = all.turns().get(0).json();
      assertThat(first.getString("role")).isEqualTo("user");
      assertThat(first.getString("content")).isEqualTo("utterance 0");
      poll(all::ended);
    }
    try (SseClient resumed = SseClient.open(clients, engine, call.callId(), call.key(), "3")) {
      resumed.awaitEvent("ended");
      assertThat(resumed.turns()).extracting(SseClient.Event::id).containsExactly("4", "5");
    }
  }

  /**
   * Live turns are written straight into each stream's connection, once for all subscribers. A
   * browser asks for a compressed response; its stream comes uncompressed (a compressor would
   * hold events back) and reads the same live turns, as they come, as a client that did not ask.
   */
  @Test
  void aClientThatAcceptsCompressionReadsTheSameLiveTurnsAsTheTurnsCome() {
    Call call = call();
    try (RetellDriver.Socket socket = retell.connect(call.retellId());
         SseClient plain = SseClient.open(clients, engine, call.callId(), call.key(), null);
         SseClient compressed = SseClient.openCompressed(clients, engine, call.callId(),
             call.key())) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      compressed.awaitEvent("connected");
      assertThat(compressed.contentEncoding).isNull();
      for (int k = 2; k <= 4; k++) {
        socket.update(utterances(k));
        int turns = k - 1;
        poll(() -> compressed.turns().size() == turns && plain.turns().size() == turns);
      }
      assertThat(compressed.turns()).extracting(e -> e.json().getString("content"))
          .containsExactly("utterance 0", "utterance 1", "utterance 2");
      assertThat(compressed.turns()).isEqualTo(plain.turns());
    }
  }

  @Test
  void aLiveStreamHeartbeatsAndEndsWhenTheCallEnds() {
    Call call = call();
    try (SseClient live = SseClient.open(clients, engine, call.callId(), call.key(), null)) {
      live.awaitEvent("connected");
      poll(() -> live.comments.contains("heartbeat"));
      assertThat(live.ended()).isFalse();
      end(call, 2);
      live.awaitEvent("ended");
      assertThat(live.turns()).hasSize(2);
      poll(live::ended);
    }
  }

  @Test
  void aNodeShuttingDownEndsItsStreamsAndTheyResumeOnAnotherNode() {
    try (TestEngine first = TestEngine.start();
         RetellDriver firstRetell = new RetellDriver(first)) {
      JsonObject account = first.signUp("shutdown-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      first.api.patch("/v1/agents/" + account.getString("agent_id"), key,
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
      String rid = "rc_down_" + System.nanoTime();
      firstRetell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550177",
          account.getString("phone_number")));
      String callId = first.api.get("/v1/calls", key).json().getJsonArray("data")
          .getJsonObject(0).getString("id");
      SseClient stream;
      try (RetellDriver.Socket socket = firstRetell.connect(rid)) {
        stream = SseClient.open(clients, first, callId, key, null);
        socket.update(utterances(4));
        poll(() -> stream.turns().size() == 3);
      }
      first.engine.stop().toCompletionStage().toCompletableFuture().join();
      poll(stream::ended);
      assertThat(stream.events).noneMatch(e -> "ended".equals(e.event()));
      assertThat(stream.retry).as("reconnect hint").isEqualTo("1000");
      String last = stream.turns().get(2).id();

      try (TestEngine second = TestEngine.builder().database(first.databaseUrl).start();
           SseClient resumed = SseClient.open(clients, second, callId, key, last)) {
        resumed.awaitEvent("connected");
        assertThat(resumed.events.get(0).json().getString("status")).isEqualTo("in-progress");
        assertThat(resumed.turns()).isEmpty();
      }
      stream.close();
    }
  }

  @Test
  void anotherAccountsCallStreamIs404() {
    Call call = call();
    String other = engine.newKey();
    Api.Response response = engine.api.get("/v1/calls/" + call.callId() + "/transcript/stream",
        other);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.detail()).isEqualTo("Call not found");
  }
}
