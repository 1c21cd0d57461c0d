package dev.agentphone.bench;

import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import dev.agentphone.support.TestEngine;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outbound webhook benchmark (not a test). Starts a whole engine on the embedded PostgreSQL and a
 * local receiver that checks every signature, then measures:
 * <ol>
 *   <li>sustained signed deliveries per second: N events committed at once to the outbox, timed
 *   from the commit until the receiver has them all;</li>
 *   <li>inbound SMS → webhook delay: signed Twilio SMS posts at a steady rate, timed from the
 *   moment our Twilio endpoint answered 200 (accepted) until the receiver got the webhook.</li>
 * </ol>
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.agentphone.bench.WebhookBench} (options: -Dbench.events=20000
 * -Dbench.messages=1000 -Dbench.rate=100 -Dbench.poolSize=16).
 */
public final class WebhookBench {
  private WebhookBench() {
  }

  public static void main(String[] args) throws Exception {
    int events = Integer.getInteger("bench.events", 20_000);
    int messages = Integer.getInteger("bench.messages", 1_000);
    int rate = Integer.getInteger("bench.rate", 100);
    System.out.printf("webhook bench: %d events, %d inbound SMS at %d/s, %d cores%n", events,
        messages, rate, Runtime.getRuntime().availableProcessors());

    Vertx vertx = Vertx.vertx();
    Receiver receiver = new Receiver(vertx);
    TestEngine server = TestEngine.builder().config(Map.of(
        "database.poolSize", Integer.getInteger("bench.poolSize", 16),
        "webhooks.maxInFlight", 256,
        "webhooks.batchSize", 200)).start();
    try {
      throughput(server, receiver, Math.min(2_000, events), "warm-up");
      throughput(server, receiver, events, "measured");
      latency(server, receiver, vertx, messages, rate);
    } finally {
      server.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Commits {@code n} events at once and answers the signed deliveries per second. */
  static double throughput(TestEngine server, Receiver receiver, int n, String label)
      throws Exception {
    JsonObject owner = server.signUp("bench-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String path = "/throughput-" + System.nanoTime();
    String secret = server.api.post("/v1/webhooks", key, new JsonObject()
        .put("url", receiver.url(path)).put("contextLimit", 0)).json().getString("secret");
    CountDownLatch done = receiver.expect(path, secret, n);
    long start = System.nanoTime();
    server.sql("INSERT INTO events (id, account_id, agent_id, type, channel, data) "
            + "SELECT 'evt_bench_' || ? || '_' || g, ?, ?, 'agent.message', 'sms', "
            + "jsonb_build_object('messageId', 'msg_bench_' || g, 'conversationId', null, "
            + "'from', '+14155550100', 'to', '+14155550199', 'message', 'bench message ' || g, "
            + "'mediaUrl', null, 'mediaUrls', '[]'::jsonb, 'direction', 'inbound') "
            + "FROM generate_series(1, ?) g",
        path, owner.getString("account_id"), owner.getString("agent_id"), n);
    server.sql("NOTIFY agentphone_events");
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("deliveries did not all arrive");
    }
    double seconds = (receiver.lastArrival(path) - start) / 1e9;
    System.out.printf("%s: %d signed deliveries in %.2f s = %.0f deliveries/s (bad signatures: %d)%n",
        label, n, seconds, n / seconds, receiver.badSignatures.get());
    return n / seconds;
  }

  private static void latency(TestEngine server, Receiver receiver, Vertx vertx, int n, int rate)
      throws Exception {
    JsonObject owner = server.signUp("latency-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String path = "/latency";
    String secret = server.api.post("/v1/webhooks", key, new JsonObject()
        .put("url", receiver.url(path))).json().getString("secret");
    CountDownLatch done = receiver.expect(path, secret, n);
    String token = TwilioSignatures.authToken(server.engine.config());
    String url = server.engine.config().publicUrl() + TwilioWebhookRoutes.SMS_PATH;
    WebClient client = WebClient.create(vertx);
    Map<String, Long> accepted = new ConcurrentHashMap<>();
    Map<String, Long> sent = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    long period = Math.max(1, 1000 / rate);
    vertx.setPeriodic(period, timer -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        vertx.cancelTimer(timer);
        return;
      }
      String text = "latency " + i;
      Map<String, String> form = new LinkedHashMap<>();
      String sid = "SMbench" + System.nanoTime() + i;
      form.put("MessageSid", sid);
      form.put("AccountSid", "AC00000000000000000000000000000000");
      form.put("From", "+1415555" + String.format("%04d", i % 10_000));
      form.put("To", owner.getString("phone_number"));
      form.put("Body", text);
      form.put("NumMedia", "0");
      MultiMap fields = MultiMap.caseInsensitiveMultiMap();
      form.forEach(fields::add);
      sent.put(text, System.nanoTime());
      client.post(server.port, "localhost", TwilioWebhookRoutes.SMS_PATH)
          .putHeader("X-Twilio-Signature", TwilioSignatures.sign(token, url, form))
          .sendForm(fields)
          .onComplete(response -> {
            if (response.succeeded() && response.result().statusCode() == 200) {
              accepted.put(text, System.nanoTime());
            } else {
              refused.incrementAndGet();
            }
          });
    });
    if (!done.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("webhooks did not all arrive; refused posts: " + refused);
    }
    Thread.sleep(200);
    Histogram fromAccepted = new Histogram(60_000_000L, 3);
    Histogram fromSent = new Histogram(60_000_000L, 3);
    int beforeAccepted = 0;
    for (Map.Entry<String, Long> arrival : receiver.arrivals(path).entrySet()) {
      Long at = accepted.get(arrival.getKey());
      if (at != null) {
        long micros = (arrival.getValue() - at) / 1_000;
        if (micros < 0) {
          beforeAccepted++;
        }
        fromAccepted.recordValue(Math.max(0, micros));
      }
      fromSent.recordValue((arrival.getValue() - sent.get(arrival.getKey())) / 1_000);
    }
    System.out.printf("inbound SMS accepted -> webhook received (%d messages at %d/s): "
            + "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d webhooks arrived before the 200 did)%n",
        fromAccepted.getTotalCount(), rate, fromAccepted.getValueAtPercentile(50) / 1000.0,
        fromAccepted.getValueAtPercentile(99) / 1000.0, fromAccepted.getMaxValue() / 1000.0,
        beforeAccepted);
    System.out.printf("inbound SMS posted -> webhook received: p50 %.2f ms, p99 %.2f ms, "
            + "max %.2f ms (bad signatures: %d, refused posts: %d)%n",
        fromSent.getValueAtPercentile(50) / 1000.0, fromSent.getValueAtPercentile(99) / 1000.0,
        fromSent.getMaxValue() / 1000.0, receiver.badSignatures.get(), refused.get());
    // where the time goes, from the database's own clock
    Map<String, Object> split = server.sql("SELECT "
        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY ms_plan) AS plan_p50, "
        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY ms_plan) AS plan_p99, "
        + "percentile_cont(0.5) WITHIN GROUP (ORDER BY ms_send) AS send_p50, "
        + "percentile_cont(0.99) WITHIN GROUP (ORDER BY ms_send) AS send_p99 FROM ("
        + "SELECT extract(epoch FROM d.created_at - e.occurred_at) * 1000 AS ms_plan, "
        + "extract(epoch FROM d.last_attempt_at - d.created_at) * 1000 AS ms_send "
        + "FROM webhook_deliveries d JOIN events e ON e.id = d.event_id "
        + "WHERE d.account_id = ?) t", owner.getString("account_id")).get(0);
    System.out.printf("  of which: message stored -> delivery created p50 %.1f ms, p99 %.1f ms; "
            + "delivery created -> POST started p50 %.1f ms, p99 %.1f ms%n",
        split.get("plan_p50"), split.get("plan_p99"), split.get("send_p50"), split.get("send_p99"));
    client.close();
  }

  /** A customer endpoint that verifies each signature and notes when each message arrived. */
  static final class Receiver {
    final AtomicLong badSignatures = new AtomicLong();
    private final HttpServer server;
    private final Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> last = new ConcurrentHashMap<>();

    Receiver(Vertx vertx) throws Exception {
      server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        long now = System.nanoTime();
        String path = request.path();
        String secret = secrets.get(path);
        if (secret == null || !valid(secret, request.getHeader("X-Webhook-Timestamp"),
            request.getHeader("X-Webhook-Signature"), body.getBytes())) {
          badSignatures.incrementAndGet();
        }
        String text = new JsonObject(body).getJsonObject("data").getString("message");
        if (arrivals.computeIfAbsent(path, p -> new ConcurrentHashMap<>()).putIfAbsent(text, now) == null) {
          last.computeIfAbsent(path, p -> new AtomicLong()).accumulateAndGet(now, Math::max);
          CountDownLatch latch = latches.get(path);
          if (latch != null) {
            latch.countDown();
          }
        }
        request.response().setStatusCode(204).end();
      }));
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String url(String path) {
      return "http://127.0.0.1:" + server.actualPort() + path;
    }

    CountDownLatch expect(String path, String secret, int count) {
      secrets.put(path, secret);
      CountDownLatch latch = new CountDownLatch(count);
      latches.put(path, latch);
      return latch;
    }

    long lastArrival(String path) {
      return last.get(path).get();
    }

    Map<String, Long> arrivals(String path) {
      return arrivals.get(path);
    }

    private static boolean valid(String secret, String timestamp, String signature, byte[] body) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        return expected.equals(signature);
      } catch (Exception e) {
        return false;
      }
    }
  }
}
