package dev.agentphone.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as scenarios write them: {@code 200ms}, {@code 3s}, {@code 1.5s}, {@code 2m}, or milliseconds. */
final class Durations {
  private static final Pattern TEXT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?\\s*");

  private Durations() {
  }

  /** The duration in milliseconds; a clear {@link ScenarioException} for anything else. */
  static long millis(Object value, String where) {
    if (value instanceof Number n) {
      return n.longValue();
    }
    Matcher m = value == null ? null : TEXT.matcher(value.toString());
    if (m == null || !m.matches()) {
      throw new ScenarioException(where + ": \"" + value
          + "\" is not a duration (write 200ms, 3s, 1.5s or 2m)");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return Math.round(switch (unit) {
      case "s" -> amount * 1_000;
      case "m" -> amount * 60_000;
      default -> amount;
    });
  }

  static String format(long ms) {
    return ms % 1000 == 0 && ms > 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
