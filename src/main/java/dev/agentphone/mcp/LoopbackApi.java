package dev.agentphone.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The engine's own REST API, reached over loopback HTTP with the MCP caller's credentials: its
 * {@code Authorization} and {@code X-Sub-Account-Id} headers are forwarded unchanged, so every
 * tool runs exactly as the same request from the caller would, through the same authentication,
 * sub-account scoping, rate limit and validation. Requests are made the way the official MCP
 * server makes them (JSON content type on every request, a body only when there is one, a
 * 30-second time-out unless a tool waits longer).
 */
final class LoopbackApi {
  static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final WebClient web;
  private final int port;

  LoopbackApi(Vertx vertx, int port) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(port)
        .setKeepAlive(true)
        .setFollowRedirects(false)
        .setUserAgentEnabled(false)
        .setConnectTimeout(10_000));
    this.port = port;
  }

  /** One caller's view of the API. */
  Caller as(String authorization, String subAccount) {
    return new Caller(authorization, subAccount);
  }

  int port() {
    return port;
  }

  void close() {
    web.close();
  }

  /** The API as one MCP caller, with that caller's headers. */
  final class Caller {
    private final String authorization;
    private final String subAccount;

    private Caller(String authorization, String subAccount) {
      this.authorization = authorization;
      this.subAccount = subAccount;
    }

    /** Completes after {@code millis}, without holding a thread. */
    Future<Void> pause(long millis) {
      Promise<Void> paused = Promise.promise();
      vertx.setTimer(Math.max(1, millis), id -> paused.complete());
      return paused.future();
    }

    Future<Object> get(String path) {
      return request(HttpMethod.GET, path, null, DEFAULT_TIMEOUT_MILLIS);
    }

    Future<Object> delete(String path) {
      return request(HttpMethod.DELETE, path, null, DEFAULT_TIMEOUT_MILLIS);
    }

    Future<Object> post(String path, JsonObject body) {
      return request(HttpMethod.POST, path, body, DEFAULT_TIMEOUT_MILLIS);
    }

    Future<Object> patch(String path, JsonObject body) {
      return request(HttpMethod.PATCH, path, body, DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * The parsed JSON answer of a 2xx ({@code {}} for a 204), or a failed {@link ApiFailure}
     * with the answer's {@code detail}.
     */
    Future<Object> request(HttpMethod method, String path, JsonObject body, long timeoutMillis) {
      HttpRequest<Buffer> request = web.request(method, path)
          .putHeader("Content-Type", "application/json")
          .timeout(timeoutMillis);
      if (authorization != null) {
        request.putHeader("Authorization", authorization);
      }
      if (subAccount != null) {
        request.putHeader("X-Sub-Account-Id", subAccount);
      }
      Future<HttpResponse<Buffer>> sent = body == null ? request.send()
          : request.sendBuffer(Buffer.buffer(body.encode()));
      return sent
          .recover(failure -> Future.failedFuture(failure instanceof java.util.concurrent
              .TimeoutException || String.valueOf(failure.getMessage()).contains("timeout")
              ? new ApiFailure(0, method.name(), path,
                  "Request timed out after " + timeoutMillis + "ms")
              : failure))
          .compose(response -> answer(method, path, response));
    }
  }

  private static Future<Object> answer(HttpMethod method, String path,
      HttpResponse<Buffer> response) {
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.bodyAsString();
    if (status < 200 || status > 299) {
      return Future.failedFuture(new ApiFailure(status, method.name(), path, detail(text)));
    }
    if (status == 204) {
      return Future.succeededFuture(new JsonObject());
    }
    try {
      return Future.succeededFuture(Json.decodeValue(text));
    } catch (DecodeException e) {
      return Future.failedFuture(new IllegalStateException(
          "The answer of " + method + " " + path + " is not JSON"));
    }
  }

  /**
   * What the answer says went wrong: its {@code detail} (a 422's list of field errors as
   * "field: message" lines), else its {@code message}, else the text itself.
   */
  static String detail(String text) {
    Object json;
    try {
      json = Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
    if (!(json instanceof JsonObject object)) {
      return text;
    }
    Object detail = object.getValue("detail");
    if (detail instanceof JsonArray errors) {
      StringBuilder out = new StringBuilder();
      for (Object error : errors) {
        out.append(out.length() == 0 ? "" : "; ").append(fieldError(error));
      }
      return out.toString();
    }
    if (detail != null) {
      return detail instanceof String s ? s : Js.compact(detail);
    }
    Object message = object.getValue("message");
    return message != null ? Js.text(message) : text;
  }

  /** {@code {"loc": ["body", "to_number"], "msg": "Field required"}} → "to_number: Field required". */
  private static String fieldError(Object error) {
    if (!(error instanceof JsonObject e)) {
      return Js.text(error);
    }
    JsonArray loc = e.getJsonArray("loc", new JsonArray());
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < loc.size(); i++) {
      Object part = loc.getValue(i);
      if (i == 0 && loc.size() > 1 && ("body".equals(part) || "query".equals(part)
          || "path".equals(part))) {
        continue;
      }
      field.append(field.length() == 0 ? "" : ".").append(Js.text(part));
    }
    String msg = e.getString("msg", "invalid");
    return field.length() == 0 ? msg : field + ": " + msg;
  }

  /** A non-2xx answer (status 0: no answer in time), as the official server's {@code ApiError}. */
  static final class ApiFailure extends RuntimeException {
    final int status;
    final String method;
    final String path;
    final String detail;

    ApiFailure(int status, String method, String path, String detail) {
      super("AgentPhone API " + method + " " + path + " failed (" + status + "): " + detail);
      this.status = status;
      this.method = method;
      this.path = path;
      this.detail = detail;
    }
  }
}
