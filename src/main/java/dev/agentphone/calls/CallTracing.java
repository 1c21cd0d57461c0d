package dev.agentphone.calls;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A call's spans for OpenTelemetry, from the same measurements as its timeline: a {@code call}
 * span for the session's life, with the call's events as span events, and a {@code voice_turn}
 * child per turn with its spans as events and the webhook's request as a {@code webhook} child.
 * Spans are built after the fact with explicit timestamps, so tracing adds nothing to the reply
 * path. Without a configured SDK ({@code OTEL_EXPORTER_OTLP_ENDPOINT} unset) the tracer is the
 * API's no-op one.
 */
final class CallTracing {
  private static final AttributeKey<String> CALL_ID = AttributeKey.stringKey("agentphone.call_id");
  private static final AttributeKey<String> MODE = AttributeKey.stringKey("agentphone.mode");
  private static final AttributeKey<Long> RESPONSE_ID =
      AttributeKey.longKey("agentphone.response_id");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("agentphone.outcome");
  private static final AttributeKey<Double> ENGINE_MS = AttributeKey.doubleKey("agentphone.engine_ms");
  private static final AttributeKey<Double> WEBHOOK_MS =
      AttributeKey.doubleKey("agentphone.webhook_ms");

  private final Tracer tracer;
  private final Span call;

  CallTracing(String callId, String mode) {
    this.tracer = GlobalOpenTelemetry.getOrNoop().getTracer("dev.agentphone.calls");
    this.call = tracer.spanBuilder("call").setNoParent()
        .setAttribute(CALL_ID, callId).setAttribute(MODE, mode).startSpan();
  }

  void event(String type, long atMillis) {
    call.addEvent(type, atMillis, TimeUnit.MILLISECONDS);
  }

  /** One turn, once it is over: its span, its spans as events, its webhook as a child. */
  void turn(TurnSpans turn) {
    long base = TimeUnit.MILLISECONDS.toNanos(turn.receivedAtMillis);
    Map<String, Long> marks = turn.marks();
    long end = marks.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Span span = tracer.spanBuilder("voice_turn").setParent(Context.root().with(call))
        .setStartTimestamp(base, TimeUnit.NANOSECONDS)
        .setAttribute(RESPONSE_ID, (long) turn.responseId)
        .setAttribute(MODE, turn.mode)
        .setAttribute(OUTCOME, turn.outcome())
        .startSpan();
    if (turn.engineMs() != null) {
      span.setAttribute(ENGINE_MS, turn.engineMs());
    }
    if (turn.webhookMs() != null) {
      span.setAttribute(WEBHOOK_MS, turn.webhookMs());
    }
    marks.forEach((name, at) -> span.addEvent(name, Attributes.empty(), base + at,
        TimeUnit.NANOSECONDS));
    Long sent = marks.get(TurnSpans.WEBHOOK_SENT);
    if (sent != null) {
      Long last = marks.get(TurnSpans.LAST_BYTE);
      tracer.spanBuilder("webhook").setParent(Context.root().with(span))
          .setStartTimestamp(base + sent, TimeUnit.NANOSECONDS).startSpan()
          .end(base + (last != null ? last : end), TimeUnit.NANOSECONDS);
    }
    span.end(base + end, TimeUnit.NANOSECONDS);
  }

  /** The session is over (the call ended, or it moved to another node). */
  void end() {
    call.end();
  }
}
