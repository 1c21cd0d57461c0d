package dev.agentphone.support;

import dev.agentphone.Engine;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.VertxFactory;
import dev.agentphone.providers.ProviderEdges;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole engine for a test: its own Vert.x, a fresh database (unless one is given) and a free
 * port, in sandbox mode, with a client that speaks to it over real HTTP.
 */
public final class TestEngine implements AutoCloseable {
  public final Vertx vertx;
  public final Engine engine;
  public final String databaseUrl;
  public final int port;
  public final Api api;

  private TestEngine(Vertx vertx, Engine engine, String databaseUrl, int port) {
    this.vertx = vertx;
    this.engine = engine;
    this.databaseUrl = databaseUrl;
    this.port = port;
    this.api = new Api("http://localhost:" + port);
  }

  /** A new engine on a fresh database with the file configuration and nothing else. */
  public static TestEngine start() {
    return builder().start();
  }

  /** How the next engine is started; {@link Builder#start} starts it. */
  public static Builder builder() {
    return new Builder();
  }

  /** What a test engine is started with; everything not said keeps its default. */
  public static final class Builder {
    private final Map<String, Object> overrides = new HashMap<>();
    private String databaseUrl;
    private Vertx node;
    private ProviderEdges edges = ProviderEdges.NETWORK;

    private Builder() {
    }

    /** This database instead of a fresh one (another engine's, to share or restart on it). */
    public Builder database(String url) {
      this.databaseUrl = url;
      return this;
    }

    /** Configuration overrides by path ({@code "rateLimit.requestsPerSecond"}). */
    public Builder config(Map<String, Object> settings) {
      overrides.putAll(settings);
      return this;
    }

    public Builder config(String path, Object value) {
      overrides.put(path, value);
      return this;
    }

    /** On this Vert.x (a clustered node), closed with the engine; else on a new standalone one. */
    public Builder node(Vertx vertx) {
      this.node = vertx;
      return this;
    }

    /** Providers reached through {@code edges} (a fake of Twilio's REST API, say). */
    public Builder edges(ProviderEdges providerEdges) {
      this.edges = providerEdges;
      return this;
    }

    public TestEngine start() {
      Object configured = overrides.get("database.url");
      String url = databaseUrl != null ? databaseUrl
          : configured != null ? configured.toString() : TestDatabase.fresh();
      int port = freePort();
      Map<String, Object> all = new HashMap<>();
      all.put("http.port", port);
      all.put("http.instances", 2);
      all.put("publicUrl", "http://localhost:" + port);
      all.put("database.poolSize", 8);
      all.put("rateLimit.requestsPerSecond", 0);
      all.putAll(overrides);
      AppConfig config = AppConfig.withOverrides(all);
      Vertx vertx = node != null ? node : VertxFactory.standalone();
      try {
        Engine engine = Engine.start(vertx, config, url, edges)
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new TestEngine(vertx, engine, url, port);
      } catch (Exception e) {
        vertx.close();
        throw new IllegalStateException("engine did not start", e);
      }
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs SQL against this engine's database. */
  public List<Map<String, Object>> sql(String statement, Object... params) {
    return TestDatabase.sql(databaseUrl, statement, params);
  }

  /**
   * Signs up through the public flow (sign-up, code from the sandbox outbox, verify) and returns
   * the verify answer: {@code account_id, agent_id, number_id, phone_number, api_key}.
   */
  public JsonObject signUp(String email) {
    Api.Response signUp = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    if (signUp.status() != 200) {
      throw new IllegalStateException("sign-up failed: " + signUp);
    }
    String code = api.latestCode(email);
    Api.Response verify = api.post("/v0/agent/verify", null, new JsonObject()
        .put("verification_id", signUp.json().getString("verification_id"))
        .put("otp_code", code));
    if (verify.status() != 200) {
      throw new IllegalStateException("verify failed: " + verify);
    }
    return verify.json();
  }

  /** A new account's API key. */
  public String newKey() {
    return signUp("user-" + System.nanoTime() + "@example.com").getString("api_key");
  }

  @Override
  public void close() {
    try {
      engine.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // closing Vert.x below releases everything regardless
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
