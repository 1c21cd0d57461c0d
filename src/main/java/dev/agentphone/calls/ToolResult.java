package dev.agentphone.calls;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * What a tool answered, as the model is given it: the answer's text when the tool succeeded,
 * else {@code {"error": "…"}} saying what went wrong. {@link #spoken} is the sentence the
 * built-in responder says about it.
 */
record ToolResult(boolean ok, String body, String contentType) {
  /** The longest answer the built-in responder reads out. */
  private static final int SPOKEN_LIMIT = 300;

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

  /**
   * What to say about it: a JSON answer's {@code result}, {@code message}, {@code text} or
   * {@code answer} (the first that is text), a JSON string, plain text, else the JSON itself;
   * an error says it could not be done.
   */
  String spoken() {
    Object value = value();
    if (!ok) {
      String error = value instanceof JsonObject o ? o.getString("error") : null;
      return "Sorry, I could not do that" + (error == null ? "." : ": " + error + ".");
    }
    String text = null;
    if (value instanceof JsonObject object) {
      for (String field : new String[] {"result", "message", "text", "answer"}) {
        if (object.getValue(field) instanceof String s && !s.isBlank()) {
          text = s;
          break;
        }
      }
      if (text == null) {
        text = object.encode();
      }
    } else if (value instanceof String s) {
      text = s;
    } else if (value != null) {
      text = Json.encode(value);
    }
    if (text == null || text.isBlank()) {
      return "Done.";
    }
    text = text.strip();
    return text.length() > SPOKEN_LIMIT ? text.substring(0, SPOKEN_LIMIT) + "…" : text;
  }
}
