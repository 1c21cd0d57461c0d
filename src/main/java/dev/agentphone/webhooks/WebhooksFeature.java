package dev.agentphone.webhooks;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Webhooks: their configuration and delivery log ({@code /v1/webhooks}), and their dispatch from
 * the outbox (planner, sender, poster), fed by PostgreSQL's notifications or by the Kafka
 * {@code stream} when one is configured.
 */
public final class WebhooksFeature implements Feature {
  private final List<VerticleBase> verticles;
  private final WebhooksApi api;

  public WebhooksFeature(Pool pool, String databaseUrl, WebhookSettings settings,
      EventStream stream, SsrfGuard guard, AgentsApi agents, ConversationsApi conversations,
      WebhooksApi api) {
    this.verticles = List.of(new WebhooksVerticle(pool, settings, guard, agents),
        new WebhookDispatchVerticle(pool, databaseUrl, settings, stream, guard, conversations));
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return verticles;
  }

  @Override
  public List<Routes> routes() {
    return List.of(new WebhookRoutes(api));
  }
}
