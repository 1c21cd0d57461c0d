package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Registration with private targets disallowed (as in live mode). */
class WebhookUrlGuardApiTest {
  static TestEngine server;
  static String key;

  @BeforeAll
  static void start() {
    server = TestEngine.start(Map.of("webhooks.allowPrivateTargets", false));
    key = server.newKey();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://10.1.2.3/hook",
      "http://169.254.169.254/latest/meta-data", "http://[::1]:9000/hook",
      "http://[::ffff:127.0.0.1]/hook", "http://localhost:9000/hook", "http://192.168.0.10/h",
      "http://100.64.1.1/h"})
  void privateTargetsAreRefusedAtRegistration(String url) {
    Api.Response refused = server.api.post("/v1/webhooks", key, new JsonObject().put("url", url));
    assertThat(refused.status()).isEqualTo(422);
    JsonObject error = ((JsonArray) refused.detail()).getJsonObject(0);
    assertThat(error.getJsonArray("loc")).containsExactly("body", "url");
    assertThat(error.getString("msg")).contains("not allowed");
    assertThat(server.api.get("/v1/webhooks", key).body()).isEqualTo("null");
  }
}
