package dev.agentphone.usage;

import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/** Usage statistics: their verticle and {@code /v1/usage}. */
public final class UsageFeature implements Feature {
  private final Pool pool;
  private final Plans plans;
  private final UsageApi api;

  public UsageFeature(Pool pool, Plans plans, UsageApi api) {
    this.pool = pool;
    this.plans = plans;
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(new UsageVerticle(pool, plans));
  }

  @Override
  public List<Routes> routes() {
    return List.of(new UsageRoutes(api));
  }
}
