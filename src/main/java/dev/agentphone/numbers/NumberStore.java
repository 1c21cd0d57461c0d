package dev.agentphone.numbers;

import dev.agentphone.platform.Times;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** The {@code phone_numbers} table's statements and the shapes its rows are answered in. */
final class NumberStore {
  private NumberStore() {
  }

  /**
   * The account's active numbers, the count the plan's numbers limit applies to; a scalar
   * subquery over {@code $1} (the account id).
   */
  static final String ACTIVE_COUNT =
      "SELECT count(*) FROM phone_numbers WHERE account_id = $1 AND status = 'active'";

  static final String COLUMNS = "id, account_id, agent_id, phone_number, country, type, status, "
      + "provider, provider_sid, created_at, released_at";

  /** The active numbers of some agents of an account: {@code $1} account, {@code $2} agent ids. */
  static final String FOR_AGENTS_SQL = "SELECT id, agent_id, phone_number, status, type "
      + "FROM phone_numbers WHERE account_id = $1 AND agent_id = ANY($2) "
      + "AND status = 'active' ORDER BY created_at, id";

  /** The active number with a phone number, whichever account has it: {@code $1}. */
  static final String ROUTE_INBOUND_SQL = "SELECT " + COLUMNS
      + " FROM phone_numbers WHERE phone_number = $1 AND status = 'active'";

  /** Agents of the active ones among some numbers: {@code $1} their accounts, {@code $2} ids. */
  static final String ACTIVE_AGENTS_SQL = "SELECT p.id, p.agent_id FROM unnest($1::text[], "
      + "$2::text[]) AS r(account_id, id) JOIN phone_numbers p ON p.id = r.id "
      + "AND p.account_id = r.account_id WHERE p.status = 'active'";

  /** Phone number and agent of some numbers of an account: {@code $1} account, {@code $2} ids. */
  static final String SUMMARIES_SQL = "SELECT id, phone_number, agent_id FROM phone_numbers "
      + "WHERE account_id = $1 AND id = ANY($2)";

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

  /** A row selected with {@link #COLUMNS} as a {@link NumbersApi.ActiveNumber}'s JSON. */
  static JsonObject active(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("accountId", row.getString("account_id"))
        .put("agentId", row.getString("agent_id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("country", row.getString("country"))
        .put("type", row.getString("type"));
  }

  static JsonObject agentNumber(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("phoneNumber", row.getString("phone_number"))
        .put("status", row.getString("status"))
        .put("type", row.getString("type"));
  }
}
