package dev.agentphone.accounts;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.calls.CallsApi;
import dev.agentphone.numbers.NumberWrites;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Sub-accounts: accounts with a parent, one level deep. A sub-account is an ordinary account row,
 * so everything scoped by account id (agents, numbers, conversations, calls, contacts, webhooks,
 * usage and plan limits) is its own; its plan is its parent's, read live ({@code Plans}). Only
 * the parent reaches it, by sending its id in {@code X-Sub-Account-Id} with the parent's key.
 *
 * <p>Deleting one is refused (409) while it still has phone numbers (they cost money every month
 * and nobody could release them afterwards) or live calls. Otherwise it is soft-deleted: the row
 * and its history stay, and it is not found anywhere from the moment the deletion commits.
 */
final class SubAccounts {
  private static final String COLUMNS = "id, name, parent_account_id, created_at, updated_at";
  private static final String NOT_FOUND = "Sub-account";
  private static final String AUDITED = "sub_account";

  private final Pool pool;
  private final CallsApi calls;

  SubAccounts(Pool pool, CallsApi calls) {
    this.pool = pool;
    this.calls = calls;
  }

  /** {@code {accountId, name}}: a new sub-account of {@code accountId}, which must be a parent. */
  Future<JsonObject> create(JsonObject request) {
    String parentId = request.getString("accountId");
    String name = request.getString("name");
    name = name == null ? "" : name.strip();
    // the routes check it for the API; other domains' callers get the same answers
    JsonArray field = new JsonArray().add("body").add("name");
    if (name.isEmpty()) {
      return Future.failedFuture(ApiError.invalid(field, "string_too_short",
          "String should have at least 1 character"));
    }
    if (name.codePointCount(0, name.length()) > SubAccountRoutes.MAX_NAME) {
      return Future.failedFuture(ApiError.invalid(field, "string_too_long",
          "String should have at most " + SubAccountRoutes.MAX_NAME + " characters"));
    }
    String stripped = name;
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO accounts (id, name, plan, "
                + "parent_account_id) SELECT $1, $2, plan, id FROM accounts WHERE id = $3 "
                + "AND parent_account_id IS NULL AND deleted_at IS NULL RETURNING " + COLUMNS)
            .execute(Tuple.of(Ids.next("sub"), stripped, parentId))
            .compose(rows -> {
              if (rows.size() == 0) {
                return whyNoChildren(parentId);
              }
              JsonObject child = json(rows.iterator().next());
              return AuditTrail.created(tx, request, AUDITED, child.getString("id"), child)
                  .map(child);
            }));
  }

  /** The refusal for an account that cannot have sub-accounts. */
  private Future<JsonObject> whyNoChildren(String accountId) {
    return pool.preparedQuery("SELECT parent_account_id FROM accounts WHERE id = $1 "
            + "AND deleted_at IS NULL")
        .execute(Tuple.of(accountId))
        .compose(rows -> Future.failedFuture(rows.size() == 0 ? ApiError.notFound("Account")
            : new ApiError(403, "A sub-account cannot have sub-accounts of its own: create "
                + "sub-accounts from the main account, without the X-Sub-Account-Id header")));
  }

  /** {@code {accountId, limit, offset}}: the live sub-accounts, newest first. */
  Future<JsonObject> list(JsonObject request) {
    String where = " FROM accounts WHERE parent_account_id = $1 AND deleted_at IS NULL";
    return Page.fetch(pool, "SELECT " + COLUMNS + where
                + " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            "SELECT count(*)" + where, Tuple.of(request.getString("accountId")),
            request.getInteger("limit"), request.getInteger("offset"))
        .map(page -> page.json(page.map(SubAccounts::json)));
  }

  /** {@code {accountId, subAccountId, name}}. */
  Future<JsonObject> rename(JsonObject request) {
    Tuple ids = Tuple.of(request.getString("accountId"), request.getString("subAccountId"));
    String live = " WHERE id = $2 AND parent_account_id = $1 AND deleted_at IS NULL";
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + " FROM accounts"
                + live + " FOR NO KEY UPDATE")
            .execute(ids)
            .map(SubAccounts::found)
            .compose(before -> tx.preparedQuery("UPDATE accounts SET name = $3, "
                    + "updated_at = now()" + live + " RETURNING " + COLUMNS)
                .execute(ids.addValue(request.getString("name")))
                .map(SubAccounts::found)
                .compose(after -> AuditTrail.updated(tx, request, AUDITED,
                    after.getString("id"), before, after).map(after))));
  }

  private static JsonObject found(Iterable<Row> rows) {
    if (!rows.iterator().hasNext()) {
      throw ApiError.notFound(NOT_FOUND);
    }
    return json(rows.iterator().next());
  }

  /**
   * {@code {accountId, subAccountId}}: soft-deletes the sub-account unless it still has numbers
   * or live calls. Its purchases wait on the lock taken here and then find no plan (404), so no
   * number can be bought for it once the check passed.
   */
  Future<JsonObject> delete(JsonObject request) {
    String parentId = request.getString("accountId");
    String id = request.getString("subAccountId");
    JsonObject[] before = new JsonObject[1];
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + " FROM accounts "
                + "WHERE id = $1 AND parent_account_id = $2 AND deleted_at IS NULL "
                + "FOR NO KEY UPDATE")
            .execute(Tuple.of(id, parentId))
            .compose(rows -> {
              before[0] = found(rows);
              return NumberWrites.holdPurchases(tx, id);
            })
            .compose(numbers -> {
              if (numbers > 0) {
                throw ApiError.conflict("Sub-account " + id + " still has " + numbers
                    + " phone number" + (numbers == 1 ? "" : "s") + ": release "
                    + (numbers == 1 ? "it" : "them") + " first (DELETE /v1/numbers/{number_id} "
                    + "with X-Sub-Account-Id: " + id + ")");
              }
              return calls.liveCount(id);
            })
            .compose(live -> {
              if (live > 0) {
                throw ApiError.conflict("Sub-account " + id + " has " + live + " live call"
                    + (live == 1 ? "" : "s") + ": end " + (live == 1 ? "it" : "them")
                    + " first (POST /v1/calls/{call_id}/end with X-Sub-Account-Id: " + id + ")");
              }
              return tx.preparedQuery("UPDATE accounts SET deleted_at = now(), updated_at = now() "
                      + "WHERE id = $1")
                  .execute(Tuple.of(id))
                  .compose(done -> AuditTrail.deleted(tx, request, AUDITED, id, before[0]));
            }))
        .map(done -> new JsonObject().put("success", true).put("id", id));
  }

  /** {@code {accountId, subAccountId}}: the id of the account's live sub-account, else 404. */
  Future<String> resolve(JsonObject request) {
    return pool.preparedQuery("SELECT id FROM accounts WHERE id = $1 AND parent_account_id = $2 "
            + "AND deleted_at IS NULL")
        .execute(Tuple.of(request.getString("subAccountId"), request.getString("accountId")))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(NOT_FOUND);
          }
          return rows.iterator().next().getString("id");
        });
  }

  /** {@code {accountId}}: its parent's id, or null (deleted sub-accounts keep theirs). */
  Future<String> parentOf(JsonObject request) {
    return pool.preparedQuery("SELECT parent_account_id FROM accounts WHERE id = $1")
        .execute(Tuple.of(request.getString("accountId")))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** A sub-account as the API shows it. */
  private static JsonObject json(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("parentAccountId", row.getString("parent_account_id"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("updatedAt", Times.format(row.getOffsetDateTime("updated_at")));
  }
}
