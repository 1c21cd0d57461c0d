package dev.agentphone.providers.imessage;

import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import io.vertx.core.Future;

/** An iMessage carrier: numbers, messages and tapback reactions. */
public interface IMessage {
  String name();

  Future<ProvisionedNumber> provision(String country, String areaCode);

  Future<Void> release(ProvisionedNumber number);

  Future<SentMessage> send(OutboundMessage message);

  /** Sends a tapback to the message the carrier knows as {@code messageSid}; returns its id. */
  Future<String> react(String accountId, String from, String to, String messageSid,
      String reaction);
}
