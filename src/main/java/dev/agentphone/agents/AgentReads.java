package dev.agentphone.agents;

import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Reading agents as {@code AgentResponse}s, each with its active numbers (the numbers domain's
 * read). Stateless: the HTTP edge runs {@link #get} on the event loop that took the request, and
 * the domain verticle runs the same for requests over the event bus.
 */
final class AgentReads {
  /** One agent of an account; its numbers come from the numbers domain. */
  static final String GET_SQL = "SELECT " + AgentWrites.COLUMNS
      + " FROM agents WHERE account_id = $1 AND id = $2";

  private final Pool pool;

  AgentReads(Pool pool) {
    this.pool = pool;
  }

  /** The account's agent; a 404 {@code ApiError} when it has none of that id. */
  Future<JsonObject> get(String accountId, String agentId) {
    return pool.preparedQuery(GET_SQL)
        .execute(Tuple.of(accountId, agentId))
        .compose(rows -> withNumbers(accountId, found(rows)))
        .map(agents -> agents.getJsonObject(0));
  }

  /** The agents of {@code rows} (read with {@link AgentWrites#COLUMNS}), with their numbers. */
  Future<JsonArray> withNumbers(String accountId, Iterable<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getString("id")));
    return NumberReads.forAgents(pool, accountId, ids).map(byAgent -> {
      JsonArray agents = new JsonArray();
      rows.forEach(row -> agents.add(AgentWrites.toJson(row,
          byAgent.getOrDefault(row.getString("id"), new JsonArray()))));
      return agents;
    });
  }

  static <T extends Iterable<Row>> T found(T rows) {
    if (!rows.iterator().hasNext()) {
      throw ApiError.notFound("Agent");
    }
    return rows;
  }
}
