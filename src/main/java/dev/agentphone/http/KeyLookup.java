package dev.agentphone.http;

import io.vertx.core.Future;

/**
 * What the HTTP edge needs to authenticate a request: who an API key belongs to. Declared here,
 * implemented by the accounts domain, so the edge depends on no domain.
 */
public interface KeyLookup {
  /**
   * A live key: its account, id, shown prefix, whether it may only read, and when it expires
   * ({@code expiresAtMillis}, 0 for never).
   */
  record Key(String accountId, String keyId, String prefix, boolean readOnly,
      long expiresAtMillis) {
    boolean expiredAt(long nowMillis) {
      return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
    }
  }

  /**
   * The key with this {@link KeyHash}, unless revoked; fails with a 401 {@code ApiError} when no
   * unrevoked key has that hash. An expired key is answered too: the edge refuses it.
   */
  Future<Key> find(String keyHash);

  /**
   * The id of {@code accountId}'s live sub-account {@code subAccountId}, which the request then
   * acts for; fails with a 404 {@code ApiError} ("Sub-account not found") for any other id.
   */
  Future<String> subAccount(String accountId, String subAccountId);

  /** Notes that the key was used now (fire and forget; at most about once a minute per key). */
  void used(String keyId);
}
