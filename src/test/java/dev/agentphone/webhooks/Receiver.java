package dev.agentphone.webhooks;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A customer's webhook endpoint for tests: a real HTTP server that keeps every request it gets
 * and answers as the test's policy says.
 */
final class Receiver implements AutoCloseable {
  /** One request as received: raw body bytes and headers (names lower-cased). */
  record Hit(String path, Map<String, String> headers, byte[] body, long receivedNanos) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    JsonObject json() {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    }

    String id() {
      return header("X-Webhook-ID");
    }
  }

  /** How to answer one request. */
  record Reply(int status, Map<String, String> headers, String body, long delayMs) {
    static Reply ok() {
      return new Reply(200, Map.of(), "ok", 0);
    }

    static Reply status(int status) {
      return new Reply(status, Map.of(), "status " + status, 0);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private volatile Function<Hit, Reply> policy = hit -> Reply.ok();

  Receiver() {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      Map<String, String> headers = new TreeMap<>();
      request.headers().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
      Hit hit = new Hit(request.path(), headers, body.getBytes(), System.nanoTime());
      hits.add(hit);
      Reply reply = policy.apply(hit);
      Runnable answer = () -> {
        request.response().setStatusCode(reply.status());
        reply.headers().forEach(request.response()::putHeader);
        request.response().end(reply.body() == null ? "" : reply.body());
      };
      if (reply.delayMs() > 0) {
        vertx.setTimer(reply.delayMs(), t -> answer.run());
      } else {
        answer.run();
      }
    }));
    try {
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  int port() {
    return server.actualPort();
  }

  void respond(Function<Hit, Reply> policy) {
    this.policy = policy;
  }

  List<Hit> hits(Predicate<Hit> which) {
    List<Hit> out = new ArrayList<>();
    for (Hit hit : hits) {
      if (which.test(hit)) {
        out.add(hit);
      }
    }
    return out;
  }

  List<Hit> onPath(String path) {
    return hits(h -> h.path().equals(path));
  }

  /** Waits until at least {@code count} requests match, then returns them all. */
  List<Hit> await(int count, Predicate<Hit> which) {
    return await(count, which, Duration.ofSeconds(20));
  }

  List<Hit> await(int count, Predicate<Hit> which, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      List<Hit> matching = hits(which);
      if (matching.size() >= count) {
        return matching;
      }
      sleep(10);
    }
    throw new AssertionError("expected " + count + " webhook requests, got " + hits(which).size());
  }

  List<Hit> awaitPath(int count, String path) {
    return await(count, h -> h.path().equals(path));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    vertx.close();
  }
}
