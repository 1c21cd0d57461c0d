package dev.agentphone.support;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Retell's REST API at the network edge, answering with Retell's JSON shapes
 * ({@code llm_id}, {@code agent_id}, {@code response_engine}, call objects, error bodies
 * {@code {"status": "error", "message": …}}). Like Retell it remembers the agents, imported
 * numbers and calls it holds, and answers {@code GET /v2/get-call/{id}} from them (404 for a call
 * it does not know). An ended call names its recording ({@code recording_url}), which the fake
 * also serves, as Retell's storage does, without an API key. It records every request and can be
 * told to fail or never answer a path, or to hold every answer back until released (a slow
 * Retell).
 */
public final class FakeRetellApi implements AutoCloseable {
  public record Request(String method, String path, String authorization, JsonObject body) {
  }

  public final List<Request> requests = new CopyOnWriteArrayList<>();
  /** Retell's LLMs, agents, numbers and calls by id (phone number for numbers). */
  public final Map<String, JsonObject> llms = new ConcurrentHashMap<>();
  public final Map<String, JsonObject> agents = new ConcurrentHashMap<>();
  public final Map<String, JsonObject> numbers = new ConcurrentHashMap<>();
  public final Map<String, JsonObject> calls = new ConcurrentHashMap<>();
  /** Audio served under {@code /recordings/{name}}: content type and bytes. */
  private final Map<String, Map.Entry<String, byte[]>> recordings = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private int counter;
  private volatile Promise<Void> gate;
  private final AtomicInteger waiting = new AtomicInteger();

  public FakeRetellApi() {
    Handler<HttpServerRequest> answering = request -> request.body().onSuccess(buffer -> {
      String path = request.path();
      JsonObject body = buffer.length() == 0 ? null : buffer.toJsonObject();
      requests.add(new Request(request.method().name(), path, request.getHeader("Authorization"),
          body));
      if (hanging.stream().anyMatch(path::startsWith)) {
        return; // never answers: the caller's time-out, or its node dying, ends the wait
      }
      Integer failure = failures.entrySet().stream().filter(e -> path.startsWith(e.getKey()))
          .map(Map.Entry::getValue).findFirst().orElse(null);
      if (failure != null) {
        error(request, failure, "simulated failure " + failure);
        return;
      }
      answer(request, path, body);
    });
    server = vertx.createHttpServer().requestHandler(request -> {
      Promise<Void> held = gate;
      if (held == null) {
        answering.handle(request);
        return;
      }
      request.pause();
      waiting.incrementAndGet();
      Context context = vertx.getOrCreateContext();
      held.future().onComplete(v -> context.runOnContext(go -> {
        waiting.decrementAndGet();
        answering.handle(request);
        request.resume();
      }));
    });
    try {
      server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void answer(HttpServerRequest request, String path, JsonObject body) {
    int n;
    synchronized (this) {
      n = ++counter;
    }
    JsonObject answer;
    if (path.equals("/create-retell-llm")) {
      answer = body.copy().put("llm_id", "llm_fake" + n).put("version", 0)
          .put("last_modification_timestamp", System.currentTimeMillis());
      llms.put(answer.getString("llm_id"), answer);
    } else if (path.equals("/create-agent")) {
      answer = body.copy().put("agent_id", "agent_fake" + n).put("version", 0)
          .put("last_modification_timestamp", System.currentTimeMillis());
      agents.put(answer.getString("agent_id"), answer);
    } else if (path.startsWith("/update-agent/")) {
      String id = path.substring("/update-agent/".length());
      answer = agents.merge(id, body.copy().put("agent_id", id), JsonObject::mergeIn);
    } else if (path.startsWith("/update-retell-llm/")) {
      String id = path.substring("/update-retell-llm/".length());
      answer = llms.merge(id, body.copy().put("llm_id", id), JsonObject::mergeIn);
    } else if (path.equals("/import-phone-number")) {
      answer = body.copy();
      numbers.put(body.getString("phone_number"), answer);
    } else if (path.startsWith("/update-phone-number/")) {
      String number = path.substring("/update-phone-number/".length());
      answer = numbers.merge(number, body.copy().put("phone_number", number), JsonObject::mergeIn);
    } else if (path.startsWith("/delete-")) {
      request.response().setStatusCode(204).end();
      return;
    } else if (path.equals("/list-voices")) {
      request.response().putHeader("Content-Type", "application/json").end(new JsonArray()
          .add(new JsonObject().put("voice_id", "11labs-Fake").put("voice_name", "Fake")
              .put("provider", "elevenlabs").put("gender", "female").put("accent", "American")
              .put("age", "Young").put("preview_audio_url", "https://example.com/fake.mp3"))
          .encode());
      return;
    } else if (path.startsWith("/v2/get-call/")) {
      JsonObject call = calls.get(path.substring("/v2/get-call/".length()));
      if (call == null) {
        error(request, 404, "Call not found");
        return;
      }
      request.response().putHeader("Content-Type", "application/json").end(call.encode());
      return;
    } else if (path.startsWith("/recordings/")) {
      Map.Entry<String, byte[]> audio = recordings.get(path.substring("/recordings/".length()));
      if (audio == null) {
        error(request, 404, "Not Found");
        return;
      }
      request.response().putHeader("Content-Type", audio.getKey())
          .end(io.vertx.core.buffer.Buffer.buffer(audio.getValue()));
      return;
    } else if (path.startsWith("/v2/stop-call/")) {
      JsonObject call = calls.get(path.substring("/v2/stop-call/".length()));
      if (call == null) {
        error(request, 404, "Call not found");
        return;
      }
      call.put("call_status", "ended").put("end_timestamp", System.currentTimeMillis())
          .put("disconnection_reason", "manual_stopped");
      request.response().setStatusCode(204).end();
      return;
    } else if (path.equals("/v2/create-phone-call")) {
      answer = new JsonObject().put("call_id", "call_fake" + n).put("call_type", "phone_call")
          .put("agent_id", body.getString("override_agent_id")).put("call_status", "registered")
          .put("from_number", body.getString("from_number"))
          .put("to_number", body.getString("to_number")).put("direction", "outbound")
          .put("metadata", body.getJsonObject("metadata"));
      calls.put(answer.getString("call_id"), answer);
    } else if (path.equals("/v2/create-web-call")) {
      answer = new JsonObject().put("call_id", "call_fake" + n).put("call_type", "web_call")
          .put("agent_id", body.getString("agent_id")).put("call_status", "registered")
          .put("access_token", "token_fake" + n).put("metadata", body.getJsonObject("metadata"));
      calls.put(answer.getString("call_id"), answer);
    } else {
      error(request, 404, "Not Found");
      return;
    }
    request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(answer.encode());
  }

  private static void error(HttpServerRequest request, int status, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("status", "error").put("message", message).encode());
  }

  /**
   * Ends Retell's call {@code callId} with a recording of {@code audio} ({@code contentType}),
   * served at the {@code recording_url} the answered call object names.
   */
  public JsonObject endWithRecording(String callId, byte[] audio, String contentType) {
    String name = callId + (contentType.contains("mpeg") ? ".mp3" : ".wav");
    recordings.put(name, Map.entry(contentType, audio));
    long now = System.currentTimeMillis();
    return calls.compute(callId, (id, known) -> (known == null ? new JsonObject()
            .put("call_id", id) : known)
        .put("call_status", "ended").put("end_timestamp", now)
        .put("start_timestamp", known == null ? now - 5_000
            : known.getLong("start_timestamp", now - 5_000))
        .put("disconnection_reason", "user_hangup")
        .put("recording_url", baseUrl() + "/recordings/" + name)).copy();
  }

  /** From now on requests are taken but not answered until {@link #release()}: a slow Retell. */
  public void hold() {
    gate = Promise.promise();
  }

  /** Answers every held request, and later ones at once. */
  public void release() {
    Promise<Void> held = gate;
    gate = null;
    if (held != null) {
      held.tryComplete();
    }
  }

  /** Requests taken and not answered yet because of {@link #hold()}. */
  public int waiting() {
    return waiting.get();
  }

  public String baseUrl() {
    return "http://localhost:" + server.actualPort();
  }

  /** Answers requests whose path starts with {@code pathPrefix} with {@code status}. */
  public void fail(String pathPrefix, int status) {
    failures.put(pathPrefix, status);
  }

  /** Never answers requests whose path starts with {@code pathPrefix}. */
  public void hang(String pathPrefix) {
    hanging.add(pathPrefix);
  }

  public void heal() {
    failures.clear();
    hanging.clear();
  }

  /** What the engine answered a custom-function request. */
  public record ToolAnswer(int status, String contentType, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /**
   * Calls the custom function {@code name} of the LLM {@code llmId} as Retell does when the
   * model invokes it: a POST of {@code {call, name, args}} to the function's URL, signed with
   * {@code X-Retell-Signature} under {@code apiKey}. The call object is the one Retell holds.
   */
  public ToolAnswer callTool(String llmId, String name, String retellCallId, JsonObject args,
      String apiKey) {
    JsonObject tool = llms.get(llmId).getJsonArray("general_tools").stream()
        .map(JsonObject.class::cast).filter(t -> name.equals(t.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("the LLM has no tool " + name));
    JsonObject call = calls.getOrDefault(retellCallId, new JsonObject()
        .put("call_id", retellCallId));
    String body = new JsonObject().put("call", call).put("name", name).put("args", args).encode();
    return post(tool.getString("url"), body, dev.agentphone.providers.retell.RetellSignature
        .sign(apiKey, body, System.currentTimeMillis()));
  }

  /** A POST to {@code url} with {@code signature} (null: none). */
  public static ToolAnswer post(String url, String body, String signature) {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(url)).timeout(java.time.Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      request.header(dev.agentphone.providers.retell.RetellSignature.HEADER, signature);
    }
    try {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
          .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return new ToolAnswer(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null), response.body());
    } catch (Exception e) {
      throw new IllegalStateException("POST " + url + " failed", e);
    }
  }

  public List<Request> to(String pathPrefix) {
    return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
  }

  @Override
  public void close() {
    vertx.close();
  }
}
