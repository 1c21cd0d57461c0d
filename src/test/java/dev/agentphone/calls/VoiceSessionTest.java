package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The call session over the real wire: this test plays Retell (signed webhooks, the custom-LLM
 * WebSocket as a client) and the customer's webhook receiver.
 */
class VoiceSessionTest {
  static final String FALLBACK = "Sorry, one moment please.";
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;
  static final AtomicInteger CALLS = new AtomicInteger();

  String key;
  String agentId;
  String number;
  String secret;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of("voice.maxTurnWaitMillis", 1500,
        "voice.fallbackMessage", FALLBACK)).start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    engine.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("voice-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    assertThat(engine.api.patch("/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage")).status())
        .isEqualTo(200);
    Api.Response hook = engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5));
    assertThat(hook.status()).isEqualTo(200);
    secret = hook.json().getString("secret");
    customer.received.clear();
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "ok").encode()));
  }

  /** An inbound call announced by {@code call_started}; answers our call id. */
  private String inbound(String retellId) {
    return inbound(retellId, System.currentTimeMillis());
  }

  private String inbound(String retellId, long startMillis) {
    Api.Response started = retell.webhook("call_started",
        RetellDriver.call(retellId, "inbound", "+14155550199", number)
            .put("start_timestamp", startMillis));
    assertThat(started.status()).isEqualTo(204);
    return engine.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0)
        .getString("id");
  }

  /**
   * The voice turns posted for {@code callId}; an earlier test's call may still have its
   * {@code agent.call_ended} delivered to the shared receiver meanwhile.
   */
  private static List<CustomerWebhook.Received> voiceMessages(String callId) {
    return customer.received.stream().filter(r -> "agent.message".equals(
            r.body().getString("event"))
        && callId.equals(r.body().getJsonObject("data").getString("callId"))).toList();
  }

  private static String retellId() {
    return "rc_" + System.nanoTime() + "_" + CALLS.incrementAndGet();
  }

  @Test
  void jsonAnswerIsSpokenAsOneCompleteResponseAndTheCallEndsOnce() throws Exception {
    String rid = retellId();
    long startedAt = System.currentTimeMillis() - 42_000;
    String callId = inbound(rid, startedAt);
    JsonObject call = engine.api.get("/v1/calls/" + callId, key).json();
    assertThat(call.getString("status")).isEqualTo("in-progress");
    assertThat(call.getString("direction")).isEqualTo("inbound");
    assertThat(call.getString("toNumber")).isEqualTo(number);

    try (RetellDriver.Socket socket = retell.connect(rid)) {
      JsonObject config = socket.await(f -> "config".equals(f.getString("response_type")));
      assertThat(config.getJsonObject("config").getBoolean("auto_reconnect")).isTrue();
      assertThat(config.getJsonObject("config").getBoolean("call_details")).isTrue();

      socket.send(new JsonObject().put("interaction_type", "ping_pong").put("timestamp", 42));
      assertThat(socket.await(f -> "ping_pong".equals(f.getString("response_type")))
          .getInteger("timestamp")).isEqualTo(42);

      customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "We open at nine.").encode()));
      socket.responseRequired(1, transcript("user", "When do you open?"));
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).getString("content")).isEqualTo("We open at nine.");
      assertThat(frames.get(0).getBoolean("end_call")).isFalse();
    }

    CustomerWebhook.Received post = voiceMessages(callId).get(0);
    assertThat(post.body().getString("event")).isEqualTo("agent.message");
    assertThat(post.body().getString("channel")).isEqualTo("voice");
    assertThat(post.body().getString("agentId")).isEqualTo(agentId);
    JsonObject data = post.body().getJsonObject("data");
    assertThat(data.getString("callId")).isEqualTo(callId);
    assertThat(data.getString("transcript")).isEqualTo("When do you open?");
    assertThat(data.getString("status")).isEqualTo("in-progress");
    assertThat(data.getString("from")).isEqualTo("+14155550199");
    assertThat(data.getString("direction")).isEqualTo("inbound");
    String timestamp = post.headers().get("x-webhook-timestamp");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(
        (timestamp + "." + post.body().encode()).getBytes(StandardCharsets.UTF_8)));
    assertThat(post.headers().get("x-webhook-signature")).isEqualTo(expected);

    // turns are stored just after they are spoken, never on the caller's critical path
    poll(() -> engine.api.get("/v1/calls/" + callId + "/transcript", key).json()
        .getJsonArray("transcripts").stream()
        .anyMatch(e -> ((JsonObject) e).getValue("response") != null));
    JsonArray entries = engine.api.get("/v1/calls/" + callId + "/transcript", key).json()
        .getJsonArray("transcripts");
    assertThat(entries).hasSize(1);
    assertThat(entries.getJsonObject(0).getString("transcript")).isEqualTo("When do you open?");
    assertThat(entries.getJsonObject(0).getString("response")).isEqualTo("We open at nine.");

    JsonObject ended = RetellDriver.call(rid, "inbound", "+14155550199", number)
        .put("call_status", "ended")
        .put("start_timestamp", startedAt)
        .put("end_timestamp", startedAt + 42_000)
        .put("disconnection_reason", "user_hangup")
        .put("transcript_object", transcript("user", "When do you open?",
            "agent", "We open at nine.", "user", "Thanks, bye."));
    assertThat(retell.webhook("call_ended", ended).status()).isEqualTo(204);
    assertThat(retell.webhook("call_ended", ended).status()).isEqualTo(204);
    assertThat(retell.webhook("call_analyzed", ended.copy().put("call_analysis", new JsonObject()
        .put("call_summary", "Asked for opening hours.").put("user_sentiment", "Positive")
        .put("call_successful", true))).status()).isEqualTo(204);

    JsonObject done = engine.api.get("/v1/calls/" + callId, key).json();
    assertThat(done.getString("status")).isEqualTo("completed");
    assertThat(done.getInteger("durationSeconds")).isEqualTo(42);
    assertThat(done.getString("disconnectionReason")).isEqualTo("user_hangup");
    assertThat(done.getString("lastTranscriptSnippet")).isEqualTo("Thanks, bye.");
    assertThat(done.getString("summary")).isEqualTo("Asked for opening hours.");
    assertThat(done.getJsonArray("transcripts")).hasSize(2);

    List<Map<String, Object>> events = engine.sql("SELECT data::text AS data FROM events "
        + "WHERE type = 'agent.call_ended' AND data->>'callId' = ?", callId);
    assertThat(events).hasSize(1);
    JsonObject event = new JsonObject((String) events.get(0).get("data"));
    assertThat(event.getString("status")).isEqualTo("completed");
    assertThat(event.getJsonArray("transcript")).hasSize(3);
    assertThat(event.getJsonArray("transcript").getJsonObject(2))
        .isEqualTo(new JsonObject().put("role", "user").put("content", "Thanks, bye."));
  }

  @Test
  void theGreetingIsResponseZeroAndTheFirstTurn() {
    engine.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("beginMessage", "Welcome!"));
    String rid = retellId();
    String callId = inbound(rid);
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      assertThat(socket.awaitResponse(0).get(0).getString("content")).isEqualTo("Welcome!");
    }
    poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ? AND seq = 0 "
        + "AND role = 'agent' AND content = 'Welcome!'", callId).size() == 1);
  }

  @Test
  void ndjsonAnswerIsStreamedChunkByChunk() {
    String rid = retellId();
    String callId = inbound(rid);
    AtomicBoolean firstSeen = new AtomicBoolean();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      customer.answer(r -> {
        var response = r.request().response().setChunked(true)
            .putHeader("Content-Type", "application/x-ndjson");
        response.write("{\"text\": \"Let me check.\", \"interim\": true}\n");
        // the final line is only written once the first one reached the caller
        customer.vertx().setPeriodic(10, t -> {
          if (firstSeen.get()) {
            customer.vertx().cancelTimer(t);
            response.end("{\"text\": \"We are open.\", \"hangup\": true}\n");
          }
        });
      });
      socket.responseRequired(3, transcript("agent", "Hello!", "user", "Are you open?"));
      JsonObject first = socket.await(f -> f.getInteger("response_id", -1) == 3);
      assertThat(first.getString("content")).isEqualTo("Let me check.");
      assertThat(first.getBoolean("content_complete")).isFalse();
      firstSeen.set(true);
      List<JsonObject> frames = socket.awaitResponse(3);
      assertThat(frames).hasSize(2);
      assertThat(frames.get(1).getString("content")).isEqualTo(" We are open.");
      assertThat(frames.get(1).getBoolean("end_call")).isTrue();
    }
    poll(() -> engine.sql("SELECT 1 FROM call_turns WHERE call_id = ? AND role = 'agent' "
        + "AND content = 'Let me check. We are open.'", callId).size() == 1);
  }

  @Test
  void aSupersededResponseIsAbandonedAtOnce() {
    String rid = retellId();
    String callId = inbound(rid);
    AtomicBoolean firstReset = new AtomicBoolean();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      customer.answer(r -> {
        if ("agent.message".equals(r.body().getString("event"))
            && r.body().getJsonObject("data").getString("transcript").equals("first")) {
          r.request().connection().closeHandler(v -> firstReset.set(true));
          return; // keeps the engine waiting
        }
        r.request().response().putHeader("Content-Type", "application/json")
            .end("{\"text\": \"Answer to second\"}");
      });
      socket.responseRequired(1, transcript("user", "first"));
      poll(() -> voiceMessages(callId).size() == 1);
      socket.responseRequired(2, transcript("user", "first", "user", "second"));
      List<JsonObject> frames = socket.awaitResponse(2);
      assertThat(frames.get(0).getString("content")).isEqualTo("Answer to second");
      poll(firstReset::get);
      assertThat(socket.responses(1)).isEmpty();
    }
  }

  @Test
  void aPingIsAnsweredAtOnceWhileATurnStillWaitsForTheWebhook() {
    String rid = retellId();
    String callId = inbound(rid);
    AtomicReference<HttpServerRequest> held = new AtomicReference<>();
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      customer.answer(r -> held.set(r.request())); // answered below, after the ping
      socket.responseRequired(1, transcript("user", "Are you there?"));
      poll(() -> held.get() != null && voiceMessages(callId).size() == 1);

      socket.send(new JsonObject().put("interaction_type", "ping_pong").put("timestamp", 7));
      JsonObject pong = socket.await(f -> "ping_pong".equals(f.getString("response_type")));
      assertThat(pong.getInteger("timestamp")).isEqualTo(7);
      assertThat(socket.responses(1)).as("the turn is still waiting for its webhook").isEmpty();

      held.get().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "Yes, here.").encode());
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames.get(0).getString("content")).isEqualTo("Yes, here.");
      assertThat(socket.frames.indexOf(pong)).isLessThan(socket.frames.indexOf(frames.get(0)));
    }
  }

  @Test
  void everyCallOfABusyNodeGetsItsOwnWebhookAnswer() {
    // sessions are spread over the node's event loops, each with its loop's webhook pool (the
    // plan allows this account 5 calls at once)
    customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Heard " + r.body().getJsonObject("data")
            .getString("transcript")).encode()));
    List<RetellDriver.Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        String rid = retellId();
        inbound(rid);
        sockets.add(retell.connect(rid));
      }
      for (int turn = 1; turn <= 2; turn++) {
        for (int i = 0; i < sockets.size(); i++) {
          sockets.get(i).responseRequired(turn, transcript("user", "call " + i + " turn " + turn));
        }
        for (int i = 0; i < sockets.size(); i++) {
          assertThat(sockets.get(i).awaitResponse(turn).get(0).getString("content"))
              .isEqualTo("Heard call " + i + " turn " + turn);
        }
      }
    } finally {
      sockets.forEach(RetellDriver.Socket::close);
    }
  }

  @Test
  void aSilentWebhookGetsASpokenFallbackNotADeadCall() {
    String rid = retellId();
    String callId = inbound(rid);
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      customer.answer(r -> { }); // never answers
      socket.responseRequired(1, transcript("user", "Hello?"));
      List<JsonObject> frames = socket.awaitResponse(1);
      assertThat(frames.get(frames.size() - 1).getString("content")).isEqualTo(FALLBACK);

      customer.answer(r -> r.request().response().setStatusCode(500).end("oops"));
      socket.responseRequired(2, transcript("user", "Hello?", "agent", FALLBACK, "user", "Hi?"));
      assertThat(socket.awaitResponse(2).get(0).getString("content")).isEqualTo(FALLBACK);

      customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end("[\"not\", \"an object\"]"));
      socket.responseRequired(3, transcript("user", "Hello?", "agent", FALLBACK, "user", "Hi?",
          "agent", FALLBACK, "user", "Anyone?"));
      JsonObject silence = socket.awaitResponse(3).get(0);
      assertThat(silence.getString("content")).isEmpty();
      assertThat(socket.closed()).isFalse();
    }
    assertThat(engine.api.get("/v1/calls/" + callId, key).json().getString("status"))
        .isEqualTo("in-progress");
  }

  @Test
  void unsignedWrongAndStaleWebhooksAre403() {
    String body = new JsonObject().put("event", "call_started").put("call",
        RetellDriver.call(retellId(), "inbound", "+14155550199", number)).encode();
    long now = System.currentTimeMillis();
    assertThat(engine.api.send("POST", "/webhooks/retell", null, body, "application/json")
        .status()).isEqualTo(403);
    assertThat(engine.api.send("POST", "/webhooks/retell", null, body, "application/json",
        "X-Retell-Signature", "v=" + now + ",d=" + "0".repeat(64)).status()).isEqualTo(403);
    String wrongKey = dev.agentphone.providers.retell.RetellSignature.sign("other-key", body, now);
    assertThat(engine.api.send("POST", "/webhooks/retell", null, body, "application/json",
        "X-Retell-Signature", wrongKey).status()).isEqualTo(403);
    long stale = now - 6 * 60_000;
    String old = dev.agentphone.providers.retell.RetellSignature.sign(
        RetellDriver.SANDBOX_KEY, body, stale);
    assertThat(engine.api.send("POST", "/webhooks/retell", null, body, "application/json",
        "X-Retell-Signature", old).status()).isEqualTo(403);
    String tampered = dev.agentphone.providers.retell.RetellSignature.sign(
        RetellDriver.SANDBOX_KEY, body, now);
    assertThat(engine.api.send("POST", "/webhooks/retell", null, body.replace("inbound", "outbound"),
        "application/json", "X-Retell-Signature", tampered).status()).isEqualTo(403);
    assertThat(engine.api.get("/v1/calls", key).json().getInteger("total")).isZero();
  }

  @Test
  void aSocketForACallNotSeenYetIsConfirmedWithRetellAndCreatedFromItsRecord() {
    String rid = retellId();
    // Retell knows the call (its call_started webhook has not arrived yet)
    retell.remember(RetellDriver.call(rid, "inbound", "+14155550111", number));
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      // what the socket itself says about the call is not believed
      socket.send(new JsonObject().put("interaction_type", "call_details").put("call",
          RetellDriver.call(rid, "inbound", "+19995550000", number)
              .put("start_timestamp", System.currentTimeMillis() - 3_600_000)));
      customer.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end("{\"text\": \"Found you.\"}"));
      socket.responseRequired(1, transcript("user", "Hi"));
      assertThat(socket.awaitResponse(1).get(0).getString("content")).isEqualTo("Found you.");
    }
    JsonObject call = engine.api.get("/v1/calls", key).json().getJsonArray("data").getJsonObject(0);
    assertThat(call.getString("fromNumber")).isEqualTo("+14155550111");
    assertThat(call.getString("direction")).isEqualTo("inbound");
    assertThat(java.time.OffsetDateTime.parse(call.getString("startedAt")))
        .isAfter(java.time.OffsetDateTime.now().minusMinutes(1));
  }

  @Test
  void endingALiveCallAsksRetellToHangUp() {
    String rid = retellId();
    String callId = inbound(rid);
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      assertThat(engine.api.post("/v1/calls/" + callId + "/end", key, null).status())
          .isEqualTo(200);
      assertThat(socket.await(f -> f.getBoolean("end_call", false))
          .getBoolean("content_complete")).isTrue();
    }
    String other = engine.newKey();
    assertThat(engine.api.post("/v1/calls/" + callId + "/end", other, null).status())
        .isEqualTo(404);
  }

  @Test
  void theAgentHangsUpWhenThePlansMaximumDurationPasses() {
    try (TestEngine limited = TestEngine.builder()
        .config("plans.catalog.starter.limits.maxCallDurationMinutes", 0.02).start();
         RetellDriver limitedRetell = new RetellDriver(limited)) {
      JsonObject account = limited.signUp("short-" + System.nanoTime() + "@example.com");
      limited.api.patch("/v1/agents/" + account.getString("agent_id"), account.getString("api_key"),
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
      String rid = retellId();
      limitedRetell.webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550199",
          account.getString("phone_number")));
      try (RetellDriver.Socket socket = limitedRetell.connect(rid)) {
        socket.await(f -> "config".equals(f.getString("response_type")));
        assertThat(socket.frames).noneMatch(f -> f.getBoolean("end_call", false));
        // 0.02 minutes = 1.2 s after the call started
        assertThat(socket.await(f -> f.getBoolean("end_call", false))
            .getString("response_type")).isEqualTo("response");
      }
    }
  }

  @Test
  void aReconnectToAnotherNodeKeepsEveryTurnExactlyOnce() {
    String rid = retellId();
    String callId = inbound(rid);
    customer.answer(r -> {
      String said = r.body().getJsonObject("data").getString("transcript");
      r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "Re: " + said).encode());
    });
    try (RetellDriver.Socket socket = retell.connect(rid)) {
      socket.responseRequired(1, transcript("user", "one"));
      socket.awaitResponse(1);
      socket.update(transcript("user", "one", "agent", "Re: one", "user", "tw"));
    }
    // the socket drops; Retell reconnects, this time to another node sharing the database
    try (TestEngine other = TestEngine.builder().database(engine.databaseUrl).start();
         RetellDriver otherRetell = new RetellDriver(other);
         RetellDriver.Socket socket = otherRetell.connect(rid)) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      socket.update(transcript("user", "one", "agent", "Re: one", "user", "two"));
      socket.responseRequired(2, transcript("user", "one", "agent", "Re: one", "user", "two"));
      assertThat(socket.awaitResponse(2).get(0).getString("content")).isEqualTo("Re: two");
      JsonObject ended = RetellDriver.call(rid, "inbound", "+14155550199", number)
          .put("end_timestamp", System.currentTimeMillis())
          .put("disconnection_reason", "user_hangup")
          .put("transcript_object", transcript("user", "one", "agent", "Re: one", "user", "two",
              "agent", "Re: two"));
      assertThat(otherRetell.webhook("call_ended", ended).status()).isEqualTo(204);
    }
    List<Map<String, Object>> turns = engine.sql(
        "SELECT seq, role, content FROM call_turns WHERE call_id = ? ORDER BY seq", callId);
    assertThat(turns).extracting(t -> t.get("content"))
        .containsExactly("one", "Re: one", "two", "Re: two");
  }
}
