package dev.agentphone.support;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/**
 * One in-process Kafka broker (KRaft, combined broker and controller) for the test JVM, started on
 * first use. Tests isolate themselves with their own topic and consumer group.
 */
public final class TestKafka {
  private static KafkaClusterTestKit cluster;

  private TestKafka() {
  }

  public static synchronized String bootstrap() {
    if (cluster == null) {
      try {
        KafkaClusterTestKit started = dedicated();
        cluster = started;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (Exception ignored) {
            // the JVM is going away either way
          }
        }));
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the in-process Kafka broker", e);
      }
    }
    return cluster.bootstrapServers();
  }

  /** A broker of the caller's own, for a test that takes it away; the caller closes it. */
  public static KafkaClusterTestKit dedicated() throws Exception {
    KafkaClusterTestKit started = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(1)
        .setNumControllerNodes(1)
        .build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    started.format();
    started.startup();
    started.waitForReadyBrokers();
    return started;
  }
}
