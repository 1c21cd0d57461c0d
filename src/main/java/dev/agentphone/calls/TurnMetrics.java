package dev.agentphone.calls;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;

/**
 * The voice figures of {@code /metrics}: a turn's engine time and webhook time, labelled by
 * the call's mode ({@code hosted}, {@code webhook}), the SSE lag (a stored turn published to
 * it handed to an SSE client's connection) and whether each LLM socket shares its session's
 * event loop. Never labelled by agent or account, so the number of
 * series stays fixed.
 */
final class TurnMetrics {
  private TurnMetrics() {
  }

  static void turn(TurnSpans turn) {
    if (turn.engineMs() != null) {
      record("agentphone.voice.turn.engine", "mode", turn.mode, turn.engineMs());
    }
    if (turn.webhookMs() != null) {
      record("agentphone.voice.turn.webhook", "mode", turn.mode, turn.webhookMs());
    }
  }

  /** A live turn written to an SSE client {@code lagMs} after it was published. */
  static void sseLag(double lagMs) {
    record("agentphone.sse.lag", "stream", "transcript", Math.max(0, lagMs));
  }

  /**
   * A call's LLM socket handed to its session: {@code session} when both run on one event loop
   * (a frame is handled as it is read), {@code other} when every frame and answer crosses
   * between two loops.
   */
  static void socketLoop(boolean shared) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      registry.counter("agentphone.voice.sockets", "loop", shared ? "session" : "other")
          .increment();
    }
  }

  private static void record(String name, String tag, String value, double millis) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    // the registry answers the meter it already has: nothing is kept here across engines
    Timer.builder(name).tag(tag, value)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(Duration.ofNanos((long) (millis * 1e6)));
  }
}
