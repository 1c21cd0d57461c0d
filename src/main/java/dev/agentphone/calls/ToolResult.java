package dev.agentphone.calls;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * What a tool answered, as the model is given it: the answer's text when the tool succeeded,
 * else {@code {"error": "…"}} saying what went wrong.
 */
record ToolResult(boolean ok, String body, String contentType) {
  static ToolResult answered(String body, String contentType) {
    return new ToolResult(true, body, contentType == null ? "text/plain" : contentType);
  }

  static ToolResult failed(String error) {
    return new ToolResult(false, new JsonObject().put("error", error).encode(),
        "application/json");
  }

  /** A JSON answer of the engine's own tools. */
  static ToolResult json(JsonObject answer) {
    return new ToolResult(!answer.containsKey("error"), answer.encode(), "application/json");
  }

  /** The answer as JSON: parsed when it is JSON, else the text as a string. */
  Object value() {
    try {
      return body == null || body.isBlank() ? null : Json.decodeValue(body);
    } catch (RuntimeException notJson) {
      return body;
    }
  }

  /** What the built-in responder says about it ({@link BuiltInResponder#aboutResult}). */
  String spoken() {
    return BuiltInResponder.aboutResult(body);
  }
}
