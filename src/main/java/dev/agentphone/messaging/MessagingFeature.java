package dev.agentphone.messaging;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.MessageQuota;
import io.vertx.sqlclient.Pool;

/**
 * Messaging: its verticle, {@code /v1/messages} and a number's messages. {@code imessage} is null
 * where no iMessage carrier is configured.
 */
public final class MessagingFeature extends Feature {
  public MessagingFeature(Pool pool, Telephony telephony, IMessage imessage, MessageQuota quota,
      AgentsApi agents, NumbersApi numbers, ContactsApi contacts, SmsPermission smsPermission,
      MessagingApi api) {
    deploy(new MessagingVerticle(pool, new InboundMessaging(pool, numbers),
        new OutboundMessaging(pool, telephony, imessage, quota, new SendingLine(agents, numbers),
            contacts, smsPermission),
        new Tapbacks(pool, imessage, numbers), numbers));
    mount(new MessageRoutes(api));
  }
}
