package dev.agentphone.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The 28 tools of the official AgentPhone MCP server, as it lists them (names, descriptions,
 * input schemas and annotations in {@code mcp/tools.json}, unchanged), each joined to what it
 * does here. A tool listed without an implementation, or the other way round, stops the start.
 */
final class ToolCatalog {
  static final String RESOURCE = "/mcp/tools.json";

  private ToolCatalog() {
  }

  /** What each tool does, by name. */
  static Map<String, Tool> implementations() {
    Map<String, Tool> tools = new LinkedHashMap<>();
    AccountTools.register(tools);
    NumberTools.register(tools);
    CallTools.register(tools);
    AgentTools.register(tools);
    ConversationTools.register(tools);
    WebhookTools.register(tools);
    return tools;
  }

  /** The listed tools in their order, each run as the caller of its request through {@code api}. */
  static List<AsyncToolSpecification> specifications(McpJsonMapper json, LoopbackApi api) {
    Map<String, Tool> implementations = implementations();
    List<Map<String, Object>> listed = listed(json);
    TreeSet<String> names = new TreeSet<>();
    listed.forEach(tool -> names.add((String) tool.get("name")));
    if (!names.equals(new TreeSet<>(implementations.keySet()))) {
      throw new IllegalStateException("MCP tools listed " + names + " but implemented "
          + new TreeSet<>(implementations.keySet()));
    }
    List<AsyncToolSpecification> specifications = new ArrayList<>();
    for (Map<String, Object> entry : listed) {
      McpSchema.Tool tool = tool(entry);
      Tool body = implementations.get(tool.name());
      specifications.add(new AsyncToolSpecification(tool,
          (context, request) -> call(tool, body, api, context, request)));
    }
    return specifications;
  }

  private static Mono<McpSchema.CallToolResult> call(McpSchema.Tool tool, Tool body,
      LoopbackApi api, McpTransportContext context, McpSchema.CallToolRequest request) {
    LoopbackApi.Caller caller = api.as((String) context.get(VertxMcpTransport.AUTHORIZATION),
        (String) context.get(VertxMcpTransport.SUB_ACCOUNT));
    return Mono.defer(() -> {
      io.vertx.core.Future<String> text;
      try {
        text = body.call(Arguments.of(request.arguments(), tool.inputSchema()), caller);
      } catch (RuntimeException e) {
        text = io.vertx.core.Future.failedFuture(e);
      }
      return Mono.fromCompletionStage(text.toCompletionStage());
    }).map(ok -> McpSchema.CallToolResult.builder().addTextContent(ok).isError(false).build())
        .onErrorResume(failure -> Mono.just(McpSchema.CallToolResult.builder()
            .addTextContent(ToolErrors.text(unwrapped(failure))).isError(true).build()));
  }

  private static Throwable unwrapped(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @SuppressWarnings("unchecked")
  private static McpSchema.Tool tool(Map<String, Object> entry) {
    Map<String, Object> hints = (Map<String, Object>) entry.getOrDefault("annotations", Map.of());
    McpSchema.Tool.Builder tool = McpSchema.Tool.builder()
        .name((String) entry.get("name"))
        .description((String) entry.get("description"))
        .inputSchema((Map<String, Object>) entry.get("inputSchema"));
    if (!hints.isEmpty()) {
      tool.annotations(new McpSchema.ToolAnnotations((String) hints.get("title"),
          (Boolean) hints.get("readOnlyHint"), (Boolean) hints.get("destructiveHint"),
          (Boolean) hints.get("idempotentHint"), (Boolean) hints.get("openWorldHint"), null));
    }
    return tool.build();
  }

  private static List<Map<String, Object>> listed(McpJsonMapper json) {
    try (InputStream in = ToolCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing");
      }
      return json.readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          new TypeRef<List<Map<String, Object>>>() {
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
