package dev.agentphone.egress;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Signs an outbound webhook body with both schemes customers verify.
 *
 * <ul>
 *   <li>AgentPhone: {@code X-Webhook-Signature: sha256=<hex HMAC-SHA256>} over
 *       {@code "{timestamp}.{body}"}, keyed with the secret string exactly as shown to the
 *       customer ({@code whsec_…}, UTF-8 bytes), so {@code hmac(secret, ts + "." + body)} in any
 *       language verifies it.</li>
 *   <li>Standard Webhooks: {@code webhook-signature: v1,<base64 HMAC-SHA256>} over
 *       {@code "{id}.{timestamp}.{body}"}. The Standard Webhooks spec serialises a secret as
 *       {@code whsec_} followed by the base64 of the key bytes, and its stock verifiers strip the
 *       prefix and base64-decode the rest to get the HMAC key; we key it the same way, so those
 *       libraries verify our deliveries unchanged. A secret that is not of that form (not ours)
 *       falls back to its UTF-8 bytes.</li>
 * </ul>
 * The body must be the exact bytes sent; the timestamp is unix seconds.
 */
public final class WebhookSigner {
  public static final String SECRET_PREFIX = "whsec_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSigner() {
  }

  /** A new secret: {@code whsec_} + base64 of 32 random bytes (Standard Webhooks form). */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * Every signature header, in a stable order, for one attempt, signed with each of
   * {@code secrets} (the current one first; during a rotation's overlap also the previous one).
   * With several secrets, {@code X-Webhook-Signature} holds one {@code sha256=<hex>} per secret,
   * separated by {@code ", "} (the HTTP list form, in one header so that frameworks which keep
   * only the first of repeated headers still see them all), and {@code webhook-signature} one
   * {@code v1,<base64>} per secret separated by spaces, as Standard Webhooks specifies.
   */
  public static Map<String, String> headers(String id, long timestamp, byte[] body,
      String... secrets) {
    if (secrets.length == 0) {
      throw new IllegalArgumentException("no secret to sign with");
    }
    String ts = Long.toString(timestamp);
    StringJoiner agentPhone = new StringJoiner(", ");
    StringJoiner standard = new StringJoiner(" ");
    for (String secret : secrets) {
      agentPhone.add("sha256=" + HexFormat.of().formatHex(
          hmac(secret.getBytes(StandardCharsets.UTF_8), ts, body, null)));
      standard.add("v1," + Base64.getEncoder().encodeToString(
          hmac(standardKey(secret), ts, body, id)));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("X-Webhook-ID", id);
    headers.put("X-Webhook-Timestamp", ts);
    headers.put("X-Webhook-Signature", agentPhone.toString());
    headers.put("webhook-id", id);
    headers.put("webhook-timestamp", ts);
    headers.put("webhook-signature", standard.toString());
    return headers;
  }

  /** The HMAC key Standard Webhooks verifiers derive from a {@code whsec_} secret. */
  static byte[] standardKey(String secret) {
    if (secret.startsWith(SECRET_PREFIX)) {
      try {
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
      } catch (IllegalArgumentException notBase64) {
        // not a Standard Webhooks secret: use it as it is
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256 over {@code [id.]timestamp.body}. */
  private static byte[] hmac(byte[] key, String timestamp, byte[] body, String id) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      if (id != null) {
        mac.update(id.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
      }
      mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) '.');
      mac.update(body);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
