package dev.agentphone.accounts;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plan limits count per account: each sub-account has the whole of its parent's plan (numbers,
 * monthly messages, concurrent calls), used up independently of its parent and siblings. And a
 * sub-account's voice turns reach the parent's webhook naming the sub-account.
 */
class SubAccountLimitsTest {
  static TestEngine engine;
  static Api api;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of(
        "plans.catalog.starter.limits.numbers", 2,
        "plans.catalog.starter.limits.messagesPerMonth", 2,
        "plans.catalog.starter.limits.concurrentCalls", 1)).start();
    api = engine.api;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  /** A parent (signed up with its starter agent and number) and two sub-accounts of it. */
  private record Family(String key, JsonObject parent, String firstId, String secondId) {
    Api first() {
      return api.asSubAccount(firstId);
    }

    Api second() {
      return api.asSubAccount(secondId);
    }
  }

  private static Family family() {
    JsonObject parent = engine.signUp("limits-" + System.nanoTime() + "@example.com");
    String key = parent.getString("api_key");
    List<String> children = new ArrayList<>();
    for (String name : List.of("First", "Second")) {
      children.add(api.post("/v1/sub-accounts", key, new JsonObject().put("name", name)).json()
          .getString("id"));
    }
    return new Family(key, parent, children.get(0), children.get(1));
  }

  private static String agent(Api as, String key) {
    return as.post("/v1/agents", key, new JsonObject().put("name", "Desk")).json().getString("id");
  }

  @Test
  void eachSubAccountHasTheWholeNumbersLimit() {
    Family family = family();
    String key = family.key();
    for (int i = 0; i < 2; i++) {
      Api.Response bought = family.first().post("/v1/numbers", key, new JsonObject());
      assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    }
    Api.Response refused = family.first().post("/v1/numbers", key, new JsonObject());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("Number limit reached");
    assertThat(family.first().get("/v1/usage", key).json().getJsonObject("numbers")
        .getLong("remaining")).isZero();

    // the parent's starter number and the first child's two leave the others' limits untouched
    assertThat(family.second().post("/v1/numbers", key, new JsonObject()).status())
        .isEqualTo(200);
    assertThat(family.second().get("/v1/usage", key).json().getJsonObject("numbers")
        .getLong("remaining")).isEqualTo(1);
    assertThat(api.post("/v1/numbers", key, new JsonObject()).status()).isEqualTo(200);
    assertThat(api.post("/v1/numbers", key, new JsonObject()).status()).isEqualTo(403);
  }

  @Test
  void eachSubAccountHasTheWholeMonthlyMessageQuota() {
    Family family = family();
    String key = family.key();
    String agent = agent(family.first(), key);
    family.first().post("/v1/numbers", key, new JsonObject().put("agentId", agent));
    JsonObject send = new JsonObject().put("agent_id", agent).put("to_number", "+12125550123")
        .put("body", "Hi");
    for (int i = 0; i < 2; i++) {
      Api.Response sent = family.first().post("/v1/messages", key, send);
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    }
    Api.Response refused = family.first().post("/v1/messages", key, send);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().getString("detail")).contains("Monthly message limit reached");

    Api.Response parents = api.post("/v1/messages", key, new JsonObject()
        .put("agent_id", family.parent().getString("agent_id"))
        .put("to_number", "+12125550123").put("body", "Hi"));
    assertThat(parents.status()).as(parents.body()).isEqualTo(200);
    assertThat(api.get("/v1/usage", key).json().getJsonObject("period")
        .getLong("outboundMessages")).isEqualTo(1);
    assertThat(family.first().get("/v1/usage", key).json().getJsonObject("period")
        .getLong("outboundMessages")).isEqualTo(2);
  }

  @Test
  void concurrentCallsAreCountedPerSubAccount() {
    Family family = family();
    String key = family.key();
    List<String> phones = new ArrayList<>();
    for (Api child : List.of(family.first(), family.second())) {
      phones.add(child.post("/v1/numbers", key, new JsonObject().put("agentId", agent(child, key)))
          .json().getString("phoneNumber"));
    }
    JsonObject dial = new JsonObject().put("from", "+14155550142");
    Api.Response first = family.first().post("/sandbox/calls", key, dial.copy()
        .put("to", phones.get(0)));
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    String agent = family.first().get("/v1/agents", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    Api.Response second = family.first().post("/v1/calls", key,
        new JsonObject().put("agentId", agent).put("toNumber", "+14155550123"));
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.json().getString("detail")).contains("Concurrent call limit reached");

    // the sibling's and the parent's calls are theirs to count
    String siblingsAgent = family.second().get("/v1/agents", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    Api.Response sibling = family.second().post("/v1/calls", key,
        new JsonObject().put("agentId", siblingsAgent).put("toNumber", "+14155550123"));
    assertThat(sibling.status()).as(sibling.body()).isEqualTo(200);
    Api.Response parents = api.post("/v1/calls", key, new JsonObject()
        .put("agentId", family.parent().getString("agent_id")).put("toNumber", "+14155550123"));
    assertThat(parents.status()).as(parents.body()).isEqualTo(200);
    for (Api as : List.of(family.first(), family.second(), api)) {
      for (Object call : as.get("/v1/calls", key).json().getJsonArray("data")) {
        as.post("/v1/calls/" + ((JsonObject) call).getString("id") + "/end", key, null);
      }
    }
  }

  @Test
  void aSubAccountsVoiceTurnsReachItsParentsWebhookNamingIt() {
    Family family = family();
    String key = family.key();
    try (CustomerWebhook receiver = new CustomerWebhook()) {
      receiver.answer(r -> r.request().response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("text", "Parent's desk here.").encode()));
      assertThat(api.post("/v1/webhooks", key, new JsonObject().put("url", receiver.url()))
          .status()).isEqualTo(200);
      Api child = family.first();
      String agent = child.post("/v1/agents", key, new JsonObject().put("name", "Voice desk")
          .put("voiceMode", "webhook")).json().getString("id");
      String phone = child.post("/v1/numbers", key, new JsonObject().put("agentId", agent))
          .json().getString("phoneNumber");
      String callId = child.post("/sandbox/calls", key, new JsonObject()
          .put("from", "+14155550142").put("to", phone)).json().getString("callId");
      Api.Response said = child.post("/sandbox/calls/" + callId + "/say", key,
          new JsonObject().put("text", "Who is this?"));
      assertThat(said.status()).as(said.body()).isEqualTo(200);
      assertThat(said.json().getString("reply")).isEqualTo("Parent's desk here.");
      child.post("/sandbox/calls/" + callId + "/hangup", key, null);

      JsonObject turn = receiver.received.stream().map(CustomerWebhook.Received::body)
          .filter(b -> "voice".equals(b.getString("channel"))).findFirst().orElseThrow();
      assertThat(turn.getString("event")).isEqualTo("agent.message");
      assertThat(turn.getString("accountId")).isEqualTo(family.firstId());
      assertThat(turn.getString("agentId")).isEqualTo(agent);
      poll(() -> receiver.received.stream().anyMatch(r ->
          "agent.call_ended".equals(r.body().getString("event"))));
      assertThat(receiver.received.stream().map(r -> r.body().getString("accountId")).distinct()
          .toList()).containsExactly(family.firstId());
    }
  }
}
