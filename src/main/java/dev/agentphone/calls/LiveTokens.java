package dev.agentphone.calls;

import dev.agentphone.http.KeyHash;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Single-use tokens for a call's live socket, for browsers, which cannot set an
 * {@code Authorization} header on a WebSocket. A token is 256 random bits, valid for
 * {@value #LIFETIME_SECONDS} s and for one call; only its SHA-256 is kept, in PostgreSQL, so any
 * node of a cluster accepts it, and redeeming it deletes it in the same statement, so it opens
 * one socket at most.
 */
final class LiveTokens {
  static final int LIFETIME_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;

  LiveTokens(Pool pool) {
    this.pool = pool;
  }

  /** A new token for the call (already found to be the account's), issued by {@code keyId}. */
  Future<JsonObject> issue(String accountId, String callId, String keyId) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = "lt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    // expired tokens are of no use to anyone: each issue sweeps them (an index range scan)
    return pool.query("DELETE FROM call_live_tokens WHERE expires_at < now()").execute()
        .compose(v -> pool.preparedQuery("INSERT INTO call_live_tokens (token_hash, call_id, "
                + "account_id, key_id, expires_at) VALUES ($1, $2, $3, $4, "
                + "now() + make_interval(secs => $5)) RETURNING expires_at")
            .execute(Tuple.of(KeyHash.of(token), callId, accountId, keyId, LIFETIME_SECONDS)))
        .map(rows -> new JsonObject().put("token", token).put("callId", callId)
            .put("expiresAt", Times.format(rows.iterator().next().getOffsetDateTime("expires_at")))
            .put("expiresInSeconds", LIFETIME_SECONDS));
  }

  /**
   * {@code {accountId, keyId}} of a live token for {@code callId}, which is used up by this;
   * 401 for a token that is unknown, used, expired or for another call.
   */
  Future<JsonObject> redeem(String token, String callId) {
    return pool.preparedQuery("DELETE FROM call_live_tokens WHERE token_hash = $1 "
            + "RETURNING call_id, account_id, key_id, expires_at > now() AS fresh")
        .execute(Tuple.of(KeyHash.of(token == null ? "" : token)))
        .map(rows -> {
          Row row = rows.size() == 0 ? null : rows.iterator().next();
          if (row == null || !row.getBoolean("fresh") || !row.getString("call_id").equals(callId)) {
            throw new ApiError(401, "This live token is unknown, already used, expired or for "
                + "another call: ask POST /v1/calls/{call_id}/live-token for a new one");
          }
          return new JsonObject().put("accountId", row.getString("account_id"))
              .put("keyId", row.getString("key_id"));
        });
  }
}
