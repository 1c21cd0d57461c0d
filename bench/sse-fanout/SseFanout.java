import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Fan-out of one call's transcript to many SSE subscribers, measured from outside the engine:
 * signs up a sandbox account, starts a simulated call to a webhook-mode agent, opens the
 * subscribers to GET /v1/calls/{id}/transcript/stream and drives caller turns through
 * /sandbox/calls/{id}/say. Each say makes the caller's utterance a stored turn (the simulated
 * Retell sends the update_only and response_required frames that close it); every subscriber
 * is timed from the say being sent to its reading that turn's {@code turn} event, and the turn
 * from the say to the last subscriber having it. The say's own HTTP hop and the simulator are
 * counted too, so this is a little stricter than the in-JVM SseFanoutBench. Each subscriber is a
 * TCP socket that sends the request itself and reads the bytes for the caller's turns.
 *
 * <p>java -cp target/agentphone-engine.jar bench/sse-fanout/SseFanout.java URL [subscribers] [turns] [warm-up turns]
 */
public class SseFanout {
  static final int OPENING_IN_FLIGHT = 32;
  static final int OPENING_ATTEMPTS = 5;
  private static final byte[] USER_TURN = "\"role\":\"user\"".getBytes();

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int turns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    // one event loop per core, on Linux's epoll where it loads: the generator shares the machine
    // with the engine it measures, and reading a thousand sockets through the JDK's selector cost
    // it half again as much CPU
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true));
    WebClient http = WebClient.create(vertx);
    String email = "sse-fanout-" + System.nanoTime() + "@example.com";
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

    NetClient sockets = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    // the say being timed, its send time, and the subscribers still to read its turn
    AtomicReference<CountDownLatch> pending = new AtomicReference<>(new CountDownLatch(0));
    long[] sentAt = new long[1];
    // when the last subscriber read the current say's turn
    AtomicLongArray lastAt = new AtomicLongArray(1);
    AtomicLongArray perSubscriber = new AtomicLongArray(subscribers * turns);
    AtomicInteger samples = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    CountDownLatch connected = new CountDownLatch(subscribers);
    long opening = System.nanoTime();
    String request = "GET /v1/calls/" + callId + "/transcript/stream HTTP/1.1\r\nHost: "
        + base.getHost() + ":" + base.getPort() + "\r\nAccept: text/event-stream\r\n"
        + "Authorization: Bearer " + key + "\r\n\r\n";
    // each subscriber is a plain TCP socket that sends the stream's request itself and then only
    // looks for what it measures (a caller's turn) in the bytes as they come, chunk framing and
    // all, so that it takes as little of the machine as it can from the engine it measures; a few
    // streams open at a time (each reads the call's stored turns), retried a few times, so that a
    // busy machine's slow start does not leave subscribers out
    Opener opener = new Opener(subscribers, () -> sockets.connect(base.getPort(), base.getHost())
        .compose(socket -> {
          Promise<Void> open = Promise.promise();
          // the end of the previous read, in case a turn's role is split between two
          Buffer[] tail = {Buffer.buffer()};
          socket.handler(chunk -> {
            long now = System.nanoTime();
            Buffer buffer = tail[0].length() == 0 ? chunk : tail[0].copy().appendBuffer(chunk);
            if (!open.future().isComplete()) {
              if (!buffer.getString(0, Math.min(12, buffer.length())).equals("HTTP/1.1 200")) {
                open.tryFail("stream answered " + buffer.toString().lines().findFirst().orElse(""));
                socket.close();
                return;
              }
              open.complete();
              connected.countDown();
            }
            int users = count(buffer, USER_TURN);
            int keep = Math.min(USER_TURN.length - 1, buffer.length());
            tail[0] = buffer.getBuffer(buffer.length() - keep, buffer.length());
            for (int u = 0; u < users; u++) {
              int at = samples.getAndIncrement();
              if (at < perSubscriber.length()) {
                perSubscriber.set(at, now - sentAt[0]);
              }
              CountDownLatch all = pending.get();
              all.countDown();
              if (all.getCount() == 0) {
                lastAt.accumulateAndGet(0, now, Math::max);
              }
            }
          });
          socket.closeHandler(v -> {
            if (!open.tryFail("closed before the stream opened")) {
              dropped.incrementAndGet();
            }
          });
          socket.write(request);
          return open.future();
        }));
    opener.start(OPENING_IN_FLIGHT);
    if (!connected.await(120, TimeUnit.SECONDS)) {
      System.err.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
    }
    System.out.printf("%d subscribers connected in %d ms%n", subscribers - connected.getCount(),
        (System.nanoTime() - opening) / 1_000_000);
    long[] untilLast = new long[turns];
    int missing = 0;
    long driving = System.nanoTime();
    // the warm-up turns (both JVMs compile their hot paths) are driven the same way, not counted
    for (int t = -warmUp; t < turns; t++) {
      if (t == 0) {
        samples.set(0);
        missing = 0;
        driving = System.nanoTime();
      }
      CountDownLatch all = new CountDownLatch(subscribers);
      lastAt.set(0, 0);
      sentAt[0] = System.nanoTime();
      pending.set(all);
      call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/say", key,
          new JsonObject().put("text", "Caller utterance number " + t + " for the fan-out"));
      if (!all.await(30, TimeUnit.SECONDS)) {
        missing += (int) all.getCount();
      }
      if (t >= 0) {
        untilLast[t] = (lastAt.get(0) == 0 ? System.nanoTime() : lastAt.get(0)) - sentAt[0];
      }
    }
    long drove = (System.nanoTime() - driving) / 1_000_000;
    long[] each = new long[Math.min(samples.get(), perSubscriber.length())];
    for (int i = 0; i < each.length; i++) {
      each[i] = perSubscriber.get(i);
    }
    Arrays.sort(each);
    Arrays.sort(untilLast);
    System.out.printf("%d turns driven in %d ms (after %d warm-up turns); %d turn events read "
            + "(%d expected); %d missing; %d subscribers dropped%n", turns, drove, warmUp, samples.get(), subscribers * turns, missing,
        dropped.get());
    if (each.length > 0) {
      System.out.printf("per subscriber ms: p50 %s  p90 %s  p99 %s  max %s%n", ms(each, 0.5),
          ms(each, 0.9), ms(each, 0.99), ms(each, 1));
    }
    System.out.printf("until the last subscriber ms: p50 %s  p90 %s  p99 %s  max %s%n",
        ms(untilLast, 0.5), ms(untilLast, 0.9), ms(untilLast, 0.99), ms(untilLast, 1));
    call(http, base, HttpMethod.POST, "/sandbox/calls/" + callId + "/hangup", key,
        new JsonObject());
    vertx.close();
  }

  /** How many times {@code needle} occurs in {@code buffer}, read without copying it. */
  static int count(Buffer buffer, byte[] needle) {
    int found = 0;
    int end = buffer.length() - needle.length;
    outer:
    for (int i = 0; i <= end; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buffer.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      found++;
      i += needle.length - 1;
    }
    return found;
  }

  /** The {@code q} quantile of sorted nanoseconds, in milliseconds with one decimal. */
  static String ms(long[] sorted, double q) {
    int at = (int) Math.min(sorted.length - 1, Math.floor(sorted.length * q));
    return String.format("%.1f", sorted[at] / 1e6);
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
