package dev.agentphone.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Walks a parsed JSON body, keys included, for what the database cannot store or would store
 * changed: strings with NUL or a lone surrogate, and numbers too large to be finite (Jackson reads
 * {@code 1e999} as infinity, which would be written back as the string "Infinity"). Iterative,
 * so nesting depth costs heap, not stack.
 */
final class JsonText {
  /** At most this many errors are listed; a body full of NULs gets a bounded answer. */
  static final int MAX_ERRORS = 20;

  /** A value still to look at; its location is kept as a link to its parent, built on error. */
  private record Node(Object value, Node parent, Object step) {
    JsonArray loc() {
      Deque<Object> steps = new ArrayDeque<>();
      for (Node n = this; n != null; n = n.parent) {
        steps.push(n.step);
      }
      JsonArray loc = new JsonArray();
      steps.forEach(loc::add);
      return loc;
    }
  }

  private JsonText() {
  }

  /** Adds one {@code {loc, msg, type}} per bad value under {@code body} to {@code errors}. */
  static void check(Object body, JsonArray errors) {
    Deque<Node> pending = new ArrayDeque<>();
    pending.push(new Node(body, null, "body"));
    while (!pending.isEmpty() && errors.size() < MAX_ERRORS) {
      Node node = pending.pop();
      Object value = node.value();
      if (value instanceof JsonObject object) {
        for (Map.Entry<String, Object> entry : object) {
          String key = entry.getKey();
          String problem = StorableText.problem(key);
          Node child = new Node(entry.getValue(), node,
              problem == null ? key : StorableText.printable(key));
          if (problem != null) {
            errors.add(error(child.loc(), problem,
                "Object key: " + StorableText.message(problem)));
          }
          pending.push(child);
        }
      } else if (value instanceof JsonArray array) {
        for (int i = array.size() - 1; i >= 0; i--) {
          pending.push(new Node(array.getValue(i), node, i));
        }
      } else if (value instanceof String text) {
        String problem = StorableText.problem(text);
        if (problem != null) {
          errors.add(error(node.loc(), problem, StorableText.message(problem)));
        }
      } else if (value instanceof Double d && !Double.isFinite(d)
          || value instanceof Float f && !Float.isFinite(f)) {
        errors.add(error(node.loc(), "finite_number", "Input should be a finite number"));
      }
    }
  }

  static JsonObject error(JsonArray loc, String type, String msg) {
    return new JsonObject().put("loc", loc).put("msg", msg).put("type", type);
  }
}
