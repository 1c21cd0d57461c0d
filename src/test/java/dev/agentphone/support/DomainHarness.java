package dev.agentphone.support;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Database;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A few domains on their own, for a test that calls one domain's published API: a fresh,
 * migrated database, the pool, the configuration, and the features the test deploys (the domain
 * and what it depends on) on the test's Vert.x. No HTTP edge.
 */
public final class DomainHarness implements AutoCloseable {
  public final Vertx vertx;
  public final AppConfig config;
  public final String databaseUrl;
  public final Pool pool;

  private DomainHarness(Vertx vertx, AppConfig config, String databaseUrl, Pool pool) {
    this.vertx = vertx;
    this.config = config;
    this.databaseUrl = databaseUrl;
    this.pool = pool;
  }

  /** Migrates a fresh database; {@code overrides} change the file configuration by path. */
  public static DomainHarness start(Vertx vertx, Map<String, Object> overrides) {
    AppConfig config = AppConfig.withOverrides(overrides);
    String url = TestDatabase.fresh();
    await(Database.migrate(vertx, url));
    Bus.prepare(vertx);
    return new DomainHarness(vertx, config, url,
        Database.pool(vertx, url, Database.Settings.from(config)));
  }

  /** Deploys the features' verticles, in order. */
  public DomainHarness deploy(Feature... features) {
    for (Feature feature : features) {
      for (VerticleBase verticle : feature.verticles()) {
        await(vertx.deployVerticle(verticle));
      }
    }
    return this;
  }

  /** A new account on the default plan, stored as signup stores it; answers its id. */
  public String newAccount() {
    String id = Ids.next("acct");
    sql("INSERT INTO accounts (id, name, email, plan) VALUES (?, ?, ?, 'starter')", id,
        id + "@example.com", id + "@example.com");
    return id;
  }

  /** A new inbound webhook-mode call of {@code accountId}, in progress; answers its id. */
  public String newCall(String accountId) {
    String id = Ids.next("call");
    sql("INSERT INTO calls (id, account_id, type, direction, from_number, to_number, status, "
        + "voice_mode) VALUES (?, ?, 'pstn', 'inbound', '+14155550100', '+14155550101', "
        + "'in-progress', 'webhook')", id, accountId);
    return id;
  }

  public List<Map<String, Object>> sql(String statement, Object... params) {
    return TestDatabase.sql(databaseUrl, statement, params);
  }

  /** The future's result, or its failure thrown (an {@code ApiError} as it is). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    await(pool.close());
  }
}
