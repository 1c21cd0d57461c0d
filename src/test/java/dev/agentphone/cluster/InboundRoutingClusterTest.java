package dev.agentphone.cluster;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestCluster;
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
 * Each node routes inbound messages from its own cache of numbers; a change made through
 * another node is what the very next message to this one follows: a release, an agent attached,
 * a contact created.
 */
class InboundRoutingClusterTest {
  static final String TOKEN = "sandbox-twilio-auth-token";
  static final String PATH = "/webhooks/twilio/sms";
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, Map.of());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Api.Response sms(TestEngine node, String from, String to, String body) {
    return TwilioForms.post(node.api, PATH, TwilioForms.sms("SM" + System.nanoTime(), from, to,
        body), TOKEN);
  }

  private static List<Map<String, Object>> received(TestEngine node, String accountId) {
    return node.sql("SELECT m.body, e.agent_id, e.data->'contact'->>'name' AS contact "
        + "FROM messages m JOIN events e ON e.data->>'messageId' = m.id "
        + "WHERE m.account_id = ? ORDER BY m.created_at", accountId);
  }

  @Test
  void aNumberReleasedOnOneNodeTakesNoMessageOnTheOtherRightAway() {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    JsonObject account = a.signUp("routing-release-" + System.nanoTime() + "@example.com");
    String phone = account.getString("phone_number");
    assertThat(sms(b, "+12125550301", phone, "before").status()).isEqualTo(200);

    assertThat(a.api.delete("/v1/numbers/" + account.getString("number_id"),
        account.getString("api_key")).status()).isEqualTo(200);
    assertThat(sms(b, "+12125550301", phone, "after").status()).isEqualTo(404);
    assertThat(received(a, account.getString("account_id"))).extracting(row -> row.get("body"))
        .containsExactly("before");
  }

  @Test
  void anAgentAttachedAndAContactCreatedOnOneNodeAreNamedOnTheOtherRightAway() {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    JsonObject account = a.signUp("routing-agent-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String phone = account.getString("phone_number");
    String from = "+12125550302";
    assertThat(sms(b, from, phone, "first").status()).isEqualTo(200);

    String other = a.api.post("/v1/agents", key, new JsonObject().put("name", "Other")).json()
        .getString("id");
    assertThat(a.api.post("/v1/agents/" + other + "/numbers", key,
        new JsonObject().put("numberId", account.getString("number_id"))).status())
        .isEqualTo(200);
    assertThat(a.api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", from)
        .put("name", "Lin")).status()).isEqualTo(201);
    assertThat(sms(b, from, phone, "second").status()).isEqualTo(200);

    List<Map<String, Object>> rows = received(a, account.getString("account_id"));
    assertThat(rows).extracting(row -> row.get("agent_id"))
        .containsExactly(account.getString("agent_id"), other);
    assertThat(rows).extracting(row -> row.get("contact")).containsExactly(null, "Lin");
  }
}
