package dev.agentphone.webhooks;

import dev.agentphone.platform.Outbox;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** Shared steps of the webhook delivery tests. */
final class Fixtures {
  private Fixtures() {
  }

  /** Records a domain event the way features do: through the outbox, in a transaction. */
  static String recordEvent(TestEngine server, String accountId, String agentId, String type,
      String channel, String conversationId, JsonObject data) {
    try {
      return server.engine.pool().withTransaction(tx -> Outbox.record(tx, new Outbox.Event(
              accountId, agentId, type, channel, conversationId, data, null)))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject smsData(String text) {
    return new JsonObject().put("messageId", "msg_" + System.nanoTime())
        .put("conversationId", null).put("message", text).put("direction", "inbound");
  }

  /**
   * Verifies both signature schemes from scratch (JDK HMAC, no engine code): the AgentPhone hex
   * signature keyed with the secret string and the Standard Webhooks one keyed with the
   * base64-decoded part of the {@code whsec_} secret.
   */
  static void assertSigned(Receiver.Hit hit, String secret) {
    String id = hit.header("X-Webhook-ID");
    String timestamp = hit.header("X-Webhook-Timestamp");
    assertThat(id).isNotBlank();
    assertThat(hit.header("webhook-id")).isEqualTo(id);
    assertThat(hit.header("webhook-timestamp")).isEqualTo(timestamp);
    assertThat(Math.abs(Long.parseLong(timestamp) - System.currentTimeMillis() / 1000)).isLessThan(300);
    assertThat(hit.header("content-type")).startsWith("application/json");

    byte[] signed = concat((timestamp + ".").getBytes(StandardCharsets.UTF_8), hit.body());
    String hex = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), signed));
    assertThat(hit.header("X-Webhook-Signature")).isEqualTo("sha256=" + hex);

    byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    byte[] standard = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), hit.body());
    String expected = "v1," + Base64.getEncoder().encodeToString(hmac(key, standard));
    assertThat(List.of(hit.header("webhook-signature").split(" "))).contains(expected);
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

  /** Polls the database until the query returns a row matching, or fails after 20 s. */
  static Map<String, Object> awaitRow(TestEngine server, Predicate<Map<String, Object>> done,
      String sql, Object... params) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<Map<String, Object>> rows = List.of();
    while (System.nanoTime() < deadline) {
      rows = server.sql(sql, params);
      if (!rows.isEmpty() && done.test(rows.get(0))) {
        return rows.get(0);
      }
      Receiver.sleep(20);
    }
    throw new AssertionError("condition not reached; last rows: " + rows);
  }
}
