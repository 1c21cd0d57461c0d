package dev.agentphone.webhooks;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;

/**
 * The dispatch's steps on {@code /metrics}: how long each batch of a step took from its start to
 * its commit ({@code agentphone.webhooks.dispatch.step}) and how many deliveries it carried
 * ({@code agentphone.webhooks.dispatch.batch}), labelled {@code plan}, {@code claim},
 * {@code send} (one delivery: request to answer) and {@code record}. The wall time of a burst goes
 * to whichever step its batches wait on, which is what these show.
 */
final class DispatchMetrics {
  static final String PLAN = "plan";
  static final String CLAIM = "claim";
  static final String SEND = "send";
  static final String RECORD = "record";

  private DispatchMetrics() {
  }

  /** A batch of {@code step} that started at {@code startNanos} ({@link System#nanoTime}). */
  static void batch(String step, long startNanos, int size) {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    if (registry == null) {
      return;
    }
    // the registry answers the meter it already has: nothing is kept here across engines
    Timer.builder("agentphone.webhooks.dispatch.step").tag("step", step).register(registry)
        .record(Duration.ofNanos(System.nanoTime() - startNanos));
    DistributionSummary.builder("agentphone.webhooks.dispatch.batch").tag("step", step)
        .register(registry).record(size);
  }
}
