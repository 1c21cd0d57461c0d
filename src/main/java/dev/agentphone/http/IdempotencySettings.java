package dev.agentphone.http;

import dev.agentphone.platform.AppConfig;

/**
 * How {@code Idempotency-Key} behaves ({@code http.idempotency*}).
 *
 * @param keyMillis how long a key is kept after its first use; a later request reuses it afresh
 * @param waitMillis how long a request waits for another one running under its key before 409
 * @param leaseMillis how long a running request holds its key without renewing it (it renews
 *     every third of it); past that its node is presumed dead and a retry may take the key over
 * @param purgeMillis how often each node deletes expired keys
 */
public record IdempotencySettings(long keyMillis, long waitMillis, long leaseMillis,
    long purgeMillis) {

  public static IdempotencySettings from(AppConfig config) {
    return new IdempotencySettings(
        Math.round(config.decimal("http.idempotencyKeyHours") * 3_600_000),
        config.longValue("http.idempotencyWaitMillis"),
        config.longValue("http.idempotencyLeaseMillis"),
        config.longValue("http.idempotencyPurgeSeconds") * 1000);
  }
}
