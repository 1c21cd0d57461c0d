package dev.agentphone.webhooks;

import dev.agentphone.support.SilentNameServer;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook deliveries whose host the name server never answers for: each attempt fails after the
 * DNS time-out with a reason the customer can read, and nobody else's deliveries wait for them.
 */
class WebhookDnsTimeoutTest {
  static SilentNameServer dns;
  static TestEngine server;
  static Receiver receiver;

  @BeforeAll
  static void start() {
    dns = new SilentNameServer();
    server = TestEngine.builder().config(Map.of(
        "webhooks.dns.servers", dns.address(),
        "webhooks.dns.timeoutMillis", 500,
        "webhooks.maxAttempts", 1)).start();
    receiver = new Receiver();
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
    dns.close();
  }

  private static JsonObject accountWithWebhook(String url) {
    JsonObject owner = server.signUp("dns-" + System.nanoTime() + "@example.com");
    assertThat(server.api.post("/v1/webhooks", owner.getString("api_key"),
        new JsonObject().put("url", url)).status()).isEqualTo(200);
    return owner;
  }

  private static String event(JsonObject owner, String text) {
    return Fixtures.recordEvent(server, owner.getString("account_id"),
        owner.getString("agent_id"), "agent.message", "sms", null, Fixtures.smsData(text));
  }

  @Test
  void anUnansweredLookupFailsTheAttemptAndOtherDeliveriesKeepFlowing() {
    JsonObject stuck = accountWithWebhook("https://hooks.never-answers.test/in");
    // a name from the hosts file: resolved by the same lookup, without the silent server
    JsonObject fine = accountWithWebhook("http://localhost:" + receiver.port() + "/fine");

    List<String> stuckEvents = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      stuckEvents.add(event(stuck, "lost " + i));
    }
    for (int i = 0; i < 40; i++) {
      event(fine, "fine " + i);
    }

    List<Receiver.Hit> delivered = receiver.awaitPath(40, "/fine");
    assertThat(delivered).hasSize(40);
    for (String eventId : stuckEvents) {
      Map<String, Object> delivery = Fixtures.awaitRow(server,
          row -> "failed".equals(row.get("status")),
          "SELECT status, attempt_count, error_message FROM webhook_deliveries WHERE event_id = ?",
          eventId);
      assertThat(delivery.get("attempt_count")).isEqualTo(1);
      assertThat((String) delivery.get("error_message"))
          .contains("hooks.never-answers.test").contains("did not answer within 500 ms");
    }
    assertThat(dns.queries()).isPositive();
  }

  @Test
  void theTestButtonReportsTheLookupTimeOut() {
    JsonObject stuck = accountWithWebhook("https://test-button.never-answers.test/in");
    JsonObject test = server.api.post("/v1/webhooks/test", stuck.getString("api_key"), null)
        .json();
    assertThat(test.getBoolean("success")).isFalse();
    assertThat(test.getString("error")).contains("did not answer within 500 ms");
  }
}
