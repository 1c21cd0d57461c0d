package dev.agentphone.webhooks;

import dev.agentphone.egress.WebhookSigner;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The webhooks table: an account has at most one webhook of its own and each agent at most one;
 * an agent's replaces the account's for that agent's events.
 */
final class WebhookStore {
  /** The rotated-out secret while it still signs (null once it expired), and until when. */
  static final String PREVIOUS_SECRET = "CASE WHEN previous_secret_expires_at > now() "
      + "THEN previous_secret END AS previous_secret_live, CASE WHEN previous_secret_expires_at "
      + "> now() THEN previous_secret_expires_at END AS previous_secret_until";
  static final String COLUMNS = "id, agent_id, url, secret, status, context_limit, "
      + "timeout_seconds, created_at, " + PREVIOUS_SECRET;

  private WebhookStore() {
  }

  /** Creates or replaces the account's ({@code agentId} null) or an agent's webhook. */
  static Future<JsonObject> upsert(SqlClient db, String accountId, String agentId, String url,
      int contextLimit, int timeoutSeconds) {
    String conflict = agentId == null ? "(account_id) WHERE agent_id IS NULL"
        : "(agent_id) WHERE agent_id IS NOT NULL";
    return db.preparedQuery("INSERT INTO webhooks (id, account_id, agent_id, url, secret, "
            + "context_limit, timeout_seconds) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            + "ON CONFLICT " + conflict + " DO UPDATE SET url = EXCLUDED.url, "
            // a new registration is a new start: the rotated-out secret stops signing at once
            + "secret = EXCLUDED.secret, previous_secret = NULL, "
            + "previous_secret_expires_at = NULL, context_limit = EXCLUDED.context_limit, "
            + "timeout_seconds = EXCLUDED.timeout_seconds, status = 'active', updated_at = now() "
            + "RETURNING " + COLUMNS)
        .execute(Tuple.of(Ids.next("wh"), accountId, agentId, url, WebhookSigner.newSecret(),
            contextLimit, timeoutSeconds))
        .map(rows -> toJson(rows.iterator().next()));
  }

  /** The account's or the agent's own webhook, or null. */
  static Future<JsonObject> find(SqlClient db, String accountId, String agentId) {
    return findRow(db, accountId, agentId).map(row -> row == null ? null : toJson(row));
  }

  /** The account's or the agent's own webhook row, or null. */
  static Future<Row> findRow(SqlClient db, String accountId, String agentId) {
    String scope = agentId == null ? "agent_id IS NULL" : "agent_id = $2";
    Tuple args = agentId == null ? Tuple.of(accountId) : Tuple.of(accountId, agentId);
    return db.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE account_id = $1 AND "
            + scope)
        .execute(args)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** The secrets a request to this webhook is signed with, the current one first. */
  static String[] signingSecrets(Row row) {
    String previous = row.getString("previous_secret_live");
    String current = row.getString("secret");
    return previous == null ? new String[] {current} : new String[] {current, previous};
  }

  /**
   * A new secret for the account's or the agent's own webhook. The current one keeps signing,
   * next to it, for {@code overlapMs}; one still overlapping from an earlier rotation is dropped
   * (two secrets at most). Null when there is no such webhook.
   */
  static Future<JsonObject> rotateSecret(SqlClient db, String accountId, String agentId,
      long overlapMs) {
    String scope = agentId == null ? "agent_id IS NULL" : "agent_id = $4";
    Tuple args = Tuple.of(accountId, WebhookSigner.newSecret(), overlapMs);
    if (agentId != null) {
      args.addValue(agentId);
    }
    return db.preparedQuery("UPDATE webhooks SET previous_secret = secret, "
            + "previous_secret_expires_at = now() + $3::bigint * interval '1 millisecond', "
            + "secret = $2, updated_at = now() WHERE account_id = $1 AND " + scope
            + " RETURNING id, agent_id, url, secret, status, context_limit, timeout_seconds, "
            + "created_at, previous_secret_expires_at AS previous_secret_until")
        .execute(args)
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return toJson(row).put("previousSecretExpiresAt",
              Times.format(row.getOffsetDateTime("previous_secret_until")));
        });
  }

  /** Removes the account's or the agent's own webhook: what it was, or null when there was none. */
  static Future<JsonObject> delete(SqlClient db, String accountId, String agentId) {
    String scope = agentId == null ? "agent_id IS NULL" : "agent_id = $2";
    Tuple args = agentId == null ? Tuple.of(accountId) : Tuple.of(accountId, agentId);
    return db.preparedQuery("DELETE FROM webhooks WHERE account_id = $1 AND " + scope
            + " RETURNING " + COLUMNS)
        .execute(args)
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  /**
   * The webhook that receives an agent's events: its own, else the account's; null when neither
   * exists. With a null agent only the account's applies.
   */
  static Future<Row> target(SqlClient db, String accountId, String agentId) {
    return db.preparedQuery("SELECT " + COLUMNS + " FROM webhooks WHERE account_id = $1 "
            + "AND status = 'active' AND (agent_id = $2 OR agent_id IS NULL) "
            + "ORDER BY agent_id NULLS LAST LIMIT 1")
        .execute(Tuple.of(accountId, agentId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** The {@code webhooks.target} answer for a row. */
  static JsonObject targetJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("url", row.getString("url"))
        .put("secret", row.getString("secret"))
        .put("previousSecret", row.getString("previous_secret_live"))
        .put("contextLimit", row.getInteger("context_limit"))
        .put("timeout", row.getInteger("timeout_seconds"));
  }

  /** A {@code WebhookResponse}. */
  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("url", row.getString("url"))
        .put("secret", row.getString("secret"))
        .put("status", row.getString("status"))
        .put("contextLimit", row.getInteger("context_limit"))
        .put("timeout", row.getInteger("timeout_seconds"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")));
  }
}
