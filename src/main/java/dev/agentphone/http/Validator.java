package dev.agentphone.http;

import dev.agentphone.platform.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads and checks request input the way the contract's FastAPI original does: every violation is
 * collected and answered at once as 422 {@code {"detail": [{loc, msg, type}]}}.
 */
public final class Validator {
  private final JsonArray errors = new JsonArray();
  private final JsonObject body;
  private final RoutingContext ctx;

  private Validator(RoutingContext ctx, JsonObject body) {
    this.ctx = ctx;
    this.body = body;
  }

  /** For query parameters only. */
  public static Validator query(RoutingContext ctx) {
    return new Validator(ctx, new JsonObject());
  }

  /** Parses the JSON body; malformed, missing or non-object bodies are 422s as in FastAPI. */
  public static Validator body(RoutingContext ctx) {
    // parsed, from strictly decoded UTF-8, by the TextGuard in front of every route
    Object parsed = ctx.get(TextGuard.PARSED_BODY);
    if (parsed == null) {
      String text = ctx.body() == null ? null : ctx.body().asString();
      if (text == null || text.isBlank()) {
        throw ApiError.invalid(new JsonArray().add("body"), "missing", "Field required");
      }
      try {
        parsed = io.vertx.core.json.Json.decodeValue(text);
      } catch (RuntimeException e) {
        throw ApiError.invalid(new JsonArray().add("body").add(0), "json_invalid",
            "JSON decode error");
      }
    }
    if (!(parsed instanceof JsonObject object)) {
      throw ApiError.invalid(new JsonArray().add("body"), "model_attributes_type",
          "Input should be a valid dictionary or object to extract fields from");
    }
    return new Validator(ctx, object);
  }

  public JsonObject raw() {
    return body;
  }

  /** True when the field is present in the body, even as null (PATCH semantics). */
  public boolean present(String field) {
    return body.containsKey(field);
  }

  private void error(String where, String field, String type, String msg) {
    errors.add(new JsonObject().put("loc", new JsonArray().add(where).add(field))
        .put("msg", msg).put("type", type));
  }

  public String requiredString(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      error("body", field, "missing", "Field required");
      return null;
    }
    return asString(field, value);
  }

  /**
   * A required name: stripped of surrounding whitespace (strip(), not trim(): trim() also eats
   * control characters, changing the name silently), then 1 to {@code maxLength} code points.
   */
  public String requiredName(String field, int maxLength) {
    String name = requiredString(field);
    if (name == null) {
      return null;
    }
    name = name.strip();
    if (name.isEmpty()) {
      reject(field, "string_too_short", "String should have at least 1 character");
    } else if (name.codePointCount(0, name.length()) > maxLength) {
      reject(field, "string_too_long", "String should have at most " + maxLength + " characters");
    }
    return name;
  }

  public String optionalString(String field) {
    Object value = body.getValue(field);
    return value == null ? null : asString(field, value);
  }

  private String asString(String field, Object value) {
    if (value instanceof String s) {
      return s;
    }
    error("body", field, "string_type", "Input should be a valid string");
    return null;
  }

  /** A string that, when present and not null, must be one of {@code allowed}. */
  public String optionalEnum(String field, List<String> allowed) {
    String value = optionalString(field);
    if (value != null && !allowed.contains(value)) {
      error("body", field, "enum", "Input should be " + quoted(allowed));
      return null;
    }
    return value;
  }

  public String requiredEnum(String field, List<String> allowed) {
    String value = requiredString(field);
    if (value != null && !allowed.contains(value)) {
      error("body", field, "enum", "Input should be " + quoted(allowed));
      return null;
    }
    return value;
  }

  public Integer optionalInt(String field) {
    return optionalIntBetween(field, null, null);
  }

  /**
   * An integer field within inclusive bounds (null: none but the 32-bit range). The bounds are
   * checked on the exact value sent, so 2^32 + 5 is out of range rather than read as 5; a whole
   * number written as a float (5.0) is accepted, as pydantic does.
   */
  public Integer optionalIntBetween(String field, Integer min, Integer max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    BigDecimal exact = exactInteger(value);
    if (exact == null) {
      error("body", field, "int_type", "Input should be a valid integer");
      return null;
    }
    if (min != null && exact.compareTo(BigDecimal.valueOf(min)) < 0) {
      error("body", field, "greater_than_equal", "Input should be greater than or equal to " + min);
      return null;
    }
    if (max != null && exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      error("body", field, "less_than_equal", "Input should be less than or equal to " + max);
      return null;
    }
    if (exact.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
        || exact.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      error("body", field, "int_parsing_size", "Input should be an integer within 32 bits");
      return null;
    }
    return exact.intValueExact();
  }

  /** A JSON number's exact integral value; null for fractions, non-finite values and non-numbers. */
  private static BigDecimal exactInteger(Object value) {
    BigDecimal exact;
    if (value instanceof Integer || value instanceof Long) {
      exact = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      exact = new BigDecimal(big);
    } else if (value instanceof BigDecimal decimal) {
      exact = decimal;
    } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      exact = BigDecimal.valueOf(n.doubleValue());
    } else {
      return null;
    }
    return exact.stripTrailingZeros().scale() <= 0 ? exact : null;
  }

  public JsonObject optionalObject(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonObject o) {
      return o;
    }
    error("body", field, "dict_type", "Input should be a valid dictionary");
    return null;
  }

  public JsonArray optionalStringArray(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonArray array && array.stream().allMatch(v -> v instanceof String)) {
      return array;
    }
    error("body", field, "list_type", "Input should be a valid list of strings");
    return null;
  }

  /** Adds a custom body error (e.g. an invalid phone number). */
  public void reject(String field, String type, String msg) {
    error("body", field, type, msg);
  }

  /** Adds an error at a nested location ({@code ["body", "items", 0, "name"]}). */
  public void rejectAt(JsonArray loc, String type, String msg) {
    errors.add(new JsonObject().put("loc", loc).put("msg", msg).put("type", type));
  }

  /** An integer query parameter with a default and inclusive bounds (max may be null). */
  public int queryInt(String name, int fallback, Integer min, Integer max) {
    String text = ctx.request().getParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      error("query", name, "int_parsing",
          "Input should be a valid integer, unable to parse string as an integer");
      return fallback;
    }
    Integer checked = bounded("query", name, value, min, max);
    return checked == null ? fallback : checked;
  }

  public String queryString(String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  public String queryEnum(String name, List<String> allowed) {
    String value = queryString(name);
    if (value != null && !allowed.contains(value)) {
      error("query", name, "enum", "Input should be " + quoted(allowed));
      return null;
    }
    return value;
  }

  /** A timestamp query parameter (ISO-8601); returns the original text when valid. */
  public String queryTimestamp(String name) {
    String value = queryString(name);
    if (value != null && dev.agentphone.platform.Times.parse(value) == null) {
      error("query", name, "datetime_parsing", "Input should be a valid datetime");
      return null;
    }
    return value;
  }

  private Integer bounded(String where, String name, int value, Integer min, Integer max) {
    if (min != null && value < min) {
      error(where, name, "greater_than_equal", "Input should be greater than or equal to " + min);
      return null;
    }
    if (max != null && value > max) {
      error(where, name, "less_than_equal", "Input should be less than or equal to " + max);
      return null;
    }
    return value;
  }

  /** Throws the collected 422, if any. */
  public void check() {
    if (!errors.isEmpty()) {
      throw new ApiError(422, errors);
    }
  }

  private static String quoted(List<String> allowed) {
    List<String> q = allowed.stream().map(v -> "'" + v + "'").collect(Collectors.toList());
    if (q.size() == 1) {
      return q.get(0);
    }
    return String.join(", ", q.subList(0, q.size() - 1)) + " or " + q.get(q.size() - 1);
  }
}
