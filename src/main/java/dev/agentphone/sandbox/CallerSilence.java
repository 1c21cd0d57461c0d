package dev.agentphone.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.BiFunction;

/**
 * Retell's {@code end_call_after_silence_ms} for simulated calls: once the agent has finished
 * speaking, a caller who stays silent that long is hung up on ({@code inactivity}). The silence
 * is counted on the clock, and {@link #skip} lets time pass at once, so a developer (or a test)
 * need not wait out a ten-minute limit.
 */
final class CallerSilence {
  static final String REASON = "inactivity";

  private final Vertx vertx;
  private final BiFunction<SimulatedCall, String, Future<Void>> hangUp;

  CallerSilence(Vertx vertx, BiFunction<SimulatedCall, String, Future<Void>> hangUp) {
    this.vertx = vertx;
    this.hangUp = hangUp;
  }

  /** The agent has finished speaking: the caller's silence starts now. */
  void quiet(SimulatedCall sim) {
    speaking(sim);
    sim.silentSince = System.currentTimeMillis();
    arm(sim, 0);
  }

  /** Someone speaks (or the call ends): the silence is over. */
  void speaking(SimulatedCall sim) {
    if (sim.silenceTimer >= 0) {
      vertx.cancelTimer(sim.silenceTimer);
      sim.silenceTimer = -1;
    }
    sim.silenceSkippedMs = 0;
  }

  /** The caller stays silent {@code ms} more; past the agent's limit the call ends. */
  Future<JsonObject> skip(SimulatedCall sim, long ms) {
    sim.silenceSkippedMs += Math.max(0, ms);
    long silent = sim.silentMs(System.currentTimeMillis());
    JsonObject answer = new JsonObject().put("callId", sim.ourId).put("silentMs", silent);
    if (silent >= sim.silenceLimitMs()) {
      return hangUp.apply(sim, REASON).map(v -> answer.put("status", "ended")
          .put("disconnectionReason", REASON));
    }
    arm(sim, silent);
    return Future.succeededFuture(answer.put("status", "in-progress"));
  }

  /** Ends the call when the silence, {@code silent} ms so far, reaches the limit. */
  private void arm(SimulatedCall sim, long silent) {
    if (sim.silenceTimer >= 0) {
      vertx.cancelTimer(sim.silenceTimer);
    }
    sim.silenceTimer = vertx.setTimer(Math.max(1, sim.silenceLimitMs() - silent), t -> {
      sim.silenceTimer = -1;
      if (!sim.ended && sim.pending == null) {
        hangUp.apply(sim, REASON);
      }
    });
  }
}
