package dev.agentphone.messaging;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbound messages are routed from the node's cache of numbers, and each is still stored under
 * its number's owner and agent as they are when it is written: a number released, given to
 * another account or moved off its agent, even by a write the cache never heard of, routes the
 * very next message where it belongs now; a contact created, changed or deleted is what the
 * next message's event names.
 */
class InboundRoutingTest {
  static final String TOKEN = "sandbox-twilio-auth-token";
  static final String PATH = "/webhooks/twilio/sms";
  static TestEngine server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject account() {
    return server.signUp("routing-" + System.nanoTime() + "@example.com");
  }

  private static Api.Response sms(String from, String to, String body) {
    return TwilioForms.post(api, PATH, TwilioForms.sms("SM" + System.nanoTime(), from, to, body),
        TOKEN);
  }

  /** The account's stored messages' bodies with their events' agents and contacts, in order. */
  private static List<Map<String, Object>> received(String accountId) {
    return server.sql("SELECT m.body, e.agent_id, e.data->'contact'->>'name' AS contact "
        + "FROM messages m JOIN events e ON e.data->>'messageId' = m.id "
        + "WHERE m.account_id = ? ORDER BY m.created_at", accountId);
  }

  @Test
  void aReleasedNumberTakesNoMessageRightAfterTheRelease() {
    JsonObject account = account();
    String phone = account.getString("phone_number");
    assertThat(sms("+12125550201", phone, "before").status()).isEqualTo(200);

    assertThat(api.delete("/v1/numbers/" + account.getString("number_id"),
        account.getString("api_key")).status()).isEqualTo(200);
    assertThat(sms("+12125550201", phone, "after").status()).isEqualTo(404);
    assertThat(received(account.getString("account_id"))).extracting(row -> row.get("body"))
        .containsExactly("before");
  }

  @Test
  void aNumberGivenToAnotherAccountBehindTheCacheReachesItsNewOwner() {
    JsonObject first = account();
    JsonObject second = account();
    String phone = first.getString("phone_number");
    assertThat(sms("+12125550202", phone, "to the first").status()).isEqualTo(200);

    // changed in the database only: no announcement reaches the cache
    server.sql("UPDATE phone_numbers SET status = 'released', released_at = now() WHERE id = ?",
        first.getString("number_id"));
    server.sql("INSERT INTO phone_numbers (id, account_id, agent_id, phone_number, country, "
        + "type, status, provider) VALUES (?, ?, ?, ?, 'US', 'sms', 'active', 'sandbox')",
        "num_moved" + System.nanoTime(), second.getString("account_id"),
        second.getString("agent_id"), phone);

    assertThat(sms("+12125550202", phone, "to the second").status()).isEqualTo(200);
    assertThat(received(first.getString("account_id"))).extracting(row -> row.get("body"))
        .containsExactly("to the first");
    List<Map<String, Object>> moved = received(second.getString("account_id"));
    assertThat(moved).extracting(row -> row.get("body")).containsExactly("to the second");
    assertThat(moved.get(0).get("agent_id")).isEqualTo(second.getString("agent_id"));
  }

  @Test
  void anAgentTakenOffTheNumberBehindTheCacheIsNotNamed() {
    JsonObject account = account();
    String phone = account.getString("phone_number");
    assertThat(sms("+12125550203", phone, "with agent").status()).isEqualTo(200);

    server.sql("UPDATE phone_numbers SET agent_id = NULL WHERE id = ?",
        account.getString("number_id"));
    assertThat(sms("+12125550203", phone, "without").status()).isEqualTo(200);

    List<Map<String, Object>> rows = received(account.getString("account_id"));
    assertThat(rows).extracting(row -> row.get("body")).containsExactly("with agent", "without");
    assertThat(rows.get(0).get("agent_id")).isEqualTo(account.getString("agent_id"));
    assertThat(rows.get(1).get("agent_id")).isNull();
  }

  @Test
  void anAgentAttachedThroughTheApiIsNamedByTheNextMessage() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String phone = account.getString("phone_number");
    assertThat(sms("+12125550204", phone, "first agent").status()).isEqualTo(200);

    String other = api.post("/v1/agents", key, new JsonObject().put("name", "Other")).json()
        .getString("id");
    assertThat(api.post("/v1/agents/" + other + "/numbers", key,
        new JsonObject().put("numberId", account.getString("number_id"))).status())
        .isEqualTo(200);
    assertThat(sms("+12125550204", phone, "other agent").status()).isEqualTo(200);

    List<Map<String, Object>> rows = received(account.getString("account_id"));
    assertThat(rows).extracting(row -> row.get("agent_id"))
        .containsExactly(account.getString("agent_id"), other);
  }

  @Test
  void aContactCreatedChangedOrDeletedIsWhatTheNextEventNames() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String phone = account.getString("phone_number");
    String from = "+12125550205";
    assertThat(sms(from, phone, "unknown").status()).isEqualTo(200);

    String contactId = api.post("/v1/contacts", key, new JsonObject()
        .put("phoneNumber", from).put("name", "Grace")).json().getString("id");
    assertThat(sms(from, phone, "known").status()).isEqualTo(200);
    assertThat(api.patch("/v1/contacts/" + contactId, key, new JsonObject()
        .put("name", "Grace H.")).status()).isEqualTo(200);
    assertThat(sms(from, phone, "renamed").status()).isEqualTo(200);
    assertThat(api.delete("/v1/contacts/" + contactId, key).status()).isIn(200, 204);
    assertThat(sms(from, phone, "forgotten").status()).isEqualTo(200);

    assertThat(received(account.getString("account_id"))).extracting(row -> row.get("contact"))
        .containsExactly(null, "Grace", "Grace H.", null);
  }

  @Test
  void anotherAccountsContactForTheSameSenderIsNotNamed() {
    JsonObject account = account();
    JsonObject other = account();
    String from = "+12125550206";
    api.post("/v1/contacts", other.getString("api_key"), new JsonObject()
        .put("phoneNumber", from).put("name", "Not yours"));
    assertThat(sms(from, account.getString("phone_number"), "hi").status()).isEqualTo(200);
    assertThat(received(account.getString("account_id"))).extracting(row -> row.get("contact"))
        .containsExactly((Object) null);
  }
}
