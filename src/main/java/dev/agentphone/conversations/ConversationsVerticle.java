package dev.agentphone.conversations;

import dev.agentphone.Engine;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.messaging.MessageStore;
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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Conversations: one per (our number, other party). Lists by latest activity, details with recent
 * messages, metadata (the {@code conversationState} of webhooks) and the context other domains
 * attach to events ({@link #CONTEXT}).
 */
public final class ConversationsVerticle extends VerticleBase {
  public static final String LIST = "conversations.list";
  public static final String GET = "conversations.get";
  public static final String UPDATE = "conversations.update";
  public static final String MESSAGES = "conversations.messages";
  /**
   * {@code {accountId, conversationId, limit, beforeOrAt?: messageId}} →
   * {@code {metadata, recentHistory: [{messageId, content, direction, channel, at}]}}, oldest first.
   */
  public static final String CONTEXT = "conversations.context";

  private static final String SUMMARY = "SELECT c.id, c.phone_number_id, c.participant, c.metadata, "
      + "c.message_count, c.last_message_at, c.last_message_preview, c.created_at, "
      + "p.phone_number, p.agent_id FROM conversations c "
      + "JOIN phone_numbers p ON p.id = c.phone_number_id ";

  private static final String LIST_WHERE =
      "WHERE c.account_id = $1 AND ($2::text IS NULL OR p.agent_id = $2) ";
  /** A page of an account's conversations, newest activity first: account, agent?, limit, offset. */
  public static final String LIST_PAGE_SQL = SUMMARY + LIST_WHERE
      + "ORDER BY c.last_message_at DESC, c.id DESC LIMIT $3 OFFSET $4";
  /** How many conversations the list has in all: account, agent?. */
  public static final String LIST_COUNT_SQL = "SELECT count(*) FROM conversations c "
      + "JOIN phone_numbers p ON p.id = c.phone_number_id " + LIST_WHERE;

  private final Pool pool;

  public ConversationsVerticle(Engine engine) {
    this.pool = engine.pool();
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, UPDATE, this::update);
    Bus.answer(vertx, MESSAGES, this::messages);
    Bus.answer(vertx, CONTEXT, this::context);
    return Future.succeededFuture();
  }

  private static JsonObject summary(Row row, boolean withMetadata) {
    JsonObject out = new JsonObject()
        .put("id", row.getString("id"))
        .put("agentId", row.getString("agent_id"))
        .put("phoneNumberId", row.getString("phone_number_id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("participant", row.getString("participant"))
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
    int limit = request.getInteger("limit");
    int offset = request.getInteger("offset");
    Future<Void> agentExists = agentId == null ? Future.succeededFuture()
        : Bus.request(vertx, AgentsVerticle.GET, new JsonObject().put("accountId", accountId)
            .put("agentId", agentId)).mapEmpty();
    return agentExists.compose(v -> {
      Future<RowSet<Row>> page = pool.preparedQuery(LIST_PAGE_SQL)
          .execute(Tuple.of(accountId, agentId, limit, offset));
      Future<Long> total = pool.preparedQuery(LIST_COUNT_SQL)
          .execute(Tuple.of(accountId, agentId))
          .map(rows -> rows.iterator().next().getLong(0));
      return Future.all(page, total).map(both -> {
        JsonArray data = new JsonArray();
        page.result().forEach(row -> data.add(summary(row, agentId == null)));
        return new JsonObject().put("data", data)
            .put("hasMore", offset + data.size() < total.result())
            .put("total", total.result());
      });
    });
  }

  private Future<Row> find(String accountId, String conversationId) {
    return pool.preparedQuery(SUMMARY + "WHERE c.account_id = $1 AND c.id = $2")
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
    JsonObject out = summary(row, true);
    out.remove("lastMessagePreview");
    if (messageLimit == 0) {
      return Future.succeededFuture(out.put("messages", new JsonArray()));
    }
    return MessageStore.page(pool, accountId, "conversation_id", row.getString("id"), messageLimit,
            null, null, MessageStore::inConversation)
        .map(page -> out.put("messages", page.getJsonArray("data")));
  }

  private Future<JsonObject> get(JsonObject request) {
    String accountId = request.getString("accountId");
    return find(accountId, request.getString("conversationId"))
        .compose(row -> detail(accountId, row, request.getInteger("messageLimit", 50)));
  }

  private Future<JsonObject> update(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    // A body without "metadata" changes nothing; an explicit null clears it.
    return pool.preparedQuery("UPDATE conversations SET metadata = CASE WHEN $4 THEN $3 "
            + "ELSE metadata END, updated_at = now() WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, conversationId, request.getJsonObject("metadata"),
            request.getBoolean("changeMetadata", true)))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            throw ApiError.notFound("Conversation");
          }
          return find(accountId, conversationId);
        })
        .compose(row -> detail(accountId, row, 50));
  }

  private Future<JsonObject> messages(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    return find(accountId, conversationId).compose(row -> MessageStore.page(pool, accountId,
        "conversation_id", conversationId, request.getInteger("limit"),
        Times.parse(request.getString("before")), Times.parse(request.getString("after")),
        MessageStore::inConversation));
  }

  private Future<JsonObject> context(JsonObject request) {
    String accountId = request.getString("accountId");
    String conversationId = request.getString("conversationId");
    int limit = Math.max(0, request.getInteger("limit", 10));
    String beforeOrAt = request.getString("beforeOrAt");
    return find(accountId, conversationId).compose(row -> {
      JsonObject out = new JsonObject().put("metadata", metadata(row));
      if (limit == 0) {
        return Future.succeededFuture(out.put("recentHistory", new JsonArray()));
      }
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
            return out.put("recentHistory", new JsonArray(new ArrayList<>(history)));
          });
    });
  }
}
