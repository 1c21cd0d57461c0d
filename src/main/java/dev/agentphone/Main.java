package dev.agentphone;

import dev.agentphone.lab.LabCommand;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.EmbeddedDatabase;
import dev.agentphone.platform.Telemetry;
import dev.agentphone.providers.LiveCredentials;
import io.vertx.core.Vertx;
import dev.agentphone.platform.Cluster;
import dev.agentphone.platform.VertxFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Starts the engine: configuration, then an embedded PostgreSQL when no database URL is set, then
 * Vert.x and the engine's verticles. SIGTERM stops the HTTP edge, Vert.x and the database cleanly.
 * {@code lab run FILE…} runs scenario files instead ({@link LabCommand}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && "lab".equals(args[0])) {
      // the phone lab: plays scenario files, then exits with their verdict
      System.exit(LabCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out,
          LabEngine::start));
      return;
    }
    AppConfig config = AppConfig.load(System.getenv());
    Telemetry.installFromEnvironment(System.getenv());
    try {
      LiveCredentials.require(config);
    } catch (IllegalStateException e) {
      LOG.error("refusing to start: {}", e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddedDatabase embedded = null;
    Database.Settings settings = Database.Settings.from(config);
    String databaseUrl = settings.url();
    if (databaseUrl == null) {
      embedded = EmbeddedDatabase.start(config.dataDir(), settings.embeddedPort());
      databaseUrl = embedded.url();
    }
    Vertx vertx = Cluster.enabled(config)
        ? Cluster.join(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS)
        : VertxFactory.standalone();

    if (!vertx.isNativeTransportEnabled()) {
      LOG.info("sockets use the JDK's transport ({})", vertx.unavailableNativeTransportCause() == null
          ? "no native transport for this system" : vertx.unavailableNativeTransportCause().toString());
    }
    Engine engine;
    try {
      engine = Engine.start(vertx, config, databaseUrl)
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("engine failed to start", e);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
      System.exit(1);
      return;
    }

    EmbeddedDatabase database = embedded;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down");
      try {
        engine.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("unclean engine shutdown", e);
      }
      if (database != null) {
        try {
          database.close();
        } catch (Exception e) {
          LOG.warn("embedded database did not stop cleanly", e);
        }
      }
    }, "agentphone-shutdown"));
  }
}
