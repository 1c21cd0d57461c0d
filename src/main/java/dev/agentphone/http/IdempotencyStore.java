package dev.agentphone.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * The {@code idempotency_keys} table: claims, stored answers and their expiry. Every statement is
 * one autocommitted round trip on the shared reactive pool, so the table is the one place every
 * node of a cluster agrees on who runs a key.
 */
public final class IdempotencyStore {
  /** A key as found: what it was first used for, and its answer once there is one. */
  record Found(byte[] fingerprint, Integer status, JsonArray headers, Buffer body) {
    boolean answered() {
      return status != null;
    }
  }

  private final Pool pool;

  public IdempotencyStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Claims the key for {@code claim}: a new key, one past its expiry (a new use from scratch), or
   * one for the same request whose runner let its lease lapse (its node died). True when this
   * request now runs under the key.
   */
  Future<Boolean> claim(String accountId, String key, byte[] fingerprint, String claim,
      IdempotencySettings settings) {
    return pool.preparedQuery("INSERT INTO idempotency_keys AS k (account_id, idem_key, "
            + "fingerprint, claim, lease_until, expires_at) VALUES ($1, $2, $3, $4, "
            + "now() + $5 * interval '1 millisecond', now() + $6 * interval '1 millisecond') "
            + "ON CONFLICT (account_id, idem_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
            + "claim = EXCLUDED.claim, lease_until = EXCLUDED.lease_until, status = NULL, "
            + "headers = NULL, body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at "
            + "WHERE k.expires_at <= now() OR (k.status IS NULL AND k.lease_until < now() "
            + "AND k.fingerprint = EXCLUDED.fingerprint) RETURNING claim")
        .execute(Tuple.of(accountId, key, Buffer.buffer(fingerprint), claim,
            settings.leaseMillis(), settings.keyMillis()))
        .map(rows -> rows.size() > 0);
  }

  /** The key as it stands, or null when there is no live one (never used, expired, released). */
  Future<Found> find(String accountId, String key) {
    return pool.preparedQuery("SELECT fingerprint, status, headers, body FROM idempotency_keys "
            + "WHERE account_id = $1 AND idem_key = $2 AND expires_at > now()")
        .execute(Tuple.of(accountId, key))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          Object headers = row.getValue("headers");
          return new Found(row.getBuffer("fingerprint").getBytes(), row.getInteger("status"),
              headers instanceof JsonArray a ? a : new JsonArray(), row.getBuffer("body"));
        });
  }

  /** Stores the answer of the request holding {@code claim}; false if it lost the key. */
  Future<Boolean> answer(String accountId, String key, String claim, int status,
      JsonArray headers, Buffer body) {
    return pool.preparedQuery("UPDATE idempotency_keys SET status = $4, headers = $5, body = $6, "
            + "lease_until = NULL WHERE account_id = $1 AND idem_key = $2 AND claim = $3 "
            + "AND status IS NULL")
        .execute(Tuple.of(accountId, key, claim, status, headers, body))
        .map(rows -> rows.rowCount() > 0);
  }

  /** Keeps the claim another lease. */
  Future<Void> renew(String accountId, String key, String claim, long leaseMillis) {
    return pool.preparedQuery("UPDATE idempotency_keys "
            + "SET lease_until = now() + $4 * interval '1 millisecond' "
            + "WHERE account_id = $1 AND idem_key = $2 AND claim = $3 AND status IS NULL")
        .execute(Tuple.of(accountId, key, claim, leaseMillis))
        .mapEmpty();
  }

  /** Gives the key up unanswered, so the next request with it runs afresh. */
  Future<Void> release(String accountId, String key, String claim) {
    return pool.preparedQuery("DELETE FROM idempotency_keys "
            + "WHERE account_id = $1 AND idem_key = $2 AND claim = $3 AND status IS NULL")
        .execute(Tuple.of(accountId, key, claim))
        .mapEmpty();
  }

  /**
   * Deletes up to {@code limit} expired keys; the number deleted. Rows another node is deleting
   * at the same moment are skipped, so purges on several nodes never wait on each other.
   */
  Future<Integer> purge(int limit) {
    return pool.preparedQuery("DELETE FROM idempotency_keys WHERE (account_id, idem_key) IN "
            + "(SELECT account_id, idem_key FROM idempotency_keys WHERE expires_at <= now() "
            + "LIMIT $1 FOR UPDATE SKIP LOCKED)")
        .execute(Tuple.of(limit))
        .map(rows -> rows.rowCount());
  }
}
