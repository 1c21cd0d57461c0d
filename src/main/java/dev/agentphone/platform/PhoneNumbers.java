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

  /** The sentence a client gets for a number that does not parse. */
  public static String invalid(String input) {
    return "'" + input + "' is not a valid phone number; use E.164 like +14155550123";
  }
}
