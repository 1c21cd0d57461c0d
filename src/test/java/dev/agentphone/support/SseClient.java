package dev.agentphone.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real Server-Sent Events client: parses {@code id:}, {@code event:}, {@code data:} and comments. */
public final class SseClient implements AutoCloseable {
  /** One event as received. */
  public record Event(String id, String event, String data) {
    public JsonObject json() {
      return new JsonObject(data);
    }
  }

  public final List<Event> events = new CopyOnWriteArrayList<>();
  public final List<String> comments = new CopyOnWriteArrayList<>();
  /** The last {@code retry:} reconnect hint the server sent, in milliseconds. */
  public volatile String retry;
  private final HttpClient http;
  private volatile boolean ended;
  private final int status;
  private final String contentType;

  /** The response's {@code Content-Encoding}, when the stream came compressed. */
  public final String contentEncoding;

  private SseClient(Vertx vertx, int port, String path, String key, String lastEventId,
      boolean compressed) {
    // a compressing client asks for gzip or deflate, as every browser's EventSource does
    http = vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(compressed));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
        .setPort(port).setURI(path).putHeader("Authorization", "Bearer " + key)
        .putHeader("Accept", "text/event-stream");
    if (lastEventId != null) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    try {
      // The request is made from an event-loop context, so its connection runs on that loop and
      // the handlers are attached as the response arrives, before any chunk; made from this
      // thread, the callback could run on another loop after a short stream had already ended.
      CompletableFuture<HttpClientResponse> opened = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> http.request(options)
          .compose(req -> req.send())
          .onSuccess(r -> {
            listen(r);
            opened.complete(r);
          })
          .onFailure(opened::completeExceptionally));
      HttpClientResponse response = opened.get(10, TimeUnit.SECONDS);
      status = response.statusCode();
      contentType = response.getHeader("Content-Type");
      contentEncoding = response.getHeader("Content-Encoding");
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the stream", e);
    }
  }

  private void listen(HttpClientResponse response) {
    StringBuilder pending = new StringBuilder();
    String[] current = new String[3];
    response.handler(buffer -> {
      pending.append(buffer.toString());
      int newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        String line = pending.substring(0, newline);
        pending.delete(0, newline + 1);
        if (line.isEmpty()) {
          if (current[1] != null || current[2] != null) {
            events.add(new Event(current[0], current[1], current[2]));
          }
          current[0] = current[1] = current[2] = null;
        } else if (line.startsWith(":")) {
          comments.add(line.substring(1).trim());
        } else if (line.startsWith("retry: ")) {
          retry = line.substring(7);
        } else if (line.startsWith("id: ")) {
          current[0] = line.substring(4);
        } else if (line.startsWith("event: ")) {
          current[1] = line.substring(7);
        } else if (line.startsWith("data: ")) {
          current[2] = line.substring(6);
        }
      }
    });
    response.endHandler(v -> ended = true);
    response.exceptionHandler(e -> ended = true);
  }

  public static SseClient open(Vertx vertx, TestEngine engine, String callId, String key,
      String lastEventId) {
    return new SseClient(vertx, engine.port, "/v1/calls/" + callId + "/transcript/stream", key,
        lastEventId, false);
  }

  /** Like {@link #open}, by a client that accepts a compressed response and inflates it. */
  public static SseClient openCompressed(Vertx vertx, TestEngine engine, String callId,
      String key) {
    return new SseClient(vertx, engine.port, "/v1/calls/" + callId + "/transcript/stream", key,
        null, true);
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public boolean ended() {
    return ended;
  }

  public List<Event> turns() {
    return events.stream().filter(e -> "turn".equals(e.event())).toList();
  }

  public Event awaitEvent(String name) {
    RetellDriver.poll(() -> events.stream().anyMatch(e -> name.equals(e.event())));
    return events.stream().filter(e -> name.equals(e.event())).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    http.close();
  }
}
