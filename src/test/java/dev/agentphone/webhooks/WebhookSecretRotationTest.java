package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating a webhook's secret: during the overlap every request is signed with both secrets, so a
 * receiver that checks only the old one and a receiver that checks only the new one (each with
 * the documented verification code) accept every delivery; after it, only the new one signs.
 */
class WebhookSecretRotationTest {
  static final Map<String, Object> SETTINGS = Map.of(
      "webhooks.maxAttempts", 1,
      "webhooks.pollIntervalMs", 200);

  record Account(String key, String accountId, String agentId) {
  }

  static Account account(TestEngine server) {
    JsonObject owner = server.signUp("rotate-" + System.nanoTime() + "@example.com");
    return new Account(owner.getString("api_key"), owner.getString("account_id"),
        owner.getString("agent_id"));
  }

  /** The receiver answers 200 to a request that verifies with {@code secret}, else 401. */
  static void verifyingOnly(Receiver receiver, AtomicReference<String> secret) {
    receiver.respond(hit -> DocumentedVerifier.accepts(hit, secret.get()) ? Receiver.Reply.ok()
        : Receiver.Reply.status(401));
  }

  /** Sends one event and answers its delivery's final status. */
  static String deliver(TestEngine server, Account account, String text) {
    String eventId = Fixtures.recordEvent(server, account.accountId(), account.agentId(),
        "agent.message", "sms", null, Fixtures.smsData(text));
    return (String) Fixtures.awaitRow(server, row -> !"pending".equals(row.get("status")),
        "SELECT status FROM webhook_deliveries WHERE event_id = ?", eventId).get("status");
  }

  @Test
  void duringTheOverlapReceiversOfEitherSecretAcceptEveryDelivery() {
    try (TestEngine server = TestEngine.builder().config(SETTINGS).start();
        Receiver receiver = new Receiver()) {
      Api api = server.api;
      Account account = account(server);
      String oldSecret = api.post("/v1/webhooks", account.key(),
          new JsonObject().put("url", receiver.url("/rotating"))).json().getString("secret");
      AtomicReference<String> checked = new AtomicReference<>(oldSecret);
      verifyingOnly(receiver, checked);
      assertThat(deliver(server, account, "before")).isEqualTo("success");
      assertThat(receiver.hits(h -> true).get(0).header("X-Webhook-Signature")).doesNotContain(",");

      Api.Response rotated = api.post("/v1/webhooks/rotate-secret", account.key(), null);
      assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
      String newSecret = rotated.json().getString("secret");
      assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
      OffsetDateTime until = OffsetDateTime.parse(rotated.json().getString("previousSecretExpiresAt"));
      assertThat(Duration.between(OffsetDateTime.now(), until).toHours()).isBetween(23L, 24L);
      assertThat(api.get("/v1/webhooks", account.key()).json().getString("secret"))
          .isEqualTo(newSecret);

      // a receiver still on the old secret, then one already on the new one
      for (String secret : List.of(oldSecret, newSecret)) {
        checked.set(secret);
        for (int i = 0; i < 3; i++) {
          assertThat(deliver(server, account, secret + " " + i)).as("delivery %d", i)
              .isEqualTo("success");
        }
      }
      Receiver.Hit signedTwice = receiver.hits(h -> true).get(receiver.hits(h -> true).size() - 1);
      assertThat(signedTwice.header("X-Webhook-Signature").split(", ")).hasSize(2)
          .allMatch(v -> v.startsWith("sha256="));
      assertThat(signedTwice.header("webhook-signature").split(" ")).hasSize(2)
          .allMatch(v -> v.startsWith("v1,"));
      assertThat(DocumentedVerifier.accepts(signedTwice, oldSecret)).isTrue();
      assertThat(DocumentedVerifier.accepts(signedTwice, newSecret)).isTrue();
      // the stock checks of the old helpers still apply, value by value
      Fixtures.assertSigned(withFirstSignature(signedTwice), newSecret);

      // a test send and a replay are signed the same way
      checked.set(oldSecret);
      assertThat(api.post("/v1/webhooks/test", account.key(), null).json().getBoolean("success"))
          .isTrue();
      String firstDelivery = (String) server.sql("SELECT id FROM webhook_deliveries "
          + "WHERE account_id = ? ORDER BY created_at LIMIT 1", account.accountId()).get(0).get("id");
      assertThat(api.post("/v1/webhooks/deliveries/" + firstDelivery + "/replay", account.key(),
          null).status()).isEqualTo(202);
      Fixtures.awaitRow(server, r -> ((Integer) r.get("attempt_count")) == 2
          && "success".equals(r.get("status")),
          "SELECT attempt_count, status FROM webhook_deliveries WHERE id = ?", firstDelivery);

      // rotating again within the overlap drops the oldest secret at once
      String third = api.post("/v1/webhooks/rotate-secret", account.key(), null).json()
          .getString("secret");
      checked.set(oldSecret);
      assertThat(deliver(server, account, "oldest dropped")).isEqualTo("failed");
      checked.set(newSecret);
      assertThat(deliver(server, account, "previous still signs")).isEqualTo("success");
      checked.set(third);
      assertThat(deliver(server, account, "newest signs")).isEqualTo("success");

      // registering the webhook again is a fresh start: one secret only
      String fresh = api.post("/v1/webhooks", account.key(),
          new JsonObject().put("url", receiver.url("/rotating"))).json().getString("secret");
      checked.set(third);
      assertThat(deliver(server, account, "after re-registering")).isEqualTo("failed");
      checked.set(fresh);
      assertThat(deliver(server, account, "fresh")).isEqualTo("success");
    }
  }

  @Test
  void afterTheOverlapOnlyTheNewSecretSigns() {
    Map<String, Object> settings = new java.util.HashMap<>(SETTINGS);
    settings.put("webhooks.secretOverlapHours", 0.0005); // 1.8 s
    try (TestEngine server = TestEngine.builder().config(settings).start();
        Receiver receiver = new Receiver()) {
      Api api = server.api;
      Account account = account(server);
      String agentPath = "/v1/agents/" + account.agentId() + "/webhook";
      assertThat(api.post(agentPath + "/rotate-secret", account.key(), null).status())
          .isEqualTo(404);
      String oldSecret = api.post(agentPath, account.key(),
          new JsonObject().put("url", receiver.url("/agent"))).json().getString("secret");
      Account stranger = account(server);
      assertThat(api.post(agentPath + "/rotate-secret", stranger.key(), null).status())
          .isEqualTo(404);
      JsonObject rotated = api.post(agentPath + "/rotate-secret", account.key(), null).json();
      String newSecret = rotated.getString("secret");
      assertThat(api.get(agentPath, account.key()).json().getString("secret")).isEqualTo(newSecret);
      OffsetDateTime until = OffsetDateTime.parse(rotated.getString("previousSecretExpiresAt"));
      while (OffsetDateTime.now().isBefore(until.plusNanos(200_000_000))) {
        Receiver.sleep(50);
      }

      AtomicReference<String> checked = new AtomicReference<>(oldSecret);
      verifyingOnly(receiver, checked);
      assertThat(deliver(server, account, "old is gone")).isEqualTo("failed");
      checked.set(newSecret);
      assertThat(deliver(server, account, "new only")).isEqualTo("success");
      Receiver.Hit last = receiver.hits(h -> true).get(receiver.hits(h -> true).size() - 1);
      assertThat(last.header("X-Webhook-Signature")).doesNotContain(",");
      assertThat(last.header("webhook-signature")).doesNotContain(" ");
      Fixtures.assertSigned(last, newSecret);
    }
  }

  /** The hit as a receiver that reads only the first of the listed signatures sees it. */
  private static Receiver.Hit withFirstSignature(Receiver.Hit hit) {
    Map<String, String> headers = new java.util.TreeMap<>(hit.headers());
    headers.put("x-webhook-signature", hit.header("X-Webhook-Signature").split(", ")[0]);
    return new Receiver.Hit(hit.path(), headers, hit.body(), hit.receivedNanos());
  }
}
