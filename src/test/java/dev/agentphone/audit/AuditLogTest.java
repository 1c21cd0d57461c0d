package dev.agentphone.audit;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/audit-log}: each change made through the API, with the key that made it. */
class AuditLogTest {
  private static TestEngine server;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("webhooks.allowPrivateTargets", true)).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonArray entries(String key, String query) {
    Api.Response log = server.api.get("/v1/audit-log" + query, key);
    assertThat(log.status()).as(log.body()).isEqualTo(200);
    return log.json().getJsonArray("data");
  }

  private static JsonObject newKey(String key, String name) {
    return server.api.post("/v1/api-keys", key, new JsonObject().put("name", name)).json();
  }

  @Test
  void eachChangeNamesItsKeyItsObjectAndTheFieldsThatChanged() {
    String owner = server.newKey();
    JsonObject a = newKey(owner, "A");
    JsonObject b = newKey(owner, "B");
    String keyA = a.getString("key");
    String keyB = b.getString("key");

    String agentId = server.api.post("/v1/agents", keyA, new JsonObject().put("name", "Ada"))
        .json().getString("id");
    assertThat(server.api.patch("/v1/agents/" + agentId, keyA,
        new JsonObject().put("name", "Grace")).status()).isEqualTo(200);
    assertThat(server.api.delete("/v1/agents/" + agentId, keyA).status()).isEqualTo(200);
    Api.Response webhook = server.api.post("/v1/webhooks", keyB,
        new JsonObject().put("url", "http://127.0.0.1:9/hook"));
    assertThat(webhook.status()).as(webhook.body()).isEqualTo(200);
    String secret = webhook.json().getString("secret");
    assertThat(server.api.post("/v1/webhooks", keyB,
        new JsonObject().put("url", "http://127.0.0.1:9/other")).status()).isEqualTo(200);

    JsonArray agent = entries(owner, "?objectId=" + agentId);
    assertThat(agent).hasSize(3);
    JsonObject deleted = agent.getJsonObject(0);
    JsonObject updated = agent.getJsonObject(1);
    JsonObject created = agent.getJsonObject(2);
    assertThat(created.getString("action")).isEqualTo("create");
    assertThat(updated.getString("action")).isEqualTo("update");
    assertThat(deleted.getString("action")).isEqualTo("delete");
    for (Object entry : agent) {
      JsonObject e = (JsonObject) entry;
      assertThat(e.getString("keyId")).isEqualTo(a.getString("id"));
      assertThat(e.getString("keyPrefix")).isEqualTo(a.getString("prefix"));
      assertThat(e.getString("objectType")).isEqualTo("agent");
      assertThat(e.containsKey("subAccountId")).isFalse();
    }
    assertThat(created.getJsonObject("changes").getJsonObject("name"))
        .isEqualTo(new JsonObject().putNull("from").put("to", "Ada"));
    // an update names only what changed
    assertThat(updated.getJsonObject("changes").fieldNames()).containsExactly("name");
    assertThat(updated.getJsonObject("changes").getJsonObject("name"))
        .isEqualTo(new JsonObject().put("from", "Ada").put("to", "Grace"));
    assertThat(deleted.getJsonObject("changes").getJsonObject("name").getString("from"))
        .isEqualTo("Grace");

    JsonArray hooks = entries(owner, "?objectType=webhook");
    assertThat(hooks).hasSize(2);
    assertThat(hooks.getJsonObject(0).getString("action")).isEqualTo("update");
    assertThat(hooks.getJsonObject(1).getString("action")).isEqualTo("create");
    for (Object entry : hooks) {
      JsonObject e = (JsonObject) entry;
      assertThat(e.getString("keyId")).isEqualTo(b.getString("id"));
      assertThat(e.getJsonObject("changes").getJsonObject("secret").getString("to"))
          .isEqualTo("[redacted]");
    }
    assertThat(hooks.getJsonObject(0).getJsonObject("changes").getJsonObject("url"))
        .isEqualTo(new JsonObject().put("from", "http://127.0.0.1:9/hook")
            .put("to", "http://127.0.0.1:9/other"));
    assertThat(server.api.get("/v1/audit-log?limit=500", owner).body()).doesNotContain(secret)
        .doesNotContain(keyA).doesNotContain(keyB);

    // a rotation is an update of the secret alone, redacted on both sides
    Api.Response rotated = server.api.post("/v1/webhooks/rotate-secret", keyA, null);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    JsonObject rotation = entries(owner, "?objectType=webhook").getJsonObject(0);
    assertThat(rotation.getString("keyId")).isEqualTo(a.getString("id"));
    assertThat(rotation.getJsonObject("changes")).isEqualTo(new JsonObject().put("secret",
        new JsonObject().put("from", "[redacted]").put("to", "[redacted]")));
    assertThat(server.api.get("/v1/audit-log?limit=500", owner).body())
        .doesNotContain(rotated.json().getString("secret"));

    // the keys themselves: two creates by the owner's sign-up key
    JsonArray keys = entries(owner, "?objectType=api_key&action=create");
    assertThat(keys).hasSize(2);
    assertThat(entries(owner, "?action=delete&objectType=agent")).hasSize(1);
    assertThat(server.api.get("/v1/audit-log?action=rename", owner).status()).isEqualTo(422);
  }

  @Test
  void aFailedWriteLeavesNoEntry() {
    String key = server.newKey();
    String phone = "+1415555" + (1000 + (int) (Math.random() * 8999));
    assertThat(server.api.post("/v1/contacts", key, new JsonObject().put("phoneNumber", phone)
        .put("name", "First")).status()).isEqualTo(201);
    // the same number again: the insert fails at its unique index, and its entry with it
    Api.Response duplicate = server.api.post("/v1/contacts", key,
        new JsonObject().put("phoneNumber", phone).put("name", "Second"));
    assertThat(duplicate.status()).isEqualTo(409);
    JsonArray contacts = entries(key, "?objectType=contact");
    assertThat(contacts).hasSize(1);
    assertThat(contacts.getJsonObject(0).getJsonObject("changes").getJsonObject("name")
        .getString("to")).isEqualTo("First");
  }

  @Test
  void theLogIsTheAccountsOnlyAndSubAccountChangesNameTheirSubAccount() {
    String owner = server.newKey();
    String stranger = server.newKey();
    String child = server.api.post("/v1/sub-accounts", owner, new JsonObject().put("name", "Sub"))
        .json().getString("id");
    String agentId = server.api.asSubAccount(child).post("/v1/agents", owner,
        new JsonObject().put("name", "Branch agent")).json().getString("id");

    JsonArray mine = entries(owner, "?objectId=" + agentId);
    assertThat(mine).hasSize(1);
    assertThat(mine.getJsonObject(0).getString("subAccountId")).isEqualTo(child);
    assertThat(entries(owner, "?objectType=sub_account")).hasSize(1);
    // acting as the sub-account: only what was changed in it
    JsonObject sub = server.api.asSubAccount(child).get("/v1/audit-log", owner).json();
    assertThat(sub.getLong("total")).isEqualTo(1);
    assertThat(sub.getJsonArray("data").getJsonObject(0).getString("objectId")).isEqualTo(agentId);

    assertThat(entries(stranger, "?objectId=" + agentId)).isEmpty();
    assertThat(server.api.get("/v1/audit-log", stranger).body()).doesNotContain(child);
  }
}
