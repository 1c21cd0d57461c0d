package dev.agentphone.egress;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;

import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches a file from a customer's URL (an image to forward to a carrier, say): checked by the
 * {@link SsrfGuard} and fetched from the very address it checked, no redirects followed, bounded
 * in size (a larger answer is cut off without reading on) and in time. Every failure is a
 * {@link Failed} whose message can be shown to the customer.
 */
public final class GuardedDownload {
  /** A fetched file: its bytes and the {@code Content-Type} it was served with (or null). */
  public record Fetched(Buffer body, String contentType) {
  }

  /** Why the URL could not be fetched, in a sentence for the customer. */
  public static final class Failed extends RuntimeException {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  private final HttpClient http;
  private final SsrfGuard guard;
  private final long timeoutMillis;

  public GuardedDownload(Vertx vertx, SsrfGuard guard, long timeoutMillis) {
    this.guard = guard;
    this.timeoutMillis = timeoutMillis;
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
        .setKeepAlive(false));
  }

  /** Whether URLs may reach private addresses, and so plain-http test servers on loopback. */
  public boolean allowsPrivateTargets() {
    return guard.allowsPrivateTargets();
  }

  /** GETs {@code url}, at most {@code maxBytes} of it; fails with {@link Failed}. */
  public Future<Fetched> get(String url, long maxBytes) {
    return guard.resolve(url)
        .compose(target -> {
          Promise<Fetched> done = Promise.promise();
          http.request(target.requestOptions(HttpMethod.GET).setIdleTimeout(timeoutMillis))
              .onFailure(done::tryFail)
              .onSuccess(request -> {
                request.response().onFailure(done::tryFail)
                    .onSuccess(response -> read(url, request, response, maxBytes, done));
                request.exceptionHandler(done::tryFail);
                request.end();
                // whatever ends the exchange early (time-out, too large) closes the connection
                done.future().onFailure(failure -> request.reset());
              });
          Future<Fetched> bounded = done.future().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
          bounded.onFailure(done::tryFail);
          return bounded;
        })
        .recover(failure -> Future.failedFuture(explain(url, failure)));
  }

  private static void read(String url, HttpClientRequest request, HttpClientResponse response,
      long maxBytes, Promise<Fetched> done) {
    int status = response.statusCode();
    if (status != 200) {
      done.tryFail(new Failed(url + " answered HTTP " + status
          + (status / 100 == 3 ? " (redirects are not followed)" : "")));
      return;
    }
    String length = response.getHeader("Content-Length");
    if (length != null && length.trim().matches("\\d{1,18}")
        && Long.parseLong(length.trim()) > maxBytes) {
      done.tryFail(tooLarge(url, maxBytes));
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        done.tryFail(tooLarge(url, maxBytes));
        return;
      }
      body.appendBuffer(chunk);
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> done.tryComplete(new Fetched(body,
        response.getHeader("Content-Type"))));
  }

  private static Failed tooLarge(String url, long maxBytes) {
    return new Failed(url + " is larger than " + maxBytes + " bytes");
  }

  private Throwable explain(String url, Throwable failure) {
    if (failure instanceof Failed) {
      return failure;
    }
    if (failure instanceof SsrfGuard.Refused) {
      return new Failed(failure.getMessage());
    }
    if (failure instanceof HostLookup.TimedOut) {
      return new Failed("Could not fetch " + url + ": " + failure.getMessage());
    }
    if (failure instanceof UnknownHostException) {
      return new Failed("Could not fetch " + url + ": its host does not resolve");
    }
    if (failure instanceof TimeoutException) {
      return new Failed("Could not fetch " + url + ": no complete answer within "
          + timeoutMillis + " ms");
    }
    String message = failure.getMessage();
    return new Failed("Could not fetch " + url + ": "
        + (message == null || message.isBlank() ? failure.getClass().getSimpleName() : message));
  }

  public void close() {
    http.close();
  }
}
