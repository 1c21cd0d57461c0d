package dev.agentphone.http;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cross-tenant matrix with sub-account ids, on every secured operation of the contract (read
 * at test time, so operations added later are covered) and on the sub-account operations:
 * another parent's sub-account, the caller's own account id, a deleted sub-account and a made-up
 * id are 404 "Sub-account not found" whatever the operation; with a real sub-account, the
 * parent's objects are out of reach, and without the header so are the sub-account's.
 */
class SubAccountMatrixTest {
  static final String HEADER = "X-Sub-Account-Id";
  static final List<OpenApiOperations.Operation> OPERATIONS = new ArrayList<>();
  static TestEngine engine;
  static String key;
  static String child;
  static Map<String, String> parentIds;
  static Map<String, String> childIds;
  static Map<String, String> refused;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    OPERATIONS.addAll(OpenApiOperations.load().stream()
        .filter(OpenApiOperations.Operation::secured).toList());
    for (String[] op : new String[][] {{"GET", "/v1/sub-accounts"}, {"POST", "/v1/sub-accounts"},
        {"PATCH", "/v1/sub-accounts/{sub_account_id}"},
        {"DELETE", "/v1/sub-accounts/{sub_account_id}"}}) {
      if (OPERATIONS.stream().noneMatch(o -> o.method().equals(op[0])
          && o.path().equals(op[1]))) {
        OPERATIONS.add(new OpenApiOperations.Operation(op[0], op[1], List.of(),
            op[0].equals("GET") || op[0].equals("DELETE") ? null : new JsonObject(), true));
      }
    }
    Api api = engine.api;
    JsonObject owner = engine.signUp("matrix-" + System.nanoTime() + "@example.com");
    key = owner.getString("api_key");
    child = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Child")).json()
        .getString("id");
    String deleted = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Gone"))
        .json().getString("id");
    assertThat(api.delete("/v1/sub-accounts/" + deleted, key).status()).isEqualTo(200);
    JsonObject stranger = engine.signUp("matrix-other-" + System.nanoTime() + "@example.com");
    String strangersChild = api.post("/v1/sub-accounts", stranger.getString("api_key"),
        new JsonObject().put("name", "Theirs")).json().getString("id");
    refused = new LinkedHashMap<>();
    refused.put("another parent's sub-account", strangersChild);
    refused.put("the parent's own account id", owner.getString("account_id"));
    refused.put("a deleted sub-account", deleted);
    refused.put("a made-up id", "sub_00000000000000000000000000");

    parentIds = seed(api, key, owner.getString("agent_id"), owner.getString("number_id"),
        owner.getString("phone_number"), "+12125550601");
    Api asChild = api.asSubAccount(child);
    String agent = asChild.post("/v1/agents", key, new JsonObject().put("name", "Desk")).json()
        .getString("id");
    JsonObject number = asChild.post("/v1/numbers", key, new JsonObject().put("agentId", agent))
        .json();
    childIds = seed(asChild, key, agent, number.getString("id"), number.getString("phoneNumber"),
        "+12125550602");
    // the parent's object a sub-account might try: itself, as one of its own sub-accounts
    parentIds.put("sub_account", child);
  }

  /** One of each object an operation's path names, in the account {@code api} acts for. */
  private static Map<String, String> seed(Api api, String key, String agent, String number,
      String phone, String from) {
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("agent", agent);
    ids.put("number", number);
    ids.put("phone_number", from);
    ids.put("contact", api.post("/v1/contacts", key, new JsonObject().put("name", "Ada")
        .put("phoneNumber", from)).json().getString("id"));
    assertThat(TwilioForms.post(engine.api, "/webhooks/twilio/sms", TwilioForms.sms(
        "SM" + System.nanoTime(), from, phone, "hello"), "sandbox-twilio-auth-token").status())
        .isEqualTo(200);
    JsonObject conversation = api.get("/v1/conversations", key).json().getJsonArray("data")
        .getJsonObject(0);
    ids.put("conversation", conversation.getString("id"));
    ids.put("message", api.get("/v1/conversations/" + conversation.getString("id")
        + "/messages", key).json().getJsonArray("data").getJsonObject(0).getString("id"));
    String call = api.post("/sandbox/calls", key, new JsonObject().put("from", from)
        .put("to", phone)).json().getString("callId");
    api.post("/sandbox/calls/" + call + "/hangup", key, null);
    ids.put("call", call);
    return ids;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static String path(OpenApiOperations.Operation op, Map<String, String> ids) {
    StringBuilder out = new StringBuilder();
    for (String part : op.path().substring(1).split("/")) {
      out.append('/');
      if (part.startsWith("{")) {
        String name = part.substring(1, part.length() - 1);
        // a phone number names the account's contact's (the location a caller may ask for)
        String id = name.equals("sub_account_id") ? ids.get("sub_account")
            : name.equals("phone_number") ? ids.get("phone_number")
            : ids.get(FuzzInputs.kind(name));
        out.append(URLEncoder.encode(id == null ? "x_missing" : id, StandardCharsets.UTF_8));
      } else {
        out.append(part);
      }
    }
    return out.toString();
  }

  private static Api.Response send(OpenApiOperations.Operation op, String target,
      String subAccount) {
    boolean body = op.body() != null;
    return subAccount == null
        ? engine.api.send(op.method(), target, key, body ? "{}" : null,
            body ? "application/json" : null)
        : engine.api.send(op.method(), target, key, body ? "{}" : null,
            body ? "application/json" : null, HEADER, subAccount);
  }

  @Test
  void anIdThatIsNotTheKeysLiveSubAccountIs404OnEveryOperation() {
    assertThat(OPERATIONS).hasSizeGreaterThan(40);
    for (OpenApiOperations.Operation op : OPERATIONS) {
      for (Map.Entry<String, String> id : refused.entrySet()) {
        Api.Response response = send(op, path(op, childIds), id.getValue());
        assertThat(response.status()).as("%s with %s: %s", op, id.getKey(), response.body())
            .isEqualTo(404);
        assertThat(response.json().getString("detail")).as("%s with %s", op, id.getKey())
            .isEqualTo("Sub-account not found");
      }
    }
  }

  @Test
  void neitherParentNorSubAccountReachesTheOthersObjects() {
    for (OpenApiOperations.Operation op : OPERATIONS) {
      if (!op.path().contains("{")) {
        continue;
      }
      Api.Response parentsAsChild = send(op, path(op, parentIds), child);
      Api.Response childsAsParent = send(op, path(op, childIds), null);
      for (Api.Response response : List.of(parentsAsChild, childsAsParent)) {
        assertThat(response.status()).as("%s reached the other account's object: %s", op,
            response.body()).isGreaterThanOrEqualTo(400);
        if (op.method().equals("GET")) {
          assertThat(response.status()).as("%s: %s", op, response.body()).isEqualTo(404);
        }
      }
    }
    // and everything is still where it was
    Api asChild = engine.api.asSubAccount(child);
    for (String kind : List.of("agents", "numbers", "contacts", "conversations", "calls")) {
      String singular = kind.substring(0, kind.length() - 1);
      assertThat(engine.api.get("/v1/" + kind + "/" + parentIds.get(singular), key).status())
          .as("the parent's %s", singular).isEqualTo(200);
      assertThat(asChild.get("/v1/" + kind + "/" + childIds.get(singular), key).status())
          .as("the sub-account's %s", singular).isEqualTo(200);
    }
  }
}
