package dev.agentphone.accounts;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /v1/api-keys}: listing without secrets, scopes, expiry, revocation and its limits. */
class ApiKeysTest {
  private static TestEngine server;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject create(String key, JsonObject body) {
    Api.Response created = server.api.post("/v1/api-keys", key, body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  @Test
  void theSignUpKeyIsListedAndANewKeyShowsItsSecretOnceAndWorks() {
    String key = server.newKey();
    JsonObject listed = server.api.get("/v1/api-keys", key).json();
    assertThat(listed.getLong("total")).isEqualTo(1);
    JsonObject signUpKey = listed.getJsonArray("data").getJsonObject(0);
    assertThat(key).startsWith(signUpKey.getString("prefix"));
    assertThat(signUpKey.getString("scope")).isEqualTo("full");

    JsonObject created = create(key, new JsonObject().put("name", " CI deploys "));
    String secret = created.getString("key");
    assertThat(secret).startsWith("sk_live_").startsWith(created.getString("prefix"));
    assertThat(created.getString("name")).isEqualTo("CI deploys");
    assertThat(created.getString("scope")).isEqualTo("full");
    assertThat(created.getValue("expiresAt")).isNull();
    assertThat(server.api.get("/v1/agents", secret).status()).isEqualTo(200);

    Api.Response again = server.api.get("/v1/api-keys?limit=500", key);
    assertThat(again.json().getLong("total")).isEqualTo(2);
    assertThat(again.body()).doesNotContain(secret).doesNotContain(key);
    for (Object item : again.json().getJsonArray("data")) {
      assertThat(((JsonObject) item).fieldNames()).containsExactlyInAnyOrder("id", "name",
          "prefix", "scope", "createdAt", "expiresAt", "lastUsedAt");
    }
  }

  @Test
  void aReadOnlyKeyReadsButEveryWriteIs403() {
    String key = server.newKey();
    String agentId = server.api.post("/v1/agents", key, new JsonObject().put("name", "Kept"))
        .json().getString("id");
    String readOnly = create(key, new JsonObject().put("name", "dashboards")
        .put("scope", "read-only")).getString("key");

    assertThat(server.api.get("/v1/agents/" + agentId, readOnly).status()).isEqualTo(200);
    assertThat(server.api.get("/v1/api-keys", readOnly).status()).isEqualTo(200);
    Api.Response[] writes = {
        server.api.post("/v1/agents", readOnly, new JsonObject().put("name", "New")),
        server.api.patch("/v1/agents/" + agentId, readOnly, new JsonObject().put("name", "X")),
        server.api.delete("/v1/agents/" + agentId, readOnly),
        server.api.send("PUT", "/v1/settings/recording", readOnly, "{\"enabled\":true}",
            "application/json"),
        server.api.post("/v1/api-keys", readOnly, new JsonObject().put("name", "escalate")),
    };
    for (Api.Response write : writes) {
      assertThat(write.status()).as(write.body()).isEqualTo(403);
      assertThat(write.json().getString("detail")).contains("read-only");
    }
    // nothing was changed
    assertThat(server.api.get("/v1/agents/" + agentId, key).json().getString("name"))
        .isEqualTo("Kept");
    assertThat(server.api.get("/v1/api-keys", key).json().getLong("total")).isEqualTo(2);
  }

  @Test
  void anExpiredKeyIs401() throws Exception {
    String key = server.newKey();
    JsonObject created = create(key, new JsonObject().put("name", "short-lived")
        .put("expiresAt", Instant.now().plusSeconds(2).toString()));
    String secret = created.getString("key");
    assertThat(server.api.get("/v1/agents", secret).status()).isEqualTo(200);
    long deadline = System.currentTimeMillis() + 10_000;
    int status = 200;
    while (status == 200 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      status = server.api.get("/v1/agents", secret).status();
    }
    // cached on this node, and refused anyway from its expiry on
    assertThat(status).isEqualTo(401);
    assertThat(server.api.get("/v1/agents", secret).json().getString("detail"))
        .contains("expired");
  }

  @Test
  void expiryMustBeAFutureTimeAtMostTwoYearsAhead() {
    String key = server.newKey();
    for (String bad : new String[] {"yesterday", Instant.now().minusSeconds(60).toString(),
        Instant.now().plus(800, ChronoUnit.DAYS).toString()}) {
      Api.Response refused = server.api.post("/v1/api-keys", key,
          new JsonObject().put("name", "k").put("expiresAt", bad));
      assertThat(refused.status()).as(bad).isEqualTo(422);
      assertThat(refused.body()).contains("expiresAt");
    }
    Api.Response badScope = server.api.post("/v1/api-keys", key,
        new JsonObject().put("name", "k").put("scope", "admin"));
    assertThat(badScope.status()).isEqualTo(422);
    assertThat(server.api.post("/v1/api-keys", key, new JsonObject()).status()).isEqualTo(422);
    assertThat(server.api.get("/v1/api-keys", key).json().getLong("total")).isEqualTo(1);
  }

  @Test
  void aRevokedKeyStopsAtOnceAndTheLastFullKeyCannotBeRevoked() {
    String key = server.newKey();
    String signUpKeyId = server.api.get("/v1/api-keys", key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    String readOnly = create(key, new JsonObject().put("name", "ro")
        .put("scope", "read-only")).getString("id");
    // a read-only key does not count: the sign-up key is the last full key
    Api.Response refused = server.api.delete("/v1/api-keys/" + signUpKeyId, key);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("detail")).contains("last full key");

    JsonObject second = create(key, new JsonObject().put("name", "second"));
    String secondKey = second.getString("key");
    assertThat(server.api.get("/v1/agents", secondKey).status()).isEqualTo(200);
    assertThat(server.api.delete("/v1/api-keys/" + second.getString("id"), key).status())
        .isEqualTo(200);
    // cached a moment ago on this node, refused now
    assertThat(server.api.get("/v1/agents", secondKey).status()).isEqualTo(401);
    assertThat(server.api.delete("/v1/api-keys/" + second.getString("id"), key).status())
        .isEqualTo(404);
    assertThat(server.api.delete("/v1/api-keys/" + readOnly, key).status()).isEqualTo(200);
    JsonArray left = server.api.get("/v1/api-keys", key).json().getJsonArray("data");
    assertThat(left).hasSize(1);
    assertThat(left.getJsonObject(0).getString("id")).isEqualTo(signUpKeyId);
  }

  @Test
  void keysAreTheirAccountsOnlyAndSubAccountsHaveNone() {
    String key = server.newKey();
    String stranger = server.newKey();
    String keyId = create(key, new JsonObject().put("name", "mine")).getString("id");
    assertThat(server.api.delete("/v1/api-keys/" + keyId, stranger).status()).isEqualTo(404);
    assertThat(server.api.get("/v1/api-keys", stranger).body()).doesNotContain(keyId);

    String child = server.api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Sub"))
        .json().getString("id");
    Api sub = server.api.asSubAccount(child);
    assertThat(sub.get("/v1/api-keys", key).json().getLong("total")).isZero();
    Api.Response create = sub.post("/v1/api-keys", key, new JsonObject().put("name", "sub"));
    assertThat(create.status()).isEqualTo(403);
    assertThat(create.json().getString("detail")).contains("main account");
    assertThat(sub.delete("/v1/api-keys/" + keyId, key).status()).isEqualTo(404);
  }
}
