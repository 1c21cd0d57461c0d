package dev.agentphone;

import dev.agentphone.http.HttpVerticle;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Database;
import dev.agentphone.providers.LiveCredentials;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.providers.retell.LlmSocketUrls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One running engine on a Vert.x instance: migrated database, domain verticles and HTTP edge,
 * built by {@link Features}. Started and stopped as a whole.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final Pool pool;
  private final Features features;
  private final List<String> deployments = new ArrayList<>();

  private Engine(Vertx vertx, AppConfig config, Pool pool, Features features) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.features = features;
  }

  /** Migrates the database, then deploys the domain verticles and the HTTP edge. */
  public static Future<Engine> start(Vertx vertx, AppConfig config, String databaseUrl) {
    return start(vertx, config, databaseUrl, ProviderEdges.NETWORK);
  }

  /** As {@link #start(Vertx, AppConfig, String)}, reaching outside providers through {@code edges}. */
  public static Future<Engine> start(Vertx vertx, AppConfig config, String databaseUrl,
      ProviderEdges edges) {
    long started = System.nanoTime();
    Database.Settings database;
    try {
      LiveCredentials.require(config);
      database = Database.Settings.from(config);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    return Database.migrate(vertx, databaseUrl).compose(migrations -> {
      if (migrations > 0) {
        LOG.info("applied {} database migration(s)", migrations);
      }
      Bus.prepare(vertx);
      Pool pool = Database.pool(vertx, databaseUrl, database);
      return LlmSocketUrls.load(config, pool)
          .map(urls -> new Engine(vertx, config, pool,
              new Features(vertx, config, databaseUrl, pool, edges, urls)))
          .compose(engine -> engine.deployAll().map(engine)
              .recover(failure -> engine.stop().transform(v -> Future.failedFuture(failure))))
          .onFailure(failure -> pool.close());
    }).onSuccess(e -> LOG.info("engine ready on port {} in {} ms ({} mode)", config.httpPort(),
        (System.nanoTime() - started) / 1_000_000, config.sandbox() ? "sandbox" : "live"));
  }

  private Future<Void> deployAll() {
    Future<Void> chain = Future.succeededFuture();
    for (VerticleBase verticle : features.verticles()) {
      chain = chain.compose(v -> vertx.deployVerticle(verticle)
          .onSuccess(deployments::add).mapEmpty());
    }
    int instances = features.http().instances();
    // one per core by default: the 2 x cores event loops Vert.x makes leave the rest to the call
    // sessions and the other verticles, and a fan-out spread over more HTTP loops than cores
    // only traded them the cores (and cut each loop's flushes into more, smaller writes)
    int httpInstances = instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    return chain.compose(v -> vertx.deployVerticle(() -> new HttpVerticle(features.http(),
            features.routes(), features.authentication(), features.idempotency()),
            new DeploymentOptions().setInstances(httpInstances))
        .onSuccess(deployments::add).mapEmpty());
  }

  /** Undeploys everything this engine deployed (HTTP edge first) and closes the pool. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).recover(e -> Future.succeededFuture()));
    }
    deployments.clear();
    return chain.onComplete(v -> features.close()).compose(v -> pool.close());
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppConfig config() {
    return config;
  }

  public Pool pool() {
    return pool;
  }

  /** Live call sessions on this node. */
  public int liveCallSessions() {
    return features.liveCallSessions();
  }
}
