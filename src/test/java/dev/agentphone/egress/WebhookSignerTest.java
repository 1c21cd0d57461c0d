package dev.agentphone.egress;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerTest {

  @Test
  void standardWebhooksSignatureMatchesTheSpecificationsTestVector() {
    // The example from the Standard Webhooks specification.
    Map<String, String> headers = WebhookSigner.headers("msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330L, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8),
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    assertThat(headers.get("webhook-signature"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    assertThat(headers.get("webhook-id")).isEqualTo("msg_p5jXN8AQM9LWM0D4loKWxJek");
    assertThat(headers.get("webhook-timestamp")).isEqualTo("1614265330");
  }

  @Test
  void agentPhoneSignatureIsHexHmacOfTimestampDotBodyKeyedWithTheSecretString() throws Exception {
    String secret = WebhookSigner.newSecret();
    byte[] body = "{\"event\":\"agent.message\",\"text\":\"héllo\"}".getBytes(StandardCharsets.UTF_8);

    Map<String, String> headers = WebhookSigner.headers("whd_1", 1700000000L, body, secret);

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal(("1700000000." + new String(body, StandardCharsets.UTF_8))
        .getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : expected) {
      hex.append(String.format("%02x", b));
    }
    assertThat(headers.get("X-Webhook-Signature")).isEqualTo("sha256=" + hex);
    assertThat(headers.get("X-Webhook-ID")).isEqualTo("whd_1");
    assertThat(headers.get("X-Webhook-Timestamp")).isEqualTo("1700000000");
  }

  @Test
  void secretsAreNewEachTimeAndCarryA32ByteKey() {
    String a = WebhookSigner.newSecret();
    String b = WebhookSigner.newSecret();
    assertThat(a).startsWith("whsec_").isNotEqualTo(b);
    assertThat(Base64.getDecoder().decode(a.substring(6))).hasSize(32);
  }
}
