package dev.agentphone;

import dev.agentphone.lab.EngineLauncher;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.EmbeddedDatabase;
import dev.agentphone.platform.VertxFactory;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine a {@code lab run} without {@code --base} starts for itself, in this process: the
 * embedded defaults (sandbox providers, an embedded PostgreSQL) on a fresh temporary data
 * directory and a free port. The environment is not read, so no live credential can make a
 * scenario reach a real phone company.
 */
public final class LabEngine implements EngineLauncher.Running {
  private final Path dataDir;
  private final EmbeddedDatabase database;
  private final Vertx vertx;
  private final Engine engine;
  private final int port;

  private LabEngine(Path dataDir, EmbeddedDatabase database, Vertx vertx, Engine engine,
      int port) {
    this.dataDir = dataDir;
    this.database = database;
    this.vertx = vertx;
    this.engine = engine;
    this.port = port;
  }

  public static LabEngine start() throws Exception {
    Path dataDir = Files.createTempDirectory("agentphone-lab-");
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("AGENTPHONE_HTTP_PORT", String.valueOf(port));
    env.put("AGENTPHONE_PUBLIC_URL", "http://localhost:" + port);
    env.put("AGENTPHONE_DATA_DIR", dataDir.toString());
    env.put("AGENTPHONE_RATE_LIMIT_RPS", "0");
    env.put("AGENTPHONE_WEBHOOKS_ALLOW_PRIVATE", "true");
    AppConfig config = AppConfig.load(env);
    EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
    Vertx vertx = VertxFactory.standalone();
    try {
      Engine engine = Engine.start(vertx, config, database.url())
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      return new LabEngine(dataDir, database, vertx, engine, port);
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      database.close();
      throw e;
    }
  }

  @Override
  public String url() {
    return "http://localhost:" + port;
  }

  @Override
  public void close() throws Exception {
    try {
      engine.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      database.close();
      deleteTree(dataDir);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
