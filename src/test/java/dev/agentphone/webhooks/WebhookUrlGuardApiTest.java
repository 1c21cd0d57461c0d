package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration with private targets disallowed (as in live mode). */
class WebhookUrlGuardApiTest {
  static TestEngine server;
  static String key;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("webhooks.allowPrivateTargets", false,
        "webhooks.retry.initialDelayMs", 10, "webhooks.retry.multiplier", 1)).start();
    key = server.newKey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * A URL that passed registration but now reaches a private address (DNS changed, or the rule
   * was switched on later) is refused again right before connecting.
   */
  @Test
  void privateTargetsAreRefusedAgainBeforeConnecting() {
    try (Receiver receiver = new Receiver()) {
      JsonObject owner = server.signUp("rebind-" + System.nanoTime() + "@example.com");
      String ownerKey = owner.getString("api_key");
      assertThat(server.api.post("/v1/webhooks", ownerKey,
          new JsonObject().put("url", "https://hooks.example.com/x")).status()).isEqualTo(200);
      server.sql("UPDATE webhooks SET url = ? WHERE account_id = ?", receiver.url("/inside"),
          owner.getString("account_id"));

      String eventId = Fixtures.recordEvent(server, owner.getString("account_id"),
          owner.getString("agent_id"), "agent.message", "sms", null, Fixtures.smsData("psst"));
      Map<String, Object> delivery = Fixtures.awaitRow(server,
          row -> "failed".equals(row.get("status")),
          "SELECT * FROM webhook_deliveries WHERE event_id = ?", eventId);
      assertThat((String) delivery.get("error_message")).contains("loopback").contains("not allowed");

      JsonObject test = server.api.post("/v1/webhooks/test", ownerKey, null).json();
      assertThat(test.getBoolean("success")).isFalse();
      assertThat(test.getString("error")).contains("not allowed");
      assertThat(receiver.onPath("/inside")).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook",
      "http://169.254.169.254/latest/meta-data", "http://[::1]:9000/hook",
      "http://[::ffff:127.0.0.1]/hook", "http://localhost:9000/hook", "http://192.168.0.10/h",
      "http://100.64.1.1/h"})
  void privateTargetsAreRefusedAtRegistration(String url) {
    Api.Response refused = server.api.post("/v1/webhooks", key, new JsonObject().put("url", url));
    assertThat(refused.status()).isEqualTo(422);
    JsonObject error = ((JsonArray) refused.detail()).getJsonObject(0);
    assertThat(error.getJsonArray("loc")).containsExactly("body", "url");
    assertThat(error.getString("msg")).contains("not allowed");
    assertThat(server.api.get("/v1/webhooks", key).body()).isEqualTo("null");
  }
}
