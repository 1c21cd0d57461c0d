package dev.agentphone.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Retell's custom-LLM WebSocket protocol: the frames Retell sends (read into {@link Frame}s) and
 * the ones we answer with. Nothing here holds state; the call's session decides what to do.
 */
final class RetellFrames {
  private RetellFrames() {
  }

  /** What an incoming frame asks for. */
  enum Kind {
    /** Keep-alive: answer with the same timestamp. */
    PING,
    /** The transcript so far; its last utterance may still be growing. */
    UPDATE,
    /** Retell wants an answer (or a reminder) for {@code responseId}. */
    RESPONSE_REQUIRED,
    /** {@code call_details} and anything newer: nothing to do. */
    OTHER
  }

  /** One incoming frame. */
  record Frame(Kind kind, int responseId, JsonArray transcript, Object timestamp,
      String turntaking) {
  }

  /** The frame in {@code text}; null when it is not a JSON object. */
  static Frame read(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      return null;
    }
    Kind kind = switch (frame.getString("interaction_type", "")) {
      case "ping_pong" -> Kind.PING;
      case "update_only" -> Kind.UPDATE;
      case "response_required", "reminder_required" -> Kind.RESPONSE_REQUIRED;
      default -> Kind.OTHER;
    };
    Object transcript = frame.getValue("transcript");
    return new Frame(kind, frame.getInteger("response_id", 0),
        transcript instanceof JsonArray array ? array : kind == Kind.UPDATE ? null
            : new JsonArray(), frame.getValue("timestamp"),
        frame.getValue("turntaking") instanceof String turn ? turn : null);
  }

  /** Sent once a socket is ours: reconnect on drops, and send us the call's details. */
  static JsonObject config() {
    return new JsonObject().put("response_type", "config").put("config",
        new JsonObject().put("auto_reconnect", true).put("call_details", true));
  }

  static JsonObject pong(Object timestamp) {
    return new JsonObject().put("response_type", "ping_pong").put("timestamp", timestamp);
  }

  /** Words to speak for {@code responseId}; {@code complete} on the last piece of an answer. */
  static JsonObject response(int responseId, String content, boolean complete) {
    return new JsonObject().put("response_type", "response").put("response_id", responseId)
        .put("content", content).put("content_complete", complete).put("end_call", false);
  }

  /**
   * Words the agent speaks now, unprompted, interrupting itself ({@code agent_interrupt}, with
   * ids of our own that only grow).
   */
  static JsonObject interrupt(int interruptId, String content) {
    return new JsonObject().put("response_type", "agent_interrupt")
        .put("interrupt_id", interruptId).put("content", content).put("content_complete", true)
        .put("no_interruption_allowed", false).put("end_call", false);
  }

  /** The last words of a call: spoken, then Retell hangs up. */
  static JsonObject hangUp(int responseId, String content) {
    return response(responseId, content, true).put("end_call", true);
  }
}
