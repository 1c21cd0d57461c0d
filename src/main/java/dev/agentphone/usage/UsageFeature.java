package dev.agentphone.usage;

import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/** Usage statistics: their verticle and {@code /v1/usage}. */
public final class UsageFeature extends Feature {
  public UsageFeature(Pool pool, Plans plans, UsageApi api) {
    deploy(new UsageVerticle(pool, plans));
    mount(new UsageRoutes(api));
  }
}
