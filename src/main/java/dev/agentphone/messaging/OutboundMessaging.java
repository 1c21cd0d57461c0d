package dev.agentphone.messaging;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import dev.agentphone.usage.MessageQuota;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** What we send: messages from an agent's number, and our tapbacks on iMessages. */
final class OutboundMessaging {
  private final Pool pool;
  private final Telephony telephony;
  private final IMessage imessage;
  private final MessageQuota quota;
  private final AgentsApi agents;
  private final NumbersApi numbers;

  OutboundMessaging(Pool pool, Telephony telephony, IMessage imessage, MessageQuota quota,
      AgentsApi agents, NumbersApi numbers) {
    this.pool = pool;
    this.telephony = telephony;
    this.imessage = imessage;
    this.quota = quota;
    this.agents = agents;
    this.numbers = numbers;
  }

  /**
   * {@code {accountId, agentId, numberId?, toNumber, body, mediaUrl?}}. The message is stored as
   * queued before the provider is called, so a fast status callback always finds it; a provider
   * refusal marks it failed and is answered to the caller.
   */
  Future<JsonObject> send(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    String mediaUrl = request.getString("mediaUrl");
    List<String> media = mediaUrl == null ? List.of() : List.of(mediaUrl);
    String body = request.getString("body");
    return agents.get(accountId, agentId)
        .compose(agent -> numbers.findActive(accountId, sendingNumber(agent, numberId)))
        .compose(number -> {
          String to = PhoneNumbers.e164(request.getString("toNumber"), number.country());
          if (to == null) {
            throw ApiError.invalid(new JsonArray().add("body").add("to_number"), "value_error",
                PhoneNumbers.invalid(request.getString("toNumber")));
          }
          boolean viaIMessage = "imessage".equals(number.type());
          String channel = viaIMessage ? "imessage" : media.isEmpty() ? "sms" : "mms";
          String from = number.phoneNumber();
          // the plan's monthly quota is checked and the message stored in one step
          return pool.withTransaction(tx -> quota.check(tx, accountId)
                  .compose(v -> MessageStore.insert(tx, new MessageStore.NewMessage(accountId,
                      number.id(), to, "outbound", channel, from, to, body, media, "queued",
                      null))))
              .compose(stored -> deliver(viaIMessage, new OutboundMessage(accountId,
                      stored.messageId(), from, to, body, media))
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

  /** {@code numberId} when it is one of the agent's numbers, else the agent's first number. */
  private static String sendingNumber(JsonObject agent, String numberId) {
    JsonArray owned = agent.getJsonArray("numbers", new JsonArray());
    for (int i = 0; i < owned.size(); i++) {
      JsonObject n = owned.getJsonObject(i);
      if (numberId == null || numberId.equals(n.getString("id"))) {
        return n.getString("id");
      }
    }
    throw numberId != null ? ApiError.notFound("Phone number " + numberId + " on this agent")
        : ApiError.badRequest("This agent has no phone number to send from; attach one "
            + "with POST /v1/agents/" + agent.getString("id") + "/numbers");
  }

  private Future<SentMessage> deliver(boolean viaIMessage, OutboundMessage message) {
    if (viaIMessage) {
      return imessage == null
          ? Future.failedFuture(new ApiError(502, "No iMessage provider is configured"))
          : imessage.send(message);
    }
    return telephony.send(message);
  }

  /** {@code {accountId, messageId, reaction}}: a tapback from our side, iMessage only. */
  Future<JsonObject> react(JsonObject request) {
    String accountId = request.getString("accountId");
    String reaction = request.getString("reaction");
    return pool.preparedQuery("SELECT id, channel, direction, from_number, to_number, "
            + "provider_sid, phone_number_id FROM messages WHERE account_id = $1 AND id = $2")
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
          if (imessage == null) {
            throw new ApiError(502, "No iMessage provider is configured");
          }
          return numbers.get(accountId, message.getString("phone_number_id"))
              .compose(number -> tapback(accountId, message, number.getString("phoneNumber"),
                  reaction));
        });
  }

  private Future<JsonObject> tapback(String accountId, Row message, String ours,
      String reaction) {
    String theirs = "inbound".equals(message.getString("direction"))
        ? message.getString("from_number") : message.getString("to_number");
    String reactionId = Ids.next("rxn");
    return imessage.react(accountId, ours, theirs, message.getString("provider_sid"), reaction)
        .compose(carrierId -> pool.preparedQuery("INSERT INTO message_reactions (id, "
                + "account_id, message_id, reaction_type, direction, from_number) "
                + "VALUES ($1, $2, $3, $4, 'outbound', $5)")
            .execute(Tuple.of(reactionId, accountId, message.getString("id"), reaction, ours)))
        .map(r -> new JsonObject().put("id", reactionId).put("reaction_type", reaction)
            .put("message_id", message.getString("id")).put("channel", "imessage"));
  }
}
