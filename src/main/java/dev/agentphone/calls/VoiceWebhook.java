package dev.agentphone.calls;

import dev.agentphone.egress.SsrfGuard;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One voice turn sent to the customer's webhook: the signed {@code agent.message} POST and its
 * answer, delivered as {@link Chunk}s as they arrive — one for a JSON answer, one per line for an
 * {@code application/x-ndjson} answer. The exchange can be abandoned at any moment (a newer
 * utterance superseded it), which resets the HTTP stream at once.
 *
 * <p>An answer is read up to {@code answerLimitBytes} ({@code voice.webhookAnswerLimitBytes}).
 * One that declares or sends more is cut off there: the connection is closed without reading on,
 * and the turn ends with the fallback sentence, after whatever interim lines were already spoken.
 */
final class VoiceWebhook {
  /**
   * One piece of the answer: {@code last} on the final one, whose {@code toolCall}
   * ({@code {name, arguments}}) asks the engine to run one of the agent's tools.
   */
  record Chunk(String text, boolean last, boolean hangup, boolean transfer, String digits,
      JsonObject toolCall) {
    static Chunk silence() {
      return new Chunk("", true, false, false, null, null);
    }

    static Chunk of(JsonObject line, boolean last) {
      String action = line.getString("action");
      Object digits = line.getValue("digits");
      return new Chunk(line.getValue("text") instanceof String s ? s : "", last,
          Boolean.TRUE.equals(line.getValue("hangup")) || "hangup".equals(action),
          "transfer".equals(action), digits == null ? null : digits.toString(),
          line.getValue("toolCall") instanceof JsonObject call ? call : null);
    }
  }

  private final HttpClient http;
  private final int answerLimitBytes;
  private final String fallback;
  private HttpClientRequest request;
  private boolean abandoned;
  private Runnable firstByte = () -> { };

  VoiceWebhook(HttpClient http, int answerLimitBytes, String fallback) {
    this.http = http;
    this.answerLimitBytes = answerLimitBytes;
    this.fallback = fallback;
  }

  /** Told when the answer starts to arrive (its status line), for the turn's timing. */
  void onFirstByte(Runnable handler) {
    this.firstByte = handler;
  }

  /**
   * Posts {@code body} with {@code headers}; {@code onChunk} gets each piece, the future completes
   * when the answer is complete (or fails: error status, unreadable answer, connection failure).
   */
  Future<Void> post(SsrfGuard.Target target, Map<String, String> headers, String body,
      long timeoutMillis, Handler<Chunk> onChunk) {
    Promise<Void> done = Promise.promise();
    RequestOptions options = target.requestOptions(HttpMethod.POST)
        .setIdleTimeout(timeoutMillis).setConnectTimeout(timeoutMillis);
    http.request(options).onFailure(done::tryFail).onSuccess(req -> {
      request = req;
      if (abandoned) {
        req.reset();
        done.tryFail("abandoned");
        return;
      }
      req.putHeader("Content-Type", "application/json");
      headers.forEach(req::putHeader);
      req.response().onFailure(done::tryFail).onSuccess(response -> {
        firstByte.run();
        if (response.statusCode() / 100 != 2) {
          response.handler(b -> { }).endHandler(v -> done.tryFail("status " + response.statusCode()));
          return;
        }
        if (declaredLength(response) > answerLimitBytes) {
          cutOff(onChunk, done);
          return;
        }
        String type = response.getHeader("Content-Type");
        boolean ndjson = type != null && type.toLowerCase().contains("ndjson");
        if (ndjson) {
          streamLines(response, onChunk, done);
        } else {
          readWhole(response, onChunk, done);
        }
      });
      req.exceptionHandler(done::tryFail);
      req.end(body);
    });
    return done.future();
  }

  private static long declaredLength(HttpClientResponse response) {
    try {
      String length = response.getHeader("Content-Length");
      return length == null ? -1 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Past the limit: stop reading, close the connection, and end the turn with the fallback. */
  private void cutOff(Handler<Chunk> onChunk, Promise<Void> done) {
    if (done.future().isComplete()) {
      return;
    }
    onChunk.handle(new Chunk(fallback, true, false, false, null, null));
    done.tryComplete();
    abandon();
  }

  private void readWhole(HttpClientResponse response, Handler<Chunk> onChunk,
      Promise<Void> done) {
    Buffer whole = Buffer.buffer();
    response.handler(buffer -> {
      if (done.future().isComplete()) {
        return;
      }
      if (whole.length() + buffer.length() > answerLimitBytes) {
        cutOff(onChunk, done);
        return;
      }
      whole.appendBuffer(buffer);
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> {
      if (!done.future().isComplete()) {
        onChunk.handle(parse(whole.toString(StandardCharsets.UTF_8), true));
        done.tryComplete();
      }
    });
  }

  /**
   * Interim lines are streamed as they arrive; the first non-interim line ends the answer. Lines
   * are split on the newline byte, which never occurs inside a UTF-8 sequence, so a character
   * split across two network reads stays whole.
   */
  private void streamLines(HttpClientResponse response, Handler<Chunk> onChunk,
      Promise<Void> done) {
    Buffer[] pending = {Buffer.buffer()};
    long[] received = new long[1];
    response.handler(buffer -> {
      received[0] += buffer.length();
      if (received[0] > answerLimitBytes) {
        if (done.future().isComplete()) {
          abandon(); // answered, but still sending: not worth reading
        } else {
          cutOff(onChunk, done);
        }
        return;
      }
      if (done.future().isComplete()) {
        return;
      }
      Buffer text = pending[0].appendBuffer(buffer);
      int from = 0;
      for (int i = 0; i < text.length() && !done.future().isComplete(); i++) {
        if (text.getByte(i) == '\n') {
          String line = text.getString(from, i, "UTF-8").trim();
          from = i + 1;
          if (!line.isEmpty()) {
            boolean last = !isInterim(line);
            onChunk.handle(parse(line, last));
            if (last) {
              done.tryComplete();
            }
          }
        }
      }
      pending[0] = text.getBuffer(from, text.length());
    });
    response.exceptionHandler(done::tryFail);
    response.endHandler(v -> {
      if (done.future().isComplete()) {
        return;
      }
      String rest = pending[0].toString(StandardCharsets.UTF_8).trim();
      onChunk.handle(rest.isEmpty() ? Chunk.silence() : parse(rest, true));
      done.tryComplete();
    });
  }

  private static boolean isInterim(String line) {
    try {
      Object parsed = Json.decodeValue(line);
      return parsed instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("interim"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A non-object answer means silence, not a crash. */
  private static Chunk parse(String text, boolean last) {
    try {
      Object parsed = text.isBlank() ? null : Json.decodeValue(Buffer.buffer(text));
      if (parsed instanceof JsonObject object) {
        return Chunk.of(object, last);
      }
    } catch (RuntimeException ignored) {
      // not JSON: silence
    }
    return new Chunk("", last, false, false, null, null);
  }

  /** Whether {@link #abandon} was called. */
  boolean abandoned() {
    return abandoned;
  }

  /** Stops the exchange: no further chunk is delivered and the stream is reset. */
  void abandon() {
    abandoned = true;
    if (request != null) {
      request.reset();
    }
  }
}
