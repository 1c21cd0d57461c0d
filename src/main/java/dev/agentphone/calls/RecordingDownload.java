package dev.agentphone.calls;

import dev.agentphone.egress.SsrfGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Locale;

/**
 * One download of a call's audio from the provider's storage: through the SSRF guard (the URL
 * comes from a provider's call object, and what it returns is served publicly), without the
 * provider's API key, within {@code calls.recording.fetchTimeoutMillis} for the whole transfer
 * and {@code calls.recording.maxBytes} (declared or received), following at most a few
 * redirects, each checked again. The content type is what the bytes are (WAV or MP3), whatever
 * the storage's header says.
 */
final class RecordingDownload {
  private static final int MAX_REDIRECTS = 3;

  private final Vertx vertx;
  private final SsrfGuard guard;
  private final HttpClient http;
  private final long maxBytes;
  private final long timeoutMillis;

  /** The recording can never be fetched as it is (too large, not audio): no retry. */
  static final class Unusable extends RuntimeException {
    Unusable(String message) {
      super(message, null, false, false);
    }
  }

  RecordingDownload(Vertx vertx, SsrfGuard guard, CallSettings.Recordings settings) {
    this.vertx = vertx;
    this.guard = guard;
    this.maxBytes = Math.min(settings.maxBytes(), Integer.MAX_VALUE - 8);
    this.timeoutMillis = settings.fetchTimeoutMillis();
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout((int) Math.min(timeoutMillis, Integer.MAX_VALUE)));
  }

  Future<CallsApi.Recording> fetch(String url) {
    Promise<CallsApi.Recording> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    get(url, 0, deadline, done);
    return done.future();
  }

  private void get(String url, int redirects, long deadline, Promise<CallsApi.Recording> done) {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      done.tryFail("timed out");
      return;
    }
    guard.resolve(url).onFailure(done::tryFail).onSuccess(target -> {
      RequestOptions options = target.requestOptions(HttpMethod.GET).setIdleTimeout(left);
      http.request(options).onFailure(done::tryFail).onSuccess(request -> {
        long timer = vertx.setTimer(left, t -> {
          if (done.tryFail("timed out after " + timeoutMillis + " ms")) {
            request.reset();
          }
        });
        done.future().onComplete(x -> vertx.cancelTimer(timer));
        request.exceptionHandler(done::tryFail);
        request.send().onFailure(done::tryFail).onSuccess(response -> {
          String location = response.getHeader("Location");
          if (response.statusCode() / 100 == 3 && location != null) {
            response.handler(b -> { }).exceptionHandler(e -> { });
            request.reset();
            if (redirects >= MAX_REDIRECTS) {
              done.tryFail("too many redirects");
            } else {
              get(URI.create(url).resolve(location).toString(), redirects + 1, deadline, done);
            }
            return;
          }
          if (response.statusCode() / 100 != 2) {
            response.handler(b -> { }).exceptionHandler(e -> { });
            request.reset();
            done.tryFail("the storage answered " + response.statusCode());
            return;
          }
          read(response, request::reset, done);
        });
      });
    });
  }

  private void read(HttpClientResponse response, Runnable cutOff,
      Promise<CallsApi.Recording> done) {
    response.exceptionHandler(done::tryFail);
    if (declaredLength(response) > maxBytes) {
      done.tryFail(new Unusable("the recording is larger than " + maxBytes + " bytes"));
      cutOff.run();
      return;
    }
    Buffer body = Buffer.buffer();
    response.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        done.tryFail(new Unusable("the recording is larger than " + maxBytes + " bytes"));
        cutOff.run();
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(v -> {
      String type = contentType(body, response.getHeader("Content-Type"));
      if (type == null) {
        done.tryFail(new Unusable("the recording is not audio (" + response.getHeader(
            "Content-Type") + ", " + body.length() + " bytes)"));
      } else {
        done.tryComplete(new CallsApi.Recording(type, body));
      }
    });
  }

  private static long declaredLength(HttpClientResponse response) {
    try {
      String length = response.getHeader("Content-Length");
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** What the bytes are: WAV, MP3, else the header's audio type; null for anything else. */
  static String contentType(Buffer bytes, String header) {
    if (bytes.length() >= 12 && "RIFF".equals(bytes.getString(0, 4, "US-ASCII"))
        && "WAVE".equals(bytes.getString(8, 12, "US-ASCII"))) {
      return "audio/wav";
    }
    if (bytes.length() >= 3 && ("ID3".equals(bytes.getString(0, 3, "US-ASCII"))
        || (bytes.getByte(0) & 0xff) == 0xff && (bytes.getByte(1) & 0xe0) == 0xe0)) {
      return "audio/mpeg";
    }
    String declared = header == null ? "" : header.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return declared.startsWith("audio/") && bytes.length() > 0 ? declared : null;
  }
}
