package dev.agentphone.messaging;

import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes messages are answered in: {@code MessageInConversation} (with the parent of an
 * inline reply and the message's reactions) and {@code MessageResponse} (a number's list).
 */
final class MessageViews {
  /** Read from {@link #TABLES}: the message {@code m} and the parent {@code p} it replies to. */
  static final String COLUMNS = "m.id, m.conversation_id, m.phone_number_id, m.direction, "
      + "m.channel, m.from_number, m.to_number, m.body, m.media_urls, m.status, m.provider_sid, "
      + "m.created_at, m.sender_identifier, m.reply_to_id, p.body AS reply_body, "
      + "p.media_urls AS reply_media";
  static final String TABLES = "messages m LEFT JOIN messages p ON p.id = m.reply_to_id";

  private MessageViews() {
  }

  /**
   * {@code MessageInConversation}, plus the conversation, status and every media URL; its
   * {@code reactions} are added by {@link #withReactions}.
   */
  static JsonObject inConversation(Row row) {
    JsonArray media = row.getJsonArray("media_urls");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("conversationId", row.getString("conversation_id"))
        .put("body", row.getString("body"))
        .put("fromNumber", row.getString("from_number"))
        .put("toNumber", row.getString("to_number"))
        .put("direction", row.getString("direction"))
        .put("senderIdentifier", row.getString("sender_identifier"))
        .put("channel", row.getString("channel"))
        .put("status", row.getString("status"))
        .put("mediaUrl", media.isEmpty() ? null : media.getString(0))
        .put("mediaUrls", media)
        .put("receivedAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("reactions", new JsonArray())
        .put("replyTo", replyTo(row.getString("reply_to_id"), row.getString("reply_body"),
            row.getJsonArray("reply_media")));
  }

  /** {@code ReplyToInConversation}: the parent's id, text and media; null for no parent. */
  static JsonObject replyTo(String parentId, String body, JsonArray media) {
    return parentId == null ? null : new JsonObject().put("messageId", parentId)
        .put("message", body == null ? "" : body)
        .put("mediaUrls", media == null ? new JsonArray() : media);
  }

  /**
   * {@code MessageResponse} (the number's message list), whose sender field is {@code from_};
   * {@code from} says the same for clients that read that name (the official MCP server).
   */
  static JsonObject forNumber(Row row) {
    JsonArray media = row.getJsonArray("media_urls");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("conversationId", row.getString("conversation_id"))
        .put("from_", row.getString("from_number"))
        .put("from", row.getString("from_number"))
        .put("to", row.getString("to_number"))
        .put("body", row.getString("body"))
        .put("direction", row.getString("direction"))
        .put("channel", row.getString("channel"))
        .put("status", row.getString("status"))
        .put("mediaUrls", media)
        .put("receivedAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("senderIdentifier", row.getString("sender_identifier"));
  }

  /**
   * Fills in the {@code reactions} ({@code ReactionInConversation}, oldest first) of the
   * {@code MessageInConversation}s in {@code messages}, ours and the other party's.
   */
  static Future<List<JsonObject>> withReactions(SqlClient client, String accountId,
      List<JsonObject> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture(messages);
    }
    Map<String, JsonObject> byId = new HashMap<>();
    messages.forEach(m -> byId.put(m.getString("id"), m));
    return client.preparedQuery("SELECT id, message_id, reaction_type, from_number, direction, "
            + "created_at FROM message_reactions WHERE account_id = $1 AND message_id = ANY($2) "
            + "ORDER BY created_at, id")
        .execute(Tuple.of(accountId).addArrayOfString(byId.keySet().toArray(new String[0])))
        .map(rows -> {
          for (Row r : rows) {
            byId.get(r.getString("message_id")).getJsonArray("reactions").add(new JsonObject()
                .put("id", r.getString("id"))
                .put("reactionType", r.getString("reaction_type"))
                .put("fromNumber", r.getString("from_number"))
                .put("direction", r.getString("direction"))
                .put("createdAt", Times.format(r.getOffsetDateTime("created_at"))));
          }
          return messages;
        });
  }
}
