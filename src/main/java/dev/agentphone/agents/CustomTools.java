package dev.agentphone.agents;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.http.Validator;
import dev.agentphone.providers.retell.RetellTools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An agent's {@code customTools}, checked by the official client's rules: at most 20, each with a
 * unique name of letters, digits, {@code _} and {@code -} (at most 64) that no built-in tool
 * uses, an https URL, {@code GET} or {@code POST}, string headers, a JSON Schema object for its
 * parameters and a timeout of 1 to 120 s. Plain http is accepted only where private targets are
 * (a tool on the developer's own machine, as for webhooks). A tool is kept with exactly the known
 * fields it was sent with, in one order, so it reads back as it was written.
 */
final class CustomTools {
  static final int MAX_TOOLS = 20;
  static final int MIN_TIMEOUT_MS = 1_000;
  static final int MAX_TIMEOUT_MS = 120_000;
  private static final int MAX_URL_LENGTH = 2083;
  private static final String NAME_PATTERN = "^[A-Za-z0-9_-]{1,64}$";
  private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** The fields of a tool, in the order they are kept and answered. */
  static final List<String> FIELDS = List.of("name", "description", "url", "method", "headers",
      "parameters", "timeoutMs", "speakDuringExecution", "executionMessage");
  static final List<String> METHODS = List.of("GET", "POST");

  private final boolean plainHttp;

  /** {@code plainHttp}: whether http URLs are accepted (private targets are allowed). */
  CustomTools(boolean plainHttp) {
    this.plainHttp = plainHttp;
  }

  /** The tools in {@code body.customTools} in their kept form; null when absent or null. */
  JsonArray read(Validator body) {
    Object value = body.raw().getValue("customTools");
    if (value == null) {
      return null;
    }
    JsonArray loc = new JsonArray().add("body").add("customTools");
    if (!(value instanceof JsonArray tools)) {
      body.rejectAt(loc, "list_type", "Input should be a valid list");
      return null;
    }
    if (tools.size() > MAX_TOOLS) {
      body.rejectAt(loc, "too_long", "List should have at most " + MAX_TOOLS
          + " items after validation, not " + tools.size());
      return null;
    }
    JsonArray kept = new JsonArray();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonArray at = loc.copy().add(i);
      if (!(tools.getValue(i) instanceof JsonObject tool)) {
        body.rejectAt(at, "model_type",
            "Input should be a valid dictionary or object to extract fields from");
        continue;
      }
      String name = name(body, tool, at);
      if (name != null && !names.add(name.toLowerCase(Locale.ROOT))) {
        body.rejectAt(at.copy().add("name"), "value_error",
            "Value error, tool names must be unique: '" + name + "' is used more than once");
      }
      requiredText(body, tool, at, "description");
      url(body, tool, at);
      if (tool.getValue("method") != null && !METHODS.contains(tool.getValue("method"))) {
        body.rejectAt(at.copy().add("method"), "enum", "Input should be 'GET' or 'POST'");
      }
      headers(body, tool, at);
      parameters(body, tool, at);
      timeout(body, tool, at);
      optional(body, tool, at, "speakDuringExecution", Boolean.class, "bool_type",
          "Input should be a valid boolean");
      optional(body, tool, at, "executionMessage", String.class, "string_type",
          "Input should be a valid string");
      kept.add(ordered(tool));
    }
    return kept;
  }

  /** A stored tool list (jsonb does not keep key order) in its kept form; null stays null. */
  static JsonArray canonical(Object stored) {
    if (!(stored instanceof JsonArray tools)) {
      return null;
    }
    JsonArray out = new JsonArray();
    tools.forEach(tool -> out.add(tool instanceof JsonObject o ? ordered(o) : tool));
    return out;
  }

  private static JsonObject ordered(JsonObject tool) {
    JsonObject out = new JsonObject();
    for (String field : FIELDS) {
      if (tool.containsKey(field)) {
        Object value = tool.getValue(field);
        // a whole number sent as 5000.0 is kept as the integer it is
        out.put(field, "timeoutMs".equals(field) && value instanceof Number n
            ? (Object) n.intValue() : value);
      }
    }
    return out;
  }

  private static String name(Validator body, JsonObject tool, JsonArray at) {
    String name = requiredText(body, tool, at, "name");
    if (name == null) {
      return null;
    }
    if (!NAME.matcher(name).matches()) {
      body.rejectAt(at.copy().add("name"), "string_pattern_mismatch",
          "String should match pattern '" + NAME_PATTERN + "'");
      return null;
    }
    if (RetellTools.RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
      body.rejectAt(at.copy().add("name"), "value_error",
          "Value error, '" + name + "' is the name of a built-in tool; choose another name");
      return null;
    }
    return name;
  }

  private static String requiredText(Validator body, JsonObject tool, JsonArray at,
      String field) {
    Object value = tool.getValue(field);
    if (value == null) {
      body.rejectAt(at.copy().add(field), "missing", "Field required");
      return null;
    }
    if (!(value instanceof String text)) {
      body.rejectAt(at.copy().add(field), "string_type", "Input should be a valid string");
      return null;
    }
    if (text.isBlank()) {
      body.rejectAt(at.copy().add(field), "string_too_short",
          "String should have at least 1 character");
      return null;
    }
    return text;
  }

  private void url(Validator body, JsonObject tool, JsonArray at) {
    String url = requiredText(body, tool, at, "url");
    if (url == null) {
      return;
    }
    JsonArray loc = at.copy().add("url");
    if (url.length() > MAX_URL_LENGTH) {
      body.rejectAt(loc, "string_too_long", "String should have at most 2083 characters");
      return;
    }
    String problem = SsrfGuard.formProblem(url);
    if (problem != null) {
      body.rejectAt(loc, problem.startsWith("URL scheme") ? "url_scheme" : "url_parsing",
          problem);
    } else if (!plainHttp && !"https".equalsIgnoreCase(URI.create(url).getScheme())) {
      body.rejectAt(loc, "url_scheme", "URL scheme should be 'https'");
    }
  }

  private static void headers(Validator body, JsonObject tool, JsonArray at) {
    Object value = tool.getValue("headers");
    if (value == null) {
      return;
    }
    JsonArray loc = at.copy().add("headers");
    if (!(value instanceof JsonObject headers)) {
      body.rejectAt(loc, "dict_type", "Input should be a valid dictionary");
      return;
    }
    for (Map.Entry<String, Object> header : headers) {
      JsonArray where = loc.copy().add(header.getKey());
      if (!HEADER_NAME.matcher(header.getKey()).matches()) {
        body.rejectAt(where, "value_error", "Value error, not a valid HTTP header name");
      } else if (header.getValue() != null && !(header.getValue() instanceof String)) {
        body.rejectAt(where, "string_type", "Input should be a valid string");
      } else if (header.getValue() instanceof String text
          && (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0)) {
        body.rejectAt(where, "value_error", "Value error, a header value cannot hold a line break");
      }
    }
  }

  /** A JSON Schema object; one that names its type must be of type "object". */
  private static void parameters(Validator body, JsonObject tool, JsonArray at) {
    Object value = tool.getValue("parameters");
    if (value == null) {
      return;
    }
    JsonArray loc = at.copy().add("parameters");
    if (!(value instanceof JsonObject schema)) {
      body.rejectAt(loc, "dict_type", "Input should be a valid dictionary");
    } else if (schema.containsKey("type") && !"object".equals(schema.getValue("type"))) {
      body.rejectAt(loc.copy().add("type"), "value_error",
          "Value error, the parameters must be a JSON Schema of type 'object'");
    } else if (schema.getValue("properties") != null
        && !(schema.getValue("properties") instanceof JsonObject)) {
      body.rejectAt(loc.copy().add("properties"), "dict_type",
          "Input should be a valid dictionary");
    }
  }

  private static void timeout(Validator body, JsonObject tool, JsonArray at) {
    Object value = tool.getValue("timeoutMs");
    if (value == null) {
      return;
    }
    JsonArray loc = at.copy().add("timeoutMs");
    if (!(value instanceof Integer || value instanceof Long)) {
      boolean whole = value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
      if (!whole) {
        body.rejectAt(loc, "int_type", "Input should be a valid integer");
        return;
      }
    }
    double ms = ((Number) value).doubleValue();
    if (ms < MIN_TIMEOUT_MS) {
      body.rejectAt(loc, "greater_than_equal",
          "Input should be greater than or equal to " + MIN_TIMEOUT_MS);
    } else if (ms > MAX_TIMEOUT_MS) {
      body.rejectAt(loc, "less_than_equal",
          "Input should be less than or equal to " + MAX_TIMEOUT_MS);
    }
  }

  private static void optional(Validator body, JsonObject tool, JsonArray at, String field,
      Class<?> type, String errorType, String msg) {
    Object value = tool.getValue(field);
    if (value != null && !type.isInstance(value)) {
      body.rejectAt(at.copy().add(field), errorType, msg);
    }
  }
}
