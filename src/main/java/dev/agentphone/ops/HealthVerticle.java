package dev.agentphone.ops;

import dev.agentphone.Engine;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.EventStream;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks the node's dependencies for {@code /health}: the database always, Kafka when the event
 * stream is configured. Each check is bounded ({@code ops.healthTimeoutMillis}, default 2 s), so
 * a dependency that hangs is reported down instead of holding the answer. One per node: it owns
 * the Kafka admin client the checks use.
 */
public final class HealthVerticle extends VerticleBase {
  /** {@code {}} → {@code {database: up|down, kafka?: up|down, down: [names]}}. */
  public static final String CHECK = "ops.health";

  private final Engine engine;
  private KafkaAdminClient kafka;
  private long timeoutMillis;

  public HealthVerticle(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Future<?> start() {
    AppConfig config = engine.config();
    timeoutMillis = config.longValue("ops.healthTimeoutMillis", 2_000);
    Bus.answer(vertx, CHECK, request -> check());
    if (!EventStream.enabled(config)) {
      return Future.succeededFuture();
    }
    String timeout = Long.toString(timeoutMillis);
    // creating a Kafka client resolves the bootstrap names: not on an event loop
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, Map.of(
            "bootstrap.servers", config.string("kafka.bootstrap"),
            "request.timeout.ms", timeout,
            "default.api.timeout.ms", timeout)))
        .onSuccess(admin -> kafka = admin);
  }

  private Future<JsonObject> check() {
    Future<Boolean> database = up(engine.pool().query("SELECT 1").execute());
    Future<Boolean> stream = kafka == null ? Future.succeededFuture(null)
        : up(kafka.describeCluster());
    return Future.join(database, stream).otherwiseEmpty().map(v -> {
      JsonObject health = new JsonObject();
      JsonArray down = new JsonArray();
      report(health, down, "database", database.result());
      if (stream.result() != null) {
        report(health, down, "kafka", stream.result());
      }
      return health.put("down", down);
    });
  }

  private Future<Boolean> up(Future<?> probe) {
    return probe.timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(true).otherwise(false);
  }

  private static void report(JsonObject health, JsonArray down, String name, boolean up) {
    health.put(name, up ? "up" : "down");
    if (!up) {
      down.add(name);
    }
  }

  @Override
  public Future<?> stop() {
    return kafka == null ? Future.succeededFuture() : kafka.close();
  }
}
