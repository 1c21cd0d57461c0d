package dev.agentphone.accounts;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.http.KeyHash;
import dev.agentphone.http.KeyLookup;
import dev.agentphone.http.KeyRevocations;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;

/**
 * An account's API keys: authenticating one for the edge, listing them (never the secret, which
 * only its creation answers), creating and revoking them. Keys belong to main accounts; a
 * sub-account is reached with its parent's keys and has none of its own. Revoking the account's
 * last full key that has not expired is refused (409), so an account cannot lock itself out. A
 * revocation is published on the cluster bus once committed, so every node drops the key at once.
 */
final class ApiKeyStore {
  static final String FULL = "full";
  static final String READ_ONLY = "read-only";
  private static final String COLUMNS =
      "id, name, key_prefix, scope, created_at, expires_at, last_used_at";
  private static final String LIVE = "revoked_at IS NULL";
  private static final String TYPE = "api_key";

  private final Vertx vertx;
  private final Pool pool;

  ApiKeyStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** {@code {keyHash}}: the unrevoked key with that hash, else 401. */
  Future<JsonObject> authenticate(JsonObject request) {
    String hash = request.getString("keyHash");
    return pool.preparedQuery("SELECT id, account_id, key_hash, key_prefix, scope, expires_at "
            + "FROM api_keys WHERE key_hash = $1 AND " + LIVE)
        .execute(Tuple.of(hash))
        .map(rows -> {
          Row row = rows.size() == 1 ? rows.iterator().next() : null;
          if (row == null || !KeyHash.same(row.getString("key_hash"), hash)) {
            throw new ApiError(401, "Invalid API key");
          }
          touch(row.getString("id"));
          OffsetDateTime expires = row.getOffsetDateTime("expires_at");
          return new JsonObject().put("accountId", row.getString("account_id"))
              .put("keyId", row.getString("id"))
              .put("prefix", row.getString("key_prefix"))
              .put("readOnly", READ_ONLY.equals(row.getString("scope")))
              .put("expiresAtMillis", expires == null ? 0 : expires.toInstant().toEpochMilli());
        });
  }

  static KeyLookup.Key key(JsonObject json) {
    return new KeyLookup.Key(json.getString("accountId"), json.getString("keyId"),
        json.getString("prefix"), json.getBoolean("readOnly"), json.getLong("expiresAtMillis"));
  }

  /** Off the request path, at most every 30 s per key (the edge asks about once a minute). */
  void touch(String keyId) {
    pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
            + "AND (last_used_at IS NULL OR last_used_at < now() - interval '30 seconds')")
        .execute(Tuple.of(keyId));
  }

  /** {@code {accountId, limit, offset}}: the unrevoked keys, newest first. */
  Future<JsonObject> list(JsonObject request) {
    String where = " FROM api_keys WHERE account_id = $1 AND " + LIVE;
    return Page.fetch(pool, "SELECT " + COLUMNS + where
                + " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            "SELECT count(*)" + where, Tuple.of(request.getString("accountId")),
            request.getInteger("limit"), request.getInteger("offset"))
        .map(page -> page.json(page.map(ApiKeyStore::json)));
  }

  /** {@code {accountId, name, scope, expiresAt?}}: the new key, with its secret shown this once. */
  Future<JsonObject> create(JsonObject request) {
    String accountId = request.getString("accountId");
    String secret = ApiKeys.generate();
    String expires = request.getString("expiresAt");
    return pool.withTransaction(tx -> tx.preparedQuery("INSERT INTO api_keys (id, account_id, "
                + "key_hash, key_prefix, name, scope, expires_at) SELECT $1, id, $3, $4, $5, $6, $7 "
                + "FROM accounts WHERE id = $2 AND parent_account_id IS NULL "
                + "AND deleted_at IS NULL RETURNING " + COLUMNS)
            .execute(Tuple.from(new Object[] {Ids.next("key"), accountId, ApiKeys.hash(secret),
                ApiKeys.prefix(secret), request.getString("name"), request.getString("scope"),
                expires == null ? null : Times.parse(expires)}))
            .compose(rows -> {
              if (rows.size() == 0) {
                throw new ApiError(403, "API keys belong to the main account: a sub-account is "
                    + "reached with its parent's keys. Manage keys without the X-Sub-Account-Id "
                    + "header");
              }
              JsonObject key = json(rows.iterator().next());
              return AuditTrail.created(tx, request, TYPE, key.getString("id"), key)
                  .map(done -> key.copy().put("key", secret));
            }));
  }

  /** {@code {accountId, keyId}}: revokes the key; 409 for the last full unexpired one. */
  Future<JsonObject> revoke(JsonObject request) {
    String accountId = request.getString("accountId");
    String keyId = request.getString("keyId");
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + COLUMNS + ", "
                + "(scope = 'full' AND (expires_at IS NULL OR expires_at > now())) AS usable "
                + "FROM api_keys WHERE account_id = $1 AND " + LIVE + " ORDER BY id FOR UPDATE")
            .execute(Tuple.of(accountId))
            .compose(keys -> {
              Row target = find(keys, keyId);
              if (target == null) {
                throw ApiError.notFound("API key");
              }
              if (target.getBoolean("usable") && usable(keys) == 1) {
                throw ApiError.conflict("API key " + keyId + " is the account's last full key "
                    + "that has not expired: create another full key (POST /v1/api-keys) before "
                    + "revoking this one");
              }
              return tx.preparedQuery("UPDATE api_keys SET revoked_at = now() WHERE id = $1")
                  .execute(Tuple.of(keyId))
                  .compose(done -> AuditTrail.deleted(tx, request, TYPE, keyId, json(target)));
            }))
        .compose(done -> {
          vertx.eventBus().publish(KeyRevocations.ADDRESS, keyId);
          // this node refuses the key before the answer leaves, the others within a moment; the
          // revocation has committed, so a listener that does not answer changes nothing here
          return vertx.eventBus().request(KeyRevocations.LOCAL_ADDRESS, keyId)
              .otherwiseEmpty()
              .map(acked -> new JsonObject().put("success", true).put("id", keyId));
        });
  }

  private static Row find(RowSet<Row> keys, String keyId) {
    for (Row row : keys) {
      if (row.getString("id").equals(keyId)) {
        return row;
      }
    }
    return null;
  }

  private static int usable(RowSet<Row> keys) {
    int count = 0;
    for (Row row : keys) {
      count += row.getBoolean("usable") ? 1 : 0;
    }
    return count;
  }

  /** A key as listings show it: never its secret. */
  private static JsonObject json(Row row) {
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("name", row.getString("name"))
        .put("prefix", row.getString("key_prefix"))
        .put("scope", row.getString("scope"))
        .put("createdAt", Times.format(row.getOffsetDateTime("created_at")))
        .put("expiresAt", Times.format(row.getOffsetDateTime("expires_at")))
        .put("lastUsedAt", Times.format(row.getOffsetDateTime("last_used_at")));
  }
}
