package dev.agentphone.http;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Outages;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.agentphone.platform.Bus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writing answers and errors at the HTTP edge. */
public final class Responses {
  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  private static final JacksonCodec STREAMING = new JacksonCodec();

  private Responses() {
  }

  /**
   * Writes {@code body} as JSON. Under an {@code Idempotency-Key} the answer is kept first, even
   * when the client has gone: its retry must find what was done.
   */
  public static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    encoded(ctx, status, encode(body));
  }

  /** Writes {@code bytes}, already JSON, as {@link #json} writes an answer. */
  private static void encoded(RoutingContext ctx, int status, Buffer bytes) {
    if (ctx.response().ended()) {
      return;
    }
    IdempotentAnswer.keep(ctx, status, "application/json", bytes).onSuccess(kept -> {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response()
            .setStatusCode(status)
            .putHeader("content-type", "application/json")
            .end(bytes);
      }
    });
  }

  /**
   * The body as compact JSON. The plain JSON values answers are made of (JSON objects and arrays,
   * maps, lists, strings, numbers, booleans) are written by Vert.x's streaming codec, which walks
   * them with one generator; the default codec hands each value to jackson-databind's serializer
   * lookup, which was most of the time of writing a list. Anything else goes to the default.
   * Both write the same bytes.
   */
  static Buffer encode(Object body) {
    try {
      return STREAMING.toBuffer(body, false);
    } catch (EncodeException notPlainJson) {
      return Json.encodeToBuffer(body);
    }
  }

  /** Answers {@code status} without a body (204). */
  public static void empty(RoutingContext ctx, int status) {
    if (ctx.response().ended()) {
      return;
    }
    IdempotentAnswer.keep(ctx, status, null, Buffer.buffer()).onSuccess(kept -> {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().setStatusCode(status).end();
      }
    });
  }

  /**
   * Ends a response whose status and headers are already sent (a long wait kept alive with
   * whitespace) with the last of its body, kept as the whole answer under an Idempotency-Key.
   */
  public static void finish(RoutingContext ctx, Buffer last) {
    if (ctx.response().ended()) {
      return;
    }
    IdempotentAnswer.keep(ctx, ctx.response().getStatusCode(), null, last).onSuccess(kept -> {
      if (!ctx.response().ended() && !ctx.response().closed()) {
        ctx.response().end(last);
      }
    });
  }

  /**
   * Answers a failure: an {@link ApiError} as it says, a database outage as 503, anything else
   * as a logged 500. Every 503 tells the client when to try again ({@code Retry-After}).
   */
  public static void error(RoutingContext ctx, Throwable failure) {
    ApiError error = failure instanceof ApiError e ? e : Outages.asApiError(failure);
    if (error == null) {
      LOG.error("unhandled failure on {} {}", ctx.request().method(), ctx.request().path(),
          failure);
      json(ctx, 500, new JsonObject().put("detail", "Internal server error"));
      return;
    }
    if (error.status() == 503 && !ctx.response().headWritten()
        && ctx.response().headers().get("Retry-After") == null) {
      ctx.response().putHeader("Retry-After", Integer.toString(Outages.RETRY_AFTER_SECONDS));
    }
    json(ctx, error.status(), error.body());
  }

  /** Answers with what {@code answer} brings, or its failure. */
  public static void answer(RoutingContext ctx, Future<?> answer, int status) {
    answer.onComplete(done -> {
      if (done.succeeded()) {
        json(ctx, status, done.result());
      } else {
        error(ctx, done.cause());
      }
    });
  }

  public static void answer(RoutingContext ctx, Future<?> answer) {
    answer(ctx, answer, 200);
  }

  /** Answers 200 with the JSON bytes {@code answer} brings (a body written as it was read), or its failure. */
  public static void answerEncoded(RoutingContext ctx, Future<Buffer> answer) {
    answer.onComplete(done -> {
      if (done.succeeded()) {
        encoded(ctx, 200, done.result());
      } else {
        error(ctx, done.cause());
      }
    });
  }

  /** Answers 204 once {@code done} succeeds, or its failure. */
  public static void noContent(RoutingContext ctx, Future<?> done) {
    done.onSuccess(v -> empty(ctx, 204))
        .onFailure(failure -> error(ctx, failure));
  }

  /** Sends {@code payload} to a domain verticle and answers with its reply. */
  public static void forward(RoutingContext ctx, String address, JsonObject payload, int status) {
    answer(ctx, Bus.request(ctx.vertx(), address, payload), status);
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
