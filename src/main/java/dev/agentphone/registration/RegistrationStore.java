package dev.agentphone.registration;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code registrations} table. A stage changes only from the stage it was read in, and only
 * while the registration is pending, so the worker of another node, a retried round or the
 * sandbox's decision can never move one twice or undo a decision. Every change of stage is
 * appended to {@code history}.
 */
final class RegistrationStore {
  static final String SANDBOX = "sandbox";
  static final String TWILIO = "twilio";
  /** The stages, in order. A live registration starts at {@code received}, the sandbox's after it. */
  static final String RECEIVED = "received";
  static final String BRAND_SUBMITTED = "brand_submitted";
  static final String BRAND_APPROVED = "brand_approved";
  static final String CAMPAIGN_SUBMITTED = "campaign_submitted";
  static final String CAMPAIGN_APPROVED = "campaign_approved";
  static final List<String> STAGES = List.of(RECEIVED, BRAND_SUBMITTED, BRAND_APPROVED,
      CAMPAIGN_SUBMITTED, CAMPAIGN_APPROVED);

  private static final String HISTORY = "history = history || jsonb_build_array("
      + "jsonb_build_object('stage', $%d::text, 'status', $%d::text, 'at', now()))";

  private final Pool pool;

  RegistrationStore(Pool pool) {
    this.pool = pool;
  }

  /** A registration as the status shows it. */
  record Latest(String id, String accountId, String status, String stage, String reason,
      String provider) {
  }

  /** A pending registration the worker took: {@code dueAt} is when it was due. */
  record Due(String id, String accountId, String provider, String stage, JsonObject details,
      JsonObject sids, OffsetDateTime dueAt) {
  }

  /** A new pending registration, in the caller's transaction. */
  static Future<Void> insert(SqlClient tx, String id, String accountId, String chargedAccountId,
      JsonObject request, String provider, String stage, int feeCents, long firstCheckMillis) {
    return tx.preparedQuery("INSERT INTO registrations (id, account_id, charged_account_id, "
            + "registration_type, details, provider, stage, fee_cents, next_check_at, history) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9 * interval '1 millisecond', "
            + "jsonb_build_array(jsonb_build_object('stage', $7::text, 'status', 'pending', "
            + "'at', now())))")
        .execute(Tuple.of(id, accountId, chargedAccountId, request.getString("registration_type"),
            request, provider, stage, feeCents).addLong(firstCheckMillis))
        .mapEmpty();
  }

  /** The account's newest registration, or null. */
  Future<Latest> latest(String accountId) {
    return one("SELECT id, account_id, status, stage, reason, provider FROM registrations "
        + "WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1", accountId);
  }

  /** The newest registration the account paid for on one of its sub-accounts, or null. */
  Future<Latest> latestOfSubAccounts(String accountId) {
    return one("SELECT id, account_id, status, stage, reason, provider FROM registrations "
        + "WHERE charged_account_id = $1 AND account_id <> $1 "
        + "ORDER BY created_at DESC, id DESC LIMIT 1", accountId);
  }

  private Future<Latest> one(String sql, String accountId) {
    return pool.preparedQuery(sql).execute(Tuple.of(accountId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Latest(r.getString("id"), r.getString("account_id"), r.getString("status"),
          r.getString("stage"), r.getString("reason"), r.getString("provider"));
    });
  }

  Future<Boolean> hasApproved(String accountId) {
    return pool.preparedQuery("SELECT 1 FROM registrations WHERE account_id = $1 "
            + "AND status = 'approved'")
        .execute(Tuple.of(accountId)).map(rows -> rows.size() > 0);
  }

  /**
   * Takes up to {@code limit} due registrations for this node: each is pushed {@code claimMillis}
   * into the future, so no other node takes it meanwhile, and comes back by itself if this node
   * dies before it is done. Rows another node is taking right now are skipped, not waited for.
   */
  Future<List<Due>> claimDue(long claimMillis, int limit) {
    return pool.preparedQuery("WITH due AS (SELECT id, next_check_at FROM registrations "
            + "WHERE status = 'pending' AND next_check_at <= now() ORDER BY next_check_at "
            + "LIMIT $2 FOR UPDATE SKIP LOCKED) "
            + "UPDATE registrations r SET next_check_at = now() + $1 * interval '1 millisecond' "
            + "FROM due WHERE r.id = due.id RETURNING r.id, r.account_id, r.provider, r.stage, "
            + "r.details, r.provider_sids, due.next_check_at AS due_at")
        .execute(Tuple.of(claimMillis, limit))
        .map(rows -> {
          List<Due> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Due(r.getString("id"), r.getString("account_id"),
                r.getString("provider"), r.getString("stage"), (JsonObject) r.getValue("details"),
                (JsonObject) r.getValue("provider_sids"), r.getOffsetDateTime("due_at")));
          }
          return out;
        });
  }

  /**
   * Moves a pending registration from stage {@code from} to {@code to} with {@code status};
   * {@code nextCheck} is when to look at it again (null: never, it is decided), {@code sids}
   * what the provider created (merged). False when it had moved on already.
   */
  Future<Boolean> advance(String id, String from, String to, String status, String reason,
      OffsetDateTime nextCheck, JsonObject sids) {
    return pool.preparedQuery("UPDATE registrations SET stage = $3, status = $4, reason = $5, "
            + "next_check_at = $6, provider_sids = provider_sids || $7, last_error = NULL, "
            + "updated_at = now(), " + String.format(HISTORY, 3, 4)
            + " WHERE id = $1 AND stage = $2 AND status = 'pending'")
        .execute(Tuple.of(id, from, to, status, reason, nextCheck)
            .addValue(sids == null ? new JsonObject() : sids))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Leaves the stage as it is and looks again at {@code nextCheck}, noting what went wrong. */
  Future<Void> retryLater(String id, String stage, String error, OffsetDateTime nextCheck) {
    return pool.preparedQuery("UPDATE registrations SET next_check_at = $3, last_error = $4, "
            + "updated_at = now() WHERE id = $1 AND stage = $2 AND status = 'pending'")
        .execute(Tuple.of(id, stage, nextCheck, error))
        .mapEmpty();
  }

  /**
   * The sandbox carriers' decision on the account's pending sandbox registration; the id it
   * decided, or null when there was none.
   */
  Future<String> decide(String accountId, boolean approve, String reason) {
    String status = approve ? "approved" : "rejected";
    return pool.preparedQuery("UPDATE registrations SET status = $2, reason = $3, "
            + "stage = CASE WHEN $2 = 'approved' THEN '" + CAMPAIGN_APPROVED + "' ELSE stage END, "
            + "next_check_at = NULL, updated_at = now(), history = history || jsonb_build_array("
            + "jsonb_build_object('stage', CASE WHEN $2 = 'approved' THEN '" + CAMPAIGN_APPROVED
            + "' ELSE stage END, 'status', $2::text, 'at', now())) "
            + "WHERE account_id = $1 AND status = 'pending' AND provider = '" + SANDBOX
            + "' RETURNING id")
        .execute(Tuple.of(accountId, status, reason))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("id"));
  }
}
