package dev.agentphone;

import dev.agentphone.http.ApiKeyAuth;
import dev.agentphone.http.HttpVerticle;
import dev.agentphone.http.RateLimiter;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Database;
import dev.agentphone.providers.LiveCredentials;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.providers.Providers;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.webhooks.HostLookup;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One running engine on a Vert.x instance: migrated database, domain verticles and HTTP edge.
 * Shared, node-wide services (pool, key cache, rate limiter) live here and are handed to the
 * verticles that need them.
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final String databaseUrl;
  private final Pool pool;
  private final ConcurrentHashMap<String, ApiKeyAuth.Entry> authCache = new ConcurrentHashMap<>();
  private final RateLimiter rateLimiter;
  private final List<String> deployments = new ArrayList<>();
  private final Providers providers;
  private LlmSocketUrls llmSocketUrls;

  private Engine(Vertx vertx, AppConfig config, String databaseUrl, ProviderEdges edges) {
    this.vertx = vertx;
    this.config = config;
    this.databaseUrl = databaseUrl;
    Bus.prepare(vertx);
    HostLookup.install(vertx, config);
    this.pool = Database.pool(vertx, databaseUrl, config);
    this.providers = Providers.create(vertx, config, pool, edges);
    this.rateLimiter = new RateLimiter(config.integer("rateLimit.requestsPerSecond", 100),
        config.integer("rateLimit.burst", 200));
  }

  /** Migrates the database, then deploys the domain verticles and the HTTP edge. */
  public static Future<Engine> start(Vertx vertx, AppConfig config, String databaseUrl) {
    return start(vertx, config, databaseUrl, ProviderEdges.NETWORK);
  }

  /** As {@link #start(Vertx, AppConfig, String)}, reaching outside providers through {@code edges}. */
  public static Future<Engine> start(Vertx vertx, AppConfig config, String databaseUrl,
      ProviderEdges edges) {
    long started = System.nanoTime();
    try {
      LiveCredentials.require(config);
    } catch (IllegalStateException e) {
      return Future.failedFuture(e);
    }
    return Database.migrate(vertx, databaseUrl).compose(migrations -> {
      if (migrations > 0) {
        LOG.info("applied {} database migration(s)", migrations);
      }
      Engine engine = new Engine(vertx, config, databaseUrl, edges);
      return LlmSocketUrls.load(config, engine.pool)
          .onSuccess(urls -> engine.llmSocketUrls = urls)
          .compose(urls -> engine.deployAll()).map(engine).onSuccess(e -> LOG.info(
          "engine ready on port {} in {} ms ({} mode)", config.httpPort(),
          (System.nanoTime() - started) / 1_000_000, config.sandbox() ? "sandbox" : "live"));
    });
  }

  private Future<Void> deployAll() {
    Future<Void> chain = Future.succeededFuture();
    for (Function<Engine, VerticleBase> domain : Features.domainVerticles()) {
      chain = chain.compose(v -> vertx.deployVerticle(domain.apply(this))
          .onSuccess(deployments::add).mapEmpty());
    }
    int instances = config.integer("http.instances", 0);
    int httpInstances = instances > 0 ? instances : VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    return chain.compose(v -> vertx.deployVerticle(() -> new HttpVerticle(this),
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
    return chain.compose(v -> pool.close());
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

  public String databaseUrl() {
    return databaseUrl;
  }

  public ConcurrentHashMap<String, ApiKeyAuth.Entry> authCache() {
    return authCache;
  }

  public RateLimiter rateLimiter() {
    return rateLimiter;
  }

  /** The secret URLs of Retell's custom-LLM sockets, one per agent. */
  public LlmSocketUrls llmSocketUrls() {
    return llmSocketUrls;
  }

  /** Telephony (Twilio or sandbox) and iMessage, chosen from the configuration at start-up. */
  public Providers providers() {
    return providers;
  }
}
