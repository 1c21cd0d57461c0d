package dev.agentphone.conversations;

import dev.agentphone.egress.GuardedDownload;
import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.sqlclient.Pool;

/**
 * Conversations: their verticle and {@code /v1/conversations}; {@code history} reads their
 * messages (the messaging domain provides it). {@code imessage} (null where no iMessage carrier
 * is configured) takes typing, background and group-name requests; {@code download} fetches
 * background images through the SSRF guard.
 */
public final class ConversationsFeature extends Feature {
  public ConversationsFeature(Pool pool, AgentCheck agents, MessageHistory history,
      NumbersApi numbers, IMessage imessage, GuardedDownload download, ConversationsApi api) {
    ConversationList list = new ConversationList(pool, agents);
    deploy(new ConversationsVerticle(pool, list, history,
        new ChatControls(pool, numbers, imessage, download)));
    mount(new ConversationRoutes(api, list));
  }
}
