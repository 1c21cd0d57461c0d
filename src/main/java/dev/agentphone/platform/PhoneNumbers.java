package dev.agentphone.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/** Phone numbers in E.164 ({@code +14155550123}), parsed with libphonenumber. */
public final class PhoneNumbers {
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

  private PhoneNumbers() {
  }

  /**
   * The E.164 form of {@code input} (international, or national in {@code defaultRegion} such as
   * {@code "(415) 555-0123"}), or null when it is not a valid number.
   */
  public static String e164(String input, String defaultRegion) {
    if (input == null || input.isBlank()) {
      return null;
    }
    try {
      Phonenumber.PhoneNumber parsed = UTIL.parse(input.trim(),
          defaultRegion == null ? "US" : defaultRegion);
      return UTIL.isValidNumber(parsed)
          ? UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
    } catch (NumberParseException e) {
      return null;
    }
  }

  /**
   * True when {@code number} is already written in E.164 and is a possible number. Calls take
   * their destination strictly as the contract says (no national formats to normalise).
   */
  public static boolean isStrictE164(String number) {
    if (!number.matches("\\+[1-9]\\d{6,14}")) {
      return false;
    }
    try {
      return UTIL.isPossibleNumber(UTIL.parse(number, null));
    } catch (NumberParseException e) {
      return false;
    }
  }

  /** The sentence a client gets for a number that does not parse. */
  public static String invalid(String input) {
    return "'" + input + "' is not a valid phone number; use E.164 like +14155550123";
  }

  /**
   * What the numbering plan says a valid number is: {@code MOBILE}, {@code FIXED_LINE},
   * {@code FIXED_LINE_OR_MOBILE} (most of North America, where the plan cannot tell),
   * {@code TOLL_FREE}, {@code VOIP}, … ({@code PhoneNumberType}'s names); {@code UNKNOWN} when it
   * does not parse.
   */
  public static String planType(String e164) {
    try {
      return UTIL.getNumberType(UTIL.parse(e164, null)).name();
    } catch (NumberParseException e) {
      return "UNKNOWN";
    }
  }
}
