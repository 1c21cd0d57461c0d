import dev.agentphone.providers.twilio.TwilioSignatures;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A burst of signed inbound SMS posts (Twilio's form, Twilio's signature) from outside the
 * engine: signs up a sandbox account, buys numbers through the API until it has NUMBERS, then
 * keeps CONNECTIONS posts in flight (closed loop) until TOTAL messages are answered, spread
 * round-robin over the numbers. Warm-up bursts of WARMUP messages go first and are not counted
 * (see {@link #warmUp}).
 *
 * <p>Each connection numbers its own messages ("c7 s41"): it sends the next only after the
 * previous one's 200, so the stored times must follow that order (bench/sms-burst.sh checks it in
 * the database, with the number of messages and events).
 *
 * <p>java -cp target/agentphone-engine.jar bench/sms-burst/SmsBurst.java URL NUMBERS TOTAL
 * CONNECTIONS [WARMUP] [AUTH_TOKEN]. Prints one line of key=value pairs.
 */
public class SmsBurst {
  public static void main(String[] args) throws Exception {
    try {
      measure(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void measure(String[] args) throws Exception {
    URI base = URI.create(args[0]);
    int numbers = Integer.parseInt(args[1]);
    int total = Integer.parseInt(args[2]);
    int connections = Integer.parseInt(args[3]);
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 2000;
    String token = args.length > 5 ? args[5] : "sandbox-twilio-auth-token";
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    // the sandbox's plan allows 10 numbers per account: 100 numbers are 10 accounts' numbers
    List<String> accounts = new ArrayList<>();
    List<String> phones = new ArrayList<>();
    while (phones.size() < numbers) {
      JsonObject account = signUp(http, base);
      accounts.add(account.getString("account_id"));
      phones.add(account.getString("phone_number"));
      for (int i = 1; i < 10 && phones.size() < numbers; i++) {
        phones.add(call(http, base, HttpMethod.POST, "/v1/numbers", account.getString("api_key"),
            new JsonObject().put("agentId", account.getString("agent_id")))
            .getString("phoneNumber"));
      }
    }
    String url = base.toString().replaceAll("/$", "") + "/webhooks/twilio/sms";
    warmUp(vertx, http, base, url, token, phones, warmup, connections);
    double load = loadAverage();
    long[] latency = new long[total];
    around("before");
    long started = System.nanoTime();
    int failures = run(vertx, http, base, url, token, phones, total, connections, "m", latency);
    double seconds = (System.nanoTime() - started) / 1e9;
    around("after");
    System.out.printf("account=%s numbers=%d messages=%d connections=%d seconds=%.2f "
            + "msgps=%.0f p50ms=%.2f p99ms=%.2f maxms=%.2f failures=%d load_measured=%.2f%n",
        String.join(",", accounts), numbers, total, connections, seconds, total / seconds,
        percentile(latency, 0.50) / 1e6, percentile(latency, 0.99) / 1e6,
        percentile(latency, 1.0) / 1e6, failures, load);
    System.exit(0);
  }

  /**
   * Warm-up bursts of {@code warmup} messages, not counted: one, or while BENCH_C2 is set (a
   * command printing the engine's C2 compiler's CPU seconds so far), until that compiler was
   * busy for less than BENCH_WARMUP_C2_PERCENT (10) % of a burst's time, at most
   * BENCH_WARMUP_ROUNDS (5) bursts. Each is reported on standard error.
   */
  private static void warmUp(Vertx vertx, WebClient http, URI base, String url, String token,
      List<String> phones, int warmup, int connections) throws Exception {
    String c2 = System.getenv("BENCH_C2");
    int rounds = c2 == null || c2.isBlank() ? 1
        : Integer.parseInt(System.getenv().getOrDefault("BENCH_WARMUP_ROUNDS", "5"));
    double quiet = Double.parseDouble(
        System.getenv().getOrDefault("BENCH_WARMUP_C2_PERCENT", "10"));
    for (int round = 1; round <= rounds; round++) {
      double before = rounds > 1 ? compilerSeconds(c2) : 0;
      long started = System.nanoTime();
      run(vertx, http, base, url, token, phones, warmup, connections, "w" + round);
      double seconds = (System.nanoTime() - started) / 1e9;
      if (rounds == 1) {
        return;
      }
      double percent = 100 * (compilerSeconds(c2) - before) / seconds;
      System.err.printf("warm-up %d: %.0f msg/s, C2 compiler %.0f %% of a core%n", round,
          warmup / seconds, percent);
      if (percent < quiet) {
        return;
      }
    }
  }

  private static double compilerSeconds(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    process.waitFor();
    return Double.parseDouble(out);
  }

  /**
   * Runs BENCH_AROUND (when set) with {@code when} and this process's id appended, right before and right after the
   * measured window: bench/sms-burst.sh records CPU per thread there.
   */
  private static void around(String when) throws Exception {
    String command = System.getenv("BENCH_AROUND");
    if (command != null && !command.isBlank()) {
      new ProcessBuilder("sh", "-c", command + " " + when + " " + ProcessHandle.current().pid())
          .inheritIO().start().waitFor();
    }
  }

  private static JsonObject signUp(WebClient http, URI base) throws Exception {
    String email = "burst-" + System.nanoTime() + "@example.com";
    JsonObject signUp = call(http, base, HttpMethod.POST, "/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    JsonObject emails = call(http, base, HttpMethod.GET, "/sandbox/emails?to=" + email, null, null);
    String code = emails.getJsonArray("data").getJsonObject(0).getString("text")
        .replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
    return call(http, base, HttpMethod.POST, "/v0/agent/verify", null,
        new JsonObject().put("verification_id", signUp.getString("verification_id"))
            .put("otp_code", code));
  }

  private static int run(Vertx vertx, WebClient http, URI base, String url, String token,
      List<String> phones, int total, int connections, String label) throws Exception {
    return run(vertx, http, base, url, token, phones, total, connections, label,
        new long[total]);
  }

  /** Keeps {@code connections} posts in flight until {@code total} are answered; the failures. */
  private static int run(Vertx vertx, WebClient http, URI base, String url, String token,
      List<String> phones, int total, int connections, String label, long[] latency)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger open = new AtomicInteger(connections);
    CompletableFuture<Void> done = new CompletableFuture<>();
    String run = label + Long.toString(System.nanoTime(), 36);
    vertx.runOnContext(v -> {
      for (int c = 0; c < connections; c++) {
        post(http, base, url, token, phones, total, next, failures, latency, run, c, 0,
            () -> {
              if (open.decrementAndGet() == 0) {
                done.complete(null);
              }
            });
      }
    });
    done.get(30, TimeUnit.MINUTES);
    return failures.get();
  }

  private static void post(WebClient http, URI base, String url, String token,
      List<String> phones, int total, AtomicInteger next, AtomicInteger failures,
      long[] latency, String run, int connection, int sequence, Runnable finished) {
    int i = next.getAndIncrement();
    if (i >= total) {
      finished.run();
      return;
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SM" + run + "x" + i);
    form.put("AccountSid", "AC00000000000000000000000000000000");
    form.put("From", "+1415555" + String.format("%04d", i % 1000));
    form.put("To", phones.get(i % phones.size()));
    form.put("Body", "c" + connection + " s" + sequence);
    form.put("NumMedia", "0");
    MultiMap fields = MultiMap.caseInsensitiveMultiMap();
    form.forEach(fields::add);
    long started = System.nanoTime();
    http.post(base.getPort(), base.getHost(), "/webhooks/twilio/sms")
        .putHeader("X-Twilio-Signature", TwilioSignatures.sign(token, url, form))
        .sendForm(fields)
        .onComplete(answer -> {
          latency[i] = System.nanoTime() - started;
          if (answer.failed() || answer.result().statusCode() != 200) {
            failures.incrementAndGet();
          }
          post(http, base, url, token, phones, total, next, failures, latency, run, connection,
              sequence + 1, finished);
        });
  }

  private static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  private static double loadAverage() throws Exception {
    return Double.parseDouble(java.nio.file.Files.readString(java.nio.file.Path.of(
        "/proc/loadavg")).split(" ")[0]);
  }

  private static JsonObject call(WebClient http, URI base, HttpMethod method, String path,
      String key, JsonObject body) throws Exception {
    var request = http.request(method, base.getPort(), base.getHost(), path);
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
        : request.sendJsonObject(body);
    var response = sent.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " "
          + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }
}
