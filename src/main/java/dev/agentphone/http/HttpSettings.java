package dev.agentphone.http;

import dev.agentphone.platform.AppConfig;

/**
 * The HTTP edge's settings: the {@code http} section, API-key caching ({@code auth}) and the
 * per-key rate limit ({@code rateLimit}; zero requests per second turns it off).
 *
 * @param instances HTTP verticles per node; 0 means one per event loop
 */
public record HttpSettings(int port, int instances, long bodyLimitBytes, int maxInitialLineLength,
    int maxHeaderSize, int drainSeconds, int authCacheSeconds, int rateLimitPerSecond,
    int rateLimitBurst) {

  public static HttpSettings from(AppConfig config) {
    return new HttpSettings(config.httpPort(), config.integer("http.instances"),
        config.longValue("http.bodyLimitBytes"), config.integer("http.maxInitialLineLength"),
        config.integer("http.maxHeaderSize"), config.integer("http.drainSeconds"),
        config.integer("auth.cacheSeconds"), config.integer("rateLimit.requestsPerSecond"),
        config.integer("rateLimit.burst"));
  }
}
