package dev.agentphone.calls;

import dev.agentphone.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
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
final class TranscriptStream {
  private final Vertx vertx;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final String callId;
  private final long heartbeatMillis;
  private final ArrayDeque<JsonObject> early = new ArrayDeque<>();
  private final ClientBacklog backlog;
  private MessageConsumer<JsonObject> consumer;
  private boolean replayed;
  private boolean closed;
  private int lastSeq;
  private long heartbeat = -1;

  TranscriptStream(RoutingContext ctx, String callId, long heartbeatMillis) {
    this.vertx = ctx.vertx();
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
    consumer = vertx.eventBus().consumer(TurnStore.address(callId), message -> {
      if (!replayed) {
        early.add(message.body());
      } else {
        live(message.body());
        String published = message.headers().get(TurnStore.PUBLISHED_AT);
        if (published != null) {
          TurnMetrics.sseLag(System.currentTimeMillis() - Long.parseLong(published));
        }
      }
    });
    response.closeHandler(v -> close());
    // a node going down ends the stream with a reconnect hint; Last-Event-ID resumes it elsewhere
    ctx.request().connection().shutdownHandler(v -> {
      write("retry: 1000\n\n");
      close();
      if (backlog.isEmpty()) {
        endResponse();
      }
    });
    consumer.completion()
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
        .putHeader("X-Accel-Buffering", "no");
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
      live(early.poll());
    }
    if (!closed) {
      heartbeat = vertx.setPeriodic(heartbeatMillis, t -> write(": heartbeat\n\n"));
    }
  }

  private void live(JsonObject event) {
    if ("ended".equals(event.getString("type"))) {
      ended(event);
    } else {
      turn(event);
    }
  }

  private void turn(JsonObject turn) {
    int seq = turn.getInteger("seq");
    if (seq <= lastSeq) {
      return;
    }
    lastSeq = seq;
    JsonObject data = turn.copy();
    data.remove("type");
    write("id: " + seq + "\nevent: turn\ndata: " + data.encode() + "\n\n");
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
    if (!closed && !backlog.write(text)) {
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
    if (consumer != null) {
      consumer.unregister();
    }
  }
}
