package dev.agentphone.providers.retell;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Retell's webhook signature: {@code X-Retell-Signature: v=<unix ms>,d=<hex HMAC-SHA256(api key,
 * raw body + timestamp)>}, accepted within a tolerance window either side of now.
 */
public final class RetellSignature {
  public static final String HEADER = "X-Retell-Signature";

  private RetellSignature() {
  }

  public static String sign(String apiKey, String rawBody, long timestampMillis) {
    return "v=" + timestampMillis + ",d=" + digest(apiKey, rawBody, Long.toString(timestampMillis));
  }

  /** True when the header is well formed, fresh and matches the body. */
  public static boolean verify(String apiKey, String rawBody, String header, long nowMillis,
      long toleranceMillis) {
    if (header == null || rawBody == null) {
      return false;
    }
    String timestamp = null;
    String digest = null;
    for (String part : header.split(",")) {
      String trimmed = part.trim();
      if (trimmed.startsWith("v=")) {
        timestamp = trimmed.substring(2);
      } else if (trimmed.startsWith("d=")) {
        digest = trimmed.substring(2);
      }
    }
    if (timestamp == null || digest == null) {
      return false;
    }
    long at;
    try {
      at = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowMillis - at) > toleranceMillis) {
      return false;
    }
    byte[] expected = digest(apiKey, rawBody, timestamp).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, digest.toLowerCase().getBytes(StandardCharsets.US_ASCII));
  }

  private static String digest(String apiKey, String rawBody, String timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(rawBody.getBytes(StandardCharsets.UTF_8));
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
