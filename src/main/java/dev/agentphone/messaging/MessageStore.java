package dev.agentphone.messaging;

import dev.agentphone.conversations.ConversationWrites;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The messages table: storing a message (threaded into its conversation through the
 * conversations domain's transactional API) and the shapes messages are answered in. A message's time is made later than every
 * earlier message of its number, so timestamps are unique per number (and so per conversation)
 * and cursors built from them never skip or repeat a message.
 */
final class MessageStore {
  static final String COLUMNS = "id, conversation_id, phone_number_id, direction, channel, "
      + "from_number, to_number, body, media_urls, status, provider_sid, created_at";

  /** Raised inside a transaction when the provider's message id was already stored. */
  static final class Duplicate extends RuntimeException {
    Duplicate() {
      super("duplicate provider message", null, false, false);
    }
  }

  private MessageStore() {
  }

  /** A message to store; {@code participant} is the other party (not our number). */
  record NewMessage(String accountId, String numberId, String participant,
      String direction, String channel, String from, String to, String body,
      List<String> mediaUrls, String status, String providerSid) {
  }

  record Stored(String messageId, String conversationId, OffsetDateTime at) {
  }

  /** Inserts the message and updates its conversation; fails with {@link Duplicate} on a resend. */
  static Future<Stored> insert(SqlClient tx, NewMessage m) {
    String messageId = Ids.next("msg");
    String preview = preview(m.body(), m.mediaUrls());
    // One writer per number at a time (a transaction-scoped advisory lock, not a row lock on the
    // numbers domain's table), so each message's time is strictly after the number's previous one.
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .execute(Tuple.of(m.numberId()))
        .compose(locked -> tx.preparedQuery("SELECT GREATEST($2::timestamptz, "
                + "max(created_at) + interval '1 microsecond') AS at FROM messages "
                + "WHERE phone_number_id = $1")
            .execute(Tuple.of(m.numberId(), Times.now())))
        .map(rows -> rows.iterator().next().getOffsetDateTime("at"))
        .compose(at -> ConversationWrites.recordMessage(tx, m.accountId(), m.numberId(),
                m.participant(), at, preview)
            .compose(conversationId -> tx.preparedQuery("INSERT INTO messages (id, "
                    + "account_id, conversation_id, phone_number_id, direction, channel, "
                    + "from_number, to_number, body, media_urls, status, provider_sid, created_at) "
                    + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                    + "ON CONFLICT (provider_sid) WHERE provider_sid IS NOT NULL DO NOTHING "
                    + "RETURNING id")
                .execute(Tuple.from(new Object[] {messageId, m.accountId(), conversationId,
                    m.numberId(), m.direction(), m.channel(), m.from(), m.to(),
                    m.body() == null ? "" : m.body(), new JsonArray(m.mediaUrls()), m.status(),
                    m.providerSid(), at}))
                .map(inserted -> {
                  if (inserted.size() == 0) {
                    throw new Duplicate();
                  }
                  return new Stored(messageId, conversationId, at);
                })));
  }

  static String preview(String body, List<String> mediaUrls) {
    String text = body == null ? "" : body.strip();
    if (text.isEmpty() && !mediaUrls.isEmpty()) {
      return "[media]";
    }
    if (text.length() <= 100) {
      return text;
    }
    // never split a surrogate pair: half an emoji is stored as '?'
    return text.substring(0, Character.isHighSurrogate(text.charAt(99)) ? 99 : 100);
  }

  /** {@code MessageInConversation}, plus the conversation, status and every media URL. */
  static JsonObject inConversation(Row row) {
    JsonArray media = row.getJsonArray("media_urls");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("conversationId", row.getString("conversation_id"))
        .put("body", row.getString("body"))
        .put("fromNumber", row.getString("from_number"))
        .put("toNumber", row.getString("to_number"))
        .put("direction", row.getString("direction"))
        .put("channel", row.getString("channel"))
        .put("status", row.getString("status"))
        .put("mediaUrl", media.isEmpty() ? null : media.getString(0))
        .put("mediaUrls", media)
        .put("receivedAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  /**
   * {@code MessageResponse} (the number's message list), whose sender field is {@code from_};
   * also {@code from}, the name the official MCP server's get_messages reads.
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
        .put("receivedAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  /**
   * One page of messages where {@code scopeColumn = scopeId}, newest first. {@code before} pages
   * back in time; {@code after} alone pages forward (the oldest {@code limit} messages after it).
   * {@code hasMore} says whether more exist further in the direction of paging.
   */
  static Future<JsonObject> page(SqlClient client, String accountId, String scopeColumn,
      String scopeId, int limit, OffsetDateTime before, OffsetDateTime after,
      Function<Row, JsonObject> mapper) {
    boolean forward = after != null && before == null;
    String sql = "SELECT " + COLUMNS + " FROM messages WHERE account_id = $1 AND " + scopeColumn
        + " = $2 AND ($3::timestamptz IS NULL OR created_at < $3) "
        + "AND ($4::timestamptz IS NULL OR created_at > $4) ORDER BY created_at "
        + (forward ? "ASC, id ASC" : "DESC, id DESC") + " LIMIT $5";
    return client.preparedQuery(sql)
        .execute(Tuple.of(accountId, scopeId, before, after, limit + 1))
        .map(rows -> {
          List<JsonObject> items = new ArrayList<>();
          for (Row row : rows) {
            if (items.size() < limit) {
              items.add(mapper.apply(row));
            }
          }
          if (forward) {
            Collections.reverse(items);
          }
          return new JsonObject().put("data", new JsonArray(new ArrayList<>(items)))
              .put("hasMore", rows.size() > limit);
        });
  }
}
