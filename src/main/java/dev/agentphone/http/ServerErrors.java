package dev.agentphone.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.Map;

/**
 * The answers the server gives on its own, before or instead of a route: every one carries a
 * JSON {@code detail}, like the API's, so a client never has to parse an empty or plain-text 4xx.
 */
final class ServerErrors {
  private static final Map<Integer, String> DETAILS = Map.of(
      400, "Bad request",
      404, "Not Found",
      405, "Method Not Allowed",
      413, "Request body too large");

  private ServerErrors() {
  }

  /** Router failures: no route (404), wrong method (405), body too large (413), and so on. */
  static void answerInJson(Router root) {
    for (int status = 400; status < 500; status++) {
      int code = status;
      root.errorHandler(code, ctx -> {
        String detail = DETAILS.get(code);
        if (code == 400 && ctx.failure() instanceof VertxException e && e.getMessage() != null) {
          detail = e.getMessage(); // "For HTTP/1.x requests, the 'Host' header is required"
        }
        if (detail == null) {
          detail = HttpResponseStatus.valueOf(code).reasonPhrase();
        }
        Responses.json(ctx, code, new JsonObject().put("detail", detail));
      });
    }
    root.errorHandler(500, ctx -> Responses.error(ctx, ctx.failure()));
  }

  /**
   * Requests the HTTP codec could not read, answered before any router sees them: a request line
   * longer than {@code maxInitialLineLength} (414, e.g. a 9,000-character path), headers larger
   * than {@code maxHeaderSize} (431), anything else malformed (400). As the Vert.x default does,
   * the connection is closed after the answer, since the rest of its bytes cannot be trusted.
   */
  static Handler<HttpServerRequest> invalidRequests(HttpServerOptions options) {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      int status;
      String detail;
      if (cause instanceof TooLongHttpLineException) {
        status = 414;
        detail = "Request line too long: the method, URL and version may take at most "
            + options.getMaxInitialLineLength() + " bytes";
      } else if (cause instanceof TooLongHttpHeaderException) {
        status = 431;
        detail = "Request headers too large: at most " + options.getMaxHeaderSize()
            + " bytes in all";
      } else {
        status = 400;
        detail = "Malformed HTTP request";
      }
      request.response().setStatusCode(status)
          .putHeader("content-type", "application/json")
          .putHeader("connection", "close")
          .end(Json.encodeToBuffer(new JsonObject().put("detail", detail)))
          .onComplete(done -> request.connection().close());
    };
  }
}
