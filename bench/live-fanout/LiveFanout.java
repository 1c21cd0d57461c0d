import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fan-out of one live call to many WebSocket subscribers, measured from outside the engine: signs
 * up a sandbox account, starts a simulated call to a webhook-mode agent, opens the subscribers to
 * GET /v1/calls/{id}/live, drives caller turns through /sandbox/calls/{id}/say, and measures each
 * live frame's delivery: the subscriber's receipt minus the frame's ts (stamped by the call's
 * session when it published the frame; same machine, same clock).
 *
 * <p>java -cp target/agentphone-engine.jar bench/live-fanout/LiveFanout.java URL [subscribers] [turns] [warm-up turns]
 */
public class LiveFanout {
  static final int OPENING_IN_FLIGHT = 32;
  static final int OPENING_ATTEMPTS = 5;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int turns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    // one event loop per core: the generator shares the machine with the engine it measures
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
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
    int expected = subscribers * turns * 5;
    // latencies in ms, stored without boxing; a frame past the expected count is counted only
    AtomicLongArray samples = new AtomicLongArray(expected);
    AtomicInteger received = new AtomicInteger();
    // frames are counted once the warm-up turns are over
    AtomicBoolean measuring = new AtomicBoolean(warmUp == 0);
    AtomicInteger closed = new AtomicInteger();
    CountDownLatch connected = new CountDownLatch(subscribers);
    long opening = System.nanoTime();
    Handler<WebSocket> subscriber = ws -> {
      // frames, not messages: every frame of the engine is a whole message, and its bytes are
      // read as they came, so that the generator takes as little of the machine as it can from
      // the engine it measures (no String, no JSON parse)
      ws.frameHandler(frame -> {
        long now = System.currentTimeMillis();
        Buffer bytes = frame.binaryData();
        long ts = stamp(bytes);
        if (ts > 0 && measuring.get()) {
          int at = received.getAndIncrement();
          if (at < expected) {
            samples.set(at, now - ts);
          }
        } else if (ts <= 0 && indexOf(bytes, CONNECTED) >= 0) {
          connected.countDown();
        }
      });
      ws.closeHandler(v -> closed.incrementAndGet());
    };
    WebSocketConnectOptions live = new WebSocketConnectOptions().setHost(base.getHost())
        .setPort(base.getPort()).setURI("/v1/calls/" + callId + "/live")
        .addHeader("Authorization", "Bearer " + key);
    // a few upgrades in flight at a time (each reads the call's stored turns), retried a few
    // times, so that a busy machine's slow start does not leave subscribers out
    Opener opener = new Opener(subscribers, () -> sockets.connect(live).onSuccess(subscriber)
        .mapEmpty());
    opener.start(OPENING_IN_FLIGHT);
    if (!connected.await(120, TimeUnit.SECONDS)) {
      System.err.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
    }
    System.out.printf("%d subscribers connected in %d ms%n", subscribers - connected.getCount(),
        (System.nanoTime() - opening) / 1_000_000);
    long driving = System.nanoTime();
    // the warm-up turns (both JVMs compile their hot paths) are driven the same way, not counted
    for (int t = -warmUp; t < turns; t++) {
      if (t == 0 && warmUp > 0) {
        Thread.sleep(2_000);
        measuring.set(true);
        driving = System.nanoTime();
      }
      call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/say", key,
          new JsonObject().put("text", "Caller utterance number " + t + " for the fan-out"));
    }
    Thread.sleep(2_000);
    long[] all = new long[Math.min(received.get(), expected)];
    for (int i = 0; i < all.length; i++) {
      all[i] = samples.get(i);
    }
    Arrays.sort(all);
    System.out.printf("%d turns driven in %d ms (after %d warm-up turns); %d frames received (%d expected: interim, "
            + "webhook started/answered, speaking started/finished per turn and subscriber); "
            + "%d subscribers dropped%n", turns, (System.nanoTime() - driving) / 1_000_000 - 2_000,
        warmUp, received.get(), expected, closed.get());
    if (all.length > 0) {
      System.out.printf("delivery latency ms: p50 %d  p90 %d  p99 %d  max %d%n",
          all[all.length / 2], all[(int) (all.length * 0.90)], all[(int) (all.length * 0.99)],
          all[all.length - 1]);
    }
    call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/hangup", key,
        new JsonObject());
    vertx.close();
  }

  private static final byte[] TS = "\"ts\":".getBytes();
  private static final byte[] CONNECTED = "\"type\":\"connected\"".getBytes();

  /** The frame's {@code "ts":} number, or -1 when it has none. */
  static long stamp(Buffer bytes) {
    int at = indexOf(bytes, TS);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + TS.length; i < bytes.length(); i++) {
      byte c = bytes.getByte(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** Where {@code needle} first occurs in {@code bytes}, or -1. */
  static int indexOf(Buffer bytes, byte[] needle) {
    outer:
    for (int i = 0, end = bytes.length() - needle.length; i <= end; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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

  /** Opens {@code total} subscribers with a bounded number in flight, retrying failures. */
  static final class Opener {
    private final int total;
    private final Supplier<Future<Void>> open;
    private final AtomicInteger next = new AtomicInteger();

    Opener(int total, Supplier<Future<Void>> open) {
      this.total = total;
      this.open = open;
    }

    void start(int inFlight) {
      for (int i = 0; i < inFlight; i++) {
        openNext();
      }
    }

    private void openNext() {
      if (next.getAndIncrement() < total) {
        attempt(1);
      }
    }

    private void attempt(int attempt) {
      open.get().onComplete(done -> {
        if (done.failed() && attempt < OPENING_ATTEMPTS) {
          attempt(attempt + 1);
        } else {
          if (done.failed()) {
            System.err.println("subscriber failed: " + done.cause().getMessage());
          }
          openNext();
        }
      });
    }
  }
}
