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

  /** The iMessage tapbacks. */
  public static final List<String> REACTIONS =
      List.of("love", "like", "dislike", "laugh", "emphasize", "question");

  private final Vertx vertx;

  public MessagingApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends from the agent's number ({@code numberId} when given, else its first); the answer is
   * {@code {id, status, channel, from_number, to_number}}.
   */
  public Future<JsonObject> send(String accountId, String agentId, String toNumber, String body,
      String mediaUrl, String numberId) {
    return Bus.request(vertx, SEND, Bus.scope(accountId).put("agentId", agentId)
        .put("toNumber", toNumber).put("body", body).put("mediaUrl", mediaUrl)
        .put("numberId", numberId));
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

  /** Stores an inbound message: {@code {messageId, conversationId, duplicate}}. */
  public Future<JsonObject> inbound(Message message) {
    return Bus.request(vertx, INBOUND, new JsonObject().put("messageSid", message.providerSid())
        .put("from", message.from()).put("to", message.to()).put("body", message.body())
        .put("mediaUrls", new JsonArray(List.copyOf(message.mediaUrls()))));
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
