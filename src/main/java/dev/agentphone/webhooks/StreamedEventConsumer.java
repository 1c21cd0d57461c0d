package dev.agentphone.webhooks;

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
 * to whichever node gets the partition next; planning is idempotent by event id (one delivery row
 * per event, {@code ON CONFLICT (event_id) DO NOTHING}), so a record seen twice never makes a
 * second delivery.
 *
 * <p>The relay marked these events dispatched when Kafka took them, so the stream is their only
 * way to a webhook: when planning or committing a batch fails (a pool time-out, a deadlock, the
 * database away), every partition of the batch is put back at its first record, which is its
 * first uncommitted offset, and the next poll, after a back-off that grows while failures
 * repeat, offers the same records again.
 */
final class StreamedEventConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(StreamedEventConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RETRY_DELAY_MS = 500;
  private static final long MAX_RETRY_DELAY_MS = 5_000;

  private final Vertx vertx;
  private final EventStream stream;
  private final DeliveryPlanner planner;
  private final Runnable onPlanned;
  private KafkaConsumer<String, String> consumer;
  private volatile boolean stopped;
  private int failures;
  /** A batch that failed and must be put back before the next poll; null when none. */
  private KafkaConsumerRecords<String, String> failedBatch;

  StreamedEventConsumer(Vertx vertx, EventStream stream, DeliveryPlanner planner,
      Runnable onPlanned) {
    this.vertx = vertx;
    this.stream = stream;
    this.planner = planner;
    this.onPlanned = onPlanned;
  }

  Future<Void> start() {
    consumer = KafkaConsumer.create(vertx, stream.consumerConfig());
    return consumer.subscribe(stream.topic()).onSuccess(v -> pollNext());
  }

  private void pollNext() {
    if (stopped) {
      return;
    }
    // a failed batch is put back before anything else is polled, however long that takes
    Future<Void> ready = failedBatch == null ? Future.succeededFuture()
        : rewind(failedBatch).onSuccess(v -> failedBatch = null);
    ready.compose(v -> consumer.poll(POLL))
        .compose(records -> handle(records).recover(failure -> {
          LOG.warn("planning {} streamed event(s) failed; they will be offered again",
              records.size(), failure);
          failedBatch = records;
          return Future.succeededFuture(null);
        }))
        .onComplete(done -> {
          if (stopped) {
            return;
          }
          if (done.succeeded() && done.result() != null) {
            failures = 0;
            if (done.result()) {
              pollNext();
            } else {
              // some events wait for their conversation's context: offered again shortly
              vertx.setTimer(RETRY_DELAY_MS, t -> pollNext());
            }
            return;
          }
          if (done.failed()) {
            LOG.warn("consuming the event stream failed; will retry", done.cause());
          }
          failures++;
          vertx.setTimer(backOff(), t -> pollNext());
        });
  }

  private long backOff() {
    return Math.min(MAX_RETRY_DELAY_MS, RETRY_DELAY_MS << Math.min(failures - 1, 4));
  }

  /**
   * Puts every partition of the batch back at its first record: that is the partition's first
   * uncommitted offset (everything before it was planned and committed, or the batch would have
   * started there). A partition a rebalance took away meanwhile is left alone: its new owner
   * starts from the committed offset anyway.
   */
  private Future<Void> rewind(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(),
          Math::min);
    }
    return consumer.assignment().compose(assigned -> {
      List<Future<Void>> seeks = new ArrayList<>();
      first.forEach((partition, offset) -> {
        if (assigned.contains(partition)) {
          seeks.add(consumer.seek(partition, offset));
        }
      });
      return Future.all(seeks).mapEmpty();
    });
  }

  /**
   * Plans a polled batch; answers false when some events must be offered again later. A failed
   * answer means the batch was not (durably) planned and must be rewound.
   */
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
