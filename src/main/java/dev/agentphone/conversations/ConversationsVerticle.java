package dev.agentphone.conversations;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conversations: one per (our number, other party or group). Lists by latest activity, details
 * with recent messages, metadata (the {@code conversationState} of webhooks), group names, the
 * context webhook events carry ({@link ConversationsApi#context}), and what the iMessage carrier
 * is asked for a chat ({@link ChatControls}). Each answer names its number and that number's agent,
 * as the numbers domain says they are now.
 */
final class ConversationsVerticle extends VerticleBase {
  private static final String COLUMNS = "id, phone_number_id, participant, metadata, "
      + "message_count, last_message_at, last_message_preview, created_at, is_group, group_name, "
      + "group_icon_url, participants, carrier_chat_id, background_id, background_version, "
      + "background_sha256";

  private static final String LIST_WHERE =
      "WHERE account_id = $1 AND ($2::text[] IS NULL OR phone_number_id = ANY($2)) ";
  /** A page of an account's conversations, newest activity first: account, numbers?, limit, offset. */
  static final String LIST_PAGE_SQL = "SELECT " + COLUMNS + " FROM conversations " + LIST_WHERE
      + "ORDER BY last_message_at DESC, id DESC LIMIT $3 OFFSET $4";
  /** How many conversations the list has in all: account, numbers?. */
  static final String LIST_COUNT_SQL = "SELECT count(*) FROM conversations " + LIST_WHERE;

  private final Pool pool;
  private final AgentCheck agents;
  private final MessageHistory history;
  private final ChatControls chats;

  ConversationsVerticle(Pool pool, AgentCheck agents, MessageHistory history,
      ChatControls chats) {
    this.pool = pool;
    this.agents = agents;
    this.history = history;
    this.chats = chats;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, ConversationsApi.LIST, this::list);
    Bus.answer(vertx, ConversationsApi.GET, this::get);
    Bus.answer(vertx, ConversationsApi.UPDATE, this::update);
    Bus.answer(vertx, ConversationsApi.MESSAGES, this::messages);
    Bus.answer(vertx, ConversationsApi.CONTEXT, this::context);
    Bus.answer(vertx, ConversationsApi.TYPING, chats::typing);
    Bus.answer(vertx, ConversationsApi.SET_BACKGROUND, chats::setBackground);
    Bus.answer(vertx, ConversationsApi.REMOVE_BACKGROUND, chats::removeBackground);
    Bus.answer(vertx, ConversationsApi.WITH_PARTICIPANT, request -> pool.preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM conversations WHERE account_id = $1 "
                + "AND participant = $2)")
        .execute(Tuple.of(request.getString("accountId"), request.getString("participant")))
        .map(rows -> rows.iterator().next().getBoolean(0)));
    return Future.succeededFuture();
  }

  private static JsonObject summary(Row row, JsonObject number, boolean withMetadata) {
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

  private static JsonObject metadata(Row row) {
    Object value = row.getValue("metadata");
    return value instanceof JsonObject o ? o : null;
  }

  /** {@code {accountId, limit, offset, agentId?}}; with an agent, only its numbers' conversations. */
  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    Future<String[]> numberIds = agentId == null ? Future.succeededFuture(null)
        : agents.requireAgent(accountId, agentId)
            .compose(v -> NumberReads.ofAgent(pool, accountId, agentId))
            .map(ids -> ids.toArray(new String[0]));
    return numberIds.compose(ids -> Page.fetch(pool, LIST_PAGE_SQL, LIST_COUNT_SQL,
            Tuple.of(accountId).addArrayOfString(ids), request.getInteger("limit"),
            request.getInteger("offset")))
        .compose(page -> withNumbers(accountId, page.rows()).map(byId ->
            page.json(page.map(row -> summary(row, byId.get(row.getString("phone_number_id")),
                agentId == null)))));
  }

  /** The numbers (with their agents) of the conversations in {@code rows}, by number id. */
  private Future<Map<String, JsonObject>> withNumbers(String accountId, List<Row> rows) {
    Set<String> ids = new HashSet<>();
    rows.forEach(row -> ids.add(row.getString("phone_number_id")));
    return NumberReads.summaries(pool, accountId, ids);
  }

  private Future<Row> find(String accountId, String conversationId) {
    return find(pool, accountId, conversationId);
  }

  /** The account's conversation row (every column the domain answers with); else 404. */
  static Future<Row> find(Pool pool, String accountId, String conversationId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM conversations "
            + "WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, conversationId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Conversation");
          }
          return rows.iterator().next();
        });
  }

  /** {@code ConversationDetail}: the summary and its {@code messageLimit} newest messages, newest first. */
  private Future<JsonObject> detail(String accountId, Row row, int messageLimit) {
    Future<JsonArray> messages = messageLimit == 0 ? Future.succeededFuture(new JsonArray())
        : history.page(accountId, row.getString("id"), messageLimit, null, null)
            .map(page -> page.getJsonArray("data"));
    return Future.all(withNumbers(accountId, List.of(row)), messages).map(both -> {
      Map<String, JsonObject> byId = both.resultAt(0);
      JsonObject out = summary(row, byId.get(row.getString("phone_number_id")), true);
      out.remove("lastMessagePreview");
      return out.put("messages", messages.result());
    });
  }

  private Future<JsonObject> get(JsonObject request) {
    String accountId = request.getString("accountId");
    return find(accountId, request.getString("conversationId"))
        .compose(row -> detail(accountId, row, request.getInteger("messageLimit", 50)));
  }

  /**
   * {@code {accountId, conversationId, metadata?, changeMetadata, groupName?, changeGroupName}}:
   * only what is asked changes. A new group name goes to the carrier first.
   */
  private Future<JsonObject> update(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    boolean changeName = request.getBoolean("changeGroupName", false);
    String name = request.getString("groupName");
    return find(accountId, conversationId)
        .compose(row -> changeName ? chats.rename(accountId, row, name) : Future.succeededFuture())
        // A body without "metadata" changes nothing; an explicit null clears it.
        .compose(v -> pool.withTransaction(tx -> tx.preparedQuery("SELECT metadata, group_name "
                + "FROM conversations WHERE account_id = $1 AND id = $2 FOR UPDATE")
            .execute(Tuple.of(accountId, conversationId))
            .compose(before -> tx.preparedQuery("UPDATE conversations SET metadata = CASE "
                    + "WHEN $4 THEN $3 ELSE metadata END, group_name = CASE WHEN $5 THEN $6 "
                    + "ELSE group_name END, updated_at = now() WHERE account_id = $1 AND id = $2 "
                    + "RETURNING metadata, group_name")
                .execute(Tuple.of(accountId, conversationId, request.getJsonObject("metadata"),
                    request.getBoolean("changeMetadata", true), changeName, name))
                .compose(after -> {
                  if (after.size() == 0) {
                    throw ApiError.notFound("Conversation");
                  }
                  return AuditTrail.updated(tx, request, "conversation", conversationId,
                      audited(before), audited(after));
                }))))
        .compose(done -> find(accountId, conversationId))
        .compose(row -> detail(accountId, row, 50));
  }

  /** What a conversation's update can change, as the audit log compares it. */
  private static JsonObject audited(RowSet<Row> rows) {
    Row row = rows.iterator().next();
    return new JsonObject().put("metadata", row.getJsonObject("metadata"))
        .put("groupName", row.getString("group_name"));
  }

  private Future<JsonObject> messages(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    return find(accountId, conversationId).compose(row -> history.page(accountId,
        conversationId, request.getInteger("limit"), Times.parse(request.getString("before")),
        Times.parse(request.getString("after"))));
  }

  private Future<JsonObject> context(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    int limit = Math.max(0, request.getInteger("limit", 10));
    return find(accountId, conversationId).compose(row -> {
      JsonObject out = new JsonObject().put("metadata", metadata(row));
      if (limit == 0) {
        return Future.succeededFuture(out.put("recentHistory", new JsonArray()));
      }
      return history.recent(accountId, conversationId, limit, request.getString("beforeOrAt"))
          .map(recent -> out.put("recentHistory", recent));
    });
  }
}
