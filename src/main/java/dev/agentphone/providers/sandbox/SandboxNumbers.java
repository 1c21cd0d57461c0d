package dev.agentphone.providers.sandbox;

import java.security.SecureRandom;
import java.util.List;

/**
 * Fictional US numbers: the 555-0100…555-0199 range is reserved for fiction in every area code,
 * so sandbox numbers can never ring a real phone.
 */
public final class SandboxNumbers {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> AREA_CODES = List.of(
      "201", "202", "206", "212", "213", "303", "305", "312", "404", "415", "503", "512", "602",
      "617", "646", "702", "718", "720", "805", "917");

  private SandboxNumbers() {
  }

  /** A random fictional number in E.164, in the given area code when one is asked for. */
  public static String candidate(String areaCode) {
    String area = areaCode != null && areaCode.matches("[2-9]\\d\\d")
        ? areaCode : AREA_CODES.get(RANDOM.nextInt(AREA_CODES.size()));
    return String.format("+1%s55501%02d", area, RANDOM.nextInt(100));
  }

  /** True for a number in E.164 in the fictional 555-0100…555-0199 range of a NANP area code. */
  public static boolean isFictional(String e164) {
    return e164 != null && e164.matches("\\+1[2-9]\\d\\d55501\\d\\d");
  }
}
