package dev.agentphone.platform;

import java.util.HashMap;
import java.util.Map;

/**
 * The durable event stream of a cluster: committed outbox events relayed to one Kafka topic, keyed
 * by account so an account's events stay in order on one partition. Without a bootstrap address
 * the engine keeps to PostgreSQL alone.
 */
public final class EventStream {
  public static final String CONSUMER_GROUP = "agentphone-webhooks";

  private EventStream() {
  }

  public static boolean enabled(AppConfig config) {
    String bootstrap = config.string("kafka.bootstrap");
    return bootstrap != null && !bootstrap.isBlank();
  }

  public static String topic(AppConfig config) {
    return config.string("kafka.topic", "agentphone.events");
  }

  public static Map<String, String> producerConfig(AppConfig config) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", config.string("kafka.bootstrap"));
    kafka.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    kafka.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    // an event is marked relayed only once every in-sync replica has it
    kafka.put("acks", "all");
    kafka.put("enable.idempotence", "true");
    kafka.put("linger.ms", "1");
    return kafka;
  }

  public static Map<String, String> consumerConfig(AppConfig config) {
    Map<String, String> kafka = new HashMap<>();
    kafka.put("bootstrap.servers", config.string("kafka.bootstrap"));
    kafka.put("group.id", config.string("kafka.group", CONSUMER_GROUP));
    kafka.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    kafka.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    // offsets are committed by hand, after the deliveries they produced are durable
    kafka.put("enable.auto.commit", "false");
    kafka.put("auto.offset.reset", "earliest");
    kafka.put("max.poll.records", "256");
    kafka.put("session.timeout.ms", config.string("kafka.sessionTimeoutMs", "10000"));
    kafka.put("heartbeat.interval.ms", config.string("kafka.heartbeatIntervalMs", "1000"));
    return kafka;
  }
}
