package dev.agentphone.accounts;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parent and two sub-accounts, each with an agent, a number, a contact, a conversation with
 * messages, a finished call and (two of them) a webhook, all made over HTTP and the sandbox tools
 * with the parent's one key. Every resource is seen only by the account it belongs to: between
 * siblings, and between parent and child in both directions.
 */
class SubAccountIsolationTest {
  static TestEngine engine;
  static CustomerWebhook parentsReceiver;
  static CustomerWebhook berlinsReceiver;
  static String key;
  /** The parent (no header), Berlin and Hamburg (headers), in that order. */
  static final Map<String, Tenant> TENANTS = new LinkedHashMap<>();

  /** One account's view (its client) and what it owns, by kind. */
  record Tenant(String accountId, Api api, Map<String, String> ids, String phone) {
  }

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    parentsReceiver = new CustomerWebhook();
    berlinsReceiver = new CustomerWebhook();
    JsonObject owner = engine.signUp("isolation-" + System.nanoTime() + "@example.com");
    key = owner.getString("api_key");
    Map<String, String> parentIds = new LinkedHashMap<>();
    parentIds.put("agents", owner.getString("agent_id"));
    parentIds.put("numbers", owner.getString("number_id"));
    TENANTS.put("parent", new Tenant(owner.getString("account_id"), engine.api, parentIds,
        owner.getString("phone_number")));
    for (String name : List.of("berlin", "hamburg")) {
      String id = engine.api.post("/v1/sub-accounts", key, new JsonObject().put("name", name))
          .json().getString("id");
      Api api = engine.api.asSubAccount(id);
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("agents", ok(api.post("/v1/agents", key, new JsonObject().put("name", name)))
          .getString("id"));
      JsonObject number = ok(api.post("/v1/numbers", key,
          new JsonObject().put("agentId", ids.get("agents"))));
      ids.put("numbers", number.getString("id"));
      TENANTS.put(name, new Tenant(id, api, ids, number.getString("phoneNumber")));
    }
    assertThat(ok(engine.api.post("/v1/webhooks", key,
        new JsonObject().put("url", parentsReceiver.url()))).getString("id")).isNotNull();
    assertThat(ok(TENANTS.get("berlin").api().post("/v1/webhooks", key,
        new JsonObject().put("url", berlinsReceiver.url()))).getString("id")).isNotNull();

    int caller = 0;
    for (Tenant tenant : TENANTS.values()) {
      Api api = tenant.api();
      caller++;
      tenant.ids().put("contacts", ok(api.post("/v1/contacts", key, new JsonObject()
          .put("name", "Ada").put("phoneNumber", "+1212555010" + caller))).getString("id"));
      JsonObject texted = ok(api.post("/sandbox/sms", key, new JsonObject()
          .put("from", "+1212555020" + caller).put("to", tenant.phone()).put("body", "Hello")));
      tenant.ids().put("conversations", texted.getJsonObject("message")
          .getString("conversationId"));
      tenant.ids().put("messages", texted.getJsonObject("message").getString("id"));
      ok(api.post("/v1/messages", key, new JsonObject().put("agent_id", tenant.ids().get("agents"))
          .put("to_number", "+1212555020" + caller).put("body", "Hi back")));
      String callId = ok(api.post("/sandbox/calls", key, new JsonObject()
          .put("from", "+1415555030" + caller).put("to", tenant.phone()))).getString("callId");
      ok(api.post("/sandbox/calls/" + callId + "/say", key, new JsonObject().put("text", "Hi")));
      ok(api.post("/sandbox/calls/" + callId + "/hangup", key, null));
      tenant.ids().put("calls", callId);
    }
    poll(() -> TENANTS.values().stream().allMatch(t -> !"in-progress".equals(
        t.api().get("/v1/calls/" + t.ids().get("calls"), key).json().getString("status"))));
  }

  @AfterAll
  static void stop() {
    parentsReceiver.close();
    berlinsReceiver.close();
    engine.close();
  }

  private static JsonObject ok(Api.Response response) {
    assertThat(response.status()).as(response.body()).isIn(200, 201);
    return response.json();
  }

  @Test
  void everyListShowsOnlyTheAccountsOwnObjects() {
    for (Tenant tenant : TENANTS.values()) {
      for (String kind : List.of("agents", "numbers", "contacts", "conversations", "calls")) {
        Api.Response list = tenant.api().get("/v1/" + kind, key);
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(SubAccountsTest.ids(list.json())).as("%s of %s", kind, tenant.accountId())
            .containsExactly(tenant.ids().get(kind));
      }
      String conversation = tenant.ids().get("conversations");
      assertThat(SubAccountsTest.ids(tenant.api().get("/v1/conversations/" + conversation
          + "/messages", key).json())).hasSize(2).contains(tenant.ids().get("messages"));
      String agent = tenant.ids().get("agents");
      assertThat(SubAccountsTest.ids(tenant.api().get("/v1/agents/" + agent + "/conversations",
          key).json())).containsExactly(conversation);
      assertThat(SubAccountsTest.ids(tenant.api().get("/v1/agents/" + agent + "/calls", key)
          .json())).containsExactly(tenant.ids().get("calls"));
      // what the simulated carrier was asked to send, per account
      List<Object> sent = tenant.api().get("/sandbox/sms", key).json().getJsonArray("data")
          .stream().toList();
      assertThat(sent).hasSize(1);
      assertThat(((JsonObject) sent.get(0)).getString("from")).isEqualTo(tenant.phone());
    }
  }

  @Test
  void anotherAccountsObjectIsNotFoundInEitherDirection() {
    Map<String, String> readPaths = Map.of(
        "agents", "/v1/agents/%s",
        "numbers", "/v1/numbers/%s",
        "contacts", "/v1/contacts/%s",
        "conversations", "/v1/conversations/%s",
        "calls", "/v1/calls/%s");
    for (Tenant viewer : TENANTS.values()) {
      for (Tenant owner : TENANTS.values()) {
        for (Map.Entry<String, String> read : readPaths.entrySet()) {
          String path = read.getValue().formatted(owner.ids().get(read.getKey()));
          int status = viewer.api().get(path, key).status();
          assertThat(status).as("%s reads %s of %s", viewer.accountId(), path, owner.accountId())
              .isEqualTo(viewer == owner ? 200 : 404);
        }
        if (viewer == owner) {
          continue;
        }
        String agent = owner.ids().get("agents");
        List<Api.Response> writes = new ArrayList<>(List.of(
            viewer.api().patch("/v1/agents/" + agent, key, new JsonObject().put("name", "Taken")),
            viewer.api().get("/v1/conversations/" + owner.ids().get("conversations")
                + "/messages", key),
            viewer.api().get("/v1/calls/" + owner.ids().get("calls") + "/transcript", key),
            viewer.api().get("/v1/numbers/" + owner.ids().get("numbers") + "/messages", key),
            viewer.api().patch("/v1/contacts/" + owner.ids().get("contacts"), key,
                new JsonObject().put("name", "Taken")),
            viewer.api().post("/v1/messages", key, new JsonObject().put("agent_id", agent)
                .put("to_number", "+12125550999").put("body", "Not mine")),
            viewer.api().post("/v1/calls", key, new JsonObject().put("agentId", agent)
                .put("toNumber", "+14155550999")),
            viewer.api().post("/v1/messages/" + owner.ids().get("messages") + "/reactions", key,
                new JsonObject().put("reaction", "love")),
            viewer.api().get("/v1/agents/" + agent + "/webhook", key),
            viewer.api().post("/sandbox/sms", key, new JsonObject().put("from", "+12125550998")
                .put("to", owner.phone()).put("body", "Not yours")),
            viewer.api().post("/sandbox/calls", key, new JsonObject().put("from", "+12125550998")
                .put("to", owner.phone()))));
        for (Api.Response write : writes) {
          assertThat(write.status()).as("%s acting on %s's objects: %s", viewer.accountId(),
              owner.accountId(), write.body()).isEqualTo(404);
        }
        assertThat(viewer.api().delete("/v1/contacts/" + owner.ids().get("contacts"), key)
            .status()).isEqualTo(404);
        assertThat(viewer.api().delete("/v1/numbers/" + owner.ids().get("numbers"), key)
            .status()).isEqualTo(404);
      }
    }
    for (Tenant tenant : TENANTS.values()) {
      assertThat(tenant.api().get("/v1/agents/" + tenant.ids().get("agents"), key).json()
          .getString("name")).isNotEqualTo("Taken");
      assertThat(tenant.api().get("/v1/numbers/" + tenant.ids().get("numbers"), key).status())
          .isEqualTo(200);
    }
  }

  @Test
  void usageIsCountedPerAccountAndTheParentReadsEachChildsWithTheHeader() {
    for (Tenant tenant : TENANTS.values()) {
      JsonObject usage = tenant.api().get("/v1/usage", key).json();
      assertThat(usage.getJsonObject("numbers").getLong("used")).isEqualTo(1);
      assertThat(usage.getJsonObject("stats").getLong("totalMessages")).isEqualTo(2);
      assertThat(usage.getJsonObject("stats").getLong("totalCalls")).isEqualTo(1);
      assertThat(usage.getJsonObject("period").getLong("outboundMessages")).isEqualTo(1);
      JsonObject byNumber = tenant.api().get("/v1/usage/by-number", key).json();
      assertThat(byNumber.getJsonArray("data").stream()
          .map(n -> ((JsonObject) n).getString("numberId")).toList())
          .containsExactly(tenant.ids().get("numbers"));
      JsonObject byAgent = tenant.api().get("/v1/usage/by-agent", key).json();
      assertThat(byAgent.getJsonArray("data").stream()
          .map(n -> ((JsonObject) n).getString("agentId")).toList()).as(byAgent.encode())
          .containsExactly(tenant.ids().get("agents"));
    }
  }

  @Test
  void webhookEventsNameTheirAccountAndAChildWithoutAWebhookUsesItsParents() {
    Tenant parent = TENANTS.get("parent");
    Tenant berlin = TENANTS.get("berlin");
    Tenant hamburg = TENANTS.get("hamburg");
    // each account: an inbound text and a call ended; Hamburg's go to the parent's webhook
    poll(() -> parentsReceiver.received.size() >= 4 && berlinsReceiver.received.size() >= 2);
    Set<String> toParent = accounts(parentsReceiver);
    assertThat(toParent).containsExactlyInAnyOrder(parent.accountId(), hamburg.accountId());
    assertThat(accounts(berlinsReceiver)).containsExactly(berlin.accountId());
    for (CustomerWebhook.Received received : parentsReceiver.received) {
      JsonObject body = received.body();
      String agent = body.getString("agentId");
      String expected = agent.equals(parent.ids().get("agents")) ? parent.accountId()
          : hamburg.accountId();
      assertThat(body.getString("accountId")).as(body.encode()).isEqualTo(expected);
    }

    // each delivery is in the log of the webhook's owner
    poll(() -> deliveries(parent).size() >= 4 && deliveries(berlin).size() >= 2);
    assertThat(deliveries(parent)).contains(parent.ids().get("messages"),
        hamburg.ids().get("messages")).doesNotContain(berlin.ids().get("messages"));
    assertThat(deliveries(berlin)).contains(berlin.ids().get("messages"))
        .doesNotContain(parent.ids().get("messages"), hamburg.ids().get("messages"));
    assertThat(deliveries(hamburg)).isEmpty();

    // the configuration is the account's own: Hamburg has none to read, Berlin reads its own
    assertThat(hamburg.api().get("/v1/webhooks", key).body()).isEqualTo("null");
    assertThat(berlin.api().get("/v1/webhooks", key).json().getString("url"))
        .isEqualTo(berlinsReceiver.url());
    assertThat(parent.api().get("/v1/webhooks", key).json().getString("url"))
        .isEqualTo(parentsReceiver.url());

    // a test send names the account it was sent for
    int before = berlinsReceiver.received.size();
    assertThat(berlin.api().post("/v1/webhooks/test", key, null).json().getBoolean("success"))
        .isTrue();
    assertThat(berlinsReceiver.received.get(before).body().getString("accountId"))
        .isEqualTo(berlin.accountId());
  }

  private static Set<String> accounts(CustomerWebhook receiver) {
    return receiver.received.stream().map(r -> r.body().getString("accountId"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The message ids in the account's delivery log. */
  private static List<String> deliveries(Tenant tenant) {
    return tenant.api().get("/v1/webhooks/deliveries?limit=100", key).json().getJsonArray("items")
        .stream().map(d -> ((JsonObject) d).getString("messageId")).toList();
  }
}
