package dev.agentphone.webhooks;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.egress.WebhookSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One signed POST of frozen body bytes to a customer's URL: the SSRF guard first, then the
 * request to the checked address with the webhook's timeout and no redirects followed. Never
 * fails; every outcome is an {@link Attempt}.
 */
final class WebhookPoster {
  static final String USER_AGENT = "AgentPhone-Webhooks/1.0";

  /** What one attempt produced; {@code retryAfterMs} is -1 unless a 429/503 asked for a wait. */
  record Attempt(boolean success, Integer httpStatus, String error, String responseBody,
      long durationMs, long retryAfterMs) {
  }

  private final WebClient client;
  private final WebhookSettings settings;
  private final SsrfGuard guard;

  WebhookPoster(Vertx vertx, WebhookSettings settings, SsrfGuard guard) {
    this.settings = settings;
    this.guard = guard;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setFollowRedirects(false)
        .setUserAgent(USER_AGENT)
        .setKeepAlive(true)
        .setConnectTimeout(10_000),
        new PoolOptions().setHttp1MaxSize(Math.max(8, settings.maxInFlight())));
  }

  /** Signed with each of {@code secrets} (the current one first). */
  Future<Attempt> post(String url, String[] secrets, int timeoutSeconds, String id,
      byte[] body) {
    long started = System.nanoTime();
    long timeoutMs = timeoutSeconds * 1000L;
    BoundedBody answer = new BoundedBody(settings.responseBodyLimit());
    return guard.resolve(url)
        .compose(target -> {
          HttpRequest<Buffer> request = target.request(client, HttpMethod.POST)
              .timeout(timeoutMs)
              .putHeader("Content-Type", "application/json");
          Map<String, String> signed = WebhookSigner.headers(id,
              System.currentTimeMillis() / 1000, body, secrets);
          signed.forEach(request::putHeader);
          return request.as(BodyCodec.pipe(answer)).sendBuffer(Buffer.buffer(body))
              // the request timeout is per silence; this bounds the whole exchange
              .timeout(timeoutMs, TimeUnit.MILLISECONDS);
        })
        .map(response -> outcome(response, answer.text(), elapsedMs(started)))
        .otherwise(failure -> new Attempt(false, null, describe(failure, timeoutSeconds), null,
            elapsedMs(started), -1));
  }

  private Attempt outcome(HttpResponse<Void> response, String body, long durationMs) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Attempt(true, status, null, body, durationMs, -1);
    }
    String error = "HTTP " + status;
    if (status >= 300 && status < 400) {
      String location = response.getHeader("Location");
      error += " redirect not followed" + (location == null ? "" : " (Location: " + location + ")");
    }
    long retryAfter = -1;
    if (status == 429 || status == 503) {
      retryAfter = retryAfterMs(response.getHeader("Retry-After"));
    }
    return new Attempt(false, status, error, body, durationMs, retryAfter);
  }

  /** Seconds or an HTTP date; -1 when absent or unreadable. */
  static long retryAfterMs(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String text = value.trim();
    try {
      return Math.max(0, Long.parseLong(text) * 1000);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(), at).toMillis());
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }

  private static String describe(Throwable failure, int timeoutSeconds) {
    if (failure instanceof java.util.concurrent.TimeoutException) {
      return "Timeout: no complete answer within " + timeoutSeconds + " s";
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      message = failure.getClass().getSimpleName();
    }
    if (failure instanceof java.net.UnknownHostException) {
      message = "Cannot resolve host: " + message;
    }
    return message;
  }

  private static long elapsedMs(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  void close() {
    client.close();
  }
}
