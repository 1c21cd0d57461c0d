package dev.agentphone.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server run by the engine itself when no database URL is configured. Its data lives
 * under the engine's data directory, so a restart finds everything where it was left.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts (and on first use initialises) the server in {@code dataDir/postgres}. Blocking. */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Path pgData = dataDir.resolve("postgres").toAbsolutePath().normalize();
    Files.createDirectories(pgData);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // our own shutdown hook stops the database after the engine has drained, not beside it
        .setRegisterShutdownHook(false)
        .setServerConfig("max_connections", "200")
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres = builder.start();
    LOG.info("embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), pgData);
    return new EmbeddedDatabase(postgres);
  }

  /** A {@code postgresql://} URL for the default database of this server. */
  public String url() {
    return "postgresql://postgres:postgres@localhost:" + postgres.getPort() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  /** Stops the server with a clean shutdown checkpoint. Blocking. */
  @Override
  public void close() throws IOException {
    postgres.close();
    LOG.info("embedded PostgreSQL stopped");
  }
}
