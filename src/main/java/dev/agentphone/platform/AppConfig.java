package dev.agentphone.platform;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The engine's configuration: {@code conf/agentphone.json} (the working directory's, else the copy
 * in the jar), then environment variables on top. {@link #ENVIRONMENT} is the one list of
 * variables the README documents.
 */
public final class AppConfig {
  /** Environment variable → configuration path. */
  public static final Map<String, String> ENVIRONMENT = environment();

  private static Map<String, String> environment() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put("AGENTPHONE_HTTP_PORT", "http.port");
    variables.put("AGENTPHONE_HTTP_INSTANCES", "http.instances");
    variables.put("AGENTPHONE_PUBLIC_URL", "publicUrl");
    variables.put("AGENTPHONE_DATA_DIR", "dataDir");
    variables.put("AGENTPHONE_PROVIDERS", "providers");
    variables.put("AGENTPHONE_SANDBOX_PUBLIC", "sandbox.public");
    variables.put("AGENTPHONE_DATABASE_URL", "database.url");
    variables.put("AGENTPHONE_DATABASE_POOL_SIZE", "database.poolSize");
    variables.put("AGENTPHONE_EMBEDDED_DB_PORT", "database.embeddedPort");
    variables.put("AGENTPHONE_RATE_LIMIT_RPS", "rateLimit.requestsPerSecond");
    variables.put("AGENTPHONE_RATE_LIMIT_BURST", "rateLimit.burst");
    variables.put("AGENTPHONE_AUTH_CACHE_SECONDS", "auth.cacheSeconds");
    variables.put("AGENTPHONE_OTP_SECRET", "signup.otpSecret");
    variables.put("AGENTPHONE_EMAIL_FROM", "email.from");
    variables.put("AGENTPHONE_SMTP_HOST", "email.smtpHost");
    variables.put("AGENTPHONE_SMTP_PORT", "email.smtpPort");
    variables.put("AGENTPHONE_SMTP_USERNAME", "email.smtpUsername");
    variables.put("AGENTPHONE_SMTP_PASSWORD", "email.smtpPassword");
    variables.put("AGENTPHONE_WEBHOOKS_ALLOW_PRIVATE", "webhooks.allowPrivateTargets");
    variables.put("AGENTPHONE_WEBHOOKS_LEASE_AT_PLANNING", "webhooks.leaseAtPlanning");
    variables.put("TWILIO_ACCOUNT_SID", "twilio.accountSid");
    variables.put("TWILIO_AUTH_TOKEN", "twilio.authToken");
    variables.put("RETELL_API_KEY", "retell.apiKey");
    variables.put("RETELL_BASE_URL", "retell.baseUrl");
    variables.put("AGENTPHONE_LLM_SOCKET_SECRET", "retell.llmSocketSecret");
    variables.put("AGENTPHONE_CLUSTER", "cluster.enabled");
    variables.put("AGENTPHONE_CLUSTER_NAME", "cluster.name");
    variables.put("AGENTPHONE_CLUSTER_HOST", "cluster.host");
    variables.put("AGENTPHONE_CLUSTER_PORT", "cluster.port");
    variables.put("AGENTPHONE_CLUSTER_MEMBERS", "cluster.members");
    variables.put("AGENTPHONE_CLUSTER_BUS_PORT", "cluster.busPort");
    variables.put("AGENTPHONE_KAFKA_BOOTSTRAP", "kafka.bootstrap");
    variables.put("AGENTPHONE_KAFKA_TOPIC", "kafka.topic");
    return Collections.unmodifiableMap(variables);
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

  /** A setting's value: the file's, else the bundled default's; {@code declared} false when neither has the key. */
  private record Setting(boolean declared, Object value) {
  }

  private Setting lookup(String path) {
    Setting own = lookup(json, path);
    return own.declared() ? own : lookup(bundled(), path);
  }

  private static Setting lookup(JsonObject json, String path) {
    String[] parts = path.split("\\.");
    JsonObject node = json;
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.getJsonObject(parts[i]);
      if (node == null) {
        return new Setting(false, null);
      }
    }
    String leaf = parts[parts.length - 1];
    return new Setting(node.containsKey(leaf), node.getValue(leaf));
  }

  /**
   * The value at {@code path}, which must be declared in {@code conf/agentphone.json} (where every
   * default is written); a configuration file written for an older version, without the setting,
   * gets the bundled default. A path declared nowhere is a mistake in the code or the file, so it
   * fails at once, naming the path.
   */
  private Object declared(String path) {
    Setting setting = lookup(path);
    if (!setting.declared()) {
      throw new IllegalStateException("setting " + path + " is missing from conf/agentphone.json");
    }
    return setting.value();
  }

  private Object required(String path) {
    Object value = declared(path);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalStateException("setting " + path + " must have a value");
    }
    return value;
  }

  /** A required text setting. */
  public String string(String path) {
    return required(path).toString();
  }

  /** A declared text setting that may be null or blank (answered as null then). */
  public String optionalString(String path) {
    Object value = declared(path);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  public long longValue(String path) {
    Object value = required(path);
    try {
      return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("setting " + path + " must be a whole number, not " + value);
    }
  }

  public int integer(String path) {
    return Math.toIntExact(longValue(path));
  }

  public double decimal(String path) {
    Object value = required(path);
    try {
      return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("setting " + path + " must be a number, not " + value);
    }
  }

  public boolean bool(String path) {
    Boolean value = optionalBool(path);
    if (value == null) {
      throw new IllegalStateException("setting " + path + " must have a value");
    }
    return value;
  }

  /** A declared true/false setting that may be null (meaning: decided elsewhere). */
  public Boolean optionalBool(String path) {
    Object value = declared(path);
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    return value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim());
  }

  /** A declared section or map setting; an empty object when it is null. */
  public JsonObject object(String path) {
    Object value = declared(path);
    return value instanceof JsonObject o ? o : new JsonObject();
  }

  /** A declared setting as it is written: a list, a text or null. */
  public Object raw(String path) {
    return declared(path);
  }

  public JsonObject json() {
    return json;
  }

  public boolean sandbox() {
    return !"live".equalsIgnoreCase(string("providers"));
  }

  /** Ours as providers reach us; unset, it is this machine on the configured port. */
  public String publicUrl() {
    String url = optionalString("publicUrl");
    if (url == null) {
      return "http://localhost:" + httpPort();
    }
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public int httpPort() {
    return integer("http.port");
  }

  public Path dataDir() {
    return Path.of(string("dataDir"));
  }
}
