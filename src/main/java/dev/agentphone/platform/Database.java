package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import org.flywaydb.core.Flyway;

import java.util.concurrent.TimeUnit;

/** Connection pool and schema migrations for the engine's PostgreSQL database. */
public final class Database {
  private Database() {
  }

  /**
   * From here on in {@code tx}'s transaction, plans each statement for its own parameters
   * ({@code each}), or goes back to the connection's cached plans. For lookups by keys in tables
   * that grow fast from empty: a connection keeps a statement's cached plan until the table is
   * next analyzed, so a plan chosen while a new database's table was nearly empty (a sequential
   * scan) went on scanning it whole as it grew, for up to a minute of a first burst (until
   * autovacuum's first look). Planning such a lookup each time costs far less; the big inserts
   * beside them scan nothing and keep their cached plans, for planning them is not cheap. Sent
   * without waiting, pipelined with the statements around it: no round trip is added. A
   * failure shows in those statements (it aborts the transaction).
   */
  public static void planEachStatement(SqlConnection tx, boolean each) {
    tx.query(each ? "SET LOCAL plan_cache_mode = force_custom_plan"
        : "SET LOCAL plan_cache_mode = auto").execute();
  }

  public static PgConnectOptions connectOptions(String url) {
    PgConnectOptions options = PgConnectOptions.fromUri(url);
    return options.setCachePreparedStatements(true).setPipeliningLimit(256);
  }

  /**
   * The {@code database} section. {@code url} null means the engine runs an embedded PostgreSQL
   * ({@code embeddedPort} 0: any free port).
   */
  public record Settings(String url, int poolSize, int poolWaitMillis, int connectTimeoutMillis,
      int embeddedPort) {
    public static Settings from(AppConfig config) {
      return new Settings(config.optionalString("database.url"),
          config.integer("database.poolSize"), config.integer("database.poolWaitMillis"),
          config.integer("database.connectTimeoutMillis"),
          config.integer("database.embeddedPort"));
    }
  }

  /**
   * The engine's pool. While the database is unreachable a request waits at most
   * {@code database.poolWaitMillis} for a connection and a connection attempt gives up after
   * {@code database.connectTimeoutMillis}, so the request is answered 503 well before the event
   * bus's 30 s time-out would turn it into a 504.
   */
  public static Pool pool(Vertx vertx, String url, Settings settings) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(settings.poolSize())
            .setShared(true).setName("agentphone")
            .setConnectionTimeout(settings.poolWaitMillis())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
        .with(new NetClientOptions()
            .setConnectTimeout(settings.connectTimeoutMillis()))
        .connectingTo(connectOptions(url))
        .using(vertx)
        .build();
  }

  /** Runs Flyway on a worker thread: JDBC must never block an event loop. */
  public static Future<Integer> migrate(Vertx vertx, String url) {
    return vertx.executeBlocking(() -> {
      PgConnectOptions options = PgConnectOptions.fromUri(url);
      String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/"
          + options.getDatabase();
      return Flyway.configure()
          .dataSource(jdbcUrl, options.getUser(), options.getPassword())
          .locations("classpath:db/migration")
          .load()
          .migrate()
          .migrationsExecuted;
    });
  }

  /** True when the failure is PostgreSQL's unique-violation (SQLSTATE 23505). */
  public static boolean isUniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }

  /** The constraint a PostgreSQL error names, or null. */
  public static String constraint(Throwable failure) {
    return failure instanceof PgException pg ? pg.getConstraint() : null;
  }
}
