package dev.agentphone.webhooks;

import dev.agentphone.platform.AppConfig;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code webhooks} section of the configuration: private targets, retry schedule, dispatch
 * sizing. Defaults suit production; tests shrink the schedule to milliseconds.
 */
public record WebhookSettings(boolean allowPrivateTargets, int maxAttempts, long initialDelayMs,
    double multiplier, long maxDelayMs, double jitter, long maxRetryAfterMs, long pollIntervalMs,
    int maxInFlight, int batchSize, int responseBodyLimit, long leaseMarginMs) {

  public static WebhookSettings from(AppConfig config) {
    String allow = config.string("webhooks.allowPrivateTargets");
    return new WebhookSettings(
        allow == null || allow.isBlank() ? config.sandbox() : Boolean.parseBoolean(allow.trim()),
        config.integer("webhooks.maxAttempts", 6),
        config.longValue("webhooks.retry.initialDelayMs", 5_000),
        Double.parseDouble(config.string("webhooks.retry.multiplier", "4")),
        config.longValue("webhooks.retry.maxDelayMs", 3_600_000),
        Double.parseDouble(config.string("webhooks.retry.jitter", "0.2")),
        config.longValue("webhooks.retry.maxRetryAfterMs", 3_600_000),
        config.longValue("webhooks.pollIntervalMs", 1_000),
        config.integer("webhooks.maxInFlight", 256),
        config.integer("webhooks.batchSize", 64),
        config.integer("webhooks.responseBodyLimit", 4_096),
        config.longValue("webhooks.leaseMarginMs", 30_000));
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
