import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fan-out of one live call to many WebSocket subscribers, measured from outside the engine: signs
 * up a sandbox account, starts a simulated call to a webhook-mode agent, opens the subscribers to
 * GET /v1/calls/{id}/live, drives caller turns through /sandbox/calls/{id}/say, and measures each
 * live frame's delivery: the subscriber's receipt minus the frame's ts (stamped by the call's
 * session when it published the frame; same machine, same clock).
 *
 * <p>java -cp target/agentphone-engine.jar bench/live-fanout/LiveFanout.java URL [subscribers] [turns]
 */
public class LiveFanout {
  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int turns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx);
    String email = "fanout-" + System.nanoTime() + "@example.com";
    JsonObject signUp = call(http, base, HttpMethod.POST, "/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    JsonObject emails = call(http, base, HttpMethod.GET, "/sandbox/emails?to=" + email, null, null);
    String code = emails.getJsonArray("data").getJsonObject(0).getString("text")
        .replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
    JsonObject account = call(http, base, HttpMethod.POST, "/v0/agent/verify", null,
        new JsonObject().put("verification_id", signUp.getString("verification_id"))
            .put("otp_code", code));
    String key = account.getString("api_key");
    call(http, base, HttpMethod.PATCH, "/v1/agents/" + account.getString("agent_id"), key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    String callId = call(http, base, HttpMethod.POST, "/sandbox/calls", key, new JsonObject()
        .put("from", "+14155550142").put("to", account.getString("phone_number")))
        .getString("callId");

    WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(subscribers + 10));
    ConcurrentLinkedQueue<Long> samples = new ConcurrentLinkedQueue<>();
    AtomicInteger closed = new AtomicInteger();
    CountDownLatch connected = new CountDownLatch(subscribers);
    long opening = System.nanoTime();
    for (int i = 0; i < subscribers; i++) {
      sockets.connect(new WebSocketConnectOptions().setHost(base.getHost()).setPort(base.getPort())
              .setURI("/v1/calls/" + callId + "/live").addHeader("Authorization", "Bearer " + key))
          .onSuccess(ws -> {
            ws.textMessageHandler(text -> {
              long now = System.currentTimeMillis();
              // the generator reads only what it measures, so that it takes as little of the
              // machine as it can from the engine it measures
              long ts = stamp(text);
              if (ts > 0) {
                samples.add(now - ts);
              } else if (text.contains("\"type\":\"connected\"")) {
                connected.countDown();
              }
            });
            ws.closeHandler(v -> closed.incrementAndGet());
          })
          .onFailure(e -> System.err.println("subscriber failed: " + e.getMessage()));
    }
    if (!connected.await(120, TimeUnit.SECONDS)) {
      System.err.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
    }
    System.out.printf("%d subscribers connected in %d ms%n", subscribers - connected.getCount(),
        (System.nanoTime() - opening) / 1_000_000);
    long driving = System.nanoTime();
    for (int t = 0; t < turns; t++) {
      call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/say", key,
          new JsonObject().put("text", "Caller utterance number " + t + " for the fan-out"));
    }
    Thread.sleep(2_000);
    long[] all = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    int expected = subscribers * turns * 5;
    System.out.printf("%d turns driven in %d ms; %d frames received (%d expected: interim, "
            + "webhook started/answered, speaking started/finished per turn and subscriber); "
            + "%d subscribers dropped%n", turns, (System.nanoTime() - driving) / 1_000_000,
        all.length, expected, closed.get());
    if (all.length > 0) {
      System.out.printf("delivery latency ms: p50 %d  p90 %d  p99 %d  max %d%n",
          all[all.length / 2], all[(int) (all.length * 0.90)], all[(int) (all.length * 0.99)],
          all[all.length - 1]);
    }
    call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/hangup", key,
        new JsonObject());
    vertx.close();
  }

  /** The frame's {@code "ts":} number, or -1 when it has none. */
  static long stamp(String text) {
    int at = text.indexOf("\"ts\":");
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + 5; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static JsonObject call(WebClient http, URI base, HttpMethod method, String path,
      String key, JsonObject body) throws Exception {
    var request = http.requestAbs(method, base.resolve(path).toString());
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
        : request.sendJsonObject(body);
    var response = sent.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " "
          + response.bodyAsString());
    }
    return response.bodyAsString().isBlank() ? new JsonObject() : response.bodyAsJsonObject();
  }
}
