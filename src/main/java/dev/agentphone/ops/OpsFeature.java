package dev.agentphone.ops;

import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Operations: {@code /health} (with the node's dependency checks), {@code /metrics}, the contract
 * and its documentation. {@code healthTimeoutMillis}: {@code ops.healthTimeoutMillis}.
 */
public final class OpsFeature implements Feature {
  private final HealthVerticle health;

  public OpsFeature(Pool pool, EventStream stream, long healthTimeoutMillis) {
    this.health = new HealthVerticle(pool, stream, healthTimeoutMillis);
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(health);
  }

  @Override
  public List<Routes> routes() {
    return List.of(new OpsRoutes());
  }
}
