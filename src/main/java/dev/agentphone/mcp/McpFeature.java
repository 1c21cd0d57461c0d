package dev.agentphone.mcp;

import dev.agentphone.platform.Feature;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The engine's own MCP server at {@code /mcp}: the official AgentPhone MCP server's 28 tools,
 * served over stateless Streamable HTTP with the caller's own API key. Each tool calls the
 * engine's REST API over loopback with the caller's headers ({@link LoopbackApi}), so it does
 * exactly what the same REST calls do, sub-account scoping and limits included, and the endpoint
 * stays a thin edge that knows no domain.
 */
public final class McpFeature extends Feature {
  static final String SERVER_NAME = "agentphone";

  /**
   * @param port the port this node's REST API listens on
   * @param authentication the API's key check, which answers 401 before any MCP is read
   */
  public McpFeature(Vertx vertx, int port, Handler<RoutingContext> authentication) {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    VertxMcpTransport transport = new VertxMcpTransport(json);
    // the server registers itself as the transport's handler
    McpServer.async(transport)
        .serverInfo(SERVER_NAME, version())
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .validateToolInputs(true)
        .tools(ToolCatalog.specifications(json, new LoopbackApi(vertx, port)))
        .build();
    mount(new McpRoutes(transport, authentication));
  }

  private static String version() {
    String version = McpFeature.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
