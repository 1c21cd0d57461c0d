package dev.agentphone.mcp;

import dev.agentphone.http.Responses;
import dev.agentphone.platform.Routes;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /mcp}, behind the API's key check; other methods answer 405, which MCP clients
 * take to mean the server offers no stream of its own (it sends nothing unasked).
 */
final class McpRoutes implements Routes {
  private final VertxMcpTransport transport;
  private final Handler<RoutingContext> authentication;

  McpRoutes(VertxMcpTransport transport, Handler<RoutingContext> authentication) {
    this.transport = transport;
    this.authentication = authentication;
  }

  @Override
  public void mountPublic(Router root) {
    root.post("/mcp").handler(authentication).handler(transport::handlePost);
    root.route("/mcp").handler(ctx -> {
      ctx.response().putHeader("Allow", "POST");
      Responses.json(ctx, 405, new JsonObject().put("detail",
          "The MCP endpoint is stateless: POST one JSON-RPC message per request"));
    });
  }
}
