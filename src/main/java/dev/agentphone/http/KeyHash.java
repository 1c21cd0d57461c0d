package dev.agentphone.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** API keys are known only by their SHA-256: what is stored, cached and compared. */
public final class KeyHash {
  private static final HexFormat HEX = HexFormat.of();
  /** Every authenticated request hashes its key: one digest per thread, not one per request. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private KeyHash() {
  }

  /** Lower-case hex SHA-256 of the key as sent by the client. */
  public static String of(String key) {
    return HEX.formatHex(SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  /** Constant-time comparison of two hex digests. */
  public static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII),
        b.getBytes(StandardCharsets.US_ASCII));
  }
}
