package dev.agentphone.calls;

import dev.agentphone.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * Answers a request with a call once the call has ended, or once the wait is over, whichever
 * comes first ({@code GET /v1/calls/{id}?wait=true}, {@code POST /v1/calls} with
 * {@code waitForCompletion}). Nothing blocks: the request is parked on the call's end, which is
 * published cluster-wide on {@code calls.{id}.turns} ({@link TurnStore#publishEnded}), with a
 * timer for the wait.
 *
 * <p>While waiting it writes a space every {@code keepAliveMillis}, so that clients and proxies
 * that give up on a silent connection (or on headers that do not come: Node's default is five
 * minutes) keep it; a JSON document may begin with whitespace. Each tick also reads the call
 * again, so an end whose publication was lost (a node left the cluster) is noticed all the same.
 * A node shutting down answers its waiting requests at once with the call as it stands.
 */
final class CallWait {
  private final Vertx vertx;
  private final RoutingContext ctx;
  private final HttpServerResponse response;
  private final String callId;
  private final Supplier<Future<JsonObject>> read;
  private MessageConsumer<JsonObject> ended;
  private long deadline = -1;
  private long keepAlive = -1;
  private boolean done;
  private boolean committed;
  private JsonObject last;

  /** {@code read}: the call as the answer shows it (404 for another account's call). */
  CallWait(RoutingContext ctx, String callId, Supplier<Future<JsonObject>> read) {
    this.vertx = ctx.vertx();
    this.ctx = ctx;
    this.response = ctx.response();
    this.callId = callId;
    this.read = read;
  }

  /**
   * Subscribes to the call's end, then reads the call: an ended call is answered at once, a
   * live one after its end or {@code waitMillis}.
   */
  void start(long waitMillis, long keepAliveMillis) {
    ended = vertx.eventBus().consumer(TurnStore.address(callId), message -> {
      if ("ended".equals(message.body().getString("type"))) {
        finish();
      }
    });
    response.closeHandler(v -> left());
    ctx.request().connection().shutdownHandler(v -> finish());
    ended.completion().compose(v -> read.get()).onComplete(first -> {
      if (first.failed()) {
        stop();
        Responses.error(ctx, first.cause());
        return;
      }
      last = first.result();
      if (response.closed()) {
        left();
        return;
      }
      if (!CallStore.live(last.getString("status"))) {
        stop();
        Responses.json(ctx, 200, last);
        return;
      }
      if (done) {
        return;
      }
      deadline = vertx.setTimer(Math.max(1, waitMillis), t -> finish());
      keepAlive = vertx.setPeriodic(keepAliveMillis, t -> tick());
    });
  }

  /** Keeps the connection busy, and notices an end whose publication never arrived. */
  private void tick() {
    if (done || response.closed()) {
      return;
    }
    if (!committed) {
      committed = true;
      response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    }
    response.write(" ");
    read.get().onSuccess(call -> {
      last = call;
      if (!CallStore.live(call.getString("status"))) {
        finish();
      }
    });
  }

  /** Answers with the call as it is now (or as last read, should reading fail). */
  private void finish() {
    if (done) {
      return;
    }
    stop();
    read.get().onComplete(now -> {
      JsonObject call = now.succeeded() ? now.result() : last;
      if (response.closed() || response.ended()) {
        return;
      }
      if (!committed) {
        if (now.failed() && call == null) {
          Responses.error(ctx, now.cause());
        } else {
          Responses.json(ctx, 200, call);
        }
        return;
      }
      Responses.finish(ctx, Json.encodeToBuffer(call));
    });
  }

  /**
   * The client has gone. Nobody reads the answer now, but under an Idempotency-Key a retry is
   * answered with the call as it stands instead of placing it again.
   */
  private void left() {
    stop();
    if (last != null) {
      Responses.json(ctx, 200, last);
    }
  }

  private void stop() {
    done = true;
    if (deadline >= 0) {
      vertx.cancelTimer(deadline);
    }
    if (keepAlive >= 0) {
      vertx.cancelTimer(keepAlive);
    }
    if (ended != null) {
      ended.unregister();
    }
  }
}
