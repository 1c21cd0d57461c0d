package dev.agentphone.webhooks;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/**
 * Webhooks: their configuration and delivery log ({@code /v1/webhooks}), and their dispatch from
 * the outbox (planner, sender, poster), fed by PostgreSQL's notifications or by the Kafka
 * {@code stream} when one is configured.
 */
public final class WebhooksFeature extends Feature {
  public WebhooksFeature(Pool pool, String databaseUrl, WebhookSettings settings,
      EventStream stream, SsrfGuard guard, AgentsApi agents, ConversationsApi conversations,
      ParentAccounts parents, WebhooksApi api) {
    WebhookRouting routing = new WebhookRouting(parents);
    deploy(new WebhooksVerticle(pool, settings, guard, agents, routing));
    deploy(new WebhookDispatchVerticle(pool, databaseUrl, settings, stream, guard,
        conversations, routing));
    mount(new WebhookRoutes(api));
    mount(new WebhookReplayRoutes(api, settings.replayMaxWindowDays()));
  }
}
