package dev.agentphone.calls;

import dev.agentphone.http.DirectWrites;
import dev.agentphone.http.FlushCoalescing;
import dev.agentphone.http.Responses;
import dev.agentphone.platform.ApiError;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;

/**
 * {@code GET /v1/calls/{id}/live}: one subscriber's WebSocket to a call. Like the SSE stream it
 * subscribes first, then replays the stored turns after {@code lastEventId}, then passes live
 * ones on, skipping any turn at or below the last one written, so the seam has neither a gap nor
 * a duplicate; the call's live feed ({@link LiveFeed}) is passed on as it comes. The client's
 * commands go to the call's session through {@link CallsApi#command} and are each acknowledged.
 * The call never waits for a subscriber: one whose connection cannot keep up is closed once its
 * backlog passes a bound (it resumes with {@code lastEventId}). Heartbeats are pings.
 */
final class LiveSocket implements CallHubs.Subscriber {
  private static final short TOO_SLOW = 1008;
  /** How long a socket stays open after {@code ended}. */
  private static final long LINGER_MILLIS = 1_000;

  private final Vertx vertx;
  private final CallHubs hubs;
  private final CallsApi calls;
  private final String callId;
  private final String accountId;
  private final JsonObject actor;
  private final long heartbeatMillis;
  private final ArrayDeque<JsonObject> early = new ArrayDeque<>();
  private ClientBacklog backlog;
  private ServerWebSocket ws;
  private boolean replayed;
  private boolean closed;
  private final boolean readOnly;
  /** The event loop serving this socket, where it joined its call's group. */
  private Context context;
  private int lastSeq;
  private long heartbeat = -1;

  /**
   * {@code actor}: who the commands of this socket come from ({@code {keyId, via}});
   * {@code readOnly}: a read-only key, which may watch but not command.
   */
  LiveSocket(Vertx vertx, CallHubs hubs, CallsApi calls, String callId, String accountId,
      JsonObject actor, boolean readOnly, long heartbeatMillis) {
    this.vertx = vertx;
    this.hubs = hubs;
    this.calls = calls;
    this.callId = callId;
    this.accountId = accountId;
    this.actor = actor;
    this.readOnly = readOnly;
    this.heartbeatMillis = heartbeatMillis;
  }

  /** Answers 404 (another account's call) or 426 (not an upgrade) before any upgrade. */
  void start(RoutingContext ctx, int afterSeq) {
    lastSeq = afterSeq;
    HttpServerRequest request = ctx.request();
    context = vertx.getOrCreateContext();
    hubs.join(callId, CallHubs.Kind.LIVE, context, this)
        .compose(v -> calls.replay(accountId, callId, afterSeq))
        .onComplete(done -> {
          if (done.failed()) {
            close();
            resume(request);
            Responses.error(ctx, done.cause());
          } else if (!upgrade(request)) {
            close();
            ctx.response().putHeader("Upgrade", "websocket");
            Responses.error(ctx, new ApiError(426, "This is a WebSocket: connect with an "
                + "Upgrade: websocket request (a browser's new WebSocket(url), with ?token= "
                + "from POST /v1/calls/{call_id}/live-token)"));
          } else {
            request.toWebSocket().onFailure(e -> close()).onSuccess(socket -> {
              // a fan-out writes this socket many small frames at once: let them leave together
              FlushCoalescing.install(request.connection());
              opened(socket, done.result(), DirectWrites.of(request));
            });
          }
        });
  }

  /** Lets an upgrade request that waited (paused) for its answer be read on. */
  static void resume(HttpServerRequest request) {
    if (upgrade(request) && !request.isEnded()) {
      request.resume();
    }
  }

  static boolean upgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && upgrade.toLowerCase().contains("websocket");
  }

  private void opened(ServerWebSocket socket, JsonObject state, DirectWrites direct) {
    ws = socket;
    backlog = new ClientBacklog(ws::writeQueueFull, ws::writeTextMessage, ws::drainHandler,
        ws::isClosed, this::endSocket, () -> ws.close(TOO_SLOW,
            "too slow to keep up: reconnect with lastEventId"));
    if (direct != null) {
      // a fan-out's frame, made once for all sockets (null: too long for one frame)
      backlog.shareWith(shared -> {
        ByteBuf frame = shared.retainedWebSocketFrame();
        return frame != null && direct.writeWebSocketFrame(frame);
      });
    }
    ws.closeHandler(v -> close());
    ws.shutdownHandler(v -> ws.close((short) 1001, "node shutting down: reconnect with lastEventId"));
    ws.textMessageHandler(this::command);
    write(new JsonObject().put("type", "connected").put("callId", callId)
        .put("status", state.getString("status")).put("direction", state.getString("direction"))
        .put("takenOver", state.getJsonObject("takenOver")));
    JsonArray stored = state.getJsonArray("turns");
    for (int i = 0; i < stored.size(); i++) {
      JsonObject turn = stored.getJsonObject(i).copy().put("type", "turn");
      turn(turn, turn.encode(), null);
    }
    replayed = true;
    if (!state.getBoolean("live")) {
      ended(clientFrame(new JsonObject().put("type", "ended")
          .put("status", state.getString("status"))
          .put("durationSeconds", state.getInteger("durationSeconds"))).encode());
      return;
    }
    while (!early.isEmpty() && !closed) {
      JsonObject event = early.poll();
      deliver(event, clientFrame(event).encode(), null);
    }
    if (!closed) {
      heartbeat = vertx.setPeriodic(heartbeatMillis, t -> {
        if (!ws.isClosed()) {
          ws.writePing(Buffer.buffer("heartbeat"));
        }
      });
    }
  }

  /**
   * What a subscriber is sent for a bus event of the call: the event itself, or, for its end,
   * only the status and duration.
   */
  static JsonObject clientFrame(JsonObject event) {
    if ("ended".equals(event.getString("type"))) {
      return new JsonObject().put("type", "ended").put("status", event.getString("status"))
          .put("durationSeconds", event.getInteger("durationSeconds"));
    }
    return event;
  }

  /** A bus event of the call and {@code frame}, its {@link #clientFrame} encoded once for all. */
  @Override
  public void event(JsonObject event, SharedFrame frame) {
    if (closed) {
      return;
    }
    if (!replayed) {
      early.add(event);
      return;
    }
    deliver(event, frame.text(), frame);
  }

  /** {@code shared}: the fan-out's bytes of {@code text}, or null when there are none. */
  private void deliver(JsonObject event, String text, SharedFrame shared) {
    switch (event.getString("type", "")) {
      case "turn" -> turn(event, text, shared);
      case "ended" -> ended(text);
      default -> write(text, shared);
    }
  }

  private void turn(JsonObject turn, String text, SharedFrame shared) {
    int seq = turn.getInteger("seq");
    if (seq <= lastSeq) {
      return;
    }
    lastSeq = seq;
    write(text, shared);
  }

  private void ended(String text) {
    write(text);
    close();
    // commands already on their way still get their (refused) acknowledgements
    vertx.setTimer(LINGER_MILLIS, t -> {
      if (backlog.isEmpty() && !ws.isClosed()) {
        ws.close();
      }
      // else the drain handler closes the socket once the backlog is written
    });
  }

  // ---- commands ----

  private void command(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      ack(new JsonObject(), null, refusal("A command is a JSON object such as "
          + "{\"type\": \"say\", \"text\": \"…\"}"));
      return;
    }
    String type = frame.getValue("type") instanceof String t ? t : null;
    if (readOnly) {
      ack(frame, type, refusal("This API key is read-only: it may watch the call, and a key with "
          + "scope \"full\" is needed to control it"));
      return;
    }
    JsonObject command;
    try {
      command = LiveCommands.parse(type, frame);
    } catch (ApiError e) {
      ack(frame, type, refusal(String.valueOf(e.detail())));
      return;
    }
    calls.command(accountId, callId, command.put("actor", actor)).onComplete(done ->
        ack(frame, type, done.succeeded() ? done.result()
            : refusal(done.cause() instanceof ApiError e ? String.valueOf(e.detail())
                : "The call could not be reached")));
  }

  private void ack(JsonObject frame, String command, JsonObject outcome) {
    JsonObject ack = new JsonObject().put("type", "ack").put("command", command)
        .put("ok", outcome.getBoolean("ok", false));
    if (outcome.getString("detail") != null) {
      ack.put("detail", outcome.getString("detail"));
    }
    if (frame.getValue("id") != null) {
      ack.put("id", frame.getValue("id"));
    }
    if (ws != null && !ws.isClosed()) {
      // an acknowledgement is written even after the end: the client asked
      ws.writeTextMessage(ack.encode());
    }
  }

  private static JsonObject refusal(String detail) {
    return new JsonObject().put("ok", false).put("detail", detail);
  }

  // ---- writing ----

  /** Writes now, or queues behind a full connection; too long a queue drops the client. */
  private void write(JsonObject frame) {
    write(frame.encode());
  }

  private void write(String text) {
    write(text, null);
  }

  private void write(String text, SharedFrame shared) {
    if (!closed && !backlog.write(text, shared)) {
      close();
    }
  }

  private void endSocket() {
    if (!ws.isClosed()) {
      ws.close();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (backlog != null) {
      backlog.endAfterDrain();
    }
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (context != null) {
      hubs.leave(callId, CallHubs.Kind.LIVE, context, this);
    }
  }
}
