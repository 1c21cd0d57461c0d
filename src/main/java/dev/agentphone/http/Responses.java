package dev.agentphone.http;

import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.agentphone.platform.Bus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers and errors at the HTTP edge. */
public final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(Json.encodeToBuffer(body));
  }

  public static void error(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ApiError error) {
      json(ctx, error.status(), error.body());
      return;
    }
    LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), failure);
    json(ctx, 500, new JsonObject().put("detail", "Internal server error"));
  }

  /** Sends {@code payload} to a domain verticle and answers with its reply. */
  public static void forward(RoutingContext ctx, String address, JsonObject payload, int status) {
    Future<Object> answer = Bus.request(ctx.vertx(), address, payload);
    answer.onComplete(done -> {
      if (done.succeeded()) {
        json(ctx, status, done.result());
      } else {
        error(ctx, done.cause());
      }
    });
  }

  public static void forward(RoutingContext ctx, String address, JsonObject payload) {
    forward(ctx, address, payload, 200);
  }

  /** Runs a route body, turning a thrown {@link ApiError} (e.g. validation) into its answer. */
  public static io.vertx.core.Handler<RoutingContext> guarded(
      io.vertx.core.Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (ApiError e) {
        error(ctx, e);
      }
    };
  }

}
