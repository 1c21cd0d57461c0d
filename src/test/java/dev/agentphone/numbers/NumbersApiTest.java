package dev.agentphone.numbers;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersApiTest {
  static TestEngine server;
  static Api api;
  static final List<JsonObject> changes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("plans.catalog.starter.limits.numbers", 3)).start();
    api = server.api;
    new NumbersApi(server.vertx).onChange(change -> changes.add(new JsonObject()
        .put("action", change.action()).put("accountId", change.accountId())
        .put("numberId", change.numberId()).put("phoneNumber", change.phoneNumber())
        .put("agentId", change.agentId())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject account() {
    return server.signUp("numbers-" + System.nanoTime() + "@example.com");
  }

  private static JsonObject buy(String key, JsonObject body) {
    Api.Response bought = api.post("/v1/numbers", key, body);
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    return bought.json();
  }

  private static JsonObject changeFor(String numberId, String action) {
    long deadline = System.currentTimeMillis() + 5000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonObject change : changes) {
        if (numberId.equals(change.getString("numberId"))
            && action.equals(change.getString("action"))) {
          return change;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no numbers.changed " + action + " for " + numberId + " in " + changes);
  }

  @Test
  void buyAFictionalNumberInAnAreaCode() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject number = buy(key, new JsonObject().put("areaCode", "415"));
    assertThat(number.getString("id")).startsWith("num_");
    assertThat(number.getString("phoneNumber")).matches("\\+141555501\\d\\d");
    assertThat(number.getString("country")).isEqualTo("US");
    assertThat(number.getString("status")).isEqualTo("active");
    assertThat(number.getString("type")).isEqualTo("sms");
    assertThat(number.containsKey("agentId")).isTrue();
    assertThat(number.getValue("agentId")).isNull();
    assertThat(number.getString("createdAt")).isNotBlank();
    assertThat(api.get("/v1/numbers/" + number.getString("id"), key).json()).isEqualTo(number);
    JsonObject change = changeFor(number.getString("id"), "purchased");
    assertThat(change.getString("accountId")).isEqualTo(account.getString("account_id"));
    assertThat(change.getString("phoneNumber")).isEqualTo(number.getString("phoneNumber"));
    // the signup number was announced too
    assertThat(changeFor(account.getString("number_id"), "purchased").getString("agentId"))
        .isEqualTo(account.getString("agent_id"));
  }

  @Test
  void buyAndAttachInOneStep() {
    JsonObject account = account();
    JsonObject number = buy(account.getString("api_key"),
        new JsonObject().put("agentId", account.getString("agent_id")));
    assertThat(number.getString("agentId")).isEqualTo(account.getString("agent_id"));
    JsonArray numbers = api.get("/v1/agents/" + account.getString("agent_id"),
        account.getString("api_key")).json().getJsonArray("numbers");
    assertThat(numbers).hasSize(2);
    assertThat(changeFor(number.getString("id"), "purchased").getString("agentId"))
        .isEqualTo(account.getString("agent_id"));
  }

  @Test
  void buyingForAnUnknownAgentIs404AndBuysNothing() {
    JsonObject account = account();
    Api.Response refused = api.post("/v1/numbers", account.getString("api_key"),
        new JsonObject().put("agentId", "agt_nope"));
    assertThat(refused.status()).isEqualTo(404);
    assertThat(server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(1L);
  }

  @Test
  void badInputIs422() {
    String key = server.newKey();
    Api.Response bad = api.post("/v1/numbers", key,
        new JsonObject().put("areaCode", "41").put("country", "USA"));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().getJsonArray("detail")).hasSize(2);
  }

  @Test
  void theNumbersLimitIsEnforcedAndNamed() {
    JsonObject account = account();
    String key = account.getString("api_key");
    buy(key, new JsonObject());
    buy(key, new JsonObject());
    Api.Response refused = api.post("/v1/numbers", key, new JsonObject());
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("Number limit reached")
        .contains("3").contains("numbers limit");
    assertThat(api.get("/v1/numbers", key).json().getInteger("total")).isEqualTo(3);
  }

  @Test
  void theNumbersLimitCountsActiveNumbersSoAReleaseFreesAPlace() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String first = buy(key, new JsonObject()).getString("id");
    buy(key, new JsonObject());
    assertThat(api.post("/v1/numbers", key, new JsonObject()).status()).isEqualTo(403);
    assertThat(api.delete("/v1/numbers/" + first, key).status()).isEqualTo(200);
    buy(key, new JsonObject());
    assertThat(api.post("/v1/numbers", key, new JsonObject()).status()).isEqualTo(403);
    // four bought in all, three held
    assertThat(server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(4L);
    assertThat(api.get("/v1/usage", key).json().getJsonObject("numbers"))
        .isEqualTo(new JsonObject().put("used", 3).put("limit", 3).put("remaining", 0));
  }

  @Test
  void racingPurchasesCannotPassTheLimitTogether() throws Exception {
    JsonObject account = account();
    String key = account.getString("api_key");
    buy(key, new JsonObject());
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> racing = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        racing.add(pool.submit(() -> api.post("/v1/numbers", key, new JsonObject()).status()));
      }
      List<Integer> statuses = new java.util.ArrayList<>();
      for (java.util.concurrent.Future<Integer> r : racing) {
        statuses.add(r.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertThat(statuses).containsExactlyInAnyOrder(200, 403, 403, 403);
    } finally {
      pool.shutdown();
    }
    assertThat(server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(3L);
  }

  @Test
  void listPagesNewestFirst() {
    JsonObject account = account();
    String key = account.getString("api_key");
    JsonObject second = buy(key, new JsonObject());
    JsonObject page = api.get("/v1/numbers?limit=1", key).json();
    assertThat(page.getInteger("total")).isEqualTo(2);
    assertThat(page.getBoolean("hasMore")).isTrue();
    assertThat(page.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo(second.getString("id"));
    JsonObject rest = api.get("/v1/numbers?offset=1", key).json();
    assertThat(rest.getBoolean("hasMore")).isFalse();
    assertThat(rest.getJsonArray("data").getJsonObject(0).getString("id"))
        .isEqualTo(account.getString("number_id"));
  }

  @Test
  void releaseKeepsMessagesAndConversations() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String numberId = account.getString("number_id");
    Api.Response inbound = TwilioForms.post(api, "/webhooks/twilio/sms",
        TwilioForms.sms("SM" + System.nanoTime(), "+12125550111",
            account.getString("phone_number"), "before release"), "sandbox-twilio-auth-token");
    assertThat(inbound.status()).isEqualTo(200);

    Api.Response released = api.delete("/v1/numbers/" + numberId, key);
    assertThat(released.status()).isEqualTo(200);
    assertThat(released.json().getString("status")).isEqualTo("released");
    assertThat(changeFor(numberId, "released").getString("phoneNumber"))
        .isEqualTo(account.getString("phone_number"));

    assertThat(api.get("/v1/numbers", key).json().getInteger("total")).isEqualTo(0);
    assertThat(api.get("/v1/numbers/" + numberId, key).json().getString("status"))
        .isEqualTo("released");
    JsonArray messages = api.get("/v1/numbers/" + numberId + "/messages", key).json()
        .getJsonArray("data");
    assertThat(messages).hasSize(1);
    assertThat(messages.getJsonObject(0).getString("body")).isEqualTo("before release");
    assertThat(api.get("/v1/conversations", key).json().getInteger("total")).isEqualTo(1);
    // released numbers are gone from the agent and cannot take messages or be released again
    assertThat(api.get("/v1/agents/" + account.getString("agent_id"), key).json()
        .getJsonArray("numbers")).isEmpty();
    assertThat(TwilioForms.post(api, "/webhooks/twilio/sms",
        TwilioForms.sms("SM" + System.nanoTime(), "+12125550111",
            account.getString("phone_number"), "after release"), "sandbox-twilio-auth-token")
        .status()).isEqualTo(404);
    assertThat(api.delete("/v1/numbers/" + numberId, key).status()).isEqualTo(400);
  }

  @Test
  void attachAndDetachFollowTheRules() {
    JsonObject account = account();
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    String other = api.post("/v1/agents", key, new JsonObject().put("name", "Other")).json()
        .getString("id");
    JsonObject number = buy(key, new JsonObject());
    String numberId = number.getString("id");

    Api.Response attached = api.post("/v1/agents/" + other + "/numbers", key,
        new JsonObject().put("numberId", numberId));
    assertThat(attached.status()).isEqualTo(200);
    assertThat(attached.json().getString("agentId")).isEqualTo(other);
    assertThat(attached.json().getJsonObject("number").getString("id")).isEqualTo(numberId);
    assertThat(attached.json().getJsonObject("number").getString("phoneNumber"))
        .isEqualTo(number.getString("phoneNumber"));
    assertThat(changeFor(numberId, "attached").getString("agentId")).isEqualTo(other);

    // detaching from an agent the number is not attached to is refused
    assertThat(api.delete("/v1/agents/" + agentId + "/numbers/" + numberId, key).status())
        .isEqualTo(400);
    Api.Response detached = api.delete("/v1/agents/" + other + "/numbers/" + numberId, key);
    assertThat(detached.status()).isEqualTo(200);
    assertThat(changeFor(numberId, "detached").getString("agentId")).isEqualTo(other);
    assertThat(api.get("/v1/numbers/" + numberId, key).json().getValue("agentId")).isNull();
    assertThat(api.get("/v1/numbers/" + numberId, key).json().getString("status"))
        .isEqualTo("active");

    // a released number cannot be attached
    api.delete("/v1/numbers/" + numberId, key);
    Api.Response released = api.post("/v1/agents/" + agentId + "/numbers", key,
        new JsonObject().put("numberId", numberId));
    assertThat(released.status()).isEqualTo(400);
    assertThat(released.json().getString("detail")).contains("released");
    // unknown agent, unknown number, missing body field
    assertThat(api.post("/v1/agents/agt_nope/numbers", key,
        new JsonObject().put("numberId", account.getString("number_id"))).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + agentId + "/numbers", key,
        new JsonObject().put("numberId", "num_nope")).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + agentId + "/numbers", key, new JsonObject()).status())
        .isEqualTo(422);
  }

  @Test
  void anotherAccountsNumbersAre404Everywhere() {
    JsonObject mine = account();
    JsonObject theirs = account();
    String key = mine.getString("api_key");
    String numberId = theirs.getString("number_id");
    String theirAgent = theirs.getString("agent_id");
    assertThat(api.get("/v1/numbers/" + numberId, key).status()).isEqualTo(404);
    assertThat(api.get("/v1/numbers/" + numberId + "/messages", key).status()).isEqualTo(404);
    assertThat(api.delete("/v1/numbers/" + numberId, key).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + mine.getString("agent_id") + "/numbers", key,
        new JsonObject().put("numberId", numberId)).status()).isEqualTo(404);
    assertThat(api.post("/v1/agents/" + theirAgent + "/numbers", key,
        new JsonObject().put("numberId", mine.getString("number_id"))).status()).isEqualTo(404);
    assertThat(api.delete("/v1/agents/" + theirAgent + "/numbers/" + numberId, key).status())
        .isEqualTo(404);
    assertThat(api.delete("/v1/agents/" + mine.getString("agent_id") + "/numbers/" + numberId,
        key).status()).isEqualTo(404);
    assertThat(api.post("/v1/numbers", key, new JsonObject().put("agentId", theirAgent)).status())
        .isEqualTo(404);
    // and nothing changed on their side
    assertThat(api.get("/v1/numbers/" + numberId, theirs.getString("api_key")).json()
        .getString("agentId")).isEqualTo(theirAgent);
  }
}
