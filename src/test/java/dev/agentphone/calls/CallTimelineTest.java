package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.SseClient;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/calls/{id}/timeline} over the real wire: this test plays Retell (signed webhooks,
 * the custom-LLM socket) and the customer's webhook receiver, and reads back where each turn's
 * time went and what happened to the call.
 */
class CallTimelineTest {
  static final long WEBHOOK_WAIT_MS = 300;
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;
  static Vertx clients;
  static final AtomicInteger CALLS = new AtomicInteger();

  String key;
  String agentId;
  String number;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of("voice.maxTurnWaitMillis", 1500)).start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    clients.close();
    engine.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("timeline-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
    assertThat(engine.api.patch("/v1/agents/" + agentId, key, new JsonObject()
        .put("voiceMode", "webhook").putNull("beginMessage")
        .put("transferNumber", "+14155550100")).status()).isEqualTo(200);
    assertThat(engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5)).status()).isEqualTo(200);
    answerAfter(0, new JsonObject().put("text", "ok"));
  }

  /** The customer's webhook answers {@code answer} after waiting {@code millis}. */
  private static void answerAfter(long millis, JsonObject answer) {
    customer.answer(r -> {
      Runnable reply = () -> r.request().response().putHeader("Content-Type", "application/json")
          .end(answer.encode());
      if (millis == 0) {
        reply.run();
      } else {
        customer.vertx().setTimer(millis, t -> reply.run());
      }
    });
  }

  private String[] inbound() {
    String retellId = "rc_tl_" + System.nanoTime() + "_" + CALLS.incrementAndGet();
    assertThat(retell.webhook("call_started", RetellDriver.call(retellId, "inbound",
        "+14155550199", number).put("start_timestamp", System.currentTimeMillis())).status())
        .isEqualTo(204);
    String callId = engine.api.get("/v1/calls", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    return new String[] {retellId, callId};
  }

  private void end(String retellId) {
    assertThat(retell.webhook("call_ended", RetellDriver.call(retellId, "inbound",
            "+14155550199", number).put("call_status", "ended")
        .put("end_timestamp", System.currentTimeMillis())
        .put("disconnection_reason", "user_hangup")).status()).isEqualTo(204);
  }

  private JsonObject timeline(String callId) {
    Api.Response response = engine.api.get("/v1/calls/" + callId + "/timeline", key);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** The timeline once it shows {@code turns} turns (they are written after the answer). */
  private JsonObject timelineWith(String callId, int turns) {
    poll(() -> timeline(callId).getJsonArray("turns").size() >= turns);
    return timeline(callId);
  }

  private static List<String> eventTypes(JsonObject timeline) {
    return timeline.getJsonArray("events").stream()
        .map(e -> ((JsonObject) e).getString("type")).collect(Collectors.toList());
  }

  private static double span(JsonObject turn, String name) {
    return turn.getJsonArray("spans").stream().map(s -> (JsonObject) s)
        .filter(s -> name.equals(s.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + turn))
        .getDouble("offsetMs");
  }

  @Test
  void aSlowWebhooksTimeIsChargedToWebhookMsNotToEngineMs() {
    String[] call = inbound();
    answerAfter(WEBHOOK_WAIT_MS, new JsonObject().put("text", "We open at nine."));
    try (RetellDriver.Socket socket = retell.connect(call[0])) {
      socket.responseRequired(1, transcript("user", "When do you open?"));
      assertThat(socket.awaitResponse(1).get(0).getString("content"))
          .isEqualTo("We open at nine.");
      JsonObject turn = timelineWith(call[1], 1).getJsonArray("turns").getJsonObject(0);

      assertThat(turn.getInteger("responseId")).isEqualTo(1);
      assertThat(turn.getString("outcome")).isEqualTo("answered");
      assertThat(turn.getString("mode")).isEqualTo("webhook");
      // the receiver held its answer back 300 ms: all of that is the webhook's
      assertThat(turn.getDouble("webhookMs")).isGreaterThanOrEqualTo(WEBHOOK_WAIT_MS - 5.0);
      // and none of it the engine's: frame in to first frame out is the sum of the two
      double toFirstFrame = span(turn, "first_frame_out") - span(turn, "frame_received");
      assertThat(turn.getDouble("engineMs") + turn.getDouble("webhookMs"))
          .isLessThanOrEqualTo(toFirstFrame + 0.01);
      assertThat(toFirstFrame - turn.getDouble("webhookMs"))
          .isCloseTo(turn.getDouble("engineMs"), org.assertj.core.data.Offset.offset(0.01));

      List<String> order = List.of("frame_received", "webhook_sent", "webhook_first_byte",
          "webhook_last_byte", "first_frame_out", "complete", "stored");
      assertThat(turn.getJsonArray("spans").stream()
          .map(s -> ((JsonObject) s).getString("name"))).containsExactlyElementsOf(order);
      for (int i = 1; i < order.size(); i++) {
        assertThat(span(turn, order.get(i))).isGreaterThanOrEqualTo(span(turn, order.get(i - 1)));
      }
      assertThat(span(turn, "webhook_first_byte") - span(turn, "webhook_sent"))
          .isGreaterThanOrEqualTo(WEBHOOK_WAIT_MS - 5.0);
      assertThat(turn.getDouble("offsetMs")).isEqualTo(span(turn, "frame_received"));
    }
  }

  @Test
  void theCallsEventsAreRecordedFromStartToEnd() {
    String[] call = inbound();
    try (RetellDriver.Socket socket = retell.connect(call[0])) {
      socket.await(f -> "config".equals(f.getString("response_type")));
      answerAfter(0, new JsonObject().put("text", "Pressing one.").put("digits", "1"));
      socket.responseRequired(1, transcript("user", "Press one for me"));
      socket.await(f -> "1".equals(f.getString("digit_to_press")));
      answerAfter(0, new JsonObject().put("text", "Putting you through.")
          .put("action", "transfer"));
      socket.responseRequired(3, transcript("user", "Press one for me", "agent", "Pressing one.",
          "user", "Now a person please"));
      socket.await(f -> "+14155550100".equals(f.getString("transfer_number")));
      timelineWith(call[1], 2);
    }
    // as Retell does: the socket closes, then call_ended comes
    poll(() -> eventTypes(timeline(call[1])).contains("disconnected"));
    end(call[0]);
    poll(() -> eventTypes(timeline(call[1])).contains("ended"));
    JsonObject timeline = timeline(call[1]);

    assertThat(timeline.getString("callId")).isEqualTo(call[1]);
    assertThat(timeline.getString("status")).isEqualTo("completed");
    assertThat(timeline.getString("endedAt")).isNotNull();
    assertThat(eventTypes(timeline)).containsExactly("started", "connected", "dtmf",
        "transfer", "disconnected", "ended");
    JsonArray events = timeline.getJsonArray("events");
    assertThat(events.getJsonObject(0).getLong("offsetMs")).isZero();
    assertThat(events.getJsonObject(0).getString("at")).isEqualTo(timeline.getString("startedAt"));
    assertThat(events.getJsonObject(2).getJsonObject("data"))
        .isEqualTo(new JsonObject().put("digits", "1").put("responseId", 1));
    assertThat(events.getJsonObject(3).getJsonObject("data").getString("number"))
        .isEqualTo("+14155550100");
    assertThat(events.getJsonObject(5).getJsonObject("data").getString("reason"))
        .isEqualTo("user_hangup");
    long previous = -1;
    for (Object e : events) {
      long offset = ((JsonObject) e).getLong("offsetMs");
      assertThat(offset).isGreaterThanOrEqualTo(previous);
      previous = offset;
    }
    JsonArray turns = timeline.getJsonArray("turns");
    assertThat(turns.stream().map(t -> ((JsonObject) t).getInteger("responseId")))
        .containsExactly(1, 3);
  }

  @Test
  void aReconnectShowsOnTheTimelineAndTheTurnsCarryOn() {
    String[] call = inbound();
    try (RetellDriver.Socket socket = retell.connect(call[0])) {
      socket.responseRequired(1, transcript("user", "Hello"));
      socket.awaitResponse(1);
      timelineWith(call[1], 1);
    }
    poll(() -> eventTypes(timeline(call[1])).contains("disconnected"));
    try (RetellDriver.Socket again = retell.connect(call[0])) {
      again.responseRequired(3, transcript("user", "Hello", "agent", "ok", "user", "Still there?"));
      again.awaitResponse(3);
      JsonObject timeline = timelineWith(call[1], 2);
      assertThat(eventTypes(timeline)).containsExactly("started", "connected", "disconnected",
          "reconnected");
      JsonArray turns = timeline.getJsonArray("turns");
      assertThat(turns.getJsonObject(1).getInteger("responseId")).isEqualTo(3);
      assertThat(turns.getJsonObject(1).getString("outcome")).isEqualTo("answered");
      long reconnectedAt = timeline.getJsonArray("events").getJsonObject(3).getLong("offsetMs");
      assertThat(turns.getJsonObject(1).getDouble("offsetMs")).isGreaterThanOrEqualTo(
          reconnectedAt - 1.0);
    }
  }

  @Test
  void aTurnOvertakenByTheNextIsSupersededAndOneTheWebhookMissesFallsBack() {
    String[] call = inbound();
    customer.answer(r -> { }); // never answers
    try (RetellDriver.Socket socket = retell.connect(call[0])) {
      socket.responseRequired(1, transcript("user", "Hello"));
      poll(() -> !customer.received.isEmpty());
      socket.responseRequired(2, transcript("user", "Hello are you there"));
      socket.awaitResponse(2);
      JsonObject timeline = timelineWith(call[1], 2);
      JsonObject first = timeline.getJsonArray("turns").getJsonObject(0);
      JsonObject second = timeline.getJsonArray("turns").getJsonObject(1);
      assertThat(first.getString("outcome")).isEqualTo("superseded");
      assertThat(first.getValue("engineMs")).isNull();
      assertThat(second.getString("outcome")).isEqualTo("fallback");
      // waited for up to voice.maxTurnWaitMillis
      assertThat(second.getDouble("webhookMs")).isGreaterThanOrEqualTo(1400.0);
    }
  }

  @Test
  void anotherAccountsCallIsNotFound() {
    String[] call = inbound();
    String other = engine.signUp("timeline-other-" + System.nanoTime() + "@example.com")
        .getString("api_key");
    Api.Response foreign = engine.api.get("/v1/calls/" + call[1] + "/timeline", other);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.json().getString("detail")).isNotBlank();
    assertThat(engine.api.get("/v1/calls/call_nope/timeline", key).status()).isEqualTo(404);
    assertThat(engine.api.get("/v1/calls/" + call[1] + "/timeline", null).status())
        .isEqualTo(401);
  }

  @Test
  void metricsHaveTurnAndSseHistogramsByModeOnly() {
    String[] call = inbound();
    try (RetellDriver.Socket socket = retell.connect(call[0]);
         SseClient stream = SseClient.open(clients, engine, call[1], key, null)) {
      poll(() -> stream.events.stream().anyMatch(e -> "connected".equals(e.event())));
      socket.responseRequired(1, transcript("user", "Hi"));
      socket.awaitResponse(1);
      poll(() -> stream.events.stream().anyMatch(e -> "turn".equals(e.event())));
      timelineWith(call[1], 1);
    }
    String metrics = engine.api.get("/metrics", null).body();
    assertThat(metrics).contains("agentphone_voice_turn_engine_seconds_bucket{mode=\"webhook\"",
        "agentphone_voice_turn_webhook_seconds_count{mode=\"webhook\"}",
        "agentphone_sse_lag_seconds_count{stream=\"transcript\"}");
    assertThat(metrics.lines().filter(l -> l.startsWith("agentphone_"))
        .filter(l -> l.contains(agentId) || l.contains("account"))).isEmpty();
  }
}
