package dev.agentphone.http;

import dev.agentphone.platform.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP edge, one instance per event loop: routing, authentication and validation. It holds no
 * domain logic; routes turn requests into calls of the domains' APIs (one event-bus hop each; a
 * few stateless reads run the domain's read class on this event loop instead) and
 * answers into responses. It is given the features' route sets in the order they are mounted.
 */
public final class HttpVerticle extends VerticleBase {
  private final HttpSettings settings;
  private final List<Routes> routes;
  private final Handler<RoutingContext> authentication;
  private final Handler<RoutingContext> idempotency;
  private HttpServer server;

  /** {@code idempotency} runs on every POST under /v1, after authentication, before any route. */
  public HttpVerticle(HttpSettings settings, List<Routes> routes,
      Handler<RoutingContext> authentication, Handler<RoutingContext> idempotency) {
    this.settings = settings;
    this.routes = routes;
    this.authentication = authentication;
    this.idempotency = idempotency;
  }

  @Override
  public Future<?> start() {
    Router root = Router.router(vertx);
    // form fields stay out of request params: the API reads only the query string and JSON there
    root.route().handler(BodyHandler.create(false).setMergeFormAttributes(false)
        .setBodyLimit(settings.bodyLimitBytes()));
    PathTemplates templates = new PathTemplates();
    root.route().handler(new TextGuard(templates));

    Router api = Router.router(vertx);
    api.route().handler(authentication);
    // on every method, passing all but POST on: a POST-only route would turn the router's 404
    // for an unknown path into 405
    api.route().handler(idempotency);
    for (Routes feature : routes) {
      feature.mountPublic(root);
      feature.mountApi(api);
    }
    root.route("/v1/*").subRouter(api);
    templates.add(root, "").add(api, "/v1");
    ServerErrors.answerInJson(root);

    HttpServerOptions options = new HttpServerOptions()
        .setPort(settings.port())
        .setCompressionSupported(true)
        .setTcpNoDelay(true)
        // no HTTP/2 upgrade on a plain connection (h2c): no client of this API needs it (browsers
        // never use it, the SDKs speak HTTP/1.1), and a large answer on an upgraded connection
        // once reached Java's HttpClient with its HTTP/2 frames out of step
        .setHttp2ClearTextEnabled(false)
        .setMaxInitialLineLength(settings.maxInitialLineLength())
        .setMaxHeaderSize(settings.maxHeaderSize());
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
        : server.shutdown(settings.drainSeconds(), TimeUnit.SECONDS);
  }
}
