package dev.agentphone.platform;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's configuration: {@code conf/agentphone.json} (the working directory's, else the copy
 * in the jar), then environment variables on top. {@link #ENVIRONMENT} is the one list of
 * variables the README documents.
 */
public final class AppConfig {
  /** Environment variable → configuration path. */
  public static final Map<String, String> ENVIRONMENT = new LinkedHashMap<>();

  static {
    ENVIRONMENT.put("AGENTPHONE_HTTP_PORT", "http.port");
    ENVIRONMENT.put("AGENTPHONE_HTTP_INSTANCES", "http.instances");
    ENVIRONMENT.put("AGENTPHONE_PUBLIC_URL", "publicUrl");
    ENVIRONMENT.put("AGENTPHONE_DATA_DIR", "dataDir");
    ENVIRONMENT.put("AGENTPHONE_PROVIDERS", "providers");
    ENVIRONMENT.put("AGENTPHONE_SANDBOX_PUBLIC", "sandbox.public");
    ENVIRONMENT.put("AGENTPHONE_DATABASE_URL", "database.url");
    ENVIRONMENT.put("AGENTPHONE_DATABASE_POOL_SIZE", "database.poolSize");
    ENVIRONMENT.put("AGENTPHONE_EMBEDDED_DB_PORT", "database.embeddedPort");
    ENVIRONMENT.put("AGENTPHONE_RATE_LIMIT_RPS", "rateLimit.requestsPerSecond");
    ENVIRONMENT.put("AGENTPHONE_RATE_LIMIT_BURST", "rateLimit.burst");
    ENVIRONMENT.put("AGENTPHONE_AUTH_CACHE_SECONDS", "auth.cacheSeconds");
    ENVIRONMENT.put("AGENTPHONE_OTP_SECRET", "signup.otpSecret");
    ENVIRONMENT.put("AGENTPHONE_EMAIL_FROM", "email.from");
    ENVIRONMENT.put("AGENTPHONE_SMTP_HOST", "email.smtpHost");
    ENVIRONMENT.put("AGENTPHONE_SMTP_PORT", "email.smtpPort");
    ENVIRONMENT.put("AGENTPHONE_SMTP_USERNAME", "email.smtpUsername");
    ENVIRONMENT.put("AGENTPHONE_SMTP_PASSWORD", "email.smtpPassword");
    ENVIRONMENT.put("AGENTPHONE_WEBHOOKS_ALLOW_PRIVATE", "webhooks.allowPrivateTargets");
    ENVIRONMENT.put("TWILIO_ACCOUNT_SID", "twilio.accountSid");
    ENVIRONMENT.put("TWILIO_AUTH_TOKEN", "twilio.authToken");
    ENVIRONMENT.put("RETELL_API_KEY", "retell.apiKey");
    ENVIRONMENT.put("RETELL_BASE_URL", "retell.baseUrl");
    ENVIRONMENT.put("AGENTPHONE_LLM_SOCKET_SECRET", "retell.llmSocketSecret");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER", "cluster.enabled");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER_NAME", "cluster.name");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER_HOST", "cluster.host");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER_PORT", "cluster.port");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER_MEMBERS", "cluster.members");
    ENVIRONMENT.put("AGENTPHONE_CLUSTER_BUS_PORT", "cluster.busPort");
    ENVIRONMENT.put("AGENTPHONE_KAFKA_BOOTSTRAP", "kafka.bootstrap");
    ENVIRONMENT.put("AGENTPHONE_KAFKA_TOPIC", "kafka.topic");
  }

  private static volatile JsonObject bundled;

  private final JsonObject json;

  public AppConfig(JsonObject json) {
    this.json = json;
  }

  /** Reads the file configuration and applies the given environment over it. */
  public static AppConfig load(Map<String, String> env) {
    JsonObject json = readFile(env.get("AGENTPHONE_CONFIG"));
    ENVIRONMENT.forEach((variable, path) -> {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        set(json, path, value);
      }
    });
    return new AppConfig(json);
  }

  /** The file configuration with the given paths ({@code "http.port"}) overridden; for tests. */
  public static AppConfig withOverrides(Map<String, Object> overrides) {
    JsonObject json = readFile(null);
    overrides.forEach((path, value) -> set(json, path, value));
    return new AppConfig(json);
  }

  private static JsonObject readFile(String explicitPath) {
    try {
      Path path = Path.of(explicitPath != null ? explicitPath : "conf/agentphone.json");
      if (Files.isRegularFile(path)) {
        return new JsonObject(Files.readString(path));
      }
      return bundled().copy();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read configuration", e);
    }
  }

  /** The copy of {@code conf/agentphone.json} in the jar: where every default is written. */
  private static JsonObject bundled() {
    JsonObject defaults = bundled;
    if (defaults == null) {
      try (InputStream in = AppConfig.class.getResourceAsStream("/conf/agentphone.json")) {
        if (in == null) {
          throw new IllegalStateException("conf/agentphone.json is missing from the jar");
        }
        defaults = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        bundled = defaults;
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the bundled configuration", e);
      }
    }
    return defaults;
  }

  private static void set(JsonObject json, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    node.put(parts[parts.length - 1], value);
  }

  private Object raw(String path) {
    return raw(json, path);
  }

  private static Object raw(JsonObject json, String path) {
    String[] parts = path.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
      if (node == null) {
        return null;
      }
    }
    return node.getValue(parts[parts.length - 1]);
  }

  public String string(String path) {
    Object value = raw(path);
    return value == null ? null : value.toString();
  }

  public String string(String path, String fallback) {
    String value = string(path);
    return value == null ? fallback : value;
  }

  public int integer(String path, int fallback) {
    Object value = raw(path);
    if (value == null) {
      return fallback;
    }
    return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
  }

  public long longValue(String path, long fallback) {
    Object value = raw(path);
    if (value == null) {
      return fallback;
    }
    return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
  }

  /**
   * A numeric setting whose default is written only in the bundled {@code conf/agentphone.json}:
   * a configuration file written for an older version, without the setting, gets that default.
   */
  public long longValue(String path) {
    Object value = raw(path);
    if (value == null) {
      value = raw(bundled(), path);
    }
    if (value == null) {
      throw new IllegalStateException("setting " + path + " is missing from conf/agentphone.json");
    }
    return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
  }

  public int integer(String path) {
    return Math.toIntExact(longValue(path));
  }

  public boolean bool(String path, boolean fallback) {
    Object value = raw(path);
    if (value == null) {
      return fallback;
    }
    return value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim());
  }

  public JsonObject object(String path) {
    Object value = raw(path);
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  public JsonObject json() {
    return json;
  }

  public boolean sandbox() {
    return !"live".equalsIgnoreCase(string("providers", "sandbox"));
  }

  public String publicUrl() {
    String url = string("publicUrl", "http://localhost:8080");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public int httpPort() {
    return integer("http.port", 8080);
  }

  public Path dataDir() {
    return Path.of(string("dataDir", "./data"));
  }
}
