package dev.agentphone.accounts;

import dev.agentphone.http.KeyHash;

import java.security.SecureRandom;

/** API keys: {@code sk_live_} and 256 random bits; only the SHA-256 of a key is ever stored. */
final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private ApiKeys() {
  }

  static String generate() {
    StringBuilder key = new StringBuilder("sk_live_");
    // 43 base-62 characters carry 256 bits.
    for (int i = 0; i < 43; i++) {
      key.append(BASE62[RANDOM.nextInt(62)]);
    }
    return key.toString();
  }

  /** What is stored of a key: its {@link KeyHash}. */
  static String hash(String key) {
    return KeyHash.of(key);
  }

  /** The first characters shown in logs and listings, never enough to use the key. */
  static String prefix(String key) {
    return key.substring(0, Math.min(key.length(), 12));
  }
}
