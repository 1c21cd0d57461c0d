package dev.agentphone.messaging;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.providers.imessage.IMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Our tapbacks on iMessages: sent through the carrier, then kept with the message. */
final class Tapbacks {
  private final Pool pool;
  private final IMessage imessage;
  private final NumbersApi numbers;

  Tapbacks(Pool pool, IMessage imessage, NumbersApi numbers) {
    this.pool = pool;
    this.imessage = imessage;
    this.numbers = numbers;
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
            throw IMessage.notConfigured();
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
