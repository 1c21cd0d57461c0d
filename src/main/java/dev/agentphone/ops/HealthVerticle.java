package dev.agentphone.ops;

import dev.agentphone.platform.Bus;
import dev.agentphone.platform.EventStream;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.sqlclient.Pool;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Checks the node's dependencies for {@code /health}: the database always, Kafka when the event
 * stream is configured. Each check is bounded ({@code ops.healthTimeoutMillis}), so
 * a dependency that hangs is reported down instead of holding the answer. One per node: it owns
 * the Kafka admin client the checks use.
 */
final class HealthVerticle extends VerticleBase {
  /** {@code {}} → {@code {database: up|down, kafka?: up|down, down: [names]}}. */
  static final String CHECK = "ops.health";

  private final Pool pool;
  private final EventStream stream;
  private final long timeoutMillis;
  private KafkaAdminClient kafka;

  HealthVerticle(Pool pool, EventStream stream, long timeoutMillis) {
    this.pool = pool;
    this.stream = stream;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, CHECK, request -> check());
    if (!stream.enabled()) {
      return Future.succeededFuture();
    }
    String timeout = Long.toString(timeoutMillis);
    // creating a Kafka client resolves the bootstrap names: not on an event loop
    return vertx.executeBlocking(() -> KafkaAdminClient.create(vertx, Map.of(
            "bootstrap.servers", stream.bootstrap(),
            "request.timeout.ms", timeout,
            "default.api.timeout.ms", timeout)))
        .onSuccess(admin -> kafka = admin);
  }

  private Future<JsonObject> check() {
    Future<Boolean> database = up(pool.query("SELECT 1").execute());
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
