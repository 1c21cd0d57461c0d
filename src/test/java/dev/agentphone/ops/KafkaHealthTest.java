package dev.agentphone.ops;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TestKafka;
import kafka.testkit.KafkaClusterTestKit;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the Kafka event stream configured, {@code /health} reports Kafka beside the database and
 * names it when it is down; the API itself does not depend on it.
 */
class KafkaHealthTest {
  @Test
  void healthNamesKafkaWhenItsBrokerIsGone() throws Exception {
    String run = UUID.randomUUID().toString();
    KafkaClusterTestKit broker = TestKafka.dedicated();
    boolean brokerUp = true;
    try (TestEngine engine = TestEngine.builder().config(Map.of(
        "kafka.bootstrap", broker.bootstrapServers(),
        "kafka.topic", "health-" + run,
        "kafka.group", "health-" + run,
        "kafka.partitions", 1)).start()) {
      Api.Response healthy = engine.api.get("/health", null);
      assertThat(healthy.status()).isEqualTo(200);
      assertThat(healthy.json().getString("database")).isEqualTo("up");
      assertThat(healthy.json().getString("kafka")).isEqualTo("up");

      broker.close();
      brokerUp = false;
      poll(() -> engine.api.get("/health", null).status() == 503);
      Api.Response down = engine.api.get("/health", null);
      assertThat(down.json().getString("status")).isEqualTo("unavailable");
      assertThat(down.json().getString("kafka")).isEqualTo("down");
      assertThat(down.json().getString("database")).isEqualTo("up");
      assertThat(down.json().getString("detail")).isEqualTo("Unavailable: kafka");
      assertThat(down.header("Retry-After")).isNotBlank();
      // requests do not wait for the stream: events stay in the outbox until Kafka is back
      assertThat(engine.api.get("/v1/agents", engine.newKey()).status()).isEqualTo(200);
    } finally {
      if (brokerUp) {
        broker.close();
      }
    }
  }
}
