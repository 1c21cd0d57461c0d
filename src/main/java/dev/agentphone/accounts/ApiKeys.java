package dev.agentphone.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** API keys: {@code sk_live_} and 256 random bits; only the SHA-256 of a key is ever stored. */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private ApiKeys() {
  }

  public static String generate() {
    StringBuilder key = new StringBuilder("sk_live_");
    // 43 base-62 characters carry 256 bits.
    for (int i = 0; i < 43; i++) {
      key.append(BASE62[RANDOM.nextInt(62)]);
    }
    return key.toString();
  }

  /** Lower-case hex SHA-256 of the key as sent by the client. */
  public static String hash(String key) {
    return HEX.formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static final HexFormat HEX = HexFormat.of();
  /** Every authenticated request hashes its key: one digest per thread, not one per request. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** The first characters shown in logs and listings, never enough to use the key. */
  public static String prefix(String key) {
    return key.substring(0, Math.min(key.length(), 12));
  }

  /** Constant-time comparison of two hex digests. */
  public static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
        b.getBytes(StandardCharsets.US_ASCII));
  }
}
