package dev.agentphone.accounts;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /v1/sub-accounts} over HTTP, and the {@code X-Sub-Account-Id} header that makes a
 * parent's key act for one of its sub-accounts: who may name which id, what deleting one does,
 * and that sub-accounts have no sub-accounts.
 */
class SubAccountsTest {
  static final String HEADER = "X-Sub-Account-Id";
  static TestEngine engine;
  static Api api;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
    api = engine.api;
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  private static JsonObject parent() {
    return engine.signUp("sub-" + System.nanoTime() + "@example.com");
  }

  private static JsonObject create(String key, String name) {
    Api.Response created = api.post("/v1/sub-accounts", key, new JsonObject().put("name", name));
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    return created.json();
  }

  private static Api.Response as(String method, String path, String key, String subAccount,
      JsonObject body) {
    return api.send(method, path, key, body == null ? null : body.encode(),
        body == null ? null : "application/json", HEADER, subAccount);
  }

  @Test
  void aSubAccountIsCreatedListedRenamedAndDeletedWithTheDocumentedShapes() {
    JsonObject owner = parent();
    String key = owner.getString("api_key");
    JsonObject berlin = create(key, "  Franchise Berlin ");
    assertThat(berlin.fieldNames()).containsExactlyInAnyOrder("id", "name", "parentAccountId",
        "createdAt", "updatedAt");
    assertThat(berlin.getString("id")).startsWith("sub_");
    assertThat(berlin.getString("name")).isEqualTo("Franchise Berlin");
    assertThat(berlin.getString("parentAccountId")).isEqualTo(owner.getString("account_id"));
    assertThat(berlin.getString("createdAt")).isEqualTo(berlin.getString("updatedAt"));
    JsonObject hamburg = create(key, "Franchise Hamburg");
    JsonObject munich = create(key, "x".repeat(100));

    JsonObject all = api.get("/v1/sub-accounts", key).json();
    assertThat(all.fieldNames()).containsExactlyInAnyOrder("data", "hasMore", "total");
    assertThat(ids(all)).containsExactly(munich.getString("id"), hamburg.getString("id"),
        berlin.getString("id"));
    assertThat(all.getLong("total")).isEqualTo(3);
    JsonObject page = api.get("/v1/sub-accounts?limit=1&offset=1", key).json();
    assertThat(ids(page)).containsExactly(hamburg.getString("id"));
    assertThat(page.getBoolean("hasMore")).isTrue();
    assertThat(page.getLong("total")).isEqualTo(3);
    // the client sends a null limit as "limit=": the default applies
    assertThat(ids(api.get("/v1/sub-accounts?limit=&offset=2", key).json()))
        .containsExactly(berlin.getString("id"));

    Api.Response renamed = api.patch("/v1/sub-accounts/" + berlin.getString("id"), key,
        new JsonObject().put("name", "Franchise Potsdam"));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().getString("name")).isEqualTo("Franchise Potsdam");
    assertThat(renamed.json().getString("createdAt")).isEqualTo(berlin.getString("createdAt"));
    assertThat(renamed.json().getString("updatedAt"))
        .isGreaterThan(berlin.getString("updatedAt"));

    Api.Response deleted = api.delete("/v1/sub-accounts/" + hamburg.getString("id"), key);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertThat(deleted.json()).isEqualTo(new JsonObject().put("success", true)
        .put("id", hamburg.getString("id")));
    assertThat(ids(api.get("/v1/sub-accounts", key).json()))
        .containsExactly(munich.getString("id"), berlin.getString("id"));
    assertNotFound(api.delete("/v1/sub-accounts/" + hamburg.getString("id"), key));
    assertNotFound(api.patch("/v1/sub-accounts/" + hamburg.getString("id"), key,
        new JsonObject().put("name", "Back")));
  }

  @Test
  void badNamesAndBoundsAre422WithTheField() {
    String key = parent().getString("api_key");
    for (Object bad : new Object[] {"", "   ", "x".repeat(101), 42, new JsonArray()}) {
      Api.Response refused = api.post("/v1/sub-accounts", key, new JsonObject().put("name", bad));
      assertThat(refused.status()).as("name %s: %s", bad, refused.body()).isEqualTo(422);
      assertThat(refused.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
          .isEqualTo(new JsonArray().add("body").add("name"));
    }
    assertThat(api.post("/v1/sub-accounts", key, new JsonObject()).status()).isEqualTo(422);
    assertThat(api.send("POST", "/v1/sub-accounts", key, null, null).status()).isEqualTo(422);
    String id = create(key, "Valid").getString("id");
    assertThat(api.patch("/v1/sub-accounts/" + id, key, new JsonObject().put("name", ""))
        .status()).isEqualTo(422);
    assertThat(api.patch("/v1/sub-accounts/" + id, key, new JsonObject()).status())
        .isEqualTo(422);
    for (String query : List.of("limit=0", "limit=501", "offset=-1", "limit=abc")) {
      Api.Response refused = api.get("/v1/sub-accounts?" + query, key);
      assertThat(refused.status()).as(query).isEqualTo(422);
    }
    assertThat(api.get("/v1/sub-accounts?limit=500", key).status()).isEqualTo(200);
    // an emoji is one character
    assertThat(api.post("/v1/sub-accounts", key, new JsonObject()
        .put("name", "\ud83d\ude00".repeat(100))).status()).isEqualTo(200);
  }

  @Test
  void onlyTheParentsKeyMayNameItsLiveSubAccounts() {
    JsonObject owner = parent();
    String key = owner.getString("api_key");
    JsonObject stranger = parent();
    String strangersChild = create(stranger.getString("api_key"), "Not yours").getString("id");
    String deleted = create(key, "Gone").getString("id");
    assertThat(api.delete("/v1/sub-accounts/" + deleted, key).status()).isEqualTo(200);
    String child = create(key, "Mine").getString("id");

    List<String> refusedIds = List.of(strangersChild, owner.getString("account_id"),
        stranger.getString("account_id"), deleted, "sub_0000000000000000000000000", "nope",
        "x".repeat(101), "sub_\u00e9", "%00", "' OR 1=1 --");
    for (String id : refusedIds) {
      for (String path : List.of("/v1/agents", "/v1/numbers", "/v1/usage", "/v1/sub-accounts")) {
        assertNotFound(as("GET", path, key, id, null));
      }
      assertNotFound(as("POST", "/v1/agents", key, id, new JsonObject().put("name", "Sneaky")));
      assertNotFound(as("POST", "/sandbox/sms", key, id, new JsonObject()
          .put("from", "+12125550123").put("to", owner.getString("phone_number"))
          .put("body", "hi")));
    }
    assertThat(engine.sql("SELECT count(*) AS n FROM agents WHERE name = 'Sneaky'").get(0)
        .get("n")).isEqualTo(0L);

    // the header is checked before the route: unknown paths and bad input answer the same 404
    assertNotFound(as("GET", "/v1/no-such-route", key, deleted, null));
    assertNotFound(as("POST", "/v1/agents", key, deleted, new JsonObject().put("name", 3)));
    // a missing or wrong key is still 401 first, whatever the header says
    assertThat(as("GET", "/v1/agents", null, child, null).status()).isEqualTo(401);
    assertThat(as("GET", "/v1/agents", "sk_live_nope", child, null).status()).isEqualTo(401);

    // an empty header is no header
    Api.Response plain = as("GET", "/v1/agents", key, "", null);
    assertThat(plain.status()).isEqualTo(200);
    assertThat(plain.json().getLong("total")).isEqualTo(1);
    Api.Response blank = as("GET", "/v1/agents", key, "  ", null);
    assertThat(blank.json().getLong("total")).isEqualTo(1);
    Api.Response mine = as("GET", "/v1/agents", key, child, null);
    assertThat(mine.status()).isEqualTo(200);
    assertThat(mine.json().getLong("total")).isZero();
  }

  @Test
  void subAccountsHaveNoSubAccounts() {
    String key = parent().getString("api_key");
    String child = create(key, "Child").getString("id");
    String sibling = create(key, "Sibling").getString("id");

    Api.Response nested = as("POST", "/v1/sub-accounts", key, child,
        new JsonObject().put("name", "Grandchild"));
    assertThat(nested.status()).isEqualTo(403);
    assertThat(nested.json().getString("detail")).contains("cannot have sub-accounts")
        .contains("without the X-Sub-Account-Id header");
    Api.Response theirs = as("GET", "/v1/sub-accounts", key, child, null);
    assertThat(theirs.status()).isEqualTo(200);
    assertThat(theirs.json()).isEqualTo(new JsonObject().put("data", new JsonArray())
        .put("hasMore", false).put("total", 0));
    // acting as a sub-account, its siblings are not its own to rename or delete
    assertNotFound(as("PATCH", "/v1/sub-accounts/" + sibling, key, child,
        new JsonObject().put("name", "Renamed")));
    assertNotFound(as("DELETE", "/v1/sub-accounts/" + sibling, key, child, null));
    assertThat(ids(api.get("/v1/sub-accounts", key).json())).containsExactly(sibling, child);
    assertThat(engine.sql("SELECT count(*) AS n FROM accounts WHERE parent_account_id = ?",
        child).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void aSubAccountWithNumbersOrLiveCallsIsNotDeleted() {
    String key = parent().getString("api_key");
    String child = create(key, "Busy").getString("id");
    Api childApi = api.asSubAccount(child);
    String agentId = childApi.post("/v1/agents", key, new JsonObject().put("name", "Desk")).json()
        .getString("id");
    Api.Response bought = childApi.post("/v1/numbers", key, new JsonObject().put("areaCode", "415")
        .put("agentId", agentId));
    assertThat(bought.status()).as(bought.body()).isEqualTo(200);
    String numberId = bought.json().getString("id");
    String phone = bought.json().getString("phoneNumber");

    Api.Response refused = api.delete("/v1/sub-accounts/" + child, key);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("detail")).contains("still has 1 phone number")
        .contains("DELETE /v1/numbers/{number_id} with X-Sub-Account-Id: " + child);

    // a simulated caller on the sub-account's number, through the sandbox tools with the header
    Api.Response dialed = childApi.post("/sandbox/calls", key,
        new JsonObject().put("from", "+14155550142").put("to", phone));
    assertThat(dialed.status()).as(dialed.body()).isEqualTo(200);
    String callId = dialed.json().getString("callId");
    assertThat(api.post("/sandbox/calls", key, new JsonObject().put("from", "+14155550142")
        .put("to", phone)).status()).as("the parent's own numbers only").isEqualTo(404);
    assertThat(childApi.delete("/v1/numbers/" + numberId, key).status()).isEqualTo(200);

    Api.Response live = api.delete("/v1/sub-accounts/" + child, key);
    assertThat(live.status()).isEqualTo(409);
    assertThat(live.json().getString("detail")).contains("has 1 live call")
        .contains("POST /v1/calls/{call_id}/end");
    assertThat(childApi.post("/sandbox/calls/" + callId + "/hangup", key, null).status())
        .isEqualTo(200);
    poll(() -> "completed".equals(childApi.get("/v1/calls/" + callId, key).json()
        .getString("status")));

    Api.Response deleted = api.delete("/v1/sub-accounts/" + child, key);
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
    assertNotFound(childApi.get("/v1/calls/" + callId, key));
    assertNotFound(childApi.post("/v1/numbers", key, new JsonObject()));
    // its history stays in the database
    assertThat(engine.sql("SELECT count(*) AS n FROM calls WHERE account_id = ?", child).get(0)
        .get("n")).isEqualTo(1L);
  }

  @Test
  void aSubAccountHasItsParentsPlanReadLive() {
    JsonObject owner = parent();
    String key = owner.getString("api_key");
    String child = create(key, "Planned").getString("id");
    JsonObject usage = api.asSubAccount(child).get("/v1/usage", key).json();
    assertThat(usage.getJsonObject("plan").getString("name")).isEqualTo("starter");
    // a plan the catalog does not know reads as the default one: change the stored name and see
    // the child follow its parent at once
    engine.sql("UPDATE accounts SET plan = 'enterprise' WHERE id = ?",
        owner.getString("account_id"));
    assertThat(api.asSubAccount(child).get("/v1/usage", key).json().getJsonObject("plan")
        .getString("name")).isEqualTo("enterprise");
    assertThat(engine.sql("SELECT plan FROM accounts WHERE id = ?", child).get(0).get("plan"))
        .isEqualTo("starter");
  }

  @Test
  void createSubAccountIsOfferedToOtherDomainsAndRefusesNesting() throws Exception {
    JsonObject owner = parent();
    AccountsApi accounts = new AccountsApi(engine.vertx);
    JsonObject child = accounts.createSubAccount(owner.getString("account_id"), "Registered")
        .toCompletionStage().toCompletableFuture().get();
    assertThat(child.getString("parentAccountId")).isEqualTo(owner.getString("account_id"));
    assertThat(ids(api.get("/v1/sub-accounts", owner.getString("api_key")).json()))
        .containsExactly(child.getString("id"));
    Throwable nested = accounts.createSubAccount(child.getString("id"), "Nested")
        .toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).get();
    assertThat(nested).isInstanceOf(dev.agentphone.platform.ApiError.class);
    assertThat(((dev.agentphone.platform.ApiError) nested).status()).isEqualTo(403);
    Throwable tooLong = accounts.createSubAccount(owner.getString("account_id"), "x".repeat(101))
        .toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).get();
    assertThat(((dev.agentphone.platform.ApiError) tooLong).status()).isEqualTo(422);
  }

  static void assertNotFound(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(404);
    assertThat(response.json().getString("detail")).isEqualTo("Sub-account not found");
  }

  static List<String> ids(JsonObject list) {
    return list.getJsonArray("data").stream()
        .map(item -> ((JsonObject) item).getString("id")).toList();
  }
}
