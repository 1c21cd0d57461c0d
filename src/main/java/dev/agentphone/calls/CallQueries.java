package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.SqlText;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Reading calls: lists with their filters, one call with its transcript, and a replay. */
final class CallQueries {
  /** Filters of a list: request field and the column it must equal. */
  private static final List<SqlText.Column> EQUALS = List.of(
      new SqlText.Column("agentId", "agent_id"), new SqlText.Column("numberId", "phone_number_id"),
      new SqlText.Column("status", "status"), new SqlText.Column("direction", "direction"),
      new SqlText.Column("type", "type"));

  private final Pool pool;
  private final AgentsApi agents;
  private final NumbersApi numbers;
  private final String publicUrl;

  CallQueries(Pool pool, AgentsApi agents, NumbersApi numbers, String publicUrl) {
    this.pool = pool;
    this.agents = agents;
    this.numbers = numbers;
    this.publicUrl = publicUrl;
  }

  /**
   * {@code {accountId, limit, offset}} and any of {@code agentId, numberId, status, direction,
   * type, search}; a named agent or number must be the account's (404 otherwise).
   */
  Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    List<String> where = new ArrayList<>(List.of("account_id = $1"));
    Tuple values = Tuple.of(accountId);
    for (SqlText.Column filter : EQUALS) {
      if (request.getString(filter.field()) != null) {
        values.addValue(request.getString(filter.field()));
        where.add(filter.column() + " = $" + values.size());
      }
    }
    if (request.getString("search") != null) {
      values.addValue(SqlText.containing(request.getString("search")));
      where.add("(from_number LIKE $" + values.size() + " OR to_number LIKE $" + values.size() + ")");
    }
    String filter = " FROM calls WHERE " + String.join(" AND ", where);
    return scope(accountId, request.getString("agentId"), request.getString("numberId"))
        .compose(v -> Page.fetch(pool, "SELECT " + CallStore.COLUMNS + filter
                + " ORDER BY started_at DESC, id DESC LIMIT $" + (values.size() + 1)
                + " OFFSET $" + (values.size() + 2), "SELECT count(*)" + filter, values,
            request.getInteger("limit"), request.getInteger("offset")))
        .map(page -> page.json(page.map(row -> CallStore.summary(row, publicUrl))));
  }

  /** 404 unless the agent and the number named (when named) are the account's. */
  private Future<Void> scope(String accountId, String agentId, String numberId) {
    Future<Void> agent = agentId == null ? Future.succeededFuture()
        : agents.requireAgent(accountId, agentId);
    return agent.compose(v -> numberId == null ? Future.succeededFuture()
        : numbers.get(accountId, numberId).<Void>mapEmpty().recover(failure ->
            Future.failedFuture(failure instanceof ApiError e && e.status() == 404
                ? ApiError.notFound("Number") : failure)));
  }

  Future<Row> found(JsonObject request) {
    return CallStore.find(pool, request.getString("accountId"), request.getString("callId"))
        .map(row -> {
          if (row == null) {
            throw ApiError.notFound("Call");
          }
          return row;
        });
  }

  Future<JsonObject> get(JsonObject request) {
    return found(request).compose(row -> TurnStore.list(pool, row.getString("id"), -1)
        .map(turns -> CallStore.detail(row, publicUrl).put("transcripts", TurnStore.entries(turns))));
  }

  /** A call as {@link #get} answers it, by id alone (the caller has already found it). */
  Future<JsonObject> summaryOf(String callId) {
    return CallStore.byId(pool, callId).map(row -> CallStore.summary(row, publicUrl));
  }

  Future<JsonObject> transcript(JsonObject request) {
    return found(request).compose(row -> TurnStore.list(pool, row.getString("id"), -1)
        .map(turns -> new JsonObject().put("callId", row.getString("id"))
            .put("status", row.getString("status"))
            .put("transcripts", TurnStore.entries(turns))));
  }

  /** The call's state and stored turns after {@code after}, and who has taken it over. */
  Future<JsonObject> replay(JsonObject request) {
    return found(request).compose(row -> Future.all(TurnStore.list(pool, row.getString("id"),
            request.getInteger("after", -1)), CallEvents.currentTakeover(pool, row.getString("id")))
        .map(read -> new JsonObject()
            .put("status", row.getString("status"))
            .put("direction", row.getString("direction"))
            .put("live", CallStore.live(row.getString("status")))
            .put("durationSeconds", row.getInteger("duration_seconds"))
            .put("takenOver", read.resultAt(1))
            .put("turns", read.<Object>resultAt(0))));
  }
}
