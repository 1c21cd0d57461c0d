package dev.agentphone.support;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Cluster;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Several clustered engine nodes on loopback (Hazelcast on 127.0.0.1) sharing one database. Each
 * cluster has its own name, so concurrent test runs on one machine never join each other.
 */
public final class TestCluster implements AutoCloseable {
  public final String databaseUrl;
  public final List<TestEngine> nodes = new ArrayList<>();
  private final Map<String, Object> overrides;

  public TestCluster(int size, Map<String, Object> extra) {
    this.databaseUrl = TestDatabase.fresh();
    this.overrides = new HashMap<>(extra);
    overrides.put("cluster.enabled", true);
    overrides.put("cluster.name", "test-" + UUID.randomUUID());
    overrides.put("cluster.host", "127.0.0.1");
    overrides.put("cluster.members", "127.0.0.1");
    overrides.put("cluster.port", 5801);
    for (int i = 0; i < size; i++) {
      addNode();
    }
  }

  public TestEngine addNode() {
    try {
      Vertx vertx = Cluster.join(AppConfig.withOverrides(overrides))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      TestEngine node = TestEngine.builder().database(databaseUrl).config(overrides).node(vertx)
          .start();
      nodes.add(node);
      return node;
    } catch (Exception e) {
      throw new IllegalStateException("cluster node did not start", e);
    }
  }

  public TestEngine node(int i) {
    return nodes.get(i);
  }

  @Override
  public void close() {
    nodes.forEach(TestEngine::close);
  }
}
