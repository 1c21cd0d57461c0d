package dev.agentphone.lab;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A customer webhook the runner serves on loopback for one scenario: it records every event it
 * receives in the scenario's {@link EventLog} and answers voice turns as its
 * {@link WebhookBehaviour} says; every other event is answered 200.
 */
final class WebhookServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "lab-webhook");
    thread.setDaemon(true);
    return thread;
  });
  private final EventLog events;
  private final WebhookBehaviour behaviour;

  WebhookServer(EventLog events, WebhookBehaviour behaviour) throws IOException {
    this.events = events;
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonObject event;
      try {
        event = new JsonObject(text);
      } catch (DecodeException e) {
        event = new JsonObject().put("event", "unreadable").put("body", text);
      }
      events.add(event);
      boolean voiceTurn = "agent.message".equals(event.getString("event"))
          && "voice".equals(event.getString("channel"));
      if (behaviour == null || !voiceTurn) {
        send(exchange, 200, "application/json", "{}");
        return;
      }
      answer(exchange, event.getJsonObject("data", new JsonObject()).getString("transcript"));
    } catch (IOException e) {
      // the engine gave up on the turn (a newer one superseded it, or its timeout passed)
    }
  }

  private void answer(HttpExchange exchange, String transcript) throws IOException {
    LabHttp.sleep(behaviour.delayMs());
    if (behaviour.ndjson() != null) {
      exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      exchange.sendResponseHeaders(behaviour.status(), 0);
      OutputStream out = exchange.getResponseBody();
      for (int i = 0; i < behaviour.ndjson().size(); i++) {
        boolean last = i == behaviour.ndjson().size() - 1;
        JsonObject line = new JsonObject().put("text", behaviour.ndjson().get(i));
        if (!last) {
          line.put("interim", true);
        }
        out.write((line.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!last) {
          LabHttp.sleep(behaviour.chunkDelayMs());
        }
      }
      return;
    }
    if (behaviour.body() != null) {
      send(exchange, behaviour.status(), behaviour.contentType() != null
          ? behaviour.contentType() : "text/plain", behaviour.body());
    } else if (behaviour.status() / 100 != 2) {
      send(exchange, behaviour.status(), "application/json",
          new JsonObject().put("detail", "the scenario's webhook fails").encode());
    } else {
      send(exchange, behaviour.status(), "application/json", behaviour.answer(transcript));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
