package dev.agentphone.conversations;

import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conversation list, newest activity first, with its exact {@code total}. It keeps no state
 * of its own (the database holds it all), so the HTTP edge runs it on the event loop that took
 * the request, and the domain verticle runs the same for requests over the event bus.
 *
 * <p>The total is not a {@code count(*)}: the {@code conversation_counts} rows, one per account
 * and number, follow every insert, delete and move of a conversation in its own transaction
 * (a trigger, see V45), and the list sums the rows of the account, or of the agent's numbers.
 */
final class ConversationList {
  static final String COLUMNS = "id, phone_number_id, participant, metadata, "
      + "message_count, last_message_at, last_message_preview, created_at, is_group, group_name, "
      + "group_icon_url, participants, carrier_chat_id, background_id, background_version, "
      + "background_sha256";

  /** A page of an account's conversations, newest activity first: account, numbers?, limit, offset. */
  static final String PAGE_SQL = "SELECT " + COLUMNS + " FROM conversations "
      + "WHERE account_id = $1 AND ($2::text[] IS NULL OR phone_number_id = ANY($2)) "
      + "ORDER BY last_message_at DESC, id DESC LIMIT $3 OFFSET $4";
  /** How many conversations the list has in all, from the maintained counts: account, numbers?. */
  static final String TOTAL_SQL = "SELECT coalesce(sum(conversations), 0)::bigint "
      + "FROM conversation_counts "
      + "WHERE account_id = $1 AND ($2::text[] IS NULL OR phone_number_id = ANY($2))";

  private final Pool pool;
  private final AgentCheck agents;

  ConversationList(Pool pool, AgentCheck agents) {
    this.pool = pool;
    this.agents = agents;
  }

  /** With {@code agentId} (which must be the account's), only its numbers' conversations. */
  Future<JsonObject> list(String accountId, String agentId, int limit, int offset) {
    Future<String[]> numberIds = agentId == null ? Future.succeededFuture(null)
        : agents.requireAgent(accountId, agentId)
            .compose(v -> NumberReads.ofAgent(pool, accountId, agentId))
            .map(ids -> ids.toArray(new String[0]));
    return numberIds.compose(ids -> Page.fetch(pool, PAGE_SQL, TOTAL_SQL,
            Tuple.of(accountId).addArrayOfString(ids), limit, offset))
        .compose(page -> withNumbers(pool, accountId, page.rows()).map(byId ->
            page.json(page.map(row -> summary(row, byId.get(row.getString("phone_number_id")),
                agentId == null)))));
  }

  /** The numbers (with their agents) of the conversations in {@code rows}, by number id. */
  static Future<Map<String, JsonObject>> withNumbers(Pool pool, String accountId,
      List<Row> rows) {
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add(row.getString("phone_number_id")));
    return NumberReads.summaries(pool, accountId, ids);
  }

  /** A {@code ConversationSummary} of a row read with {@link #COLUMNS}. */
  static JsonObject summary(Row row, JsonObject number, boolean withMetadata) {
    JsonObject out = new JsonObject()
        .put("id", row.getString("id"))
        .put("agentId", number == null ? null : number.getString("agentId"))
        .put("phoneNumberId", row.getString("phone_number_id"))
        .put("phoneNumber", number == null ? null : number.getString("phoneNumber"))
        .put("participant", row.getString("participant"));
    boolean group = row.getBoolean("is_group");
    out.put("isGroup", group)
        .put("groupId", group ? row.getString("participant") : null)
        .put("groupName", row.getString("group_name"))
        .put("groupIconUrl", row.getString("group_icon_url"))
        .put("participants", group ? row.getValue("participants") : null)
        .put("lastMessageAt", Times.format(row.getOffsetDateTime("last_message_at")))
        .put("lastMessagePreview", row.getString("last_message_preview"))
        .put("messageCount", row.getInteger("message_count"));
    if (withMetadata) {
      out.put("metadata", metadata(row));
    }
    return out.put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  static JsonObject metadata(Row row) {
    Object value = row.getValue("metadata");
    return value instanceof JsonObject o ? o : null;
  }
}
