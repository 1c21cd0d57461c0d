package dev.agentphone.http;

import io.vertx.core.Future;

/**
 * What the HTTP edge needs to authenticate a request: who an API key belongs to. Declared here,
 * implemented by the accounts domain, so the edge depends on no domain.
 */
public interface KeyLookup {
  /**
   * The caller a live key authenticates, by the key's {@link KeyHash}; fails with a 401
   * {@code ApiError} when no live key has that hash.
   */
  Future<Caller> find(String keyHash);

  /**
   * The id of {@code accountId}'s live sub-account {@code subAccountId}, which the request then
   * acts for; fails with a 404 {@code ApiError} ("Sub-account not found") for any other id.
   */
  Future<String> subAccount(String accountId, String subAccountId);

  /** Notes that the key was used now (fire and forget; at most about once a minute per key). */
  void used(String keyId);
}
