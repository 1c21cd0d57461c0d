package dev.agentphone.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.util.HashMap;
import java.util.Map;

/**
 * The MCP SDK's stateless Streamable HTTP transport on a Vert.x route, the counterpart of the
 * SDK's servlet {@code HttpServletStatelessServerTransport}: every {@code POST /mcp} carries
 * one JSON-RPC message and is answered on its own (a request with its JSON response, a
 * notification with 202), so any node of a cluster serves any request and nothing is kept
 * between them. Nothing here blocks: the SDK's reply is subscribed to and written back on the
 * request's own Vert.x context.
 */
final class VertxMcpTransport implements McpStatelessServerTransport {
  static final String AUTHORIZATION = "authorization";
  static final String SUB_ACCOUNT = "subAccount";
  private static final Logger LOG = LoggerFactory.getLogger(VertxMcpTransport.class);

  private final McpJsonMapper json;
  private volatile McpStatelessServerHandler handler;
  private volatile boolean closing;

  VertxMcpTransport(McpJsonMapper json) {
    this.json = json;
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> closing = true);
  }

  /** {@code POST /mcp}, authenticated before it; the body was read by the root router. */
  void handlePost(RoutingContext ctx) {
    if (closing || handler == null) {
      error(ctx, 503, McpSchema.ErrorCodes.INTERNAL_ERROR, "The server is shutting down");
      return;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept == null || !accept.contains("application/json")
        || !accept.contains("text/event-stream")) {
      error(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
          "Accept must list both application/json and text/event-stream");
      return;
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(json,
          ctx.body() == null ? "" : ctx.body().asString());
    } catch (Exception e) {
      error(ctx, 400, McpSchema.ErrorCodes.PARSE_ERROR, "Invalid JSON-RPC message");
      return;
    }
    McpTransportContext context = context(ctx);
    Context vertx = ctx.vertx().getOrCreateContext();
    if (message instanceof McpSchema.JSONRPCRequest request) {
      handler.handleRequest(context, request)
          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
          .subscribe(
              response -> vertx.runOnContext(v -> respond(ctx, response)),
              failure -> vertx.runOnContext(v -> failed(ctx, failure)));
    } else if (message instanceof McpSchema.JSONRPCNotification notification) {
      handler.handleNotification(context, notification)
          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
          .subscribe(null,
              failure -> vertx.runOnContext(v -> failed(ctx, failure)),
              () -> vertx.runOnContext(v -> ctx.response().setStatusCode(202).end()));
    } else {
      error(ctx, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
          "The server accepts either requests or notifications");
    }
  }

  /** What the tools need of the HTTP request: the caller's own credentials, to act as them. */
  private static McpTransportContext context(RoutingContext ctx) {
    Map<String, Object> values = new HashMap<>();
    putIfPresent(values, AUTHORIZATION, ctx.request().getHeader("Authorization"));
    putIfPresent(values, SUB_ACCOUNT, ctx.request().getHeader("X-Sub-Account-Id"));
    return McpTransportContext.create(values);
  }

  private static void putIfPresent(Map<String, Object> values, String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }

  private void respond(RoutingContext ctx, McpSchema.JSONRPCResponse response) {
    String body;
    try {
      body = json.writeValueAsString(response);
    } catch (Exception e) {
      failed(ctx, e);
      return;
    }
    if (!ctx.response().ended()) {
      ctx.response().putHeader("Content-Type", "application/json").end(body);
    }
  }

  private void failed(RoutingContext ctx, Throwable failure) {
    LOG.warn("MCP request failed", failure);
    error(ctx, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error");
  }

  /**
   * A JSON-RPC error response without an id: the message could not be read, or not answered.
   * (The SDK's response type insists on an id, so this one is written by hand.)
   */
  private static void error(RoutingContext ctx, int status, int code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    JsonObject body = new JsonObject().put("jsonrpc", McpSchema.JSONRPC_VERSION)
        .putNull("id")
        .put("error", new JsonObject().put("code", code).put("message", message));
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
