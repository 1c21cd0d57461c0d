package dev.agentphone.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A receiver's check of a request against ONE secret, written from docs/webhooks.md alone (JDK
 * HMAC, no engine code): the AgentPhone header holds one or more comma-separated
 * {@code sha256=<hex>} values and any may match; the Standard Webhooks header holds
 * space-separated {@code v1,<base64>} values and any may match, as its stock libraries check.
 */
final class DocumentedVerifier {
  private DocumentedVerifier() {
  }

  /** Both schemes verify with {@code secret}. */
  static boolean accepts(Receiver.Hit hit, String secret) {
    return agentPhone(hit, secret) && standard(hit, secret);
  }

  static boolean agentPhone(Receiver.Hit hit, String secret) {
    String header = hit.header("X-Webhook-Signature");
    if (header == null) {
      return false;
    }
    byte[] signed = concat((hit.header("X-Webhook-Timestamp") + ".").getBytes(StandardCharsets.UTF_8),
        hit.body());
    String expected = "sha256=" + HexFormat.of().formatHex(
        hmac(secret.getBytes(StandardCharsets.UTF_8), signed));
    for (String value : header.split(",")) {
      if (same(expected, value.strip())) {
        return true;
      }
    }
    return false;
  }

  static boolean standard(Receiver.Hit hit, String secret) {
    String header = hit.header("webhook-signature");
    if (header == null) {
      return false;
    }
    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    byte[] signed = concat((hit.header("webhook-id") + "." + hit.header("webhook-timestamp") + ".")
        .getBytes(StandardCharsets.UTF_8), hit.body());
    String expected = Base64.getEncoder().encodeToString(hmac(key, signed));
    for (String value : header.split(" ")) {
      if (value.startsWith("v1,") && same(expected, value.substring(3))) {
        return true;
      }
    }
    return false;
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
