package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One scenario file: its name, the agent that answers ({@code starter}, an agent id, or an inline
 * agent as a map) and its steps, in order.
 */
record Scenario(String name, String file, Object agent, List<Step> steps) {

  /** One step: its kind ({@code say}, {@code expect}, …) and its argument as written. */
  record Step(int number, String kind, Object arg) {
    /** The argument as an object; a bare value is put under {@code key}. */
    JsonObject object(String key) {
      if (arg instanceof JsonObject json) {
        return json;
      }
      return arg == null ? new JsonObject() : new JsonObject().put(key, arg);
    }

    String describe() {
      String shown = arg instanceof String s ? "\"" + s + "\"" : String.valueOf(arg);
      return kind + " " + (shown.length() > 90 ? shown.substring(0, 87) + "…" : shown);
    }
  }
}
