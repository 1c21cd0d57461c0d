package dev.agentphone.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * (a) Engine-added latency per voice turn: from {@code response_required} sent on the LLM socket
 * to the first {@code response} frame received, minus the time the customer's webhook itself
 * spent (request received to answer written, measured at the webhook), with 1, 100 and 1,000
 * concurrent live calls each running turns back to back.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.agentphone.bench.VoiceTurnBench -Dbench.calls=1,100,1000 -Dbench.turns=20 \
 *   -Dbench.thinkMillis=0</pre>
 * With {@code bench.thinkMillis} each call pauses that long between turns, as callers do.
 * <pre>
 * </pre>
 */
public final class VoiceTurnBench {
  public static void main(String[] args) throws Exception {
    int[] levels = Arrays.stream(System.getProperty("bench.calls", "1,100,1000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    int turns = Integer.getInteger("bench.turns", 20);
    // the pause between a call's answer and its next utterance; 0 runs turns back to back
    long think = Long.getLong("bench.thinkMillis", 0);
    int warmup = 3;

    Vertx customerSide = Vertx.vertx();
    ConcurrentHashMap<String, Long> webhookNanos = new ConcurrentHashMap<>();
    HttpServer customer = customerSide.createHttpServer().requestHandler(request -> {
      long arrived = System.nanoTime();
      request.body().onSuccess(body -> {
        String said = body.toJsonObject().getJsonObject("data").getString("transcript");
        request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("text", "ok " + said).encode())
            .onComplete(x -> webhookNanos.put(said, System.nanoTime() - arrived));
      });
    });
    customer.listen(0).toCompletionStage().toCompletableFuture().get();

    VoiceBenchSupport bench = new VoiceBenchSupport(java.util.Map.of());
    bench.webhookMode("http://localhost:" + customer.actualPort() + "/voice");
    System.out.printf("%-8s %-10s %-10s %-10s %-10s %s%n", "calls", "turns", "p50", "p99", "max",
        "wall");
    try {
      for (int level : levels) {
        String prefix = "bench_" + level + "_" + System.nanoTime() + "_";
        List<WebSocket> calls = bench.startCalls(prefix, level);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        CountDownLatch done = new CountDownLatch(level);
        long started = System.nanoTime();
        for (int c = 0; c < level; c++) {
          CallLoop loop = new CallLoop(calls.get(c), "c" + c, turns, warmup, webhookNanos,
              histogram, done, think, bench.clients);
          // spread the first utterances over one think time so the calls do not move in lockstep
          bench.clients.setTimer(1 + (think * c) / level, t -> loop.next());
        }
        if (!done.await(600, TimeUnit.SECONDS)) {
          System.out.println("timed out with " + done.getCount() + " calls unfinished");
        }
        long wall = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("%-8d %-10d %-10s %-10s %-10s %d ms%n", level, histogram.getTotalCount(),
            VoiceBenchSupport.millis(histogram, 50), VoiceBenchSupport.millis(histogram, 99),
            VoiceBenchSupport.millis(histogram, 100), wall);
        calls.forEach(WebSocket::close);
        bench.endCalls(prefix, level);
      }
    } finally {
      bench.close();
      customerSide.close();
    }
  }

  /** One call's turns, each sent when the previous answer is complete. */
  private static final class CallLoop {
    private final WebSocket socket;
    private final String name;
    private final int turns;
    private final int warmup;
    private final ConcurrentHashMap<String, Long> webhookNanos;
    private final Histogram histogram;
    private final CountDownLatch done;
    private final JsonArray transcript = new JsonArray();
    private int turn;
    private long sentAt;
    private boolean first;
    private final long think;
    private final Vertx vertx;

    CallLoop(WebSocket socket, String name, int turns, int warmup,
        ConcurrentHashMap<String, Long> webhookNanos, Histogram histogram, CountDownLatch done,
        long think, Vertx vertx) {
      this.think = think;
      this.vertx = vertx;
      this.socket = socket;
      this.name = name;
      this.turns = turns;
      this.warmup = warmup;
      this.webhookNanos = webhookNanos;
      this.histogram = histogram;
      this.done = done;
      socket.textMessageHandler(this::frame);
    }

    void next() {
      if (turn == turns + warmup) {
        done.countDown();
        return;
      }
      turn++;
      String said = name + "-t" + turn;
      transcript.add(new JsonObject().put("role", "user").put("content", said));
      first = true;
      sentAt = System.nanoTime();

      socket.writeTextMessage(new JsonObject().put("interaction_type", "response_required")
          .put("response_id", turn).put("transcript", transcript).encode());
    }

    private void frame(String text) {
      JsonObject frame = new JsonObject(text);
      if (!"response".equals(frame.getString("response_type"))
          || frame.getInteger("response_id") != turn) {
        return;
      }
      if (first) {
        first = false;
        long total = System.nanoTime() - sentAt;
        String said = name + "-t" + turn;
        Long webhook = webhookNanos.remove(said);
        if (turn > warmup) {
          synchronized (histogram) { // shared by every call's loop
            histogram.recordValue(Math.max(0, (total - (webhook == null ? 0 : webhook)) / 1000));
          }
        }
      }
      if (frame.getBoolean("content_complete")) {
        transcript.add(new JsonObject().put("role", "agent").put("content",
            frame.getString("content")));
        if (think > 0) {
          vertx.setTimer(think, t -> next());
        } else {
          next();
        }
      }
    }
  }
}
