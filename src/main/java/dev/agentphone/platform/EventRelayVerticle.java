package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.sqlclient.Pool;
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

  private final EventStream stream;
  private final Pool pool;
  private final String databaseUrl;
  private KafkaProducer<String, String> producer;
  private OutboxListener listener;
  private long pollTimer = -1;
  private boolean relaying;
  private boolean relayAgain;
  private boolean stopping;

  public EventRelayVerticle(EventStream stream, Pool pool, String databaseUrl) {
    this.stream = stream;
    this.pool = pool;
    this.databaseUrl = databaseUrl;
  }

  @Override
  public Future<?> start() {
    if (!stream.enabled()) {
      return Future.succeededFuture();
    }
    producer = KafkaProducer.create(vertx, stream.producerConfig());
    listener = new OutboxListener(vertx, databaseUrl, this::relay);
    return createTopic()
        .compose(v -> listener.start())
        .onSuccess(v -> {
          pollTimer = vertx.setPeriodic(stream.relayPollMs(), t -> relay());
          relay();
        });
  }

  private Future<Void> createTopic() {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx,
        java.util.Map.of("bootstrap.servers", stream.bootstrap()));
    NewTopic newTopic = new NewTopic(stream.topic(), stream.partitions(),
        stream.replicationFactor());
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
      if (relayAgain || done.result() == stream.relayBatchSize()) {
        relay();
      }
    });
  }

  private Future<Integer> relayBatch() {
    return pool.withTransaction(tx -> Outbox.claimUndispatched(tx, stream.relayBatchSize())
        .compose(events -> {
          if (events.isEmpty()) {
            return Future.succeededFuture(0);
          }
          List<Future<?>> sent = new ArrayList<>();
          List<String> ids = new ArrayList<>();
          events.forEach(event -> {
            ids.add(event.id());
            sent.add(producer.send(KafkaProducerRecord.create(stream.topic(), event.accountId(),
                event.toJson().encode())));
          });
          return Future.all(sent)
              .compose(v -> Outbox.markDispatched(tx, ids))
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
