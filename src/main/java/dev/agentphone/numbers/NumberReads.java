package dev.agentphone.numbers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The numbers domain's in-process reads: what other domains' answers embed about numbers, on
 * their hot paths (every agent answer lists its numbers, every conversation names its number),
 * read with the caller's {@code SqlClient} instead of an event-bus hop. The statements are the
 * numbers domain's own; every read is scoped to {@code accountId}.
 */
public final class NumberReads {
  private NumberReads() {
  }

  /**
   * The active numbers of some agents of the account as {@code AgentNumberResponse}s, oldest
   * first, keyed by agent id (an agent without numbers is absent).
   */
  public static Future<Map<String, JsonArray>> forAgents(SqlClient db, String accountId,
      List<String> agentIds) {
    if (agentIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return db.preparedQuery(NumberStore.FOR_AGENTS_SQL)
        .execute(Tuple.of(accountId).addArrayOfString(agentIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, JsonArray> byAgent = new HashMap<>();
          for (Row row : rows) {
            byAgent.computeIfAbsent(row.getString("agent_id"), k -> new JsonArray())
                .add(NumberStore.agentNumber(row));
          }
          return byAgent;
        });
  }

  /** {@code {phoneNumber, agentId}} of some numbers of the account (any status), keyed by id. */
  public static Future<Map<String, JsonObject>> summaries(SqlClient db, String accountId,
      Set<String> numberIds) {
    if (numberIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return db.preparedQuery(NumberStore.SUMMARIES_SQL)
        .execute(Tuple.of(accountId).addArrayOfString(numberIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, JsonObject> byId = new HashMap<>();
          rows.forEach(row -> byId.put(row.getString("id"), new JsonObject()
              .put("phoneNumber", row.getString("phone_number"))
              .put("agentId", row.getString("agent_id"))));
          return byId;
        });
  }

  /**
   * Which of some numbers are active now, each with its agent (a null value: none), keyed by
   * number id; {@code accounts.get(i)} is the account of {@code numberIds.get(i)}, and a number
   * of another account is absent as a released one is. Read in the caller's transaction, so what
   * it answers is what that transaction writes against.
   */
  public static Future<Map<String, String>> activeAgents(SqlClient db, List<String> accounts,
      List<String> numberIds) {
    if (numberIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return db.preparedQuery(NumberStore.ACTIVE_AGENTS_SQL)
        .execute(Tuple.tuple().addArrayOfString(accounts.toArray(new String[0]))
            .addArrayOfString(numberIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, String> agents = new HashMap<>();
          rows.forEach(row -> agents.put(row.getString("id"), row.getString("agent_id")));
          return agents;
        });
  }

  /** The ids of every number (active or released) the agent of the account has now. */
  public static Future<List<String>> ofAgent(SqlClient db, String accountId, String agentId) {
    return db.preparedQuery("SELECT id FROM phone_numbers WHERE account_id = $1 AND agent_id = $2")
        .execute(Tuple.of(accountId, agentId))
        .map(rows -> {
          List<String> ids = new java.util.ArrayList<>();
          rows.forEach(row -> ids.add(row.getString("id")));
          return ids;
        });
  }
}
