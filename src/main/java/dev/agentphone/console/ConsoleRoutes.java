package dev.agentphone.console;

import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The developer console at {@code /console}: static HTML, CSS and JavaScript from the jar. It has
 * no server side of its own; the page signs in with an API key and uses the public REST API and
 * SSE like any other client, so these routes need no authentication.
 */
public final class ConsoleRoutes implements Routes {
  /** Only our own scripts, styles and API; no inline code, no framing. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
      + "style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  @Override
  public void mountPublic(Router root) {
    // a route for "/console" also matches "/console/", hence the exact check
    root.get("/console").handler(ctx -> {
      if ("/console".equals(ctx.request().path())) {
        ctx.redirect("/console/");
      } else {
        ctx.next();
      }
    });
    root.route("/console/*")
        .handler(ConsoleRoutes::securityHeaders)
        // revalidated on every load (ETag / Last-Modified), so an upgraded jar is picked up at once
        .handler(StaticHandler.create("console").setIndexPage("index.html").setMaxAgeSeconds(0)
            .setDirectoryListing(false));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }
}
