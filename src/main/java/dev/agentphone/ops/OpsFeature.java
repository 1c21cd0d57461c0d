package dev.agentphone.ops;

import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/**
 * Operations: {@code /health} (with the node's dependency checks), {@code /metrics}, the contract
 * and its documentation. {@code healthTimeoutMillis}: {@code ops.healthTimeoutMillis}.
 */
public final class OpsFeature extends Feature {
  public OpsFeature(Pool pool, EventStream stream, long healthTimeoutMillis) {
    deploy(new HealthVerticle(pool, stream, healthTimeoutMillis));
    mount(new OpsRoutes());
  }
}
