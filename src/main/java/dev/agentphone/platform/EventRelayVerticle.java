package dev.agentphone.platform;

import dev.agentphone.Engine;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Relays committed outbox events to the Kafka event stream (cluster mode with Kafka configured;
 * otherwise it does nothing). A batch of undispatched events is claimed with
 * {@code FOR UPDATE SKIP LOCKED}, produced, and marked dispatched only after Kafka acknowledged
 * every record, in the same transaction: a crash in between produces an event twice, never zero
 * times, and consumers create deliveries idempotently by event id.
 */
public final class EventRelayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(EventRelayVerticle.class);

  private final Engine engine;
  private KafkaProducer<String, String> producer;
  private OutboxListener listener;
  private String topic;
  private int batchSize;
  private long pollTimer = -1;
  private boolean relaying;
  private boolean relayAgain;
  private boolean stopping;

  public EventRelayVerticle(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Future<?> start() {
    AppConfig config = engine.config();
    if (!EventStream.enabled(config)) {
      return Future.succeededFuture();
    }
    topic = EventStream.topic(config);
    batchSize = config.integer("kafka.relayBatchSize", 256);
    producer = KafkaProducer.create(vertx, EventStream.producerConfig(config));
    listener = new OutboxListener(vertx, engine.databaseUrl(), this::relay);
    return createTopic(config)
        .compose(v -> listener.start())
        .onSuccess(v -> {
          pollTimer = vertx.setPeriodic(config.longValue("kafka.relayPollMs", 1_000),
              t -> relay());
          relay();
        });
  }

  private Future<Void> createTopic(AppConfig config) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx,
        java.util.Map.of("bootstrap.servers", config.string("kafka.bootstrap")));
    NewTopic newTopic = new NewTopic(topic, config.integer("kafka.partitions", 12),
        (short) config.integer("kafka.replicationFactor", 1));
    return admin.createTopics(List.of(newTopic))
        .recover(e -> e instanceof TopicExistsException
            || e.getCause() instanceof TopicExistsException
            ? Future.succeededFuture() : Future.failedFuture(e))
        .eventually(admin::close);
  }

  /** Relays batches until none is left, one at a time per node. */
  private void relay() {
    if (stopping) {
      return;
    }
    if (relaying) {
      relayAgain = true;
      return;
    }
    relaying = true;
    relayAgain = false;
    relayBatch().onComplete(done -> {
      relaying = false;
      if (done.failed()) {
        LOG.warn("relaying events to Kafka failed; will retry", done.cause());
        return;
      }
      if (relayAgain || done.result() == batchSize) {
        relay();
      }
    });
  }

  private Future<Integer> relayBatch() {
    Pool pool = engine.pool();
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + OutboxEvent.COLUMNS
            + " FROM events WHERE dispatched_at IS NULL ORDER BY occurred_at LIMIT $1 "
            + "FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(batchSize))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(0);
          }
          List<Future<?>> sent = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> {
            OutboxEvent event = OutboxEvent.of(row);
            ids.add(event.id());
            sent.add(producer.send(KafkaProducerRecord.create(topic, event.accountId(),
                event.toJson().encode())));
          });
          return Future.all(sent)
              .compose(v -> tx.preparedQuery(
                      "UPDATE events SET dispatched_at = now() WHERE id = ANY($1)")
                  .execute(Tuple.of(ids.toArray(new String[0]))))
              .map(ids.size());
        }));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (producer == null) {
      return Future.succeededFuture();
    }
    vertx.cancelTimer(pollTimer);
    return listener.stop().recover(e -> Future.succeededFuture())
        .compose(v -> producer.close());
  }
}
