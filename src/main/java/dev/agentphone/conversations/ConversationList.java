package dev.agentphone.conversations;

import dev.agentphone.numbers.AgentCheck;
import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The conversation list, newest activity first, with its exact {@code total}. It keeps no state
 * of its own (the database holds it all), so the HTTP edge runs it on the event loop that took
 * the request, and the domain verticle runs the same for requests over the event bus.
 *
 * <p>The total is not a {@code count(*)}: the {@code conversation_counts} rows, one per account
 * and number, follow every insert, delete and move of a conversation in its own transaction
 * (a trigger, see V72), and the list sums the rows of the account, or of the agent's numbers.
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

  private static final JsonFactory JSON = new JsonFactory();

  private final Pool pool;
  private final AgentCheck agents;

  ConversationList(Pool pool, AgentCheck agents) {
    this.pool = pool;
    this.agents = agents;
  }

  /** With {@code agentId} (which must be the account's), only its numbers' conversations. */
  Future<JsonObject> list(String accountId, String agentId, int limit, int offset) {
    return read(accountId, agentId, limit, offset).map(read -> read.page().json(read.page()
        .map(row -> {
          JsonObject out = new JsonObject();
          summary(row, read.number(row), agentId == null, out::put);
          return out;
        })));
  }

  /**
   * The same answer as {@link #list}, written from the rows straight into JSON bytes, for the
   * HTTP edge: a page is about twenty objects of fifteen fields, and building them only to walk
   * them again was a large part of a page's CPU. Both go through {@link #summary}, so they name
   * the same fields in the same order.
   */
  Future<Buffer> listEncoded(String accountId, String agentId, int limit, int offset) {
    return read(accountId, agentId, limit, offset).map(read -> {
      Page page = read.page();
      ByteArrayBuilder bytes = new ByteArrayBuilder(1024 + 512 * page.rows().size());
      try (JsonGenerator json = JSON.createGenerator(bytes)) {
        BiConsumer<String, Object> field = (name, value) -> {
          try {
            json.writeFieldName(name);
            JacksonCodec.encodeJson(value, json);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
        json.writeStartObject();
        json.writeArrayFieldStart("data");
        for (Row row : page.rows()) {
          json.writeStartObject();
          summary(row, read.number(row), agentId == null, field);
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeBooleanField("hasMore", page.offset() + page.rows().size() < page.total());
        json.writeNumberField("total", page.total());
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Buffer.buffer(bytes.toByteArray());
    });
  }

  /** A page's rows and total, and the numbers they name. */
  private record Read(Page page, Map<String, JsonObject> numbers) {
    JsonObject number(Row row) {
      return numbers.get(row.getString("phone_number_id"));
    }
  }

  private Future<Read> read(String accountId, String agentId, int limit, int offset) {
    Future<String[]> numberIds = agentId == null ? Future.succeededFuture(null)
        : agents.requireAgent(accountId, agentId)
            .compose(v -> NumberReads.ofAgent(pool, accountId, agentId))
            .map(ids -> ids.toArray(new String[0]));
    return numberIds.compose(ids -> Page.fetch(pool, PAGE_SQL, TOTAL_SQL,
            Tuple.of(accountId).addArrayOfString(ids), limit, offset))
        .compose(page -> withNumbers(pool, accountId, page.rows())
            .map(byId -> new Read(page, byId)));
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
    JsonObject out = new JsonObject();
    summary(row, number, withMetadata, out::put);
    return out;
  }

  /** The fields of a {@code ConversationSummary}, in the answer's order, given to {@code out}. */
  private static void summary(Row row, JsonObject number, boolean withMetadata,
      BiConsumer<String, Object> out) {
    out.accept("id", row.getString("id"));
    out.accept("agentId", number == null ? null : number.getString("agentId"));
    out.accept("phoneNumberId", row.getString("phone_number_id"));
    out.accept("phoneNumber", number == null ? null : number.getString("phoneNumber"));
    String participant = row.getString("participant");
    out.accept("participant", participant);
    boolean group = row.getBoolean("is_group");
    out.accept("isGroup", group);
    out.accept("groupId", group ? participant : null);
    out.accept("groupName", row.getString("group_name"));
    out.accept("groupIconUrl", row.getString("group_icon_url"));
    out.accept("participants", group ? row.getValue("participants") : null);
    out.accept("lastMessageAt", Times.format(row.getOffsetDateTime("last_message_at")));
    out.accept("lastMessagePreview", row.getString("last_message_preview"));
    out.accept("messageCount", row.getInteger("message_count"));
    if (withMetadata) {
      out.accept("metadata", metadata(row));
    }
    out.accept("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  static JsonObject metadata(Row row) {
    Object value = row.getValue("metadata");
    return value instanceof JsonObject o ? o : null;
  }
}
