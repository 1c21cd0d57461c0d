package dev.agentphone.messaging;

import dev.agentphone.conversations.MessageHistory;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A conversation's messages for the conversations domain, read straight from our table. */
public final class ConversationHistory implements MessageHistory {
  private final Pool pool;

  public ConversationHistory(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<JsonObject> page(String accountId, String conversationId, int limit,
      OffsetDateTime before, OffsetDateTime after) {
    return MessageStore.page(pool, accountId, "conversation_id", conversationId, limit, before,
            after, MessageViews::inConversation)
        .compose(page -> {
          List<JsonObject> messages = new ArrayList<>();
          page.getJsonArray("data").forEach(m -> messages.add((JsonObject) m));
          return MessageViews.withReactions(pool, accountId, messages).map(page);
        });
  }

  @Override
  public Future<JsonArray> recent(String accountId, String conversationId, int limit,
      String beforeOrAt) {
    // Messages up to and including beforeOrAt, in (created_at, id) order.
    return pool.preparedQuery("SELECT m.id, m.body, m.direction, m.channel, m.created_at "
            + "FROM messages m WHERE m.account_id = $1 AND m.conversation_id = $2 AND "
            + "($3::text IS NULL OR (m.created_at, m.id) <= (SELECT b.created_at, b.id "
            + "FROM messages b WHERE b.id = $3 AND b.conversation_id = $2)) "
            + "ORDER BY m.created_at DESC, m.id DESC LIMIT $4")
        .execute(Tuple.of(accountId, conversationId, beforeOrAt, limit))
        .map(rows -> {
          List<JsonObject> history = new ArrayList<>();
          for (Row m : rows) {
            history.add(new JsonObject()
                .put("messageId", m.getString("id"))
                .put("content", m.getString("body"))
                .put("direction", m.getString("direction"))
                .put("channel", m.getString("channel"))
                .put("at", Times.format(m.getOffsetDateTime("created_at"))));
          }
          Collections.reverse(history);
          return new JsonArray(new ArrayList<>(history));
        });
  }
}
