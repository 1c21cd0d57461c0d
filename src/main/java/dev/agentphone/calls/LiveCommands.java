package dev.agentphone.calls;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/**
 * The commands a live socket's client may send, checked before they travel to the call's
 * session: {@code say {text}}, {@code takeover}, {@code release}, {@code transfer {number}} (an
 * E.164 number), {@code dtmf {digits}} and {@code end}.
 */
final class LiveCommands {
  static final int MAX_TEXT = 5_000;
  private static final Pattern DIGITS = Pattern.compile("[0-9*#]{1,32}");

  private LiveCommands() {
  }

  /** The command as the session takes it ({@code {command, …}}); a 400 says what is wrong. */
  static JsonObject parse(String type, JsonObject frame) {
    if (type == null) {
      throw ApiError.badRequest("A command names its type: say, takeover, release, transfer, "
          + "dtmf or end");
    }
    JsonObject command = new JsonObject().put("command", type);
    switch (type) {
      case "takeover", "release", "end" -> {
        return command;
      }
      case "say" -> {
        String text = frame.getValue("text") instanceof String t ? t.strip() : null;
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
          throw ApiError.badRequest("say needs text: a string of 1 to " + MAX_TEXT
              + " characters");
        }
        return command.put("text", text);
      }
      case "transfer" -> {
        String number = frame.getValue("number") instanceof String n ? n : null;
        if (number == null || !PhoneNumbers.isStrictE164(number)) {
          throw ApiError.badRequest("transfer needs number: an E.164 phone number such as "
              + "+14155550123");
        }
        return command.put("number", number);
      }
      case "dtmf" -> {
        String digits = frame.getValue("digits") instanceof String d ? d : null;
        if (digits == null || !DIGITS.matcher(digits).matches()) {
          throw ApiError.badRequest("dtmf needs digits: 1 to 32 of 0-9, * and #");
        }
        return command.put("digits", digits);
      }
      default -> throw ApiError.badRequest("Unknown command " + type + ": say, takeover, "
          + "release, transfer, dtmf or end");
    }
  }
}
