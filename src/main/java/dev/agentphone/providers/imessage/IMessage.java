package dev.agentphone.providers.imessage;

import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import io.vertx.core.Future;

/**
 * An iMessage carrier: numbers, messages, tapback reactions, the contact card recipients see for
 * a number, and whether a phone number is on iMessage at all.
 */
public interface IMessage {
  String name();

  Future<ProvisionedNumber> provision(String country, String areaCode);

  Future<Void> release(ProvisionedNumber number);

  Future<SentMessage> send(OutboundMessage message);

  /** Sends a tapback to the message the carrier knows as {@code messageSid}; returns its id. */
  Future<String> react(String accountId, String from, String to, String messageSid,
      String reaction);

  /**
   * Sets the card recipients see for our number {@code line} (the name and photo iMessage shares
   * with them); replaces the card the line had.
   */
  Future<Void> setContactCard(String accountId, String line, ContactCard card);

  /** Removes the card of our number {@code line}; a line without one stays as it is. */
  Future<Void> removeContactCard(String accountId, String line);

  /** Whether {@code phoneNumber} (E.164) is registered with iMessage, asked from our {@code line}. */
  Future<Boolean> reaches(String accountId, String line, String phoneNumber);

  /** A contact card: any of the names may be null, and {@code avatar} too. */
  record ContactCard(String firstName, String lastName, String displayName, Image avatar) {
  }

  /** A checked image: its bytes, MIME type and SHA-256 (hex). */
  record Image(byte[] bytes, String contentType, String sha256) {
  }
}
