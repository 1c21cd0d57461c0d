package dev.agentphone.providers.retell;

import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retell's dynamic variables: {@code {{name}}} placeholders in a prompt or a greeting, filled per
 * call from {@code retell_llm_dynamic_variables}. A placeholder without a value stays as it is,
 * as Retell leaves it; a variable given as null fills its placeholder with nothing. The engine fills the texts it sends itself (a per-call prompt or
 * greeting), and the sandbox's simulated Retell fills an agent's stored ones the way Retell does.
 */
public final class DynamicVariables {
  /** What a variable may be called: letters, digits and underscores, not starting with a digit. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(" + NAME.pattern() + ")}}");

  private DynamicVariables() {
  }

  /** {@code text} with each {@code {{name}}} that {@code values} has replaced by its value. */
  public static String fill(String text, JsonObject values) {
    if (text == null || values == null || values.isEmpty() || !text.contains("{{")) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      Object value = values.getValue(name);
      String filled = value instanceof String s ? s : values.containsKey(name) && value == null
          ? "" : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(filled));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The values as Retell takes them: strings only, a null sent as the empty string. */
  public static JsonObject forRetell(JsonObject values) {
    JsonObject out = new JsonObject();
    if (values != null) {
      values.forEach(e -> out.put(e.getKey(), e.getValue() instanceof String s ? s : ""));
    }
    return out;
  }
}
