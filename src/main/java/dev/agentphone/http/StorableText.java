package dev.agentphone.http;

/**
 * Text PostgreSQL can store and that is valid Unicode. PostgreSQL's {@code text} and
 * {@code jsonb} refuse the NUL character, and the driver turns a lone UTF-16 surrogate into
 * {@code ?} on the way out, so either would fail a statement or silently change what was sent.
 */
public final class StorableText {
  static final String NUL_TYPE = "string_nul_character";
  static final String NUL_MSG = "String should not contain the NUL character (\\u0000)";
  static final String UNICODE_TYPE = "string_unicode";
  static final String SURROGATE_MSG =
      "Input should be a valid string: it contains a lone surrogate, which is not valid Unicode";

  private StorableText() {
  }

  /** The reason {@code text} cannot be stored as sent, as a 422 {@code type}; null when it can. */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return NUL_TYPE;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return UNICODE_TYPE;
        }
      }
    }
    return null;
  }

  static String message(String type) {
    return NUL_TYPE.equals(type) ? NUL_MSG : SURROGATE_MSG;
  }

  /**
   * Someone else's text made storable: each NUL and each lone surrogate becomes U+FFFD, the
   * Unicode replacement character, so the position of what could not be kept stays visible and
   * nothing else moves. Only for text we must keep and cannot refuse (a carrier's message, a
   * customer server's answer); our own API refuses such input instead.
   */
  public static String replaced(String text) {
    if (text == null || problem(text) == null) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        out.append('\uFFFD');
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append('\uFFFD');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code text} safe to echo in an error's {@code loc}: control characters and lone surrogates
   * written as {@code \\uXXXX} so the answer itself stays valid JSON and valid UTF-8.
   */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
