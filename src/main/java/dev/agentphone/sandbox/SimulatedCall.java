package dev.agentphone.sandbox;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One call as the simulated Retell sees it: Retell's call, agent and LLM objects, and its state. */
final class SimulatedCall {
  /** Retell's default for {@code end_call_after_silence_ms}. */
  static final int DEFAULT_SILENCE_MS = 600_000;

  final JsonObject call;
  final JsonObject agent;
  /** The create-phone-call request's {@code agent_override}: what this call changes. */
  JsonObject override = new JsonObject();
  /** Hosted agents: the Retell LLM answering the call. */
  JsonObject llm;
  final JsonArray transcript = new JsonArray();
  String ourId;
  WebSocket socket;
  int responseId;
  Promise<JsonObject> pending;
  /** Completed by the first unprompted speech the engine sends over the socket (its greeting). */
  final Promise<Void> greeted = Promise.promise();
  final StringBuilder reply = new StringBuilder();
  boolean ended;
  /** When the caller last went quiet (the agent finished speaking), and how long was skipped. */
  long silentSince;
  long silenceSkippedMs;
  long silenceTimer = -1;
  /** When the current utterance was handed to the agent, and its answer's first frame came. */
  long askedAt;
  long firstFrameAt = -1;

  SimulatedCall(JsonObject call, JsonObject agent) {
    this.call = call;
    this.agent = agent;
  }

  boolean customLlm() {
    return "custom-llm".equals(agent.getJsonObject("response_engine", new JsonObject())
        .getString("type"));
  }

  /** Retell keeps the audio unless the call's (or else the agent's) storage setting says no. */
  boolean keepsAudio() {
    String setting = override.getJsonObject("agent", new JsonObject())
        .getString("data_storage_setting", agent.getString("data_storage_setting"));
    return !"basic_attributes_only".equals(setting)
        && !Boolean.TRUE.equals(agent.getValue("opt_out_sensitive_data_storage"));
  }

  void agentSays(String text) {
    if (text != null && !text.isBlank()) {
      transcript.add(new JsonObject().put("role", "agent").put("content", text));
    }
  }

  /** Retell's {@code update_only} with its turn-taking hint, as the agent starts or stops. */
  void turnTaking(String whose) {
    if (socket != null && !ended) {
      socket.writeTextMessage(new JsonObject().put("interaction_type", "update_only")
          .put("transcript", transcript).put("turntaking", whose).encode());
    }
  }

  void callerSays(String text) {
    transcript.add(new JsonObject().put("role", "user").put("content", text));
  }

  /** How long the caller may stay silent before Retell hangs up ({@code end_call_after_silence_ms}). */
  long silenceLimitMs() {
    Object limit = agent.getValue("end_call_after_silence_ms");
    return limit instanceof Number n ? n.longValue() : DEFAULT_SILENCE_MS;
  }

  /** How long the caller has been silent, the skipped time included. */
  long silentMs(long now) {
    return now - silentSince + silenceSkippedMs;
  }

  /** The account the engine placed this call for (outbound calls), or null. */
  String accountId() {
    return call.getJsonObject("metadata", new JsonObject()).getString("agentphone_account_id");
  }

  /** The number that was dialled. */
  String dialled() {
    return call.getString("to_number");
  }

  boolean outbound() {
    return "outbound".equals(call.getString("direction"));
  }

  /** Retell's plain-text transcript: one "Agent: …" or "User: …" line per utterance. */
  String transcriptText() {
    StringBuilder text = new StringBuilder();
    transcript.forEach(t -> {
      JsonObject turn = (JsonObject) t;
      text.append("agent".equals(turn.getString("role")) ? "Agent: " : "User: ")
          .append(turn.getString("content")).append('\n');
    });
    return text.toString();
  }

  /** Milliseconds from the utterance handed over to {@code at} (a {@link System#nanoTime}). */
  double latencyMs(long at) {
    return Math.round((at - askedAt) / 10_000.0) / 100.0;
  }
}
