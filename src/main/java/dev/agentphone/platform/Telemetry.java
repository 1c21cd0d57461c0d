package dev.agentphone.platform;

import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * OpenTelemetry tracing, on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set: the SDK is configured
 * from the standard {@code OTEL_*} variables (protocol, headers, service name, sampler…) and
 * becomes the process's global instance, which the calls' spans use. Only traces are exported:
 * metrics stay on {@code /metrics} unless {@code OTEL_METRICS_EXPORTER} says otherwise. OTLP goes
 * over HTTP (protobuf) unless {@code OTEL_EXPORTER_OTLP_PROTOCOL=grpc}.
 */
public final class Telemetry {
  private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

  private Telemetry() {
  }

  public static void installFromEnvironment(Map<String, String> env) {
    String endpoint = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      return;
    }
    AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> Map.of(
            "otel.service.name", "agentphone-engine",
            // the specification's default (the Java SDK's own is gRPC); the variable wins
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none"))
        .setResultAsGlobal()
        .build();
    LOG.info("call spans go to OpenTelemetry at {}", endpoint);
  }
}
