package dev.agentphone.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool call's arguments, already checked against the tool's input schema, with the schema's
 * defaults filled in for what the caller left out (as the official server's zod schemas do).
 */
final class Arguments {
  private final Map<String, Object> values;

  private Arguments(Map<String, Object> values) {
    this.values = values;
  }

  /** {@code given} with the {@code default} of every property of {@code inputSchema} it lacks. */
  static Arguments of(Map<String, Object> given, Map<String, Object> inputSchema) {
    Map<String, Object> values = new LinkedHashMap<>();
    if (inputSchema.get("properties") instanceof Map<?, ?> properties) {
      properties.forEach((name, schema) -> {
        if (schema instanceof Map<?, ?> property && property.containsKey("default")) {
          values.put((String) name, property.get("default"));
        }
      });
    }
    if (given != null) {
      values.putAll(given);
    }
    return new Arguments(values);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The argument as a string, or null when not given. */
  String string(String name) {
    Object value = values.get(name);
    return value == null ? null : value.toString();
  }

  boolean bool(String name) {
    return Boolean.TRUE.equals(values.get(name));
  }

  /** The argument as JavaScript prints it ({@code `${limit}`}), or null when not given. */
  String text(String name) {
    return has(name) ? Js.text(json(name)) : null;
  }

  /** The argument as a JSON value for a request body (objects and lists as Vert.x JSON). */
  Object json(String name) {
    return json(values.get(name));
  }

  /** {@code encodeURIComponent} of a string argument, for a path segment or query value. */
  String encoded(String name) {
    return encode(string(name));
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20")
        .replace("%21", "!").replace("%27", "'").replace("%28", "(").replace("%29", ")")
        .replace("%7E", "~");
  }

  /**
   * A request body of the given arguments under the API's names ({@code argument → field}
   * pairs), leaving out those not given, as {@code JSON.stringify} leaves out undefined keys.
   */
  JsonObject body(String... argumentAndField) {
    JsonObject body = new JsonObject();
    for (int i = 0; i + 1 < argumentAndField.length; i += 2) {
      if (has(argumentAndField[i])) {
        body.put(argumentAndField[i + 1], json(argumentAndField[i]));
      }
    }
    return body;
  }

  @SuppressWarnings("unchecked")
  private static Object json(Object value) {
    if (value instanceof Map<?, ?> map) {
      return new JsonObject((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      return new JsonArray((List<Object>) list);
    }
    return value;
  }
}
