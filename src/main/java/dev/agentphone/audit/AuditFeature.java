package dev.agentphone.audit;

import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/** The audit log: its reading verticle and route; the domains write it through {@link AuditTrail}. */
public final class AuditFeature extends Feature {
  public AuditFeature(Pool pool, AuditApi api) {
    deploy(new AuditVerticle(pool));
    mount(new AuditRoutes(api));
  }
}
