package dev.agentphone.conversations;

import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Conversations: their verticle and {@code /v1/conversations}; {@code history} reads their
 * messages (the messaging domain provides it).
 */
public final class ConversationsFeature implements Feature {
  private final ConversationsVerticle verticle;
  private final ConversationsApi api;

  public ConversationsFeature(Pool pool, AgentCheck agents, NumbersApi numbers,
      MessageHistory history, ConversationsApi api) {
    this.verticle = new ConversationsVerticle(pool, agents, numbers, history);
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(verticle);
  }

  @Override
  public List<Routes> routes() {
    return List.of(new ConversationRoutes(api));
  }
}
