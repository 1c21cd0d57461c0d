package dev.agentphone.http;

import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys are served from a node-local cache: no database lookup per request, and a key revoked
 * in the database stops working once its cache entry is due for a check ({@code auth.cacheSeconds}).
 */
class ApiKeyCacheTest {
  private static TestEngine server;

  @BeforeAll
  static void start() {
    server = TestEngine.builder().config(Map.of("auth.cacheSeconds", 5)).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aRevokedKeyIsServedFromTheCacheUntilItsCheckThenRefused() throws Exception {
    JsonObject owner = server.signUp("cache-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    assertThat(server.api.get("/v1/agents", key).status()).isEqualTo(200);

    server.sql("UPDATE api_keys SET revoked_at = now() WHERE account_id = ?",
        owner.getString("account_id"));
    // still cached: this request never looked the key up in the database
    assertThat(server.api.get("/v1/agents", key).status()).isEqualTo(200);

    long deadline = System.nanoTime() + 30_000_000_000L;
    int status = 200;
    while (status == 200 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = server.api.get("/v1/agents", key).status();
    }
    assertThat(status).isEqualTo(401);
  }

  @Test
  void anUnknownKeyIsRefusedAndAnotherAccountsKeyKeepsWorking() {
    String kept = server.newKey();
    assertThat(server.api.get("/v1/agents", "sk_live_not_a_key").status()).isEqualTo(401);
    assertThat(server.api.get("/v1/agents", kept).status()).isEqualTo(200);
  }
}
