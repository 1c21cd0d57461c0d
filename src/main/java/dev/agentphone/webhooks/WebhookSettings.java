package dev.agentphone.webhooks;

import dev.agentphone.platform.AppConfig;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code webhooks} section of the configuration: private targets, retry schedule, dispatch
 * sizing, replay pace, secret overlap. Defaults suit production; tests shrink the schedule to milliseconds.
 */
public record WebhookSettings(boolean allowPrivateTargets, int maxAttempts, long initialDelayMs,
    double multiplier, long maxDelayMs, double jitter, long maxRetryAfterMs, long pollIntervalMs,
    int maxInFlight, int batchSize, int responseBodyLimit, long leaseMarginMs,
    int replayPerSecond, int replayMaxWindowDays, long secretOverlapMs,
    boolean leaseAtPlanning) {

  /** {@code webhooks.allowPrivateTargets} null means: allowed in sandbox mode only. */
  public static WebhookSettings from(AppConfig config) {
    Boolean allow = config.optionalBool("webhooks.allowPrivateTargets");
    return new WebhookSettings(
        allow == null ? config.sandbox() : allow,
        config.integer("webhooks.maxAttempts"),
        config.longValue("webhooks.retry.initialDelayMs"),
        config.decimal("webhooks.retry.multiplier"),
        config.longValue("webhooks.retry.maxDelayMs"),
        config.decimal("webhooks.retry.jitter"),
        config.longValue("webhooks.retry.maxRetryAfterMs"),
        config.longValue("webhooks.pollIntervalMs"),
        config.integer("webhooks.maxInFlight"),
        config.integer("webhooks.batchSize"),
        config.integer("webhooks.responseBodyLimit"),
        config.longValue("webhooks.leaseMarginMs"),
        config.integer("webhooks.replayPerSecond"),
        config.integer("webhooks.replayMaxWindowDays"),
        // hours, fractions allowed (tests use seconds' worth)
        Math.round(config.decimal("webhooks.secretOverlapHours") * 3_600_000),
        config.bool("webhooks.leaseAtPlanning"));
  }

  /**
   * The wait before attempt {@code attempt + 1} after {@code attempt} failed: exponential from
   * the initial delay, capped, with ± {@code jitter} spread so many failing deliveries do not
   * come back in lockstep.
   */
  public long backoffMs(int attempt) {
    double delay = initialDelayMs * Math.pow(multiplier, Math.max(0, attempt - 1));
    delay = Math.min(delay, maxDelayMs);
    double spread = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(0, Math.round(delay * spread));
  }
}
