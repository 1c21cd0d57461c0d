package dev.agentphone.mcp;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official AgentPhone MCP server itself ({@code AgentPhone-AI/agentphone-mcp} at the commit
 * in src/test/mcp-server/COMMIT, built by src/test/mcp-server/install.sh), run unchanged as a
 * stdio subprocess with {@code AGENTPHONE_BASE_URL} pointing at the engine and driven by the
 * Java MCP SDK's client: its 28 tools do against the engine what they say ({@link ToolFlow}),
 * and the engine's own {@code /mcp} lists exactly the tools it lists.
 */
class OfficialMcpServerTest extends ToolFlow {
  static final Path HOME = Path.of("src/test/mcp-server");
  static final Path SERVER = HOME.resolve("agentphone-mcp/dist/index.js");

  @Override
  Map<String, Checks.Pending> pending() {
    return Map.of();
  }

  @Override
  McpSession connect(String apiKey) {
    StdioClientTransport transport = new StdioClientTransport(ServerParameters.builder("node")
        .args(built().toAbsolutePath().toString(), "--stdio")
        // Node may resolve "localhost" to ::1, where the engine does not listen
        .addEnvVar("AGENTPHONE_BASE_URL", "http://127.0.0.1:" + engine.port)
        .addEnvVar("AGENTPHONE_API_KEY", apiKey)
        .build(), McpJsonDefaults.getMapper());
    transport.setStdErrorHandler(line -> System.err.println("agentphone-mcp: " + line));
    return new McpSession(transport);
  }

  @Test
  void theEnginesOwnEndpointListsExactlyTheOfficialServersTools() {
    String key = engine.signUp("mcp-list-" + System.nanoTime() + "@example.com")
        .getString("api_key");
    List<McpSchema.Tool> official;
    try (McpSession session = connect(key)) {
      assertThat(session.initialized.serverInfo().name()).isEqualTo("agentphone");
      official = session.tools();
    }
    try (McpSession ours = new McpSession(engine.port, key)) {
      List<McpSchema.Tool> served = ours.tools();
      assertThat(served).extracting(McpSchema.Tool::name)
          .containsExactlyElementsOf(official.stream().map(McpSchema.Tool::name).toList());
      for (int i = 0; i < official.size(); i++) {
        McpSchema.Tool theirs = official.get(i);
        McpSchema.Tool mine = served.get(i);
        assertThat(mine.description()).as(theirs.name()).isEqualTo(theirs.description());
        assertThat(mine.inputSchema()).as(theirs.name()).isEqualTo(theirs.inputSchema());
        assertThat(mine.annotations()).as(theirs.name()).isEqualTo(theirs.annotations());
      }
    }
  }

  private static boolean installed;

  /** The built server; the install script builds it first when that commit is not built yet. */
  static synchronized Path built() {
    if (!installed) {
      try {
        // not this JVM's input or output: the test runner talks to its forked JVM over those
        // pipes, and npm reading the input once broke the run; the output goes to a log
        File log = new File("target/mcp-server-install.log");
        Process install = new ProcessBuilder(HOME.resolve("install.sh").toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(log).start();
        if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
          throw new IllegalStateException("src/test/mcp-server/install.sh failed: the official"
              + " MCP server could not be built (npm ci needs the npm registry); see " + log);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot run src/test/mcp-server/install.sh", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      installed = Files.exists(SERVER);
    }
    return SERVER;
  }
}
