import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
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
 * GET /v1/calls/{id}/live, drives caller turns through /sandbox/calls/{id}/say (the next once every subscriber has read the last one's frames), and measures each
 * live frame's delivery: the subscriber's receipt minus the frame's ts (stamped by the call's
 * session when it published the frame; same machine, same clock). Each subscriber is a TCP
 * socket that makes the WebSocket upgrade itself and then reads the frames' bytes as they come
 * ({@link Stamps}): the time it reads a frame is its receipt, and it spends on the machine it
 * shares with the engine as little as that reading costs.
 *
 * <p>java -cp target/agentphone-engine.jar bench/live-fanout/LiveFanout.java URL [subscribers] [turns] [warm-up turns] [overlap]
 */
public class LiveFanout {
  static final int OPENING_IN_FLIGHT = 32;
  static final int OPENING_ATTEMPTS = 5;
  /** Stamped live frames a caller turn gives each subscriber (see the count printed). */
  static final int FRAMES_PER_TURN = 5;

  public static void main(String[] args) throws Exception {
    URI base = URI.create(args.length > 0 ? args[0] : "http://localhost:8080");
    int subscribers = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int turns = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    boolean overlap = args.length > 4 && "overlap".equals(args[4]);
    // one event loop per core, on Linux's epoll where it loads: the generator shares the machine
    // with the engine it measures, and reading a thousand sockets through the JDK's selector cost
    // it half again as much CPU
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true));
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

    NetClient sockets = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    int expected = subscribers * turns * FRAMES_PER_TURN;
    // latencies in ms, stored without boxing; a frame past the expected count is counted only
    AtomicLongArray samples = new AtomicLongArray(expected);
    AtomicInteger received = new AtomicInteger();
    // frames are counted once the warm-up turns are over
    AtomicBoolean measuring = new AtomicBoolean(warmUp == 0);
    AtomicInteger closed = new AtomicInteger();
    CountDownLatch connected = new CountDownLatch(subscribers);
    long opening = System.nanoTime();
    // every stamped frame read, warm-up included: a turn is driven once the previous one reached
    // every subscriber
    AtomicInteger seen = new AtomicInteger();
    Stamps stamps = new Stamps(ts -> {
      seen.incrementAndGet();
      if (measuring.get()) {
        int at = received.getAndIncrement();
        if (at < expected) {
          samples.set(at, System.currentTimeMillis() - ts);
        }
      }
    }, connected::countDown);
    String upgrade = "GET /v1/calls/" + callId + "/live HTTP/1.1\r\nHost: " + base.getHost() + ":"
        + base.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + "Authorization: Bearer " + key + "\r\n\r\n";
    // a few upgrades in flight at a time (each reads the call's stored turns), retried a few
    // times, so that a busy machine's slow start does not leave subscribers out
    Opener opener = new Opener(subscribers, () -> sockets.connect(base.getPort(), base.getHost())
        .compose(socket -> {
          Promise<Void> upgraded = Promise.promise();
          Stamps.Reader reader = stamps.reader(upgraded);
          socket.handler(reader::read);
          socket.closeHandler(v -> {
            if (!upgraded.tryFail("closed before the upgrade")) {
              closed.incrementAndGet();
            }
          });
          socket.write(upgrade);
          return upgraded.future().onFailure(e -> socket.close());
        }));
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
      // one turn's fan-out at a time, as a call's turns come seconds apart (and as the SSE
      // generator drives them); "overlap" drives the next at once, to see the queueing too
      int due = (t + warmUp + 1) * subscribers * FRAMES_PER_TURN;
      for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          !overlap && seen.get() < due && System.nanoTime() < until; ) {
        Thread.sleep(1);
      }
    }
    Thread.sleep(2_000);
    long[] all = new long[Math.min(received.get(), expected)];
    for (int i = 0; i < all.length; i++) {
      all[i] = samples.get(i);
    }
    Arrays.sort(all);
    System.out.printf("%d turns driven %s in %d ms (after %d warm-up turns); %d frames received (%d expected: interim, "
            + "webhook started/answered, speaking started/finished per turn and subscriber); "
            + "%d subscribers dropped%n", turns, overlap ? "back to back"
            : "one fan-out at a time", (System.nanoTime() - driving) / 1_000_000 - 2_000,
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
  private static final byte[] HEADERS_END = "\r\n\r\n".getBytes();
  private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes();

  /** Where {@code needle} first occurs in {@code bytes}, or -1. */
  static int indexOf(Buffer bytes, byte[] needle) {
    return indexOf(bytes, needle, 0);
  }

  /** Where {@code needle} first occurs in {@code bytes} at or after {@code from}, or -1. */
  static int indexOf(Buffer bytes, byte[] needle, int from) {
    outer:
    for (int i = from, end = bytes.length() - needle.length; i <= end; i++) {
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

  /**
   * Reads the live frames of the subscribers' sockets as the bytes come (after the upgrade's
   * response, a server's frames are unmasked, so each frame's JSON is in the stream as sent): it
   * finds each {@code "ts":} stamp and the {@code connected} frame without decoding frames,
   * making a String or parsing JSON, so that the generator takes as little of the machine as it
   * can from the engine it measures. A stamp split between two reads is read once whole.
   */
  static final class Stamps {
    private static final int CARRY = CONNECTED.length - 1;
    private final java.util.function.LongConsumer stamp;
    private final Runnable connected;

    Stamps(java.util.function.LongConsumer stamp, Runnable connected) {
      this.stamp = stamp;
      this.connected = connected;
    }

    Reader reader(Promise<Void> upgraded) {
      return new Reader(upgraded);
    }

    final class Reader {
      private final Promise<Void> upgraded;
      private Buffer carry = Buffer.buffer();
      private boolean open;
      private boolean sawConnected;

      Reader(Promise<Void> upgraded) {
        this.upgraded = upgraded;
      }

      void read(Buffer chunk) {
        Buffer data = carry.length() == 0 ? chunk : carry.appendBuffer(chunk);
        int from = 0;
        if (!open) {
          int end = indexOf(data, HEADERS_END, 0);
          if (end < 0) {
            carry = data.copy();
            return;
          }
          if (indexOf(data, SWITCHING, 0) != 0) {
            upgraded.tryFail(data.getString(0, end));
            return;
          }
          open = true;
          upgraded.tryComplete();
          from = end + HEADERS_END.length;
        }
        if (!sawConnected && indexOf(data, CONNECTED, from) >= 0) {
          sawConnected = true;
          connected.run();
        }
        int consumed = from;
        int unfinished = -1;
        for (int at = indexOf(data, TS, from); at >= 0; at = indexOf(data, TS, consumed)) {
          int digit = at + TS.length;
          long value = 0;
          while (digit < data.length() && data.getByte(digit) >= '0'
              && data.getByte(digit) <= '9') {
            value = value * 10 + (data.getByte(digit) - '0');
            digit++;
          }
          if (digit == data.length()) {
            unfinished = at;
            break;
          }
          stamp.accept(value);
          consumed = digit;
        }
        // what a stamp (or the connected frame) split by this read may begin with
        int keep = unfinished >= 0 ? unfinished : Math.max(consumed, data.length() - CARRY);
        carry = data.getBuffer(keep, data.length());
      }
    }
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
