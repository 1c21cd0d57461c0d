package dev.agentphone.calls;

import dev.agentphone.platform.AppConfig;

/**
 * The calls domain's settings: the {@code voice} and {@code calls} sections and the parts of
 * {@code retell} that concern calls.
 */
public record CallSettings(Voice voice, Reconciler reconciler, Socket socket,
    Recordings recordings, long sessionHeartbeatMillis, long sessionSocketWaitMillis,
    long waitKeepAliveMillis,
    long retellTimeoutMillis, long signatureToleranceMillis) {

  /** A webhook-mode call's turns and its live transcript stream ({@code voice}). */
  public record Voice(long maxTurnWaitMillis, String fallbackMessage, long sseHeartbeatMillis,
      long webCallTokenSeconds, long webhookTargetCacheMillis, int webhookConnections,
      int webhookAnswerLimitBytes) {
  }

  /** Settling calls whose session was lost ({@code calls.reconciler}). */
  public record Reconciler(long intervalMillis, long leaseMillis, long sessionStaleMillis,
      long lostCallMarginMillis, long placementTimeoutMillis, int batchSize) {
  }

  /** A Retell custom-LLM socket before its call is confirmed ({@code retell.llmSocket*}). */
  public record Socket(long setupMillis, int earlyFrames) {
  }

  /**
   * Call recordings ({@code calls.recording}): where they are served ({@code publicUrl}), and the
   * bounds of fetching one from the provider.
   */
  public record Recordings(String publicUrl, long maxBytes, long fetchTimeoutMillis,
      int concurrentFetches, int maxAttempts, long retryDelayMillis) {
  }

  public static CallSettings from(AppConfig config) {
    return new CallSettings(
        new Voice(config.longValue("voice.maxTurnWaitMillis"),
            config.string("voice.fallbackMessage"),
            config.longValue("voice.sseHeartbeatMillis"),
            config.longValue("voice.webCallTokenSeconds"),
            config.longValue("voice.webhookTargetCacheMillis"),
            config.integer("voice.webhookConnections"),
            config.integer("voice.webhookAnswerLimitBytes")),
        new Reconciler(config.longValue("calls.reconciler.intervalMillis"),
            config.longValue("calls.reconciler.leaseMillis"),
            config.longValue("calls.reconciler.sessionStaleMillis"),
            config.longValue("calls.reconciler.lostCallMarginMillis"),
            config.longValue("calls.reconciler.placementTimeoutMillis"),
            config.integer("calls.reconciler.batchSize")),
        new Socket(config.longValue("retell.llmSocketSetupMillis"),
            config.integer("retell.llmSocketEarlyFrames")),
        new Recordings(config.publicUrl(), config.longValue("calls.recording.maxBytes"),
            config.longValue("calls.recording.fetchTimeoutMillis"),
            config.integer("calls.recording.concurrentFetches"),
            config.integer("calls.recording.maxAttempts"),
            config.longValue("calls.recording.retryDelayMillis")),
        config.longValue("calls.sessionHeartbeatMillis"),
        config.longValue("calls.sessionSocketWaitMillis"),
        config.longValue("calls.waitKeepAliveMillis"),
        config.longValue("retell.requestTimeoutMillis"),
        config.longValue("retell.signatureToleranceSeconds") * 1000);
  }
}
