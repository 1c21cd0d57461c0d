package dev.agentphone.bench;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * (b) How many live call sessions one node holds: opens calls in steps (each a deployed session
 * verticle with its Retell LLM socket attached), measuring heap after a full GC, then checks the
 * node still answers turns on a sample of the calls (hosted per-call mode: the built-in responder,
 * so no webhook is in the way). Stops at {@code bench.sessions} or when a step fails.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.agentphone.bench.CallSessionCapacityBench -Dbench.sessions=10000 -Dbench.step=2000
 * </pre>
 * Heap figures include the benchmark's own Retell-side sockets (same JVM), so they over-state
 * what the engine needs per session.
 */
public final class CallSessionCapacityBench {
  private static final java.util.concurrent.atomic.AtomicInteger RESPONSE_IDS =
      new java.util.concurrent.atomic.AtomicInteger();

  public static void main(String[] args) throws Exception {
    int target = Integer.getInteger("bench.sessions", 10_000);
    int step = Integer.getInteger("bench.step", 2_000);
    VoiceBenchSupport bench = new VoiceBenchSupport(java.util.Map.of());
    bench.webhookMode(null);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline = usedHeap(memory);
    List<WebSocket> all = new ArrayList<>();
    String prefix = "cap_" + System.nanoTime() + "_";
    System.out.printf("%-10s %-14s %-16s %-12s %-12s%n", "sessions", "heap used", "heap/session",
        "turn p50", "turn p99");
    try {
      while (all.size() < target) {
        int n = Math.min(step, target - all.size());
        long started = System.nanoTime();
        List<WebSocket> opened;
        try {
          opened = bench.startCalls(prefix + all.size() + "_", n);
        } catch (Exception | OutOfMemoryError e) {
          System.out.println("stopped at " + all.size() + " sessions: " + e);
          break;
        }
        all.addAll(opened);
        long setup = (System.nanoTime() - started) / 1_000_000;
        long used = usedHeap(memory);
        int live = bench.engine.engine.liveCallSessions();
        Histogram turns = sampleTurns(all, 200);
        System.out.printf("%-10d %-14s %-16s %-12s %-12s (sessions deployed %d, step set-up %d ms)%n",
            all.size(), (used >> 20) + " MB", ((used - baseline) / all.size() / 1024) + " KB",
            VoiceBenchSupport.millis(turns, 50), VoiceBenchSupport.millis(turns, 99), live, setup);
      }
      System.out.println("max heap " + (memory.getHeapMemoryUsage().getMax() >> 20) + " MB");
    } finally {
      all.forEach(WebSocket::close);
      bench.close();
    }
  }

  /** One turn on each of {@code sample} calls spread over all of them, all at once. */
  private static Histogram sampleTurns(List<WebSocket> calls, int sample) throws Exception {
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    int count = Math.min(sample, calls.size());
    CountDownLatch done = new CountDownLatch(count);
    for (int i = 0; i < count; i++) {
      WebSocket socket = calls.get((int) ((long) i * calls.size() / count));
      // response ids only grow on a socket; an older one would be ignored as superseded
      int responseId = RESPONSE_IDS.incrementAndGet();
      long sent = System.nanoTime();
      socket.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        if ("response".equals(frame.getString("response_type"))
            && frame.getInteger("response_id") == responseId) {
          synchronized (histogram) {
            histogram.recordValue((System.nanoTime() - sent) / 1000);
          }
          done.countDown();
        }
      });
      // a call without a webhook gets the spoken fallback at once: the engine's own path
      socket.writeTextMessage(new JsonObject().put("interaction_type", "response_required")
          .put("response_id", responseId).put("transcript", new JsonArray().add(new JsonObject()
              .put("role", "user").put("content", "ping " + i))).encode());
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      System.out.println(done.getCount() + " sampled turns unanswered");
    }
    return histogram;
  }

  private static long usedHeap(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
