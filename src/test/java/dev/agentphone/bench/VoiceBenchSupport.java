package dev.agentphone.bench;

import dev.agentphone.providers.retell.RetellSignature;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Shared pieces of the voice benchmarks: an engine, an account and Retell's side of calls. */
final class VoiceBenchSupport {
  final TestEngine engine;
  final Vertx clients = Vertx.vertx();
  final HttpClient http;
  final WebSocketClient sockets;
  String key;
  String agentId;
  String number;

  VoiceBenchSupport(java.util.Map<String, Object> overrides) {
    java.util.Map<String, Object> all = new java.util.HashMap<>(overrides);
    all.putIfAbsent("database.poolSize", 16);
    all.putIfAbsent("plans.catalog.starter.limits.concurrentCalls", 100_000);
    engine = TestEngine.builder().config(all).start();
    http = clients.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(64));
    sockets = clients.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(100_000));
    JsonObject account = engine.signUp("bench-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    agentId = account.getString("agent_id");
    number = account.getString("phone_number");
  }

  private String socketPath;

  void webhookMode(String url) {
    engine.api.patch("/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    if (url != null) {
      engine.api.post("/v1/agents/" + agentId + "/webhook", key,
          new JsonObject().put("url", url).put("timeout", 30));
    }
  }

  /** The agent's LLM socket URL path as Retell holds it, once the agent is in webhook mode. */
  String socketPath() {
    if (socketPath == null) {
      try (RetellDriver retell = new RetellDriver(engine)) {
        RetellDriver.poll(() -> !engine.sql("SELECT 1 FROM voice_agents WHERE agent_id = ? "
            + "AND voice_mode = 'webhook'", agentId).isEmpty());
        socketPath = retell.socketPathOf(retell.retellAgentOf(agentId));
      }
    }
    return socketPath;
  }

  /** A signed Retell webhook, sent asynchronously. */
  Future<Integer> webhook(String event, JsonObject call) {
    String body = new JsonObject().put("event", event).put("call", call).encode();
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost")
            .setPort(engine.port).setURI("/webhooks/retell")
            .putHeader("Content-Type", "application/json")
            .putHeader(RetellSignature.HEADER, RetellSignature.sign(RetellDriver.SANDBOX_KEY, body,
                System.currentTimeMillis())))
        .compose(req -> req.send(body))
        .compose(response -> response.body().map(b -> response.statusCode()));
  }

  /** Starts {@code count} inbound calls ({@code call_started}, then the LLM socket each). */
  List<WebSocket> startCalls(String prefix, int count) throws Exception {
    List<Future<WebSocket>> opened = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String rid = prefix + i;
      opened.add(webhook("call_started", RetellDriver.call(rid, "inbound", "+14155550100", number))
          .compose(status -> sockets.connect(new WebSocketConnectOptions().setHost("localhost")
              .setPort(engine.port).setURI(socketPath() + "/" + rid))));
      if (i % 50 == 49) {
        // keep the set-up from swamping the engine's pool
        Future.all(opened.subList(i - 49, i + 1)).toCompletionStage().toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
      }
    }
    Future.all(opened).toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
    List<WebSocket> out = new ArrayList<>();
    opened.forEach(f -> out.add(f.result()));
    return out;
  }

  void endCalls(String prefix, int count) throws Exception {
    List<Future<Integer>> ended = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ended.add(webhook("call_ended", RetellDriver.call(prefix + i, "inbound", "+14155550100",
              number).put("end_timestamp", System.currentTimeMillis())
          .put("disconnection_reason", "user_hangup")));
      if (i % 50 == 49) {
        Future.all(ended.subList(i - 49, i + 1)).toCompletionStage().toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
      }
    }
    Future.all(ended).toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  static String millis(Histogram h, double percentile) {
    return String.format("%.2f ms", h.getValueAtPercentile(percentile) / 1000.0);
  }

  void close() {
    clients.close();
    engine.close();
  }
}
