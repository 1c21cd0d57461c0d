package dev.agentphone.calls;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deterministic stand-in for a language model where none is available (sandbox hosted mode,
 * per-call prompts in the sandbox): the same utterance always gets the same answer, so simulated
 * calls and their tests are repeatable. It calls one of the agent's tools when the caller names
 * it (its name with {@code _} and {@code -} read as spaces: "order status" for
 * {@code order_status}), filling each parameter with the word after the parameter's name ("order
 * A-17"), or, for a tool with one parameter, the last word holding a digit.
 */
public final class BuiltInResponder {
  /** The longest tool answer read out. */
  private static final int SPOKEN_LIMIT = 300;
  private static final Pattern WORD_WITH_DIGIT = Pattern.compile("[\\p{L}\\p{N}#/+-]*\\d[\\p{L}\\p{N}#/+-]*");

  private BuiltInResponder() {
  }

  /** A reply to what the caller said; {@link Reply#hangup} when the caller says goodbye. */
  public record Reply(String text, boolean hangup) {
  }

  /** A tool the caller asked for, with the arguments read from what they said. */
  public record ToolChoice(String name, JsonObject args) {
  }

  public static Reply reply(String utterance) {
    String said = utterance == null ? "" : utterance.trim();
    String lower = said.toLowerCase(Locale.ROOT);
    if (lower.matches(".*\\b(bye|goodbye)\\b.*")) {
      return new Reply("Thanks for calling. Goodbye!", true);
    }
    if (said.isEmpty()) {
      return new Reply("Are you still there?", false);
    }
    if (lower.matches(".*\\b(hello|hi|hey)\\b.*")) {
      return new Reply("Hello! How can I help you today?", false);
    }
    return new Reply("You said: " + said + ". How else can I help?", false);
  }

  /**
   * The tool of {@code tools} ({@code [{name, description, parameters}]}) the caller names,
   * the longest name winning; null when none is named.
   */
  public static ToolChoice toolFor(String utterance, JsonArray tools) {
    if (utterance == null || tools == null) {
      return null;
    }
    List<String> said = words(utterance);
    JsonObject chosen = null;
    for (Object entry : tools) {
      JsonObject tool = (JsonObject) entry;
      String name = tool.getString("name", "");
      if (!name.isEmpty() && said.containsAll(words(name))
          && (chosen == null || name.length() > chosen.getString("name").length())) {
        chosen = tool;
      }
    }
    if (chosen == null) {
      return null;
    }
    return new ToolChoice(chosen.getString("name"),
        arguments(utterance, chosen.getJsonObject("parameters")));
  }

  /**
   * What to say about a tool's answer {@code body}: a JSON answer's {@code error} as an apology,
   * else its {@code result}, {@code message}, {@code text} or {@code answer} (the first that is
   * text), a JSON string, plain text, or else the JSON itself.
   */
  public static String aboutResult(String body) {
    Object value;
    try {
      value = body == null || body.isBlank() ? null : Json.decodeValue(body);
    } catch (RuntimeException notJson) {
      value = body;
    }
    String text = null;
    if (value instanceof JsonObject object) {
      if (object.getValue("error") instanceof String error) {
        return "Sorry, I could not do that: " + error + ".";
      }
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

  /** Each parameter's value: the word after its name, else (one parameter) the last number. */
  static JsonObject arguments(String utterance, JsonObject parameters) {
    JsonObject args = new JsonObject();
    JsonObject properties = parameters == null ? null
        : parameters.getValue("properties") instanceof JsonObject p ? p : null;
    if (properties == null || properties.isEmpty()) {
      return args;
    }
    for (Map.Entry<String, Object> property : properties) {
      String label = String.join("\\s+", words(property.getKey()).stream()
          .map(Pattern::quote).toList());
      Matcher after = Pattern.compile("(?i)\\b" + label
          + "(?:\\s+(?:is|number|no\\.?|id|of|#|:|=))*\\s*([\\p{L}\\p{N}#/+@.-]*[\\p{L}\\p{N}])")
          .matcher(utterance);
      String value = null;
      while (after.find()) {
        value = after.group(1);
      }
      if (value == null && properties.size() == 1) {
        Matcher digits = WORD_WITH_DIGIT.matcher(utterance);
        while (digits.find()) {
          value = digits.group();
        }
      }
      if (value != null) {
        String type = property.getValue() instanceof JsonObject schema
            ? schema.getString("type", "string") : "string";
        args.put(property.getKey(), typed(value, type));
      }
    }
    return args;
  }

  private static Object typed(String value, String type) {
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(value);
        case "number" -> Double.parseDouble(value);
        case "boolean" -> List.of("yes", "true", "y").contains(value.toLowerCase(Locale.ROOT));
        default -> value;
      };
    } catch (NumberFormatException e) {
      return value;
    }
  }

  /** Lower-case words: {@code order_status}, {@code orderStatus} and "Order status?" alike. */
  static List<String> words(String text) {
    String spaced = text.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    return Arrays.stream(spaced.split("[^\\p{L}\\p{N}]+")).filter(w -> !w.isEmpty()).toList();
  }
}
