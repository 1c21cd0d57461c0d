package dev.agentphone.webhooks;

import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.OutboxEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhook dispatch's side of the Kafka event stream: every node is a member of one consumer
 * group, plans deliveries for the events of its partitions and commits a partition's offset only
 * after those deliveries committed in PostgreSQL. A node that dies leaves its uncommitted records
 * to whichever node gets the partition next; planning is idempotent by event id, so a record seen
 * twice never makes a second delivery.
 */
final class StreamedEventConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedEventConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETRY_DELAY_MS = 500;

  private final Vertx vertx;
  private final AppConfig config;
  private final DeliveryPlanner planner;
  private final Runnable onPlanned;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean stopped;

  StreamedEventConsumer(Vertx vertx, AppConfig config, DeliveryPlanner planner,
      Runnable onPlanned) {
    this.vertx = vertx;
    this.config = config;
    this.planner = planner;
    this.onPlanned = onPlanned;
  }

  Future<Void> start() {
    consumer = KafkaConsumer.create(vertx, EventStream.consumerConfig(config));
    return consumer.subscribe(EventStream.topic(config)).onSuccess(v -> pollNext());
  }

  private void pollNext() {
    if (stopped) {
      return;
    }
    consumer.poll(POLL)
        .compose(this::handle)
        .onComplete(done -> {
          if (done.failed() && !stopped) {
            LOG.warn("consuming the event stream failed; will retry", done.cause());
            vertx.setTimer(RETRY_DELAY_MS, t -> pollNext());
          } else if (done.succeeded() && !done.result()) {
            vertx.setTimer(RETRY_DELAY_MS, t -> pollNext());
          } else {
            pollNext();
          }
        });
  }

  /** Plans a polled batch; answers false when some events must be offered again later. */
  private Future<Boolean> handle(KafkaConsumerRecords<String, String> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture(true);
    }
    List<KafkaConsumerRecord<String, String>> batch = new ArrayList<>();
    List<OutboxEvent> events = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      batch.add(record);
      events.add(OutboxEvent.of(new JsonObject(record.value())));
    }
    return planner.planStreamed(events).compose(settled -> commitSettled(batch, settled));
  }

  /**
   * Commits, per partition, up to the first record that was not settled, and rewinds the
   * partition to that record so it is consumed again.
   */
  private Future<Boolean> commitSettled(List<KafkaConsumerRecord<String, String>> batch,
      List<String> settledIds) {
    Set<String> settled = new HashSet<>(settledIds);
    Map<TopicPartition, Long> next = new HashMap<>();
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (KafkaConsumerRecord<String, String> record : batch) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      if (rewind.containsKey(partition)) {
        continue;
      }
      String id = new JsonObject(record.value()).getString("id");
      if (settled.contains(id)) {
        next.put(partition, record.offset() + 1);
      } else {
        rewind.put(partition, record.offset());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    next.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset, "")));
    Future<?> committed = commits.isEmpty() ? Future.succeededFuture() : consumer.commit(commits);
    return committed.compose(v -> {
      onPlanned.run();
      List<Future<Void>> seeks = new ArrayList<>();
      rewind.forEach((partition, offset) -> seeks.add(consumer.seek(partition, offset)));
      return Future.all(seeks).map(rewind.isEmpty());
    });
  }

  Future<Void> stop() {
    stopped = true;
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
