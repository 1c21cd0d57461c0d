package dev.agentphone.cluster;

import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key revoked on one node is refused on the other within a second, although that node has it
 * cached for a minute ({@code auth.cacheSeconds}): the revocation travels on the cluster bus.
 */
class KeyRevocationClusterTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, Map.of("auth.cacheSeconds", 60));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aKeyRevokedOnNodeAIsRefusedOnNodeBWithinOneSecond() throws Exception {
    TestEngine a = cluster.node(0);
    TestEngine b = cluster.node(1);
    String owner = a.newKey();
    JsonObject created = a.api.post("/v1/api-keys", owner, new JsonObject().put("name", "leaked"))
        .json();
    String leaked = created.getString("key");
    // used on B, so B serves it from its cache from now on
    assertThat(b.api.get("/v1/agents", leaked).status()).isEqualTo(200);
    assertThat(b.api.get("/v1/agents", leaked).status()).isEqualTo(200);

    assertThat(a.api.delete("/v1/api-keys/" + created.getString("id"), owner).status())
        .isEqualTo(200);
    long revokedAt = System.nanoTime();
    int status = 200;
    while (status == 200 && System.nanoTime() - revokedAt < 1_000_000_000L) {
      status = b.api.get("/v1/agents", leaked).status();
      if (status == 200) {
        Thread.sleep(20);
      }
    }
    assertThat(status).as("refused on node B within 1 s of the revocation").isEqualTo(401);
    // the owner's other key is untouched on both nodes
    assertThat(b.api.get("/v1/agents", owner).status()).isEqualTo(200);
    assertThat(a.api.get("/v1/agents", owner).status()).isEqualTo(200);
  }
}
