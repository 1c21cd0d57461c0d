package dev.agentphone.platform;

import java.util.HashMap;
import java.util.Map;

/**
 * The durable event stream of a cluster (the {@code kafka} section): committed outbox events
 * relayed to one Kafka topic, keyed by account so an account's events stay in order on one
 * partition. Without a bootstrap address the engine keeps to PostgreSQL alone.
 */
public record EventStream(String bootstrap, String topic, String group, int partitions,
    short replicationFactor, int relayBatchSize, long relayPollMs, String sessionTimeoutMs,
    String heartbeatIntervalMs) {

  public static EventStream from(AppConfig config) {
    return new EventStream(config.optionalString("kafka.bootstrap"),
        config.string("kafka.topic"),
        config.string("kafka.group"),
        config.integer("kafka.partitions"),
        (short) config.integer("kafka.replicationFactor"),
        config.integer("kafka.relayBatchSize"),
        config.longValue("kafka.relayPollMs"),
        config.string("kafka.sessionTimeoutMs"),
        config.string("kafka.heartbeatIntervalMs"));
  }

  public boolean enabled() {
    return bootstrap != null;
  }

  public Map<String, String> producerConfig() {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", bootstrap);
    kafka.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    kafka.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    // an event is marked relayed only once every in-sync replica has it
    kafka.put("acks", "all");
    kafka.put("enable.idempotence", "true");
    kafka.put("linger.ms", "1");
    return kafka;
  }

  public Map<String, String> consumerConfig() {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", bootstrap);
    kafka.put("group.id", group);
    kafka.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    kafka.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // offsets are committed by hand, after the deliveries they produced are durable
    kafka.put("enable.auto.commit", "false");
    kafka.put("auto.offset.reset", "earliest");
    kafka.put("max.poll.records", "256");
    kafka.put("session.timeout.ms", sessionTimeoutMs);
    kafka.put("heartbeat.interval.ms", heartbeatIntervalMs);
    return kafka;
  }
}
