package dev.agentphone.calls;

import dev.agentphone.http.DirectWrites;
import dev.agentphone.http.FlushCoalescing;
import dev.agentphone.http.Responses;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.function.IntFunction;

/**
 * {@code GET /v1/calls/{id}/transcript/stream}: subscribe first, then replay the stored turns,
 * then pass live turns on — skipping any turn at or below the last one written, so the seam
 * between replay and live has neither a gap nor a duplicate. Every turn carries {@code id: <seq>}
 * and {@code Last-Event-ID} resumes after it. The call never waits for a subscriber: a client
 * whose connection cannot keep up is disconnected once its backlog passes a bound (it resumes
 * with {@code Last-Event-ID}).
 */
final class TranscriptStream implements CallHubs.Subscriber {
  private final Vertx vertx;
  private final CallHubs hubs;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final String callId;
  private final long heartbeatMillis;
  private final ArrayDeque<JsonObject> early = new ArrayDeque<>();
  private final ClientBacklog backlog;
  /** The event loop serving this stream, where it joined its call's group. */
  private Context context;
  private boolean replayed;
  private boolean closed;
  private int lastSeq;
  private long heartbeat = -1;

  TranscriptStream(RoutingContext ctx, CallHubs hubs, String callId, long heartbeatMillis) {
    this.vertx = ctx.vertx();
    this.hubs = hubs;
    this.ctx = ctx;
    this.response = ctx.response();
    this.callId = callId;
    this.heartbeatMillis = heartbeatMillis;
    this.backlog = new ClientBacklog(response::writeQueueFull, response::write,
        response::drainHandler, response::closed, this::endResponse, response::reset);
  }

  /** Streams the call's turns after {@code afterSeq}; {@code stored} reads what is stored then. */
  void start(int afterSeq, IntFunction<Future<JsonObject>> stored) {
    lastSeq = afterSeq;
    context = vertx.getOrCreateContext();
    Future<Void> joined = hubs.join(callId, CallHubs.Kind.TRANSCRIPT, context, this);
    response.closeHandler(v -> close());
    // a node going down ends the stream with a reconnect hint; Last-Event-ID resumes it elsewhere
    ctx.request().connection().shutdownHandler(v -> {
      write("retry: 1000\n\n");
      close();
      if (backlog.isEmpty()) {
        endResponse();
      }
    });
    joined
        .compose(v -> stored.apply(afterSeq))
        .onFailure(e -> {
          close();
          Responses.error(ctx, e);
        })
        .onSuccess(this::replay);
  }

  private void replay(JsonObject state) {
    if (closed) {
      return;
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // never compressed (a compressor holds events back), so that its live turns can go as
        // the chunks made once for all subscribers
        .putHeader("Content-Encoding", "identity");
    // a fan-out writes this stream small events at once: let them leave together
    FlushCoalescing.install(ctx.request().connection());
    DirectWrites direct = DirectWrites.of(ctx.request());
    if (direct != null) {
      backlog.shareWith(shared -> {
        ByteBuf chunk = shared.retainedHttpChunk();
        return chunk != null && direct.writeHttpChunk(chunk);
      });
    }
    write("event: connected\ndata: " + new JsonObject().put("callId", callId)
        .put("status", state.getString("status"))
        .put("direction", state.getString("direction")).encode() + "\n\n");
    JsonArray turns = state.getJsonArray("turns");
    for (int i = 0; i < turns.size(); i++) {
      turn(turns.getJsonObject(i));
    }
    replayed = true;
    if (!state.getBoolean("live")) {
      ended(new JsonObject().put("status", state.getString("status"))
          .put("durationSeconds", state.getInteger("durationSeconds")));
      return;
    }
    while (!early.isEmpty() && !closed) {
      JsonObject event = early.poll();
      deliver(event, CallHubs.Kind.TRANSCRIPT.text(event), null);
    }
    if (!closed) {
      heartbeat = vertx.setPeriodic(heartbeatMillis, t -> write(": heartbeat\n\n"));
    }
  }

  /** A bus event of the call and {@code frame}, its {@link #turnEvent} encoded once for all. */
  @Override
  public void event(JsonObject event, SharedFrame frame) {
    if (closed) {
      return;
    }
    if (!replayed) {
      early.add(event);
    } else {
      deliver(event, frame.text(), frame);
    }
  }

  /** {@code shared}: the fan-out's bytes of {@code text}, or null when there are none. */
  private void deliver(JsonObject event, String text, SharedFrame shared) {
    if ("ended".equals(event.getString("type"))) {
      ended(event);
    } else {
      turn(event, text, shared);
    }
  }

  /** What a stored turn is sent as: its {@code turn} event, or null for the call's end. */
  static String turnEvent(JsonObject turn) {
    if ("ended".equals(turn.getString("type"))) {
      return null;
    }
    JsonObject data = turn.copy();
    data.remove("type");
    return "id: " + turn.getInteger("seq") + "\nevent: turn\ndata: " + data.encode() + "\n\n";
  }

  private void turn(JsonObject turn) {
    turn(turn, turnEvent(turn), null);
  }

  private void turn(JsonObject turn, String text, SharedFrame shared) {
    int seq = turn.getInteger("seq");
    if (seq <= lastSeq) {
      return;
    }
    lastSeq = seq;
    write(text, shared);
  }

  private void ended(JsonObject event) {
    write("event: ended\ndata: " + new JsonObject().put("status", event.getString("status"))
        .put("durationSeconds", event.getInteger("durationSeconds")).encode() + "\n\n");
    close();
    if (backlog.isEmpty()) {
      endResponse();
    }
    // else the drain handler ends the response once the backlog is written
  }

  private void endResponse() {
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }

  /** Writes now, or queues behind a full connection; too long a queue drops the client. */
  private void write(String text) {
    write(text, null);
  }

  private void write(String text, SharedFrame shared) {
    if (!closed && !backlog.write(text, shared)) {
      close();
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    backlog.endAfterDrain();
    if (heartbeat >= 0) {
      vertx.cancelTimer(heartbeat);
    }
    if (context != null) {
      hubs.leave(callId, CallHubs.Kind.TRANSCRIPT, context, this);
    }
  }
}
