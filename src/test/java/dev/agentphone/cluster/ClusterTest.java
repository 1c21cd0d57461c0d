package dev.agentphone.cluster;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two engine nodes on one Hazelcast event bus and one database. */
class ClusterTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, Map.of());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void writesOnOneNodeAreReadOnTheOther() {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    String key = a.newKey();
    String agentId = a.api.post("/v1/agents", key, new JsonObject().put("name", "Shared"))
        .json().getString("id");
    // the key was issued on A and is honoured on B; the agent written on A is read on B
    assertThat(b.api.get("/v1/agents/" + agentId, key).json().getString("name"))
        .isEqualTo("Shared");
    assertThat(b.api.patch("/v1/agents/" + agentId, key, new JsonObject().put("name", "Renamed"))
        .status()).isEqualTo(200);
    assertThat(a.api.get("/v1/agents/" + agentId, key).json().getString("name"))
        .isEqualTo("Renamed");
  }

  @Test
  void aSubAccountDeletedOnOneNodeIsGoneOnTheOtherAtOnce() {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    String key = a.newKey();
    String child = a.api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Branch"))
        .json().getString("id");
    // both nodes have the key cached and have served the sub-account
    assertThat(a.api.asSubAccount(child).get("/v1/agents", key).status()).isEqualTo(200);
    assertThat(b.api.asSubAccount(child).get("/v1/agents", key).status()).isEqualTo(200);
    assertThat(a.api.delete("/v1/sub-accounts/" + child, key).status()).isEqualTo(200);
    Api.Response after = b.api.asSubAccount(child).get("/v1/agents", key);
    assertThat(after.status()).isEqualTo(404);
    assertThat(after.json().getString("detail")).isEqualTo("Sub-account not found");
    assertThat(b.api.get("/v1/agents", key).status()).isEqualTo(200);
  }

  @Test
  void nodesShareOneEventBus() throws Exception {
    CompletableFuture<String> received = new CompletableFuture<>();
    cluster.node(0).vertx.eventBus().<String>consumer("test.cluster.ping",
            m -> received.complete(m.body()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 10_000;
    while (!received.isDone() && System.currentTimeMillis() < deadline) {
      cluster.node(1).vertx.eventBus().publish("test.cluster.ping", "from B");
      Thread.sleep(50);
    }
    assertThat(received.get(1, TimeUnit.SECONDS)).isEqualTo("from B");
  }
}
