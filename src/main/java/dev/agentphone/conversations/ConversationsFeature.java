package dev.agentphone.conversations;

import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.platform.Feature;
import io.vertx.sqlclient.Pool;

/**
 * Conversations: their verticle and {@code /v1/conversations}; {@code history} reads their
 * messages (the messaging domain provides it).
 */
public final class ConversationsFeature extends Feature {
  public ConversationsFeature(Pool pool, AgentCheck agents, MessageHistory history,
      ConversationsApi api) {
    deploy(new ConversationsVerticle(pool, agents, history));
    mount(new ConversationRoutes(api));
  }
}
