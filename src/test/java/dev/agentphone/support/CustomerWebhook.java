package dev.agentphone.support;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A customer's webhook receiver at the network edge; each test decides how it answers. */
public final class CustomerWebhook implements AutoCloseable {
  /** One received POST: its parsed body and headers. */
  public record Received(JsonObject body, Map<String, String> headers, HttpServerRequest request) {
  }

  public final List<Received> received = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private volatile Handler<Received> answer = r -> r.request().response()
      .putHeader("Content-Type", "application/json").end("{\"text\": \"ok\"}");

  public CustomerWebhook() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
      Map<String, String> headers = new java.util.HashMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      Received r = new Received(b.length() == 0 ? null : b.toJsonObject(), headers, request);
      received.add(r);
      answer.handle(r);
    }));
    try {
      server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return "http://localhost:" + server.actualPort() + "/hook";
  }

  /** Another path on the same receiver (a customer's tool endpoint, say). */
  public String url(String path) {
    return "http://localhost:" + server.actualPort() + path;
  }

  public void answer(Handler<Received> handler) {
    this.answer = handler;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    vertx.close();
  }
}
