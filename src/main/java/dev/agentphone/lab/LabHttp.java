package dev.agentphone.lab;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The runner's HTTP client to the engine: JSON in and out, with the account's API key. The
 * runner is an outside client like any other; it speaks to the engine only over HTTP.
 */
final class LabHttp {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();

  private final String base;
  private final String key;

  LabHttp(String base, String key) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.key = key;
  }

  LabHttp withKey(String apiKey) {
    return new LabHttp(base, apiKey);
  }

  String base() {
    return base;
  }

  /** An answer: its status and body. */
  record Answer(String method, String path, int status, String body) {
    boolean ok() {
      return status / 100 == 2;
    }

    JsonObject json() {
      try {
        return body == null || body.isBlank() ? new JsonObject() : new JsonObject(body);
      } catch (DecodeException e) {
        return new JsonObject().put("body", body);
      }
    }

    /** The answer's JSON, or a {@link ScenarioException} naming the request and the detail. */
    JsonObject required() {
      if (!ok()) {
        Object detail = json().getValue("detail", body);
        throw new ScenarioException(method + " " + path + " answered " + status + ": " + detail);
      }
      return json();
    }
  }

  Answer get(String path) {
    return send("GET", path, null);
  }

  Answer post(String path, JsonObject body) {
    return send("POST", path, body);
  }

  Answer put(String path, JsonObject body) {
    return send("PUT", path, body);
  }

  Answer delete(String path) {
    return send("DELETE", path, null);
  }

  Answer send(String method, String path, JsonObject body) {
    try {
      return sendAsync(method, path, body).join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new ScenarioException(method + " " + path + " failed: " + cause);
    }
  }

  CompletableFuture<Answer> sendAsync(String method, String path, JsonObject body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(90))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Answer(method, path, r.statusCode(), r.body()));
  }

  /** Waits out a pause of the scenario's own. */
  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ScenarioException("interrupted");
    }
  }

}
