package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestCluster;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TestKafka;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clustered nodes with the Kafka event stream: outbox events are relayed to Kafka and webhook
 * dispatch consumes them as one consumer group. A node that dies mid-burst loses nothing.
 */
class ClusterEventStreamTest {
  static final int MESSAGES = 60;

  @Test
  void aNodeDyingMidBurstLosesNoWebhook() throws Exception {
    String run = UUID.randomUUID().toString();
    Map<String, Object> settings = Map.of(
        "kafka.bootstrap", TestKafka.bootstrap(),
        "kafka.topic", "events-" + run,
        "kafka.group", "webhooks-" + run,
        "kafka.partitions", 4,
        "kafka.sessionTimeoutMs", 6000,
        "webhooks.retry.initialDelayMs", 50);
    try (Receiver receiver = new Receiver();
         TestCluster cluster = new TestCluster(2, settings)) {
      TestEngine a = cluster.node(0);
      TestEngine b = cluster.node(1);
      JsonObject owner = a.signUp("stream-" + System.nanoTime() + "@example.com");
      String key = owner.getString("api_key");
      String ourNumber = owner.getString("phone_number");
      assertThat(a.api.post("/v1/webhooks", key, new JsonObject().put("url", receiver.url("/hook")))
          .status()).isEqualTo(200);

      Set<String> accepted = new HashSet<>();
      for (int i = 0; i < MESSAGES; i++) {
        boolean toB = i % 2 == 1 && i < MESSAGES / 2;
        TestEngine node = toB ? b : a;
        if (i == MESSAGES / 2) {
          // B dies without a graceful stop: whatever it had claimed or consumed is abandoned
          b.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        Api.Response sent = node.api.post("/sandbox/sms", key, new JsonObject()
            .put("from", "+1415555" + String.format("%04d", 1000 + i))
            .put("to", ourNumber).put("body", "burst " + i));
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        accepted.add(sent.json().getJsonObject("message").getString("id"));
      }
      assertThat(accepted).hasSize(MESSAGES);

      // every accepted message reaches the webhook at least once; repeats keep their X-Webhook-ID
      long deadline = System.currentTimeMillis() + 60_000;
      Map<String, Set<String>> idsByMessage = new HashMap<>();
      while (System.currentTimeMillis() < deadline) {
        idsByMessage.clear();
        for (Receiver.Hit hit : receiver.onPath("/hook")) {
          idsByMessage.computeIfAbsent(hit.json().getJsonObject("data").getString("messageId"),
              k -> new HashSet<>()).add(hit.id());
        }
        if (idsByMessage.keySet().containsAll(accepted)) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(idsByMessage.keySet()).containsAll(accepted);
      assertThat(idsByMessage.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
      // the events went through Kafka, and every one was relayed
      assertThat(a.sql("SELECT count(*) AS n FROM events WHERE dispatched_at IS NULL")
          .get(0).get("n")).isEqualTo(0L);
      Set<String> streamed = eventIdsOnTopic(TestKafka.bootstrap(), "events-" + run);
      for (Map<String, Object> row : a.sql("SELECT id FROM events WHERE account_id = ?",
          owner.getString("account_id"))) {
        assertThat(streamed).contains((String) row.get("id"));
      }
      List<Map<String, Object>> deliveries = a.sql(
          "SELECT count(*) AS n FROM webhook_deliveries WHERE account_id = ?",
          owner.getString("account_id"));
      assertThat(deliveries.get(0).get("n")).isEqualTo((long) MESSAGES);
    }
  }

  private static Set<String> eventIdsOnTopic(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", "inspect-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    Set<String> ids = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 15_000;
      int empty = 0;
      while (System.currentTimeMillis() < deadline && empty < 5) {
        var records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty() && !ids.isEmpty()) {
          empty++;
        }
        records.forEach(r -> ids.add(new JsonObject(r.value()).getString("id")));
      }
    }
    return ids;
  }
}
