package dev.agentphone.ops;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OpsTest {
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

  @Test
  void healthReportsTheDatabase() {
    Api.Response health = api.get("/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().getString("database")).isEqualTo("up");
    // Kafka is reported only where it is configured
    assertThat(health.json().containsKey("kafka")).isFalse();
  }

  @Test
  void exposesPrometheusMetrics() {
    api.get("/health", null);
    Api.Response metrics = api.get("/metrics", null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("vertx_http_server_requests_total", "jvm_memory_used_bytes");
  }

  @Test
  void servesTheContract() throws Exception {
    Api.Response contract = api.get("/openapi.json", null);
    assertThat(contract.status()).isEqualTo(200);
    JsonObject served = contract.json();
    assertThat(served).isEqualTo(new JsonObject(
        Files.readString(Path.of("src/main/resources/openapi.json"))));
    // the contract only grows: every operation of the design's original contract is still there
    Path shared = Path.of("../shared/openapi.json");
    if (Files.exists(shared)) {
      JsonObject original = new JsonObject(Files.readString(shared)).getJsonObject("paths");
      for (String path : original.fieldNames()) {
        for (String method : original.getJsonObject(path).fieldNames()) {
          assertThat(served.getJsonObject("paths").getJsonObject(path, new JsonObject())
              .containsKey(method)).as("%s %s is still in the contract", method, path).isTrue();
        }
      }
    }
  }

  @Test
  void servesInteractiveDocs() {
    Api.Response docs = api.get("/docs", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("swagger-ui", "/openapi.json");
    Api.Response bundle = api.get("/webjars/swagger-ui/swagger-ui-bundle.js", null);
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.body().length()).isGreaterThan(100_000);
  }
}
