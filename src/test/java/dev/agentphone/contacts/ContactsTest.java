package dev.agentphone.contacts;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ContactsTest {
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

  private static Api.Response create(String key, String phone, String name) {
    return api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", phone)
        .put("name", name));
  }

  @Test
  void createIs201WithANormalisedNumber() {
    String key = server.newKey();
    Api.Response created = api.post("/v1/contacts", key, new JsonObject()
        .put("phoneNumber", "(415) 555-0101").put("name", "Ada Lovelace")
        .put("email", "ada@example.com").put("notes", "prefers texts"));
    assertThat(created.status()).isEqualTo(201);
    JsonObject contact = created.json();
    assertThat(contact.getString("id")).startsWith("ct_");
    assertThat(contact.getString("phoneNumber")).isEqualTo("+14155550101");
    assertThat(contact.getString("name")).isEqualTo("Ada Lovelace");
    assertThat(contact.getString("email")).isEqualTo("ada@example.com");
    assertThat(contact.getString("notes")).isEqualTo("prefers texts");
    assertThat(contact.getString("createdAt")).isNotBlank();
    assertThat(contact.getString("updatedAt")).isNotBlank();
    assertThat(api.get("/v1/contacts/" + contact.getString("id"), key).json()).isEqualTo(contact);
  }

  @Test
  void aDuplicateNumberIs409OnCreateAndOnPatch() {
    String key = server.newKey();
    create(key, "+14155550102", "First");
    Api.Response duplicate = create(key, "415 555 0102", "Second");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().getString("detail")).contains("already exists");
    String other = create(key, "+14155550103", "Other").json().getString("id");
    Api.Response patched = api.patch("/v1/contacts/" + other, key,
        new JsonObject().put("phoneNumber", "(415) 555-0102"));
    assertThat(patched.status()).isEqualTo(409);
    assertThat(api.get("/v1/contacts/" + other, key).json().getString("phoneNumber"))
        .isEqualTo("+14155550103");
    // another account may hold the same number
    assertThat(create(server.newKey(), "+14155550102", "Theirs").status()).isEqualTo(201);
  }

  @Test
  void patchChangesOnlyWhatIsSent() {
    String key = server.newKey();
    JsonObject contact = api.post("/v1/contacts", key, new JsonObject()
        .put("phoneNumber", "+14155550104").put("name", "Grace").put("email", "g@example.com"))
        .json();
    JsonObject patched = api.patch("/v1/contacts/" + contact.getString("id"), key,
        new JsonObject().put("name", "Grace Hopper").putNull("email")
            .put("phoneNumber", "+1 415 555 0105")).json();
    assertThat(patched.getString("name")).isEqualTo("Grace Hopper");
    assertThat(patched.getValue("email")).isNull();
    assertThat(patched.getString("phoneNumber")).isEqualTo("+14155550105");
    assertThat(patched.getString("createdAt")).isEqualTo(contact.getString("createdAt"));
  }

  @Test
  void searchMatchesNameOrNumberCaseInsensitively() {
    String key = server.newKey();
    create(key, "+14155550106", "Alan Turing");
    create(key, "+12125550107", "Katherine Johnson");
    create(key, "+13125550108", "Dorothy Vaughan");
    assertThat(names(key, "TURING")).containsExactly("Alan Turing");
    assertThat(names(key, "an")).containsExactlyInAnyOrder("Alan Turing", "Dorothy Vaughan");
    assertThat(names(key, "212555")).containsExactly("Katherine Johnson");
    assertThat(names(key, "%2B1312")).containsExactly("Dorothy Vaughan");
    assertThat(names(key, "nobody")).isEmpty();
    assertThat(names(key, "%25")).isEmpty();
    JsonObject page = api.get("/v1/contacts?limit=2", key).json();
    assertThat(page.getInteger("total")).isEqualTo(3);
    assertThat(page.getBoolean("hasMore")).isTrue();
  }

  private static java.util.List<String> names(String key, String search) {
    JsonArray data = api.get("/v1/contacts?search=" + search, key).json().getJsonArray("data");
    return data.stream().map(c -> ((JsonObject) c).getString("name")).toList();
  }

  @Test
  void invalidInputIs422() {
    String key = server.newKey();
    Api.Response bad = api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", "12")
        .put("name", " "));
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().getJsonArray("detail")).hasSize(2);
    assertThat(api.post("/v1/contacts", key, new JsonObject()).status()).isEqualTo(422);
  }

  @Test
  void deleteIs204ThenGone() {
    String key = server.newKey();
    String id = create(key, "+14155550109", "Temp").json().getString("id");
    Api.Response deleted = api.delete("/v1/contacts/" + id, key);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(api.get("/v1/contacts/" + id, key).status()).isEqualTo(404);
    assertThat(api.delete("/v1/contacts/" + id, key).status()).isEqualTo(404);
  }

  @Test
  void anotherAccountsContactsAre404() {
    String mine = server.newKey();
    String theirs = server.newKey();
    String id = create(theirs, "+14155550110", "Secret").json().getString("id");
    assertThat(api.get("/v1/contacts/" + id, mine).status()).isEqualTo(404);
    assertThat(api.patch("/v1/contacts/" + id, mine, new JsonObject().put("name", "x")).status())
        .isEqualTo(404);
    assertThat(api.delete("/v1/contacts/" + id, mine).status()).isEqualTo(404);
    assertThat(api.get("/v1/contacts", mine).json().getInteger("total")).isZero();
    assertThat(api.get("/v1/contacts/" + id, theirs).json().getString("name")).isEqualTo("Secret");
  }

  @Test
  void contactsByNumberAnswersTheContactOrNull() throws Exception {
    JsonObject account = server.signUp("bynumber-" + System.nanoTime() + "@example.com");
    String id = api.post("/v1/contacts", account.getString("api_key"), new JsonObject()
        .put("phoneNumber", "+14155550111").put("name", "Lin").put("email", "lin@example.com"))
        .json().getString("id");
    ContactsApi contacts = new ContactsApi(server.vertx);
    JsonObject found = contacts.byNumber(account.getString("account_id"), "+14155550111")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(found).isEqualTo(new JsonObject().put("id", id).put("name", "Lin")
        .put("email", "lin@example.com").put("phoneNumber", "+14155550111"));
    Object missing = contacts.byNumber("acct_other", "+14155550111")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(missing).isNull();
  }
}
