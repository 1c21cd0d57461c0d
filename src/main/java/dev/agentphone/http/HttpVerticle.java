package dev.agentphone.http;

import dev.agentphone.Engine;
import dev.agentphone.Features;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge, one instance per event loop: routing, authentication and validation. It holds no
 * domain logic; routes turn requests into event-bus requests and replies into responses.
 */
public final class HttpVerticle extends VerticleBase {
  private final Engine engine;
  private HttpServer server;

  public HttpVerticle(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    root.route().handler(BodyHandler.create(false)
        .setBodyLimit(engine.config().longValue("http.bodyLimitBytes", 1 << 20)));

    Router api = Router.router(vertx);
    api.route().handler(ApiKeyAuth.forEngine(engine));
    for (Routes routes : Features.routes()) {
      routes.mountPublic(root, engine);
      routes.mountApi(api, engine);
    }
    root.route("/v1/*").subRouter(api);

    root.route().last().handler(ctx ->
        Responses.json(ctx, 404, new JsonObject().put("detail", "Not Found")));
    root.errorHandler(405, ctx ->
        Responses.json(ctx, 405, new JsonObject().put("detail", "Method Not Allowed")));
    root.errorHandler(413, ctx ->
        Responses.json(ctx, 413, new JsonObject().put("detail", "Request body too large")));
    root.errorHandler(400, ctx ->
        Responses.json(ctx, 400, new JsonObject().put("detail", "Bad request")));
    root.errorHandler(500, ctx -> Responses.error(ctx, ctx.failure()));

    server = vertx.createHttpServer(new HttpServerOptions()
        .setPort(engine.config().httpPort())
        .setCompressionSupported(true)
        .setTcpNoDelay(true));
    return server.requestHandler(root).listen();
  }

  /**
   * Graceful: stop accepting, let in-flight requests finish; long-lived streams (SSE) receive the
   * connection's shutdown signal and close with a reconnect hint.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(engine.config().integer("http.drainSeconds", 10), TimeUnit.SECONDS);
  }
}
