package dev.agentphone.accounts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Six-digit signup codes, stored only as a keyed HMAC bound to their verification id, so a leaked
 * table cannot be brute-forced offline without the engine's secret.
 */
public final class OtpCodes {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] secret;

  public OtpCodes(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  public static String newCode() {
    return String.format("%06d", RANDOM.nextInt(1_000_000));
  }

  public String hmac(String verificationId, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] out = mac.doFinal((verificationId + ":" + code).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of a submitted code against the stored HMAC. */
  public boolean matches(String verificationId, String code, String storedHmac) {
    return MessageDigest.isEqual(hmac(verificationId, code).getBytes(StandardCharsets.US_ASCII),
        storedHmac.getBytes(StandardCharsets.US_ASCII));
  }
}
