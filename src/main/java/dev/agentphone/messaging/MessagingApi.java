package dev.agentphone.messaging;

import dev.agentphone.platform.Bus;
import dev.agentphone.providers.telephony.InboundMessages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The messaging domain's published API over the event bus. Sending, reacting and reading are
 * scoped to {@code accountId}; what providers report ({@link #inbound}, {@link #status},
 * {@link #inboundReaction}) names our phone number instead, and is routed to its account.
 */
public final class MessagingApi implements InboundMessages {
  static final String INBOUND = "messaging.inbound";
  static final String INBOUND_REACTION = "messaging.inbound-reaction";
  static final String STATUS = "messaging.status";
  static final String SEND = "messaging.send";
  static final String REACT = "messaging.react";
  static final String BY_NUMBER = "messaging.by-number";
  static final String BY_SID = "messaging.by-sid";
  static final String DELIVERY = "messaging.delivery";

  /** The iMessage tapbacks. */
  public static final List<String> REACTIONS =
      List.of("love", "like", "dislike", "laugh", "emphasize", "question");

  private final Vertx vertx;

  public MessagingApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The iMessage expressive effects a message can be sent with ({@code send_style}). */
  public static final List<String> SEND_STYLES = List.of("celebration", "fireworks", "lasers",
      "love", "confetti", "balloons", "spotlight", "echo", "invisible", "gentle", "loud", "slam");

  /**
   * A message to send. The line is {@code numberId} or {@code fromNumber} (E.164), checked to be
   * the agent's when {@code agentId} is given too, else the agent's first number. The message
   * goes to {@code toNumber} (a phone number in any common format, an email or a group id
   * {@code grp_…}) or, starting a group, to {@code recipients}. {@code mediaUrls} may be empty;
   * {@code sendStyle} and {@code replyToMessageId} may be null.
   */
  public record Send(String agentId, String numberId, String fromNumber, String toNumber,
      List<String> recipients, String body, List<String> mediaUrls, String sendStyle,
      String replyToMessageId) {
    JsonObject json() {
      return new JsonObject().put("agentId", agentId).put("numberId", numberId)
          .put("fromNumber", fromNumber).put("toNumber", toNumber)
          .put("recipients", recipients == null ? null : new JsonArray(List.copyOf(recipients)))
          .put("body", body).put("mediaUrls", new JsonArray(List.copyOf(mediaUrls)))
          .put("sendStyle", sendStyle).put("replyToMessageId", replyToMessageId);
    }
  }

  /**
   * Sends the message; the answer is {@code SendMessageResponse}: {@code {id, status, channel,
   * from_number, to_number, conversation_id, media_urls, reply_to_message_id,
   * reply_parent_unresolved}}.
   */
  public Future<JsonObject> send(String accountId, Send message) {
    return Bus.request(vertx, SEND, Bus.scope(accountId).mergeIn(message.json()));
  }

  /** Sends {@code body} (and the media at {@code mediaUrl}, if any) from the agent's number. */
  public Future<JsonObject> send(String accountId, String agentId, String toNumber, String body,
      String mediaUrl, String numberId) {
    return send(accountId, new Send(agentId, numberId, null, toNumber, null, body,
        mediaUrl == null ? List.of() : List.of(mediaUrl), null, null));
  }

  /** A tapback from our side on a message (iMessage only). */
  public Future<JsonObject> react(String accountId, String messageId, String reaction) {
    return Bus.request(vertx, REACT, Bus.scope(accountId).put("messageId", messageId)
        .put("reaction", reaction));
  }

  /** A number's messages, also after its release; {@code before}/{@code after}: ISO or null. */
  public Future<JsonObject> byNumber(String accountId, String numberId, int limit, String before,
      String after) {
    return Bus.request(vertx, BY_NUMBER, Bus.scope(accountId).put("numberId", numberId)
        .put("limit", limit).put("before", before).put("after", after));
  }

  /** The account's message a provider knows by {@code sid}, or null. */
  public Future<JsonObject> bySid(String accountId, String sid) {
    return Bus.request(vertx, BY_SID, Bus.scope(accountId).put("sid", sid));
  }

  /**
   * Where an outbound message of {@code accountId} stands with the carrier: {@code {messageId,
   * messageSid, status, errorCode}} (the carrier's id and error code, null when it reported
   * none), or null.
   */
  public Future<JsonObject> delivery(String accountId, String messageId) {
    return Bus.request(vertx, DELIVERY, Bus.scope(accountId).put("messageId", messageId));
  }

  /** Stores an inbound message: {@code {messageId, conversationId, duplicate}}. */
  public Future<JsonObject> inbound(Message message) {
    return inbound(message, null, null);
  }

  /**
   * Stores an inbound iMessage sent in the group {@code group} (our id {@code grp_…} or the
   * carrier's id of the chat; null for a one-to-one message) and as an inline reply to
   * {@code replyTo} (our id or the carrier's of the parent; null for none).
   */
  public Future<JsonObject> inbound(Message message, String group, String replyTo) {
    return Bus.request(vertx, INBOUND, new JsonObject().put("messageSid", message.providerSid())
        .put("from", message.from()).put("to", message.to()).put("body", message.body())
        .put("mediaUrls", new JsonArray(List.copyOf(message.mediaUrls())))
        .put("group", group).put("replyTo", replyTo));
  }

  @Override
  public Future<Void> received(Message message) {
    return inbound(message).mapEmpty();
  }

  /** A delivery update: {@code {updated}} counts the messages it moved forward. */
  public Future<JsonObject> status(StatusUpdate update) {
    return Bus.request(vertx, STATUS, new JsonObject().put("messageId", update.messageId())
        .put("messageSid", update.providerSid()).put("status", update.status())
        .put("errorCode", update.errorCode()));
  }

  @Override
  public Future<Void> statusChanged(StatusUpdate update) {
    return status(update).mapEmpty();
  }

  /** A tapback from the other party ({@code from}) on one of our messages to {@code to}. */
  public Future<JsonObject> inboundReaction(String from, String to, String messageId,
      String reaction) {
    return Bus.request(vertx, INBOUND_REACTION, new JsonObject().put("from", from).put("to", to)
        .put("messageId", messageId).put("reaction", reaction));
  }
}
