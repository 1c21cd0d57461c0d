package dev.agentphone.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * (c) SSE fan-out: {@code bench.subscribers} clients stream one call's transcript; each turn is
 * made final on the LLM socket and timed from that frame being sent to each subscriber reading
 * its {@code turn} event. Reports the per-subscriber delay and the time until the last of them
 * has it.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.agentphone.bench.SseFanoutBench -Dbench.subscribers=1000 -Dbench.turns=30
 * </pre>
 */
public final class SseFanoutBench {
  public static void main(String[] args) throws Exception {
    int subscribers = Integer.getInteger("bench.subscribers", 1000);
    int turns = Integer.getInteger("bench.turns", 30);
    VoiceBenchSupport bench = new VoiceBenchSupport(java.util.Map.of());
    bench.webhookMode(null);
    String prefix = "fan_" + System.nanoTime() + "_";
    WebSocket socket = bench.startCalls(prefix, 1).get(0);
    String callId = bench.engine.api.get("/v1/calls", bench.key).json().getJsonArray("data")
        .getJsonObject(0).getString("id");

    HttpClient sse = bench.clients.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(subscribers));
    AtomicReference<CountDownLatch> received = new AtomicReference<>();
    long[] sentAt = new long[turns + 2];
    Histogram perSubscriber = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Histogram lastSubscriber = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    CountDownLatch connected = new CountDownLatch(subscribers);
    List<Future<?>> streams = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      streams.add(sse.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
              .setPort(bench.engine.port).setURI("/v1/calls/" + callId + "/transcript/stream")
              .putHeader("Authorization", "Bearer " + bench.key))
          .compose(req -> req.send()).map(response -> {
            StringBuilder pending = new StringBuilder();
            response.handler(buffer -> {
              pending.append(buffer.toString());
              int end;
              while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                if (event.startsWith("event: connected")) {
                  connected.countDown();
                } else if (event.startsWith("id: ")) {
                  int seq = Integer.parseInt(event.substring(4, event.indexOf('\n')));
                  synchronized (perSubscriber) {
                    perSubscriber.recordValue((System.nanoTime() - sentAt[seq]) / 1000);
                  }
                  received.get().countDown();
                }
              }
            });
            return response;
          }));
    }
    if (!connected.await(120, TimeUnit.SECONDS)) {
      System.out.println("only " + (subscribers - connected.getCount()) + " subscribers connected");
    }
    JsonArray transcript = new JsonArray();
    for (int seq = 0; seq <= turns; seq++) {
      transcript.add(new JsonObject().put("role", seq % 2 == 0 ? "user" : "agent")
          .put("content", "utterance " + seq));
      if (seq == 0) {
        continue;
      }
      // this update makes utterance seq-1 final
      CountDownLatch all = new CountDownLatch(subscribers);
      received.set(all);
      sentAt[seq - 1] = System.nanoTime();
      socket.writeTextMessage(new JsonObject().put("interaction_type", "update_only")
          .put("transcript", transcript.copy()).encode());
      if (!all.await(60, TimeUnit.SECONDS)) {
        System.out.println("turn " + seq + ": " + all.getCount() + " subscribers missing");
      }
      lastSubscriber.recordValue((System.nanoTime() - sentAt[seq - 1]) / 1000);
    }
    System.out.printf("subscribers %d, turns %d: per subscriber p50 %s p99 %s max %s; "
            + "all %d subscribers reached p50 %s p99 %s%n", subscribers, turns,
        VoiceBenchSupport.millis(perSubscriber, 50), VoiceBenchSupport.millis(perSubscriber, 99),
        VoiceBenchSupport.millis(perSubscriber, 100), subscribers,
        VoiceBenchSupport.millis(lastSubscriber, 50), VoiceBenchSupport.millis(lastSubscriber, 99));
    socket.close();
    bench.close();
  }
}
