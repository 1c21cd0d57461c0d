package dev.agentphone.numbers;

import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers domain's SQL that other domains may run inside their own transactions (signup
 * creates a number atomically with the account; agent answers embed their numbers).
 */
public final class NumberStore {
  private NumberStore() {
  }

  /**
   * The account's active numbers, the count the plan's numbers limit applies to; a scalar
   * subquery over {@code $1} (the account id).
   */
  public static final String ACTIVE_COUNT =
      "SELECT count(*) FROM phone_numbers WHERE account_id = $1 AND status = 'active'";

  /** A stored number row's identity as returned to callers. */
  public record Inserted(String id, String phoneNumber) {
  }

  public static Future<Inserted> insert(SqlClient tx, String accountId, String agentId,
      String phoneNumber, String country, String type, String provider, String providerSid) {
    String id = Ids.next("num");
    return tx.preparedQuery("INSERT INTO phone_numbers (id, account_id, agent_id, phone_number, "
            + "country, type, status, provider, provider_sid) "
            + "VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8)")
        .execute(Tuple.of(id, accountId, agentId, phoneNumber, country, type, provider,
            providerSid))
        .map(r -> new Inserted(id, phoneNumber));
  }

  /** Active numbers of the given agents as {@code AgentNumberResponse}, keyed by agent id. */
  /** The active numbers of some agents of an account: {@code $1} account, {@code $2} agent ids. */
  public static final String FOR_AGENTS_SQL = "SELECT id, agent_id, phone_number, status, type "
      + "FROM phone_numbers WHERE account_id = $1 AND agent_id = ANY($2) "
      + "AND status = 'active' ORDER BY created_at, id";

  public static Future<Map<String, JsonArray>> forAgents(SqlClient client, String accountId,
      List<String> agentIds) {
    if (agentIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return client.preparedQuery(FOR_AGENTS_SQL)
        .execute(Tuple.of(accountId).addArrayOfString(agentIds.toArray(new String[0])))
        .map(rows -> {
          Map<String, JsonArray> byAgent = new HashMap<>();
          for (Row row : rows) {
            byAgent.computeIfAbsent(row.getString("agent_id"), k -> new JsonArray())
                .add(agentNumber(row));
          }
          return byAgent;
        });
  }

  static final String COLUMNS = "id, account_id, agent_id, phone_number, country, type, status, "
      + "provider, provider_sid, created_at, released_at";

  /** A row selected with {@link #COLUMNS} as a {@code PhoneNumberResponse}. */
  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("country", row.getString("country"))
        .put("status", row.getString("status"))
        .put("type", row.getString("type"))
        .put("agentId", row.getString("agent_id"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }

  public static JsonObject agentNumber(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("status", row.getString("status"))
        .put("type", row.getString("type"));
  }
}
