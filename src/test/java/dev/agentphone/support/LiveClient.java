package dev.agentphone.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A real WebSocket client of a call's live socket ({@code GET /v1/calls/{id}/live}). */
public final class LiveClient implements AutoCloseable {
  public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  public final AtomicInteger pings = new AtomicInteger();
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private volatile boolean closed;
  private volatile Short closeCode;
  /** The extensions the server accepted in its handshake ({@code Sec-WebSocket-Extensions}). */
  public volatile String extensions;

  private LiveClient(WebSocket ws) {
    this.ws = ws;
  }

  /**
   * Opens {@code uri} ({@code /v1/calls/{id}/live?…}) on {@code engine}, with the key as Bearer
   * when {@code key} is not null; a refused upgrade throws {@link RetellDriver.Refused}.
   */
  public static LiveClient open(Vertx vertx, TestEngine engine, String uri, String key) {
    return open(vertx, engine, uri, key, false);
  }

  /**
   * Like {@link #open(Vertx, TestEngine, String, String)}; {@code compressed}: the client offers
   * permessage-deflate, as browsers do.
   */
  public static LiveClient open(Vertx vertx, TestEngine engine, String uri, String key,
      boolean compressed) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(compressed));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost")
        .setPort(engine.port).setURI(uri);
    if (key != null) {
      options.addHeader("Authorization", "Bearer " + key);
    }
    CompletableFuture<LiveClient> opened = new CompletableFuture<>();
    // connected from an event loop, so the handlers are set before the first frame arrives
    vertx.getOrCreateContext().runOnContext(v -> client.connect(options).onSuccess(ws -> {
      LiveClient live = new LiveClient(ws);
      live.extensions = ws.headers() == null ? null : ws.headers().get("Sec-WebSocket-Extensions");
      ws.textMessageHandler(text -> live.frames.add(new JsonObject(text)));
      ws.frameHandler(frame -> {
        if (frame.isPing()) {
          live.pings.incrementAndGet();
        }
      });
      ws.closeHandler(x -> {
        live.closeCode = ws.closeStatusCode();
        live.closed = true;
      });
      opened.complete(live);
    }).onFailure(opened::completeExceptionally));
    try {
      return opened.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException rejected) {
        throw new RetellDriver.Refused(rejected.getStatus());
      }
      throw new IllegalStateException("cannot open the live socket", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the live socket", e);
    }
  }

  public static LiveClient open(Vertx vertx, TestEngine engine, String callId, String key,
      Integer lastEventId) {
    return open(vertx, engine, "/v1/calls/" + callId + "/live"
        + (lastEventId == null ? "" : "?lastEventId=" + lastEventId), key);
  }

  /** Sends a command and waits for its acknowledgement. */
  public JsonObject command(JsonObject command) {
    String id = "c" + ids.incrementAndGet();
    ws.writeTextMessage(command.copy().put("id", id).encode());
    return await(f -> "ack".equals(f.getString("type")) && id.equals(f.getString("id")));
  }

  public JsonObject command(String type) {
    return command(new JsonObject().put("type", type));
  }

  public void sendText(String text) {
    ws.writeTextMessage(text);
  }

  public JsonObject await(Predicate<JsonObject> match) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      for (JsonObject frame : frames) {
        if (match.test(frame)) {
          return frame;
        }
      }
      RetellDriver.sleep(5);
    }
    throw new AssertionError("no matching frame; got " + frames);
  }

  public JsonObject awaitType(String type) {
    return await(f -> type.equals(f.getString("type")));
  }

  public List<JsonObject> ofType(String type) {
    return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
  }

  public boolean closed() {
    return closed;
  }

  public Short closeCode() {
    return closeCode;
  }

  @Override
  public void close() {
    ws.close();
  }
}
