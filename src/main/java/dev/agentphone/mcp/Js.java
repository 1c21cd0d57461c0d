package dev.agentphone.mcp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;

/**
 * How the official MCP server's JavaScript turns answers into text, so the tools here print the
 * same: template interpolation ({@code `${value}`}, where a field the answer lacks prints
 * {@code undefined}), JavaScript's number formatting, and {@code JSON.stringify(value, null, 2)}.
 */
final class Js {
  /** A field the answer does not have: JavaScript's {@code undefined}. */
  static final Object UNDEFINED = new Object() {
    @Override
    public String toString() {
      return "undefined";
    }
  };

  private Js() {
  }

  /** {@code object.key}: the value, JSON null as null, {@link #UNDEFINED} when absent. */
  static Object get(Object object, String... path) {
    Object value = object;
    for (String key : path) {
      if (!(value instanceof JsonObject json) || !json.containsKey(key)) {
        return UNDEFINED;
      }
      value = json.getValue(key);
    }
    return value;
  }

  /** {@code `${object.key}`}. */
  static String text(Object object, String... path) {
    return text(get(object, path));
  }

  /** {@code `${value}`}: JavaScript's {@code String(value)}. */
  static String text(Object value) {
    if (value == UNDEFINED) {
      return "undefined";
    }
    if (value == null) {
      return "null";
    }
    if (value instanceof Number number) {
      return number(number);
    }
    if (value instanceof JsonObject || value instanceof Map) {
      return "[object Object]";
    }
    if (value instanceof JsonArray array) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < array.size(); i++) {
        Object element = array.getValue(i);
        out.append(i == 0 ? "" : ",").append(element == null ? "" : text(element));
      }
      return out.toString();
    }
    return value.toString();
  }

  /** {@code value ?? fallback}. */
  static Object orElse(Object value, Object fallback) {
    return value == null || value == UNDEFINED ? fallback : value;
  }

  /** JavaScript truthiness. */
  static boolean truthy(Object value) {
    if (value == null || value == UNDEFINED || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      return d != 0 && !Double.isNaN(d);
    }
    return true;
  }

  /** A list's elements ({@code result.data}); empty when it is not an array. */
  static JsonArray array(Object value) {
    return value instanceof JsonArray array ? array : new JsonArray();
  }

  /** JavaScript's {@code Number.prototype.toString()} for the numbers JSON carries. */
  static String number(Number number) {
    if (number instanceof Integer || number instanceof Long || number instanceof Short
        || number instanceof java.math.BigInteger) {
      return number.toString();
    }
    double d = number.doubleValue();
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    String java = Double.toString(d);
    int e = java.indexOf('E');
    if (e < 0) {
      return java;
    }
    // 1.0E-7 → 1e-7, 1.5E22 → 1.5e+22
    String mantissa = java.substring(0, e).replaceAll("\\.0$", "");
    String exponent = java.substring(e + 1);
    return mantissa + "e" + (exponent.startsWith("-") ? exponent : "+" + exponent);
  }

  /** {@code JSON.stringify(value, null, 2)}. */
  static String pretty(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "", true);
    return out.toString();
  }

  /** {@code JSON.stringify(value)}. */
  static String compact(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "", false);
    return out.toString();
  }

  /** One value; {@code indented}: two spaces a level, a line per member. */
  private static void write(StringBuilder out, Object value, String indent, boolean indented) {
    if (value instanceof Map<?, ?> map) {
      value = new JsonObject(castMap(map));
    }
    if (value instanceof JsonObject object) {
      if (object.isEmpty()) {
        out.append("{}");
        return;
      }
      String inner = indented ? indent + "  " : "";
      out.append(indented ? "{\n" : "{");
      boolean first = true;
      for (Map.Entry<String, Object> entry : object) {
        out.append(first ? "" : indented ? ",\n" : ",").append(inner);
        string(out, entry.getKey());
        out.append(indented ? ": " : ":");
        write(out, entry.getValue(), inner, indented);
        first = false;
      }
      out.append(indented ? "\n" + indent : "").append('}');
    } else if (value instanceof JsonArray array) {
      if (array.isEmpty()) {
        out.append("[]");
        return;
      }
      String inner = indented ? indent + "  " : "";
      out.append(indented ? "[\n" : "[");
      for (int i = 0; i < array.size(); i++) {
        out.append(i == 0 ? "" : indented ? ",\n" : ",").append(inner);
        write(out, array.getValue(i), inner, indented);
      }
      out.append(indented ? "\n" + indent : "").append(']');
    } else if (value instanceof String s) {
      string(out, s);
    } else if (value instanceof Number n) {
      out.append(Double.isFinite(n.doubleValue()) ? number(n) : "null");
    } else {
      out.append(value == null ? "null" : value.toString());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c)
              && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c) && i > 0
              && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || lone) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
