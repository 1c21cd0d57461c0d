package dev.agentphone.calls;

import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.poll;
import static dev.agentphone.support.RetellDriver.transcript;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spans a simulated call sends to OpenTelemetry, caught by the SDK's in-memory exporter
 * installed as the process's OpenTelemetry (what {@code OTEL_EXPORTER_OTLP_ENDPOINT} does with
 * an OTLP exporter): a {@code call} span, a {@code voice_turn} child per turn with the turn's
 * spans as events, and the webhook's request as the turn's {@code webhook} child.
 */
class CallTracingTest {
  static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  static OpenTelemetrySdk sdk;
  static TestEngine engine;
  static RetellDriver retell;
  static CustomerWebhook customer;

  @BeforeAll
  static void start() {
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build()).build();
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(sdk);
    engine = TestEngine.start();
    retell = new RetellDriver(engine);
    customer = new CustomerWebhook();
  }

  @AfterAll
  static void stop() {
    retell.close();
    customer.close();
    engine.close();
    GlobalOpenTelemetry.resetForTest();
    sdk.close();
  }

  @Test
  void aCallsTurnsAreSpansUnderTheCallsSpan() {
    JsonObject account = engine.signUp("tracing-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    String number = account.getString("phone_number");
    engine.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("voiceMode", "webhook")
        .putNull("beginMessage"));
    engine.api.post("/v1/agents/" + agentId + "/webhook", key,
        new JsonObject().put("url", customer.url()).put("timeout", 5));
    customer.answer(r -> customer.vertx().setTimer(100, t -> r.request().response()
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("text", "Hello from the webhook.").encode())));

    String retellId = "rc_trace_" + System.nanoTime();
    retell.webhook("call_started", RetellDriver.call(retellId, "inbound", "+14155550199", number)
        .put("start_timestamp", System.currentTimeMillis()));
    String callId = engine.api.get("/v1/calls", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    try (RetellDriver.Socket socket = retell.connect(retellId)) {
      socket.responseRequired(1, transcript("user", "Hi"));
      socket.awaitResponse(1);
      socket.responseRequired(3, transcript("user", "Hi", "agent", "Hello from the webhook.",
          "user", "Bye"));
      socket.awaitResponse(3);
      poll(() -> turns().size() == 2);
    }
    retell.webhook("call_ended", RetellDriver.call(retellId, "inbound", "+14155550199", number)
        .put("call_status", "ended").put("end_timestamp", System.currentTimeMillis())
        .put("disconnection_reason", "user_hangup"));
    poll(() -> named("call").stream().anyMatch(s -> callId.equals(
        s.getAttributes().get(AttributeKey.stringKey("agentphone.call_id")))));

    SpanData call = named("call").stream().filter(s -> callId.equals(
        s.getAttributes().get(AttributeKey.stringKey("agentphone.call_id")))).findFirst().get();
    assertThat(call.getAttributes().get(AttributeKey.stringKey("agentphone.mode")))
        .isEqualTo("webhook");
    assertThat(call.getEvents()).extracting(EventData::getName).contains("connected");

    List<SpanData> turns = turns();
    assertThat(turns).extracting(s -> s.getAttributes()
        .get(AttributeKey.longKey("agentphone.response_id"))).containsExactly(1L, 3L);
    for (SpanData turn : turns) {
      assertThat(turn.getTraceId()).isEqualTo(call.getTraceId());
      assertThat(turn.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(turn.getEvents()).extracting(EventData::getName).containsExactly(
          "frame_received", "webhook_sent", "webhook_first_byte", "webhook_last_byte",
          "first_frame_out", "complete", "stored");
      double webhookMs = turn.getAttributes().get(AttributeKey.doubleKey("agentphone.webhook_ms"));
      assertThat(webhookMs).isGreaterThanOrEqualTo(95.0);
      // the engine's time is its time to the first frame less the webhook's
      double engineMs = turn.getAttributes().get(AttributeKey.doubleKey("agentphone.engine_ms"));
      EventData firstFrame = turn.getEvents().get(4);
      assertThat(engineMs).isCloseTo((firstFrame.getEpochNanos() - turn.getStartEpochNanos())
          / 1e6 - webhookMs, org.assertj.core.data.Offset.offset(0.01));
      SpanData webhook = named("webhook").stream()
          .filter(s -> s.getParentSpanId().equals(turn.getSpanId())).findFirst().orElseThrow();
      assertThat(TimeUnit.NANOSECONDS.toMicros(webhook.getEndEpochNanos()
          - webhook.getStartEpochNanos()) / 1000.0).isCloseTo(webhookMs,
          org.assertj.core.data.Offset.offset(0.01));
      assertThat(webhook.getStartEpochNanos()).isGreaterThanOrEqualTo(turn.getStartEpochNanos());
      assertThat(webhook.getEndEpochNanos()).isLessThanOrEqualTo(turn.getEndEpochNanos());
    }
  }

  private static List<SpanData> named(String name) {
    return SPANS.getFinishedSpanItems().stream().filter(s -> name.equals(s.getName())).toList();
  }

  private static List<SpanData> turns() {
    return named("voice_turn");
  }
}
