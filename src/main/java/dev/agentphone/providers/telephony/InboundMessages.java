package dev.agentphone.providers.telephony;

import io.vertx.core.Future;

import java.util.List;

/**
 * Where a provider's callbacks go: messages to our numbers and delivery updates of ours.
 * Declared here, with the providers, and implemented by the messaging domain, so a provider's
 * webhook routes depend on no domain.
 */
public interface InboundMessages {
  /** A message a provider received for one of our numbers; a resent {@code providerSid} is stored once. */
  Future<Void> received(Message message);

  /** A delivery update of a message we sent; one that would go backwards is ignored. */
  Future<Void> statusChanged(StatusUpdate update);

  /** {@code to} is our number; {@code body} may be empty when media came. */
  record Message(String providerSid, String from, String to, String body, List<String> mediaUrls) {
  }

  /** {@code messageId} (ours) or {@code providerSid} names the message. */
  record StatusUpdate(String messageId, String providerSid, String status, String errorCode) {
  }
}
