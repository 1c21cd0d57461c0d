package dev.agentphone.platform;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/** Builds the engine's Vert.x instance with Prometheus metrics. */
public final class VertxFactory {
  private VertxFactory() {
  }

  public static VertxOptions options() {
    // context locals must exist before the instance that uses them is built
    Actor.register();
    // Linux's epoll where it loads (the jar carries it): per socket and write it costs fewer system
    // calls and copies than the JDK's selector, which a fan-out to many sockets pays per frame
    return new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true)
        .setEnabled(true));
  }

  public static Vertx standalone() {
    return Vertx.builder().with(options()).withMetrics(new MicrometerMetricsFactory()).build();
  }
}
