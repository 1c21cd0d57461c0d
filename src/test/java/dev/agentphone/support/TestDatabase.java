package dev.agentphone.support;

import dev.agentphone.platform.EmbeddedDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server for the whole test JVM; every test class gets a fresh database in
 * it, so classes never see each other's rows and the server starts only once.
 */
public final class TestDatabase {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabase() {
  }

  private static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path dir = Files.createTempDirectory("agentphone-test-db");
        server = EmbeddedDatabase.start(dir, 0);
        EmbeddedDatabase started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (Exception ignored) {
            // the JVM is going away either way
          }
          // a test run's server holds a gigabyte or more: left behind, a day of runs fills /tmp
          try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          } catch (Exception ignored) {
            // best effort
          }
        }));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start embedded PostgreSQL", e);
      }
    }
    return server;
  }

  /** Creates an empty database and returns its {@code postgresql://} URL. */
  public static String fresh() {
    EmbeddedDatabase db = server();
    String name = "test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + db.port() + "/postgres", "postgres", "postgres");
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create test database", e);
    }
    return "postgresql://postgres:postgres@localhost:" + db.port() + "/" + name;
  }

  /** Runs SQL directly against a test database (seeding, fault injection, inspection). */
  public static java.util.List<java.util.Map<String, Object>> sql(String url, String statement,
      Object... params) {
    String jdbc = "jdbc:" + url.replace("postgres:postgres@", "");
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
         java.sql.PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      java.util.List<java.util.Map<String, Object>> out = new java.util.ArrayList<>();
      if (s.execute()) {
        try (java.sql.ResultSet rs = s.getResultSet()) {
          java.sql.ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            java.util.Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              row.put(meta.getColumnLabel(i), rs.getObject(i));
            }
            out.add(row);
          }
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("SQL failed: " + statement, e);
    }
  }
}
