package dev.agentphone.support;

import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Plays Retell against an engine over the real wire: signed webhooks to {@code /webhooks/retell}
 * and the custom-LLM WebSocket as a client, with the engine's frames collected for assertions.
 */
public final class RetellDriver implements AutoCloseable {
  public static final String SANDBOX_KEY = "sandbox-retell-api-key";
  private final TestEngine engine;
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client = vertx.createWebSocketClient();

  public RetellDriver(TestEngine engine) {
    this.engine = engine;
  }

  /** A Retell call object in webhook shape. */
  public static JsonObject call(String callId, String direction, String from, String to) {
    return new JsonObject().put("call_id", callId).put("call_type", "phone_call")
        .put("agent_id", "agent_x").put("call_status", "ongoing").put("direction", direction)
        .put("from_number", from).put("to_number", to)
        .put("start_timestamp", System.currentTimeMillis()).put("metadata", new JsonObject());
  }

  public Api.Response webhook(String event, JsonObject call) {
    String body = new JsonObject().put("event", event).put("call", call).encode();
    return engine.api.send("POST", "/webhooks/retell", null, body, "application/json",
        RetellSignature.HEADER, RetellSignature.sign(SANDBOX_KEY, body, System.currentTimeMillis()));
  }

  public Socket connect(String retellCallId) {
    try {
      // the frame handler is attached on the event loop as the socket opens, before any frame
      return client.connect(new WebSocketConnectOptions().setPort(engine.port)
              .setHost("localhost").setURI("/webhooks/retell/llm/" + retellCallId))
          .map(Socket::new)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect the LLM socket", e);
    }
  }

  /** The Retell end of one LLM socket. */
  public static final class Socket implements AutoCloseable {
    private final WebSocket ws;
    public final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Socket(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> frames.add(new JsonObject(text)));
      ws.closeHandler(v -> closed = true);
    }

    public void send(JsonObject frame) {
      ws.writeTextMessage(frame.encode());
    }

    public void responseRequired(int responseId, JsonArray transcript) {
      send(new JsonObject().put("interaction_type", "response_required")
          .put("response_id", responseId).put("transcript", transcript));
    }

    public void update(JsonArray transcript) {
      send(new JsonObject().put("interaction_type", "update_only").put("transcript", transcript));
    }

    /** The first frame matching, waiting up to 10 s. */
    public JsonObject await(Predicate<JsonObject> match) {
      long deadline = System.currentTimeMillis() + 10_000;
      while (System.currentTimeMillis() < deadline) {
        for (JsonObject frame : frames) {
          if (match.test(frame)) {
            return frame;
          }
        }
        sleep(5);
      }
      throw new AssertionError("no matching frame; got " + frames);
    }

    /** Response frames for {@code responseId}, once its complete frame has arrived. */
    public List<JsonObject> awaitResponse(int responseId) {
      await(f -> "response".equals(f.getString("response_type"))
          && f.getInteger("response_id") == responseId && f.getBoolean("content_complete"));
      return responses(responseId);
    }

    public List<JsonObject> responses(int responseId) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject frame : frames) {
        if ("response".equals(frame.getString("response_type"))
            && frame.getInteger("response_id") == responseId) {
          out.add(frame);
        }
      }
      return out;
    }

    public boolean closed() {
      return closed;
    }

    @Override
    public void close() {
      ws.close();
    }
  }

  public static JsonArray transcript(String... roleAndContent) {
    JsonArray out = new JsonArray();
    for (int i = 0; i + 1 < roleAndContent.length; i += 2) {
      out.add(new JsonObject().put("role", roleAndContent[i]).put("content", roleAndContent[i + 1]));
    }
    return out;
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits up to 10 s for a condition. */
  public static void poll(java.util.function.BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      sleep(10);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
