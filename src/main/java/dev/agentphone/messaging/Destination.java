package dev.agentphone.messaging;

import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a message goes, read for the line sending it: one person (a phone number in E.164, or an
 * email address on iMessage), an existing group ({@code grp_…}) or a new group of
 * {@code members}. What the line cannot reach is refused with 400; what is not an address at all
 * with 422.
 */
record Destination(String participant, boolean group, List<String> members) {
  static final String GROUP_PREFIX = "grp_";
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  /** A new group: its members are known, its id not yet. */
  boolean startsGroup() {
    return members != null;
  }

  static Destination of(ActiveNumber line, String toNumber, List<String> recipients) {
    boolean imessage = "imessage".equals(line.type());
    if (recipients != null) {
      if (!imessage) {
        throw ApiError.badRequest("Group messages (recipients) are an iMessage feature: "
            + line.phoneNumber() + " is an SMS line. Send to one to_number at a time, or "
            + "from an iMessage number.");
      }
      return new Destination(null, true, members(line, recipients));
    }
    if (toNumber == null) {
      throw ApiError.invalid(new JsonArray().add("body").add("to_number"), "missing",
          "Field required (or recipients, to start a new group)");
    }
    if (toNumber.startsWith(GROUP_PREFIX)) {
      if (!imessage) {
        throw ApiError.badRequest("Groups are an iMessage feature: " + line.phoneNumber()
            + " is an SMS line and has no group " + toNumber);
      }
      return new Destination(toNumber, true, null);
    }
    String address = address(line, toNumber, new JsonArray().add("body").add("to_number"));
    if (!imessage && address.contains("@")) {
      throw ApiError.badRequest("Email addresses are reachable over iMessage only: "
          + line.phoneNumber() + " is an SMS line; send to a phone number");
    }
    return new Destination(address, false, null);
  }

  private static List<String> members(ActiveNumber line, List<String> recipients) {
    Set<String> members = new LinkedHashSet<>();
    for (int i = 0; i < recipients.size(); i++) {
      JsonArray loc = new JsonArray().add("body").add("recipients").add(i);
      String raw = recipients.get(i);
      if (raw.startsWith(GROUP_PREFIX)) {
        throw ApiError.invalid(loc, "value_error", "A group's recipients are phone numbers "
            + "or emails, not a group id");
      }
      String member = address(line, raw, loc);
      if (member.equals(line.phoneNumber())) {
        throw ApiError.invalid(loc, "value_error", member + " is the sending line itself");
      }
      members.add(member);
    }
    if (members.size() < SendRequest.MIN_RECIPIENTS) {
      throw ApiError.invalid(new JsonArray().add("body").add("recipients"), "too_short",
          "A group needs at least " + SendRequest.MIN_RECIPIENTS + " different recipients");
    }
    return new ArrayList<>(members);
  }

  /** An email address (lower-cased) or a phone number in E.164 (national in the line's country). */
  private static String address(ActiveNumber line, String raw, JsonArray loc) {
    if (raw.contains("@")) {
      if (!EMAIL.matcher(raw.trim()).matches()) {
        throw ApiError.invalid(loc, "value_error", "'" + raw + "' is not a valid email address");
      }
      return raw.trim().toLowerCase(Locale.ROOT);
    }
    String e164 = PhoneNumbers.e164(raw, line.country());
    if (e164 == null) {
      throw ApiError.invalid(loc, "value_error", PhoneNumbers.invalid(raw));
    }
    return e164;
  }
}
