package dev.agentphone.providers.telephony;

import io.vertx.core.Future;

import java.util.List;

/**
 * A phone company: buys and releases numbers and sends SMS/MMS. Failures are
 * {@link dev.agentphone.platform.ApiError}s a client can read (4xx for what the caller can
 * change, 502 when the provider failed).
 */
public interface Telephony {
  /** {@code twilio} or {@code sandbox}, stored with each number. */
  String name();

  /**
   * Finds an SMS-capable local number (in {@code areaCode} when given), buys it and points its SMS
   * and status callbacks at this engine.
   */
  Future<ProvisionedNumber> buy(String country, String areaCode);

  /** Gives the number back to the provider; a number the provider no longer has counts as released. */
  Future<Void> release(ProvisionedNumber number);

  Future<SentMessage> send(OutboundMessage message);

  /** A number held at a provider. */
  record ProvisionedNumber(String phoneNumber, String country, String providerSid) {
  }

  /**
   * A message to hand to a provider; {@code messageId} is ours, so the provider's delivery updates
   * can name it.
   */
  record OutboundMessage(String accountId, String messageId, String from, String to, String body,
      List<String> mediaUrls) {
  }

  /** The provider's id for a sent message and its first status ({@code queued}, {@code sent}). */
  record SentMessage(String sid, String status) {
  }
}
