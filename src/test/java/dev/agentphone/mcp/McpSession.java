package dev.agentphone.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An assistant connected to the engine's {@code /mcp} with the official Java MCP SDK's client
 * (Streamable HTTP), as one API key and optionally one sub-account.
 */
final class McpSession implements AutoCloseable {
  /** What a tool answered: its text, and whether it is the tool's error. */
  record Result(String text, boolean error) {
  }

  final McpSyncClient client;
  final McpSchema.InitializeResult initialized;

  McpSession(int port, String apiKey, String subAccount) {
    this(streamableHttp(port, apiKey, subAccount));
  }

  private static McpClientTransport streamableHttp(int port, String apiKey, String subAccount) {
    return HttpClientStreamableHttpTransport
        .builder("http://127.0.0.1:" + port)
        .endpoint("/mcp")
        .httpRequestCustomizer((request, method, uri, body, context) -> {
          request.header("Authorization", "Bearer " + apiKey);
          if (subAccount != null) {
            request.header("X-Sub-Account-Id", subAccount);
          }
        })
        .build();
  }

  /** A session over any of the SDK's client transports (an MCP server on stdio, say). */
  McpSession(McpClientTransport transport) {
    client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
    initialized = client.initialize();
  }

  McpSession(int port, String apiKey) {
    this(port, apiKey, null);
  }

  List<McpSchema.Tool> tools() {
    return client.listTools().tools();
  }

  Result call(String tool, Map<String, Object> arguments) {
    McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool,
        arguments));
    String text = result.content().stream()
        .map(content -> ((McpSchema.TextContent) content).text())
        .collect(Collectors.joining("\n"));
    return new Result(text, Boolean.TRUE.equals(result.isError()));
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
