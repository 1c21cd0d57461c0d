package dev.agentphone.conversations;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;

/**
 * Conversations: one per (our number, other party or group). Lists by latest activity, details
 * with recent messages, metadata (the {@code conversationState} of webhooks), group names, the
 * context webhook events carry ({@link ConversationsApi#context}), and what the iMessage carrier
 * is asked for a chat ({@link ChatControls}). Each answer names its number and that number's agent,
 * as the numbers domain says they are now.
 */
final class ConversationsVerticle extends VerticleBase {
  private static final String COLUMNS = ConversationList.COLUMNS;

  private final Pool pool;
  private final MessageHistory history;
  private final ChatControls chats;
  private final ConversationList conversations;

  ConversationsVerticle(Pool pool, ConversationList conversations, MessageHistory history,
      ChatControls chats) {
    this.pool = pool;
    this.conversations = conversations;
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

  /** {@code {accountId, limit, offset, agentId?}}; with an agent, only its numbers' conversations. */
  private Future<JsonObject> list(JsonObject request) {
    return conversations.list(request.getString("accountId"), request.getString("agentId"),
        request.getInteger("limit"), request.getInteger("offset"));
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
    return Future.all(ConversationList.withNumbers(pool, accountId, List.of(row)), messages).map(both -> {
      Map<String, JsonObject> byId = both.resultAt(0);
      JsonObject out = ConversationList.summary(row, byId.get(row.getString("phone_number_id")), true);
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
      JsonObject out = new JsonObject().put("metadata", ConversationList.metadata(row));
      if (limit == 0) {
        return Future.succeededFuture(out.put("recentHistory", new JsonArray()));
      }
      return history.recent(accountId, conversationId, limit, request.getString("beforeOrAt"))
          .map(recent -> out.put("recentHistory", recent));
    });
  }
}
