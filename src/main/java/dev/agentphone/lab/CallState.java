package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one line of a scenario (the scenario itself, or one branch of a {@code parallel} step)
 * knows about its call and messages: the current call, each caller turn's latency, the agent's last reply, and the last message sent and its delivery.
 */
final class CallState {
  String callId;
  final List<Double> turnMillis = new ArrayList<>();
  String lastReply;
  /** How many of the call's agent utterances earlier {@code agentSays} expectations looked at. */
  int agentUtterancesSeen;
  final List<CompletableFuture<LabHttp.Answer>> unanswered = new ArrayList<>();
  String lastMessageId;
  JsonObject lastDelivery;

  /** The current call, or a clear error for a step that needs one. */
  String call(String step) {
    if (callId == null) {
      throw new ScenarioException(step + ": no call yet (start one with a `call` step)");
    }
    return callId;
  }

  void newCall(String id) {
    callId = id;
    turnMillis.clear();
    lastReply = null;
    agentUtterancesSeen = 0;
  }

  /** Turns still unanswered get their answers (or give up) before the call is judged. */
  void settle() {
    unanswered.forEach(f -> {
      try {
        f.join();
      } catch (RuntimeException ignored) {
        // the caller had hung up: no answer expected
      }
    });
    unanswered.clear();
  }

  /** The 99th percentile (nearest rank) of the turns' latencies; -1 with no turn. */
  double turnP99() {
    if (turnMillis.isEmpty()) {
      return -1;
    }
    List<Double> sorted = turnMillis.stream().sorted().toList();
    int rank = (int) Math.ceil(0.99 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
