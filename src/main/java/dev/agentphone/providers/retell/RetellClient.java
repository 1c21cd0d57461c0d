package dev.agentphone.providers.retell;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.AppConfig;
import io.vertx.core.Future;
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
 * Retell's REST API over {@code vertx-web-client}. Every provider failure (an error status, an
 * unreachable host, a timeout) becomes a 502 {@link ApiError} naming the operation, so callers
 * never leak a 500 for something the voice provider did.
 */
public final class RetellClient {
  private final WebClient web;
  private final String baseUrl;
  private final String apiKey;
  private final long timeoutMillis;

  public RetellClient(Vertx vertx, String baseUrl, String apiKey, long timeoutMillis) {
    this.web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true)
        .setFollowRedirects(false).setUserAgent("agentphone-engine"));
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.apiKey = apiKey;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The Retell this engine talks to: the configured one when {@code retell.apiKey} is set, else in
   * sandbox mode the simulated Retell the engine serves itself under {@code /sandbox/retell}.
   */
  public static RetellClient create(Vertx vertx, AppConfig config) {
    return new RetellClient(vertx, baseUrl(config), apiKey(config),
        config.longValue("retell.requestTimeoutMillis"));
  }

  public static String baseUrl(AppConfig config) {
    if (usesSandbox(config)) {
      return "http://localhost:" + config.httpPort() + "/sandbox/retell";
    }
    return config.string("retell.baseUrl");
  }

  /**
   * The key for REST calls and for verifying Retell's webhook signatures. Only the simulated
   * Retell of sandbox mode uses the published sandbox key; live mode has no fallback.
   */
  public static String apiKey(AppConfig config) {
    String key = config.optionalString("retell.apiKey");
    if (key != null) {
      return key;
    }
    if (!usesSandbox(config)) {
      throw new IllegalStateException("live mode needs RETELL_API_KEY");
    }
    return config.string("retell.sandboxApiKey");
  }

  public static boolean usesSandbox(AppConfig config) {
    return config.sandbox() && config.optionalString("retell.apiKey") == null;
  }

  public Future<JsonObject> createLlm(JsonObject body) {
    return object(HttpMethod.POST, "/create-retell-llm", body, "create the voice LLM");
  }

  public Future<JsonObject> updateLlm(String llmId, JsonObject body) {
    return object(HttpMethod.PATCH, "/update-retell-llm/" + llmId, body, "update the voice LLM");
  }

  public Future<Void> deleteLlm(String llmId) {
    return delete("/delete-retell-llm/" + llmId, "delete the voice LLM");
  }

  public Future<JsonObject> createAgent(JsonObject body) {
    return object(HttpMethod.POST, "/create-agent", body, "create the voice agent");
  }

  public Future<JsonObject> updateAgent(String agentId, JsonObject body) {
    return object(HttpMethod.PATCH, "/update-agent/" + agentId, body, "update the voice agent");
  }

  public Future<Void> deleteAgent(String agentId) {
    return delete("/delete-agent/" + agentId, "delete the voice agent");
  }

  public Future<JsonArray> listVoices() {
    return send(HttpMethod.GET, "/list-voices", null, "list voices").map(response -> {
      Object body = decode(response, "list voices");
      if (body instanceof JsonArray voices) {
        return voices;
      }
      throw providerError("list voices", "unexpected answer");
    });
  }

  public Future<JsonObject> createPhoneCall(JsonObject body) {
    return object(HttpMethod.POST, "/v2/create-phone-call", body, "place the call");
  }

  public Future<JsonObject> createWebCall(JsonObject body) {
    return object(HttpMethod.POST, "/v2/create-web-call", body, "create the web call");
  }

  /**
   * Retell's record of a call ({@code call_id, agent_id, call_status, direction, from_number,
   * to_number, start_timestamp, end_timestamp, transcript_object, disconnection_reason, metadata,
   * call_analysis}); null when Retell does not know the call.
   */
  public Future<JsonObject> getCall(String callId) {
    String what = "read the call";
    return request(HttpMethod.GET, "/v2/get-call/" + urlSegment(callId)).send()
        .recover(failure -> Future.failedFuture(unreachable(what, failure)))
        .compose(response -> {
          if (response.statusCode() == 404) {
            return Future.succeededFuture(null);
          }
          if (response.statusCode() / 100 != 2) {
            return Future.failedFuture(statusError(what, response));
          }
          if (decode(response, what) instanceof JsonObject call) {
            return Future.succeededFuture(call);
          }
          return Future.failedFuture(providerError(what, "unexpected answer"));
        });
  }

  /**
   * Asks Retell to hang up a call it is carrying ({@code POST /v2/stop-call/{call_id}}); a call
   * Retell no longer knows counts as stopped.
   */
  public Future<Void> stopCall(String callId) {
    String what = "stop the call";
    return request(HttpMethod.POST, "/v2/stop-call/" + urlSegment(callId)).send()
        .recover(failure -> Future.failedFuture(unreachable(what, failure)))
        .compose(response -> response.statusCode() / 100 == 2 || response.statusCode() == 404
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(statusError(what, response)));
  }

  private static String urlSegment(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  public Future<JsonObject> importPhoneNumber(JsonObject body) {
    return object(HttpMethod.POST, "/import-phone-number", body, "import the phone number");
  }

  public Future<JsonObject> updatePhoneNumber(String phoneNumber, JsonObject body) {
    return object(HttpMethod.PATCH, "/update-phone-number/" + phoneNumber, body,
        "update the phone number");
  }

  public Future<Void> deletePhoneNumber(String phoneNumber) {
    return delete("/delete-phone-number/" + phoneNumber, "release the phone number");
  }

  private Future<JsonObject> object(HttpMethod method, String path, JsonObject body, String what) {
    return send(method, path, body, what).map(response -> {
      Object decoded = decode(response, what);
      if (decoded instanceof JsonObject object) {
        return object;
      }
      throw providerError(what, "unexpected answer");
    });
  }

  /** A delete of something already gone counts as done, so a retried cleanup converges. */
  private Future<Void> delete(String path, String what) {
    return request(HttpMethod.DELETE, path).send()
        .recover(failure -> Future.failedFuture(unreachable(what, failure)))
        .compose(response -> {
          if (response.statusCode() / 100 == 2 || response.statusCode() == 404) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(statusError(what, response));
        });
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String path, JsonObject body,
      String what) {
    HttpRequest<Buffer> request = request(method, path);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send()
        : request.sendJsonObject(body);
    return sent.recover(failure -> Future.failedFuture(unreachable(what, failure)))
        .compose(response -> response.statusCode() / 100 == 2
            ? Future.succeededFuture(response)
            : Future.failedFuture(statusError(what, response)));
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path) {
    return web.requestAbs(method, baseUrl + path)
        .putHeader("Authorization", "Bearer " + apiKey)
        .putHeader("Accept", "application/json")
        .timeout(timeoutMillis);
  }

  private static Object decode(HttpResponse<Buffer> response, String what) {
    try {
      return response.body() == null ? null : Json.decodeValue(response.body());
    } catch (DecodeException e) {
      throw providerError(what, "unreadable answer");
    }
  }

  private static ApiError unreachable(String what, Throwable failure) {
    return providerError(what, "the voice provider did not answer ("
        + failure.getClass().getSimpleName() + ")");
  }

  /** Retell errors look like {@code {"status": "error", "message": "…"}}; keep the message. */
  private static ApiError statusError(String what, HttpResponse<Buffer> response) {
    String message = null;
    try {
      Object body = response.body() == null ? null : Json.decodeValue(response.body());
      if (body instanceof JsonObject object) {
        message = object.getString("message", object.getString("error_message"));
      }
    } catch (DecodeException | ClassCastException ignored) {
      // a non-JSON error page: the status says enough
    }
    String reason = "Retell answered " + response.statusCode()
        + (message != null && !message.isBlank() ? ": " + message : "");
    return providerError(what, reason);
  }

  private static ApiError providerError(String what, String reason) {
    return new ApiError(502, "Voice provider error: could not " + what + " (" + reason + ")");
  }
}
