package dev.agentphone.cluster;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An Idempotency-Key holds across the nodes of a cluster: its claim and answer are shared. */
class IdempotencyClusterTest {
  static TestCluster cluster;
  static final ExecutorService clients = Executors.newFixedThreadPool(8);

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, Map.of());
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
    cluster.close();
  }

  private static Api.Response post(TestEngine node, String path, String key, JsonObject body,
      String idem) {
    return node.api.send("POST", path, key, body.encode(), "application/json",
        "Idempotency-Key", idem);
  }

  @Test
  void theSecondNodeReplaysTheFirstNodesAnswer() {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    String key = a.newKey();
    String idem = "order-" + UUID.randomUUID();
    JsonObject contact = new JsonObject().put("name", "Ada").put("phoneNumber", "+14155550131");
    Api.Response first = post(a, "/v1/contacts", key, contact, idem);
    assertThat(first.status()).isEqualTo(201);

    Api.Response retry = post(b, "/v1/contacts", key, contact, idem);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).isEqualTo(first.body());
    assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(post(b, "/v1/contacts", key, contact.copy().put("name", "Grace"), idem).status())
        .isEqualTo(422);
    assertThat(b.api.get("/v1/contacts", key).json().getJsonArray("data")).hasSize(1);
  }

  @Test
  void concurrentRetriesOnBothNodesSendOneMessage() throws Exception {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    JsonObject account = a.signUp("idem-cluster-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String idem = "send-" + UUID.randomUUID();
    JsonObject sms = new JsonObject().put("from_number", account.getString("phone_number"))
        .put("to_number", "+12125550144").put("body", "Once only");
    List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TestEngine node = i % 2 == 0 ? a : b;
      pending.add(CompletableFuture.supplyAsync(
          () -> post(node, "/v1/messages", key, sms, idem), clients));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<Api.Response> one : pending) {
      Api.Response answer = one.get(60, TimeUnit.SECONDS);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      ids.add(answer.json().getString("id"));
    }
    assertThat(ids).containsOnly(ids.get(0));
    JsonArray outbox = a.api.get("/sandbox/sms", key).json().getJsonArray("data");
    assertThat(outbox.stream().map(JsonObject.class::cast)
        .filter(m -> "Once only".equals(m.getString("body")))).hasSize(1);
  }
}
