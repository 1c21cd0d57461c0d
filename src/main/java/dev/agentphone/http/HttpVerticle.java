package dev.agentphone.http;

import dev.agentphone.Engine;
import dev.agentphone.Features;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
    // form fields stay out of request params: the API reads only the query string and JSON there
    root.route().handler(BodyHandler.create(false).setMergeFormAttributes(false)
        .setBodyLimit(engine.config().longValue("http.bodyLimitBytes", 1 << 20)));
    PathTemplates templates = new PathTemplates();
    root.route().handler(new TextGuard(templates));

    Router api = Router.router(vertx);
    api.route().handler(ApiKeyAuth.forEngine(engine));
    for (Routes routes : Features.routes()) {
      routes.mountPublic(root, engine);
      routes.mountApi(api, engine);
    }
    root.route("/v1/*").subRouter(api);
    templates.add(root, "").add(api, "/v1");
    ServerErrors.answerInJson(root);

    HttpServerOptions options = new HttpServerOptions()
        .setPort(engine.config().httpPort())
        .setCompressionSupported(true)
        .setTcpNoDelay(true)
        .setMaxInitialLineLength(engine.config().integer("http.maxInitialLineLength",
            HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH))
        .setMaxHeaderSize(engine.config().integer("http.maxHeaderSize",
            HttpServerOptions.DEFAULT_MAX_HEADER_SIZE));
    server = vertx.createHttpServer(options);
    server.invalidRequestHandler(ServerErrors.invalidRequests(options));
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
