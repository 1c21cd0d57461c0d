package dev.agentphone.platform;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Clustered Vert.x: nodes join one event bus through Hazelcast, configured by
 * {@code conf/cluster.xml} with the member list, host, port and cluster name from configuration.
 */
public final class Cluster {
  private Cluster() {
  }

  public static boolean enabled(AppConfig config) {
    return config.bool("cluster.enabled");
  }

  public static Future<Vertx> join(AppConfig config) {
    String host = config.string("cluster.host");
    VertxOptions options = VertxFactory.options();
    // bind where other nodes can reach us; a loopback host keeps a test cluster off the network
    options.getEventBusOptions().setHost(isIpLiteral(host) ? host : "0.0.0.0")
        .setClusterPublicHost(host).setPort(config.integer("cluster.busPort"));
    return Vertx.builder()
        .with(options)
        .withMetrics(new MicrometerMetricsFactory())
        .withClusterManager(new HazelcastClusterManager(hazelcast(config, host)))
        .buildClustered();
  }

  static Config hazelcast(AppConfig config, String host) {
    Config hz;
    try (InputStream in = clusterXml(config)) {
      hz = new XmlConfigBuilder(in).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    hz.setClusterName(config.string("cluster.name"));
    hz.getNetworkConfig().setPort(config.integer("cluster.port")).setPortAutoIncrement(true)
        .setPublicAddress(host);
    if (isIpLiteral(host)) {
      hz.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    }
    String members = config.optionalString("cluster.members");
    if (members != null) {
      hz.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true)
          .setMembers(Arrays.stream(members.split(",")).map(String::trim)
              .filter(m -> !m.isEmpty()).toList());
    }
    return hz;
  }

  private static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  private static InputStream clusterXml(AppConfig config) throws IOException {
    Path file = Path.of(config.string("cluster.config"));
    if (Files.isRegularFile(file)) {
      return Files.newInputStream(file);
    }
    InputStream in = Cluster.class.getResourceAsStream("/conf/cluster.xml");
    if (in == null) {
      throw new IllegalStateException("conf/cluster.xml is missing from the jar");
    }
    return in;
  }
}
