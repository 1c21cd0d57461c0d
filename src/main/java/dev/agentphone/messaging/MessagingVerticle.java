package dev.agentphone.messaging;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.contacts.ContactsVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Outbox;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import dev.agentphone.usage.UsageLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Messages in and out: inbound SMS/MMS/iMessage (stored with their {@code agent.message} event in
 * one transaction), sending, delivery status, and iMessage reactions.
 */
public final class MessagingVerticle extends VerticleBase {
  public static final String INBOUND = "messaging.inbound";
  public static final String INBOUND_REACTION = "messaging.inbound-reaction";
  public static final String STATUS = "messaging.status";
  public static final String SEND = "messaging.send";
  public static final String REACT = "messaging.react";
  public static final String BY_NUMBER = "messaging.by-number";
  public static final String BY_SID = "messaging.by-sid";

  public static final List<String> REACTIONS =
      List.of("love", "like", "dislike", "laugh", "emphasize", "question");

  /** Twilio's message statuses in the order they happen; a late callback never goes backwards. */
  private static final Map<String, Integer> STATUS_RANK = Map.of("accepted", 0, "queued", 0,
      "sending", 1, "sent", 2, "delivered", 3, "undelivered", 3, "failed", 3, "read", 4);

  /** The active number an inbound message was sent to: its phone number. */
  public static final String ACTIVE_NUMBER_SQL = "SELECT id, account_id, agent_id, type, "
      + "phone_number, country FROM phone_numbers WHERE phone_number = $1 AND status = 'active'";

  private final Engine engine;
  private final Pool pool;
  private final Plans plans;

  public MessagingVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
    this.plans = new Plans(engine.config());
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, INBOUND, this::inbound);
    Bus.answer(vertx, INBOUND_REACTION, this::inboundReaction);
    Bus.answer(vertx, STATUS, this::status);
    Bus.answer(vertx, SEND, this::send);
    Bus.answer(vertx, REACT, this::react);
    Bus.answer(vertx, BY_NUMBER, this::byNumber);
    Bus.answer(vertx, BY_SID, this::bySid);
    return Future.succeededFuture();
  }

  /** Our active number with this phone number: {@code id, account_id, agent_id, type, phone_number}. */
  private Future<Row> activeNumber(String phoneNumber) {
    return pool.preparedQuery(ACTIVE_NUMBER_SQL)
        .execute(Tuple.of(phoneNumber))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Phone number " + phoneNumber);
          }
          return rows.iterator().next();
        });
  }

  private Future<JsonObject> contactFor(String accountId, String phoneNumber) {
    return Bus.request(vertx, ContactsVerticle.BY_NUMBER,
        new JsonObject().put("accountId", accountId).put("phoneNumber", phoneNumber));
  }

  /**
   * {@code {messageSid, from, to, body, mediaUrls}} from a provider. A resent {@code messageSid}
   * answers the stored message and records nothing new.
   */
  private Future<JsonObject> inbound(JsonObject request) {
    String sid = request.getString("messageSid");
    String from = request.getString("from");
    List<String> media = strings(request.getJsonArray("mediaUrls"));
    String body = request.getString("body", "");
    return activeNumber(request.getString("to")).compose(number -> {
      String accountId = number.getString("account_id");
      String agentId = number.getString("agent_id");
      String channel = "imessage".equals(number.getString("type")) ? "imessage"
          : media.isEmpty() ? "sms" : "mms";
      return contactFor(accountId, from).compose(contact -> pool.withTransaction(tx ->
              MessageStore.insert(tx, new MessageStore.NewMessage(accountId,
                      number.getString("id"), from, "inbound", channel, from,
                      number.getString("phone_number"), body, media, "received", sid))
                  .compose(stored -> Outbox.record(tx, new Outbox.Event(accountId, agentId,
                          "agent.message", channel, stored.conversationId(), new JsonObject()
                          .put("messageId", stored.messageId())
                          .put("conversationId", stored.conversationId())
                          .put("numberId", number.getString("id"))
                          .put("from", from)
                          .put("to", number.getString("phone_number"))
                          .put("contact", contact)
                          .put("message", body)
                          .put("mediaUrl", media.isEmpty() ? null : media.get(0))
                          .put("mediaUrls", new JsonArray(media))
                          .put("direction", "inbound")
                          .put("receivedAt", Times.format(stored.at())), stored.at()))
                      .map(eventId -> new JsonObject().put("messageId", stored.messageId())
                          .put("conversationId", stored.conversationId())
                          .put("duplicate", false)))))
          .recover(failure -> failure instanceof MessageStore.Duplicate
              ? pool.preparedQuery("SELECT id, conversation_id FROM messages WHERE provider_sid = $1")
                  .execute(Tuple.of(sid))
                  .map(rows -> {
                    Row row = rows.iterator().next();
                    return new JsonObject().put("messageId", row.getString("id"))
                        .put("conversationId", row.getString("conversation_id"))
                        .put("duplicate", true);
                  })
              : Future.failedFuture(failure));
    });
  }

  /** {@code {from, to, messageId, reaction}}: a tapback from the other party on one of our messages. */
  private Future<JsonObject> inboundReaction(JsonObject request) {
    String from = request.getString("from");
    String reaction = request.getString("reaction");
    return activeNumber(request.getString("to")).compose(number -> pool.preparedQuery(
            "SELECT " + MessageStore.COLUMNS + " FROM messages WHERE id = $1 "
                + "AND phone_number_id = $2")
        .execute(Tuple.of(request.getString("messageId"), number.getString("id")))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Message");
          }
          Row message = rows.iterator().next();
          if (!"imessage".equals(message.getString("channel"))) {
            throw ApiError.badRequest("Reactions are an iMessage feature; this message went "
                + "over " + message.getString("channel").toUpperCase());
          }
          String accountId = number.getString("account_id");
          String reactionId = Ids.next("rxn");
          var at = Times.now();
          return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO message_reactions "
                  + "(id, account_id, message_id, reaction_type, direction, from_number, created_at) "
                  + "VALUES ($1, $2, $3, $4, 'inbound', $5, $6)")
              .execute(Tuple.of(reactionId, accountId, message.getString("id"), reaction, from, at))
              .compose(r -> Outbox.record(tx, new Outbox.Event(accountId,
                  number.getString("agent_id"), "agent.reaction", "imessage",
                  message.getString("conversation_id"), new JsonObject()
                  .put("conversationId", message.getString("conversation_id"))
                  .put("numberId", number.getString("id"))
                  .put("reactionType", reaction)
                  .put("fromNumber", from)
                  .put("direction", "inbound")
                  .put("messageId", message.getString("id"))
                  .put("messageBody", message.getString("body"))
                  .put("createdAt", Times.format(at)), at))))
              .map(eventId -> new JsonObject().put("id", reactionId)
                  .put("reaction_type", reaction).put("message_id", message.getString("id"))
                  .put("channel", "imessage"));
        }));
  }

  /** A delivery update: {@code {messageId?, messageSid, status, errorCode?}}. */
  private Future<JsonObject> status(JsonObject request) {
    String status = request.getString("status");
    Integer rank = STATUS_RANK.get(status);
    if (rank == null) {
      return Future.succeededFuture(new JsonObject().put("updated", 0));
    }
    return pool.preparedQuery("UPDATE messages SET status = $3, "
            + "error_code = coalesce($4, error_code) WHERE direction = 'outbound' "
            + "AND (id = $1 OR provider_sid = $2) AND (CASE status WHEN 'accepted' THEN 0 "
            + "WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'sent' THEN 2 "
            + "WHEN 'read' THEN 4 ELSE 3 END) <= $5")
        .execute(Tuple.of(request.getString("messageId"), request.getString("messageSid"), status,
            request.getString("errorCode"), rank))
        .map(rows -> new JsonObject().put("updated", rows.rowCount()));
  }

  /**
   * {@code {accountId, agentId, numberId?, toNumber, body, mediaUrl?}}. The message is stored as
   * queued before the provider is called, so a fast status callback always finds it; a provider
   * refusal marks it failed and is answered to the caller.
   */
  private Future<JsonObject> send(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    String mediaUrl = request.getString("mediaUrl");
    List<String> media = mediaUrl == null ? List.of() : List.of(mediaUrl);
    String body = request.getString("body");
    return Bus.<JsonObject>request(vertx, AgentsVerticle.GET, new JsonObject()
            .put("accountId", accountId).put("agentId", agentId))
        .compose(agent -> {
          JsonArray numbers = agent.getJsonArray("numbers", new JsonArray());
          JsonObject chosen = null;
          for (int i = 0; i < numbers.size(); i++) {
            JsonObject n = numbers.getJsonObject(i);
            if (numberId == null || numberId.equals(n.getString("id"))) {
              chosen = n;
              break;
            }
          }
          if (chosen == null) {
            throw numberId != null ? ApiError.notFound("Phone number " + numberId + " on this agent")
                : ApiError.badRequest("This agent has no phone number to send from; attach one "
                    + "with POST /v1/agents/" + agentId + "/numbers");
          }
          return pool.preparedQuery("SELECT id, phone_number, country, type FROM phone_numbers "
                  + "WHERE account_id = $1 AND id = $2 AND status = 'active'")
              .execute(Tuple.of(accountId, chosen.getString("id")));
        })
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Phone number");
          }
          Row number = rows.iterator().next();
          String to = PhoneNumbers.e164(request.getString("toNumber"), number.getString("country"));
          if (to == null) {
            throw ApiError.invalid(new JsonArray().add("body").add("to_number"), "value_error",
                PhoneNumbers.invalid(request.getString("toNumber")));
          }
          boolean imessage = "imessage".equals(number.getString("type"));
          String channel = imessage ? "imessage" : media.isEmpty() ? "sms" : "mms";
          String from = number.getString("phone_number");
          // the plan's monthly quota is checked and the message stored in one step
          return pool.withTransaction(tx -> UsageLimits.checkMessages(tx, plans, accountId,
                      Times.now())
                  .compose(v -> MessageStore.insert(tx, new MessageStore.NewMessage(accountId,
                      number.getString("id"), to, "outbound", channel, from, to, body, media,
                      "queued", null))))
              .compose(stored -> deliver(imessage, new OutboundMessage(accountId,
                      stored.messageId(), from, to, body, media,
                      engine.config().publicUrl() + TwilioWebhookRoutes.STATUS_PATH
                          + "?messageId=" + stored.messageId()))
                  .compose(sent -> pool.preparedQuery("UPDATE messages SET provider_sid = $2, "
                          + "status = CASE WHEN status = 'queued' THEN $3 ELSE status END "
                          + "WHERE id = $1 RETURNING status")
                      .execute(Tuple.of(stored.messageId(), sent.sid(), sent.status()))
                      .map(updated -> new JsonObject()
                          .put("id", stored.messageId())
                          .put("status", updated.iterator().next().getString("status"))
                          .put("channel", channel)
                          .put("from_number", from)
                          .put("to_number", to)))
                  .recover(failure -> pool.preparedQuery("UPDATE messages SET status = 'failed', "
                          + "error_message = $2 WHERE id = $1")
                      .execute(Tuple.of(stored.messageId(), failure.getMessage()))
                      .transform(r -> Future.failedFuture(failure))));
        });
  }

  private Future<SentMessage> deliver(boolean imessage, OutboundMessage message) {
    if (imessage) {
      IMessage provider = engine.providers().imessage();
      return provider == null
          ? Future.failedFuture(new ApiError(502, "No iMessage provider is configured"))
          : provider.send(message);
    }
    return engine.providers().telephony().send(message);
  }

  /** {@code {accountId, messageId, reaction}}: a tapback from our side, iMessage only. */
  private Future<JsonObject> react(JsonObject request) {
    String accountId = request.getString("accountId");
    String reaction = request.getString("reaction");
    return pool.preparedQuery("SELECT m.id, m.channel, m.direction, m.from_number, m.to_number, "
            + "m.provider_sid, p.phone_number FROM messages m "
            + "JOIN phone_numbers p ON p.id = m.phone_number_id "
            + "WHERE m.account_id = $1 AND m.id = $2")
        .execute(Tuple.of(accountId, request.getString("messageId")))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Message");
          }
          Row message = rows.iterator().next();
          if (!"imessage".equals(message.getString("channel"))) {
            throw ApiError.badRequest("Reactions are an iMessage feature: this message was sent "
                + "over " + message.getString("channel").toUpperCase()
                + ", which has no reactions. Use an iMessage number to react.");
          }
          IMessage provider = engine.providers().imessage();
          if (provider == null) {
            throw new ApiError(502, "No iMessage provider is configured");
          }
          String ours = message.getString("phone_number");
          String theirs = "inbound".equals(message.getString("direction"))
              ? message.getString("from_number") : message.getString("to_number");
          String reactionId = Ids.next("rxn");
          return provider.react(accountId, ours, theirs, message.getString("provider_sid"), reaction)
              .compose(carrierId -> pool.preparedQuery("INSERT INTO message_reactions (id, "
                      + "account_id, message_id, reaction_type, direction, from_number) "
                      + "VALUES ($1, $2, $3, $4, 'outbound', $5)")
                  .execute(Tuple.of(reactionId, accountId, message.getString("id"), reaction, ours)))
              .map(r -> new JsonObject().put("id", reactionId).put("reaction_type", reaction)
                  .put("message_id", message.getString("id")).put("channel", "imessage"));
        });
  }

  /** {@code {accountId, numberId, limit, before?, after?}}: a number's messages, also after release. */
  private Future<JsonObject> byNumber(JsonObject request) {
    String accountId = request.getString("accountId");
    String numberId = request.getString("numberId");
    return pool.preparedQuery("SELECT 1 FROM phone_numbers WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, numberId))
        .compose(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Phone number");
          }
          return MessageStore.page(pool, accountId, "phone_number_id", numberId,
              request.getInteger("limit"), Times.parse(request.getString("before")),
              Times.parse(request.getString("after")), MessageStore::forNumber);
        });
  }

  /** {@code {accountId, sid}}: the stored message a provider knows by {@code sid}, or null. */
  private Future<JsonObject> bySid(JsonObject request) {
    return pool.preparedQuery("SELECT " + MessageStore.COLUMNS + " FROM messages "
            + "WHERE account_id = $1 AND provider_sid = $2")
        .execute(Tuple.of(request.getString("accountId"), request.getString("sid")))
        .map(rows -> rows.size() == 0 ? null : MessageStore.inConversation(rows.iterator().next()));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
