package dev.agentphone.http;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors in the shapes the contract's generated clients parse. */
class ErrorShapesTest {
  static TestEngine server;
  static Api api;
  static String key;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
    key = server.newKey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void missingOrUnknownKeyIs401() {
    Api.Response missing = api.get("/v1/agents", null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.detail()).isInstanceOf(String.class);
    Api.Response unknown = api.get("/v1/agents", "sk_live_notakey");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().getString("detail")).isEqualTo("Invalid API key");
    Api.Response basic = api.send("GET", "/v1/agents", null, null, null,
        "Authorization", "Basic abc");
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void missingRequiredFieldIs422WithLocation() {
    Api.Response response = api.post("/v1/agents", key, new JsonObject().put("description", "x"));
    assertThat(response.status()).isEqualTo(422);
    assertThat(response.json().getJsonArray("detail")).containsExactly(new JsonObject()
        .put("loc", new JsonArray().add("body").add("name"))
        .put("msg", "Field required").put("type", "missing"));
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    Api.Response response = api.post("/v1/agents", key, new JsonObject()
        .put("name", 42).put("voiceMode", "psychic").put("sttMode", "slow"));
    assertThat(response.status()).isEqualTo(422);
    JsonArray detail = response.json().getJsonArray("detail");
    assertThat(detail).extracting(e -> ((JsonObject) e).getJsonArray("loc").getString(1))
        .containsExactlyInAnyOrder("name", "voiceMode", "sttMode");
    assertThat(detail).extracting(e -> ((JsonObject) e).getString("type"))
        .containsExactlyInAnyOrder("string_type", "enum", "enum");
  }

  @Test
  void malformedJsonIs422() {
    Api.Response response = api.send("POST", "/v1/agents", key, "{\"name\": ", "application/json");
    assertThat(response.status()).isEqualTo(422);
    JsonObject error = response.json().getJsonArray("detail").getJsonObject(0);
    assertThat(error.getString("type")).isEqualTo("json_invalid");
    assertThat(error.getJsonArray("loc").getString(0)).isEqualTo("body");

    Api.Response array = api.send("POST", "/v1/agents", key, "[1,2]", "application/json");
    assertThat(array.status()).isEqualTo(422);
    Api.Response empty = api.send("POST", "/v1/agents", key, "", "application/json");
    assertThat(empty.status()).isEqualTo(422);
    assertThat(empty.json().getJsonArray("detail").getJsonObject(0).getString("type"))
        .isEqualTo("missing");
  }

  @Test
  void unknownFieldsAreIgnored() {
    Api.Response response = api.post("/v1/agents", key, new JsonObject().put("name", "x")
        .put("favouriteColour", "teal").put("customTools", new JsonArray()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().containsKey("favouriteColour")).isFalse();
  }

  @Test
  void unknownRouteIs404WithDetail() {
    Api.Response response = api.get("/v1/nothing-here", key);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.json().getString("detail")).isEqualTo("Not Found");
  }

  @Test
  void rateLimitAnswers429WithRetryAfter() {
    try (TestEngine limited = TestEngine.builder().config(Map.of(
        "rateLimit.requestsPerSecond", 1, "rateLimit.burst", 3)).start()) {
      String limitedKey = limited.newKey();
      int ok = 0;
      Api.Response refused = null;
      for (int i = 0; i < 10 && refused == null; i++) {
        Api.Response response = limited.api.get("/v1/agents", limitedKey);
        if (response.status() == 429) {
          refused = response;
        } else {
          ok++;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(ok).isBetween(3, 4);
      assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
      assertThat(refused.json().getString("detail")).contains("Rate limit");
      // another key has its own bucket
      assertThat(limited.api.get("/v1/agents", limited.newKey()).status()).isEqualTo(200);
    }
  }

  @Test
  void lastUsedAtIsTracked() {
    String fresh = server.newKey();
    assertThat(server.sql("SELECT last_used_at FROM api_keys WHERE key_prefix = ?",
        fresh.substring(0, 12)).get(0).get("last_used_at")).isNull();
    api.get("/v1/agents", fresh);
    long deadline = System.currentTimeMillis() + 5000;
    Object lastUsed = null;
    while (lastUsed == null && System.currentTimeMillis() < deadline) {
      lastUsed = server.sql("SELECT last_used_at FROM api_keys WHERE key_prefix = ?",
          fresh.substring(0, 12)).get(0).get("last_used_at");
    }
    assertThat(lastUsed).isNotNull();
  }

  @Test
  void keysAreStoredOnlyAsHashes() {
    String fresh = server.newKey();
    assertThat(fresh).startsWith("sk_live_").hasSizeGreaterThanOrEqualTo(8 + 22);
    assertThat(server.sql("SELECT count(*) AS n FROM api_keys WHERE key_hash = ? OR key_prefix = ?",
        fresh, fresh).get(0).get("n")).isEqualTo(0L);
    assertThat(server.sql("SELECT key_hash FROM api_keys WHERE key_prefix = ?",
        fresh.substring(0, 12)).get(0).get("key_hash"))
        .isEqualTo(dev.agentphone.http.KeyHash.of(fresh));
  }
}
