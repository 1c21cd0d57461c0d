package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.LiveClient;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /v1/calls/{id}/live} over real WebSockets, with Retell played on the LLM socket. */
class LiveCallSocketTest {
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;
  static Vertx clients;

  String key;
  String agentId;
  String number;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of("voice.sseHeartbeatMillis", 200)).start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    clients.close();
    retell.close();
    customer.close();
    engine.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("live-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    engine.api.patch("/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    assertThat(engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5)).status()).isEqualTo(200);
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "From the webhook.").encode()));
  }

  record Call(String id, String retellId) {
  }

  private Call inbound() {
    String rid = "rc_live_" + System.nanoTime();
    assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550177",
        number)).status()).isEqualTo(204);
    String id = engine.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
        .getString("id");
    return new Call(id, rid);
  }

  private void end(Call call, JsonArray said) {
    assertThat(retell.webhook("call_ended", RetellDriver.call(call.retellId(), "inbound",
            "+14155550177", number).put("end_timestamp", System.currentTimeMillis())
        .put("disconnection_reason", "user_hangup").put("transcript_object", said)).status())
        .isEqualTo(204);
  }

  private static JsonArray utterances(int count) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < count; i++) {
      out.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "agent")
          .put("content", "utterance " + i));
    }
    return out;
  }

  private List<JsonObject> agentMessages(String callId) {
    return customer.received.stream().map(CustomerWebhook.Received::body).filter(b -> b != null
        && "agent.message".equals(b.getString("event"))
        && callId.equals(b.getJsonObject("data").getString("callId"))).toList();
  }

  private static List<Integer> seqs(LiveClient client) {
    return client.ofType("turn").stream().map(f -> f.getInteger("seq")).toList();
  }

  @Test
  void replayThenLiveHasNeitherAGapNorADuplicateAndLastEventIdResumes() {
    Call call = inbound();
    int total = 40;
    List<LiveClient> all = new ArrayList<>();
    LiveClient resumed;
    try (RetellDriver.Socket socket = retell.connect(call.retellId())) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      for (int k = 2; k <= 10; k++) {
        socket.update(utterances(k));
      }
      poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ?", call.id()).size() == 9);
      resumed = LiveClient.open(clients, engine, call.id(), key, 4);
      for (int k = 11; k <= total; k++) {
        // subscribers keep joining while every update makes the previous utterance final
        socket.update(utterances(k));
        if (k % 8 == 0) {
          all.add(LiveClient.open(clients, engine, call.id(), key, null));
        }
      }
      poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ?", call.id()).size()
          == total - 1);
    }
    end(call, utterances(total));
    for (LiveClient client : all) {
      client.awaitType("ended");
      assertThat(client.frames.get(0).getString("type")).isEqualTo("connected");
      assertThat(seqs(client)).containsExactlyElementsOf(IntStream.range(0, total).boxed()
          .toList());
      assertThat(client.frames.get(client.frames.size() - 1).getString("type"))
          .isEqualTo("ended");
      poll(client::closed);
    }
    resumed.awaitType("ended");
    assertThat(seqs(resumed)).containsExactlyElementsOf(IntStream.range(5, total).boxed()
        .toList());
    JsonObject turn = resumed.ofType("turn").get(0);
    assertThat(turn.getString("id")).startsWith("turn_");
    assertThat(turn.getString("content")).isEqualTo("utterance 5");
  }

  @Test
  void interimWordsSpeakingWebhookTurnsAndSocketReconnectsStreamLive() {
    Call call = inbound();
    try (LiveClient live = LiveClient.open(clients, engine, call.id(), key, null)) {
      live.awaitType("connected");
      try (RetellDriver.Socket socket = retell.connect(call.retellId())) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        assertThat(live.awaitType("provider_socket").getString("state")).isEqualTo("connected");
        socket.update(transcript("user", "I would"));
        socket.update(transcript("user", "I would like a table"));
        live.await(f -> "interim".equals(f.getString("type"))
            && "I would like a table".equals(f.getString("text")));
        assertThat(live.ofType("interim")).extracting(f -> f.getString("text"))
            .containsExactly("I would", "I would like a table");
        assertThat(live.ofType("interim").get(0).getLong("ts")).isPositive();
        assertThat(live.ofType("turn")).isEmpty();

        socket.responseRequired(1, transcript("user", "I would like a table for two"));
        socket.awaitResponse(1);
        JsonObject started = live.awaitType("webhook_started");
        assertThat(started.getInteger("responseId")).isEqualTo(1);
        JsonObject answered = live.awaitType("webhook_answered");
        assertThat(answered.getBoolean("ok")).isTrue();
        assertThat(answered.getLong("webhookMs")).isNotNegative();
        live.await(f -> "turn".equals(f.getString("type"))
            && "From the webhook.".equals(f.getString("content")));

        socket.send(new JsonObject().put("interaction_type", "update_only").put("transcript",
            transcript("user", "I would like a table for two", "agent", "From the webhook."))
            .put("turntaking", "agent_turn"));
        assertThat(live.awaitType("agent_speaking").getString("state")).isEqualTo("started");
        socket.send(new JsonObject().put("interaction_type", "update_only").put("transcript",
            transcript("user", "I would like a table for two", "agent", "From the webhook."))
            .put("turntaking", "user_turn"));
        live.await(f -> "agent_speaking".equals(f.getString("type"))
            && "finished".equals(f.getString("state")));
      }
      live.await(f -> "provider_socket".equals(f.getString("type"))
          && "disconnected".equals(f.getString("state")));
      try (RetellDriver.Socket again = retell.connect(call.retellId())) {
        live.await(f -> "provider_socket".equals(f.getString("type"))
            && "reconnected".equals(f.getString("state")));
      }
      poll(() -> live.pings.get() > 0);
    }
  }

  /**
   * Live frames are written straight into each socket, once for all subscribers; a browser
   * offers permessage-deflate, and its socket must read the same frames as one that did not.
   */
  @Test
  void aSocketThatNegotiatedCompressionReadsTheSameLiveFrames() {
    Call call = inbound();
    String uri = "/v1/calls/" + call.id() + "/live";
    try (LiveClient plain = LiveClient.open(clients, engine, uri, key, false);
         LiveClient compressed = LiveClient.open(clients, engine, uri, key, true)) {
      assertThat(compressed.extensions).contains("permessage-deflate");
      assertThat(plain.extensions).isNull();
      plain.awaitType("connected");
      compressed.awaitType("connected");
      try (RetellDriver.Socket socket = retell.connect(call.retellId())) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        socket.update(transcript("user", "A table"));
        socket.responseRequired(1, transcript("user", "A table for two"));
        socket.awaitResponse(1);
        for (LiveClient live : List.of(plain, compressed)) {
          live.await(f -> "turn".equals(f.getString("type"))
              && "From the webhook.".equals(f.getString("content")));
        }
      }
      for (String type : List.of("interim", "webhook_started", "webhook_answered", "turn")) {
        assertThat(compressed.ofType(type)).as(type).isNotEmpty()
            .isEqualTo(plain.ofType(type));
      }
    }
  }

  @Test
  void eachCommandChangesTheCallAsRetellSeesIt() {
    Call call = inbound();
    try (RetellDriver.Socket socket = retell.connect(call.retellId());
         LiveClient live = LiveClient.open(clients, engine, call.id(), key, null)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      live.awaitType("connected");

      JsonObject said = live.command(new JsonObject().put("type", "say")
          .put("text", "Let me check that for you."));
      assertThat(said.getBoolean("ok")).isTrue();
      assertThat(said.getString("command")).isEqualTo("say");
      JsonObject interrupt = socket.await(f -> "agent_interrupt".equals(
          f.getString("response_type")) && !f.getString("content").isEmpty());
      assertThat(interrupt.getString("content")).isEqualTo("Let me check that for you.");
      live.await(f -> "turn".equals(f.getString("type")) && "agent".equals(f.getString("role"))
          && "Let me check that for you.".equals(f.getString("content")));

      assertThat(live.command(new JsonObject().put("type", "dtmf").put("digits", "12#"))
          .getBoolean("ok")).isTrue();
      assertThat(socket.await(f -> "12#".equals(f.getString("digit_to_press")))
          .getString("response_type")).isEqualTo("agent_interrupt");

      JsonObject badNumber = live.command(new JsonObject().put("type", "transfer")
          .put("number", "555-0100"));
      assertThat(badNumber.getBoolean("ok")).isFalse();
      assertThat(badNumber.getString("detail")).contains("E.164");
      JsonObject badDigits = live.command(new JsonObject().put("type", "dtmf").put("digits", "x"));
      assertThat(badDigits.getBoolean("ok")).isFalse();
      JsonObject unknown = live.command("dance");
      assertThat(unknown.getString("detail")).contains("Unknown command dance");
      live.sendText("not json");
      assertThat(live.await(f -> "ack".equals(f.getString("type")) && f.getString("command")
          == null).getString("detail")).contains("JSON object");

      assertThat(live.command(new JsonObject().put("type", "transfer")
          .put("number", "+14155550123")).getBoolean("ok")).isTrue();
      assertThat(socket.await(f -> "+14155550123".equals(f.getString("transfer_number")))
          .getString("response_type")).isEqualTo("agent_interrupt");

      assertThat(live.command("end").getBoolean("ok")).isTrue();
      assertThat(socket.await(f -> f.getBoolean("end_call", false))
          .getString("response_type")).isEqualTo("response");

      // Retell hangs up and says so: the call has ended, and commands are refused
      end(call, transcript("agent", "Let me check that for you."));
      live.awaitType("ended");
      JsonObject late = live.command(new JsonObject().put("type", "say").put("text", "Hello?"));
      assertThat(late.getBoolean("ok")).isFalse();
      assertThat(late.getString("detail")).isEqualTo("The call has ended");
    }
    List<Map<String, Object>> timeline = engine.sql("SELECT type FROM call_events "
        + "WHERE call_id = ? AND actor IS NOT NULL ORDER BY id", call.id());
    assertThat(timeline).extracting(r -> r.get("type")).containsExactly("say", "dtmf",
        "transfer");
  }

  @Test
  void aReadOnlyKeyWatchesTheCallButItsCommandsAreRefused() {
    Call call = inbound();
    String watcher = engine.api.post("/v1/api-keys", key, new JsonObject().put("name", "Wall")
        .put("scope", "read-only")).json().getString("key");
    try (RetellDriver.Socket socket = retell.connect(call.retellId());
         LiveClient live = LiveClient.open(clients, engine, call.id(), watcher, null)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      live.awaitType("connected");
      for (String type : List.of("takeover", "end")) {
        JsonObject refused = live.command(type);
        assertThat(refused.getBoolean("ok")).isFalse();
        assertThat(refused.getString("detail")).contains("read-only");
      }
      assertThat(engine.api.get("/v1/calls/" + call.id(), key).json().getString("status"))
          .isEqualTo("in-progress");
    }
  }

  @Test
  void aTakenOverCallAsksNoWebhookAndTheOperatorAnswersForTheAgent() {
    Call call = inbound();
    try (RetellDriver.Socket socket = retell.connect(call.retellId());
         LiveClient live = LiveClient.open(clients, engine, call.id(), key, null)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      assertThat(live.awaitType("connected").getValue("takenOver")).isNull();

      assertThat(live.command("release").getString("detail"))
          .isEqualTo("The call is not taken over");
      assertThat(live.command("takeover").getBoolean("ok")).isTrue();
      JsonObject takeover = live.awaitType("takeover");
      assertThat(takeover.getJsonObject("by").getString("via")).isEqualTo("key");
      assertThat(takeover.getJsonObject("by").getString("keyId")).isNotBlank();
      assertThat(live.command("takeover").getString("detail"))
          .startsWith("The call is already taken over");

      // the caller's turn streams, but nobody but the operator answers it
      socket.responseRequired(1, transcript("user", "Is anyone there?"));
      live.await(f -> "turn".equals(f.getString("type"))
          && "Is anyone there?".equals(f.getString("content")));
      try (LiveClient late = LiveClient.open(clients, engine, call.id(), key, null)) {
        assertThat(late.awaitType("connected").getJsonObject("takenOver")
            .getJsonObject("by").getString("via")).isEqualTo("key");
      }
      assertThat(live.command(new JsonObject().put("type", "say").put("text", "Yes, a person."))
          .getBoolean("ok")).isTrue();
      List<JsonObject> answer = socket.awaitResponse(1);
      assertThat(answer).extracting(f -> f.getString("content")).containsExactly("Yes, a person.");
      live.await(f -> "turn".equals(f.getString("type"))
          && "Yes, a person.".equals(f.getString("content")));
      assertThat(agentMessages(call.id())).isEmpty();

      assertThat(live.command("release").getBoolean("ok")).isTrue();
      socket.responseRequired(2, transcript("user", "Is anyone there?", "agent",
          "Yes, a person.", "user", "Thanks"));
      assertThat(socket.awaitResponse(2)).extracting(f -> f.getString("content"))
          .containsExactly("From the webhook.");
      assertThat(agentMessages(call.id())).hasSize(1);
      assertThat(agentMessages(call.id()).get(0).getJsonObject("data").getString("transcript"))
          .isEqualTo("Thanks");
    }
    end(call, transcript("user", "Is anyone there?", "agent", "Yes, a person.", "user",
        "Thanks", "agent", "From the webhook."));
    poll(() -> customer.received.stream().anyMatch(r -> r.body() != null
        && "agent.call_ended".equals(r.body().getString("event"))
        && call.id().equals(r.body().getJsonObject("data").getString("callId"))));
    JsonObject ended = customer.received.stream().map(CustomerWebhook.Received::body)
        .filter(b -> b != null && "agent.call_ended".equals(b.getString("event"))
            && call.id().equals(b.getJsonObject("data").getString("callId")))
        .findFirst().orElseThrow();
    JsonArray takeovers = ended.getJsonObject("data").getJsonArray("takeovers");
    assertThat(takeovers).hasSize(1);
    JsonObject one = takeovers.getJsonObject(0);
    assertThat(one.getJsonObject("by").getString("via")).isEqualTo("key");
    assertThat(one.getString("at")).isNotBlank();
    assertThat(one.getString("releasedAt")).isNotBlank();
  }

  @Test
  void aLiveTokenOpensOneSocketOfItsCallWithinItsMinute() {
    Call call = inbound();
    Call other = inbound();
    Api.Response issued = engine.api.post("/v1/calls/" + call.id() + "/live-token", key,
        new JsonObject());
    assertThat(issued.status()).isEqualTo(200);
    String token = issued.json().getString("token");
    assertThat(issued.json().getInteger("expiresInSeconds")).isEqualTo(60);
    String uri = "/v1/calls/" + call.id() + "/live?token=" + token;
    try (RetellDriver.Socket socket = retell.connect(call.retellId());
         LiveClient live = LiveClient.open(clients, engine, uri, null)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      live.awaitType("connected");
      assertThat(live.command("takeover").getBoolean("ok")).isTrue();
      assertThat(live.awaitType("takeover").getJsonObject("by").getString("via"))
          .isEqualTo("token");
    }
    assertThatThrownBy(() -> LiveClient.open(clients, engine, uri, null))
        .isInstanceOfSatisfying(RetellDriver.Refused.class, r -> assertThat(r.status)
            .isEqualTo(401));

    String forCall = engine.api.post("/v1/calls/" + call.id() + "/live-token", key,
        new JsonObject()).json().getString("token");
    assertThatThrownBy(() -> LiveClient.open(clients, engine, "/v1/calls/" + other.id()
        + "/live?token=" + forCall, null))
        .isInstanceOfSatisfying(RetellDriver.Refused.class, r -> assertThat(r.status)
            .isEqualTo(401));

    String expiring = engine.api.post("/v1/calls/" + call.id() + "/live-token", key,
        new JsonObject()).json().getString("token");
    engine.sql("UPDATE call_live_tokens SET expires_at = now() - interval '1 second' "
        + "WHERE call_id = ?", call.id());
    Api.Response expired = engine.api.get("/v1/calls/" + call.id() + "/live?token=" + expiring,
        null);
    assertThat(expired.status()).isEqualTo(401);
    assertThat(String.valueOf(expired.detail())).contains("expired");
  }

  @Test
  void anotherAccountsCallIs404BeforeTheUpgradeAndAPlainGetIs426() {
    Call call = inbound();
    String stranger = engine.newKey();
    assertThatThrownBy(() -> LiveClient.open(clients, engine, call.id(), stranger, null))
        .isInstanceOfSatisfying(RetellDriver.Refused.class, r -> assertThat(r.status)
            .isEqualTo(404));
    Api.Response token = engine.api.post("/v1/calls/" + call.id() + "/live-token", stranger,
        new JsonObject());
    assertThat(token.status()).isEqualTo(404);
    assertThat(token.detail()).isEqualTo("Call not found");
    assertThatThrownBy(() -> LiveClient.open(clients, engine, call.id(), null, null))
        .isInstanceOfSatisfying(RetellDriver.Refused.class, r -> assertThat(r.status)
            .isEqualTo(401));

    Api.Response plain = engine.api.get("/v1/calls/" + call.id() + "/live", key);
    assertThat(plain.status()).isEqualTo(426);
    assertThat(String.valueOf(plain.detail())).contains("WebSocket");
    assertThat(engine.api.get("/v1/calls/" + call.id() + "/live", stranger).status())
        .isEqualTo(404);
  }
}
