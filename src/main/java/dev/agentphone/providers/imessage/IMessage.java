package dev.agentphone.providers.imessage;

import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import io.vertx.core.Future;

import java.util.List;

/**
 * An iMessage carrier: numbers, messages (to a person, to a group chat, or starting a group),
 * tapback reactions, typing indicators, chat backgrounds, group names, the contact card
 * recipients see for a number, and whether a phone number is on iMessage at all. A chat is named
 * by the other party's phone number or email, or by the carrier's id of a group chat.
 */
public interface IMessage {
  String name();

  /**
   * The answer where an iMessage line has no carrier to act for it: only the sandbox has one, so
   * an iMessage number can exist in live mode only in a database that was used in sandbox mode.
   */
  static ApiError notConfigured() {
    return new ApiError(501, "No iMessage carrier is configured: iMessage numbers and their "
        + "features (groups, effects, replies, reactions, typing, backgrounds) work in sandbox "
        + "mode only");
  }

  Future<ProvisionedNumber> provision(String country, String areaCode);

  Future<Void> release(ProvisionedNumber number);

  /** Sends the message; starting a group, the answer names the carrier's new group chat. */
  Future<Sent> send(Outbound message);

  /** Sends a tapback to the message the carrier knows as {@code messageSid}; returns its id. */
  Future<String> react(String accountId, String from, String to, String messageSid,
      String reaction);

  /** Shows "typing…" in the chat for a few seconds; best effort at the carrier. */
  Future<Void> typing(String accountId, String from, String chat);

  /** Sets the chat's wallpaper; returns the carrier's id of the background. */
  Future<String> setBackground(String accountId, String from, String chat, Image image);

  Future<Void> removeBackground(String accountId, String from, String chat);

  /** Renames a group chat; {@code name} null removes its name. */
  Future<Void> renameGroup(String accountId, String from, String chat, String name);

  /**
   * A message to hand to the carrier; {@code messageId} is ours. {@code to} is the chat; to start
   * a group it is null and {@code recipients} lists the members. {@code sendStyle} (an expressive
   * effect) and {@code replyToSid} (the carrier's id of the parent of an inline reply) may be null.
   */
  record Outbound(String accountId, String messageId, String from, String to,
      List<String> recipients, String body, List<String> mediaUrls, String sendStyle,
      String replyToSid) {
  }

  /** The carrier's id of the message, its first status, and the new group chat's id (or null). */
  record Sent(String sid, String status, String groupChat) {
  }

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
