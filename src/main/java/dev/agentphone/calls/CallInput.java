package dev.agentphone.calls;

import dev.agentphone.http.Validator;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.retell.DynamicVariables;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;

/**
 * The per-call fields of {@code POST /v1/calls} and {@code /v1/calls/web} beyond the basics, and
 * the waiting parameters, checked as the rest of the input is: every mistake is a 422 naming its
 * field.
 */
final class CallInput {
  static final List<String> MODEL_TIERS = List.of("turbo", "balanced", "max");
  static final int MAX_VARIABLES = 100;
  static final int MAX_VARIABLE_NAME = 64;
  static final int MAX_VARIABLE_VALUE = 10_000;
  static final int MAX_SCREENING_TEXT = 500;
  /** Variables the engine itself passes to Retell; a caller's would be overwritten. */
  static final Set<String> RESERVED = Set.of("system_prompt", "initial_greeting");

  /** {@code GET /v1/calls/{id}?wait=true&timeout=N}: seconds, as the MCP server sends them. */
  static final int WAIT_MIN = 10;
  static final int WAIT_MAX = 300;
  static final int WAIT_DEFAULT = 120;
  /** {@code POST /v1/calls {waitForCompletion, maxWaitSeconds}}. */
  static final int PLACE_WAIT_MAX = 600;
  static final int PLACE_WAIT_DEFAULT = 300;

  private CallInput() {
  }

  /**
   * {@code variables}: an object of up to {@value #MAX_VARIABLES} names (letters, digits and
   * underscores, not starting with a digit) to strings or null; null when absent.
   */
  static JsonObject variables(Validator body) {
    JsonObject variables = body.optionalObject("variables");
    if (variables == null) {
      return null;
    }
    if (variables.size() > MAX_VARIABLES) {
      body.reject("variables", "too_long",
          "Dictionary should have at most " + MAX_VARIABLES + " items");
      return null;
    }
    for (String name : variables.fieldNames()) {
      Object value = variables.getValue(name);
      if (name.length() > MAX_VARIABLE_NAME || !DynamicVariables.NAME.matcher(name).matches()) {
        body.reject("variables", "value_error", "Value error, variable names are letters, "
            + "digits and underscores, not starting with a digit, at most " + MAX_VARIABLE_NAME
            + " characters: " + quoted(name));
      } else if (RESERVED.contains(name)) {
        body.reject("variables", "value_error", "Value error, " + quoted(name)
            + " is reserved: use the systemPrompt or initialGreeting field");
      } else if (value != null && !(value instanceof String)) {
        body.reject("variables", "string_type",
            "Input should be a valid string (variable " + quoted(name) + ")");
      } else if (value != null && ((String) value).length() > MAX_VARIABLE_VALUE) {
        body.reject("variables", "string_too_long", "String should have at most "
            + MAX_VARIABLE_VALUE + " characters (variable " + quoted(name) + ")");
      }
    }
    return variables;
  }

  /** A screening override: a string of at most {@value #MAX_SCREENING_TEXT} characters. */
  static String screening(Validator body, String field) {
    String value = body.optionalString(field);
    if (value != null && value.length() > MAX_SCREENING_TEXT) {
      body.reject(field, "string_too_long",
          "String should have at most " + MAX_SCREENING_TEXT + " characters");
      return null;
    }
    return value;
  }

  /** An optional JSON boolean; anything else is a 422. */
  static boolean flag(Validator body, String field) {
    Object value = body.raw().getValue(field);
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    body.reject(field, "bool_type", "Input should be a valid boolean");
    return false;
  }

  /**
   * The seconds {@code GET /v1/calls/{id}} waits for the call's end: null without
   * {@code wait=true} (a {@code timeout} alone means nothing, as the MCP server always sends
   * one); {@code timeout} then defaults to {@value #WAIT_DEFAULT}.
   */
  static Integer waitSeconds(RoutingContext ctx) {
    Validator query = Validator.query(ctx);
    String wait = query.queryString("wait");
    if (wait == null || "false".equalsIgnoreCase(wait) || "0".equals(wait)) {
      return null;
    }
    if (!"true".equalsIgnoreCase(wait) && !"1".equals(wait)) {
      throw ApiError.invalid(new io.vertx.core.json.JsonArray().add("query").add("wait"),
          "bool_parsing", "Input should be a valid boolean, unable to interpret input");
    }
    int seconds = query.queryInt("timeout", WAIT_DEFAULT, WAIT_MIN, WAIT_MAX);
    query.check();
    return seconds;
  }

  private static String quoted(String name) {
    String shown = name.length() > 80 ? name.substring(0, 77) + "..." : name;
    return "'" + shown + "'";
  }
}
