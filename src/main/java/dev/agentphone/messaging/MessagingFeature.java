package dev.agentphone.messaging;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.MessageQuota;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/**
 * Messaging: its verticle, {@code /v1/messages} and a number's messages. {@code imessage} is null
 * where no iMessage carrier is configured.
 */
public final class MessagingFeature implements Feature {
  private final MessagingVerticle verticle;
  private final MessagingApi api;

  public MessagingFeature(Pool pool, Telephony telephony, IMessage imessage, MessageQuota quota,
      AgentsApi agents, NumbersApi numbers, ContactsApi contacts, MessagingApi api) {
    this.verticle = new MessagingVerticle(pool, new InboundMessaging(pool, numbers, contacts),
        new OutboundMessaging(pool, telephony, imessage, quota, agents, numbers), numbers);
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(verticle);
  }

  @Override
  public List<Routes> routes() {
    return List.of(new MessageRoutes(api));
  }
}
