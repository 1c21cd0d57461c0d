import dev.agentphone.providers.retell.RetellSignature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Voice turns measured from outside the engine: this process plays Retell (signed
 * {@code call_started} webhooks, then each call's custom-LLM WebSocket at the URL the engine
 * registered with the sandbox's Retell) and the customer (the agent's voice webhook, served here).
 * A turn is {@code response_required} written → the first {@code response} frame of that
 * response read, minus the webhook's own time (request received → answer written, timed by the
 * webhook in this process). Between turns each call also sends Retell's {@code ping_pong}, and
 * the pong's round trip is reported beside the turn: the socket and event loop with no turn work.
 *
 * <pre>
 * java -cp target/agentphone-engine.jar:HdrHistogram.jar bench/voice-turns/VoiceTurns.java \
 *   URL paced CALLS TURNS THINK_MS        # every call pauses THINK_MS between turns
 *   URL b2b CALLS TURNS                   # every call sends its next turn as the last one ends
 *   URL sessions SESSIONS STEP SAMPLE TURNS THINK_MS
 *                                         # holds SESSIONS calls, heap after GC per step (jcmd),
 *                                         # then paced turns on SAMPLE of them</pre>
 * With ENGINE_PID set (the engine's process), each run also reports the CPU the engine's process
 * tree used per turn, and the sessions mode reads the engine's heap with jcmd.
 * Each mode ends with one line starting {@code ROW |}: markdown cells for the report.
 */
public class VoiceTurns {
  static final String RETELL_KEY = "sandbox-retell-api-key";
  static final int WARMUP = 3;

  final URI base;
  final Vertx vertx = Vertx.vertx();
  final WebClient http;
  final WebSocketClient sockets;
  final ConcurrentHashMap<String, Long> webhookNanos = new ConcurrentHashMap<>();
  String key;
  String number;
  String socketPath;

  VoiceTurns(URI base) {
    this.base = base;
    http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
    sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
        .setConnectTimeout(60_000));
  }

  public static void main(String[] args) throws Exception {
    VoiceTurns bench = new VoiceTurns(URI.create(args[0]));
    String mode = args[1];
    try {
      bench.setUp();
      switch (mode) {
        case "paced" -> bench.turns(bench.open("p", Integer.parseInt(args[2])),
            Integer.parseInt(args[3]), Long.parseLong(args[4]), "paced " + args[4] + " ms");
        case "b2b" -> bench.turns(bench.open("b", Integer.parseInt(args[2])),
            Integer.parseInt(args[3]), 0, "back to back");
        case "sessions" -> bench.sessions(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
            Integer.parseInt(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]));
        default -> throw new IllegalArgumentException("mode: paced, b2b or sessions");
      }
    } finally {
      try {
        // closing 19,000 sockets may take the engine a while: the figures are out already
        bench.vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception slow) {
        System.out.println("the generator's sockets did not all close in 30 s");
      }
    }
    System.exit(0);
  }

  /** A sandbox account whose agent answers calls through this process's webhook. */
  void setUp() throws Exception {
    HttpServer customer = vertx.createHttpServer().requestHandler(request -> {
      long arrived = System.nanoTime();
      request.body().onSuccess(body -> {
        String said = body.toJsonObject().getJsonObject("data").getString("transcript");
        String answer = new JsonObject().put("text", "ok " + said).encode();
        // the webhook's own time ends as its answer is handed to the connection: stamped before
        // the write, since the engine may answer Retell before this loop runs again
        webhookNanos.put(said, System.nanoTime() - arrived);
        request.response().putHeader("Content-Type", "application/json").end(answer);
      });
    });
    int webhookPort = await(customer.listen(0, "127.0.0.1")).actualPort();

    String email = "voice-" + System.nanoTime() + "@example.com";
    JsonObject signUp = call(HttpMethod.POST, "/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email));
    JsonObject emails = call(HttpMethod.GET, "/sandbox/emails?to=" + email, null, null);
    String code = emails.getJsonArray("data").getJsonObject(0).getString("text")
        .replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
    JsonObject account = call(HttpMethod.POST, "/v0/agent/verify", null,
        new JsonObject().put("verification_id", signUp.getString("verification_id"))
            .put("otp_code", code));
    key = account.getString("api_key");
    number = account.getString("phone_number");
    String agentId = account.getString("agent_id");
    call(HttpMethod.PATCH, "/v1/agents/" + agentId, key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    call(HttpMethod.POST, "/v1/agents/" + agentId + "/webhook", key, new JsonObject()
        .put("url", "http://127.0.0.1:" + webhookPort + "/voice").put("timeout", 30));

    // Retell's view: the number's agent, and the LLM socket the engine registered for it
    long deadline = System.currentTimeMillis() + 30_000;
    while (socketPath == null) {
      JsonObject imported;
      try {
        imported = call(HttpMethod.GET, "/sandbox/retell/get-phone-number/"
            + URLEncoder.encode(number, StandardCharsets.UTF_8), RETELL_KEY, null);
      } catch (IllegalStateException notYet) {
        // the number is imported into Retell in the background after sign-up: asked again
        imported = new JsonObject();
      }
      String retellAgent = imported.getString("inbound_agent_id");
      if (retellAgent != null) {
        JsonObject agent = call(HttpMethod.GET, "/sandbox/retell/get-agent/" + retellAgent,
            RETELL_KEY, null);
        String url = agent.getJsonObject("response_engine", new JsonObject())
            .getString("llm_websocket_url");
        if (url != null) {
          socketPath = URI.create(url).getRawPath();
        }
      }
      if (socketPath == null) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the agent got no LLM socket");
        }
        Thread.sleep(100);
      }
    }
  }

  /** Starts {@code count} inbound calls: {@code call_started}, then the call's LLM socket. */
  List<WebSocket> open(String prefix, int count) throws Exception {
    String run = prefix + System.nanoTime() + "_";
    List<Future<WebSocket>> opened = new ArrayList<>();
    var retell = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(16));
    for (int i = 0; i < count; i++) {
      String rid = run + i;
      JsonObject call = new JsonObject().put("call_id", rid).put("call_type", "phone_call")
          .put("call_status", "ongoing").put("direction", "inbound")
          .put("from_number", "+14155550100").put("to_number", number)
          .put("start_timestamp", System.currentTimeMillis()).put("metadata", new JsonObject());
      String body = new JsonObject().put("event", "call_started").put("call", call).encode();
      opened.add(retell.request(HttpMethod.POST, base.getPort(), base.getHost(),
              "/webhooks/retell")
          .compose(req -> req.putHeader("Content-Type", "application/json")
              .putHeader(RetellSignature.HEADER, RetellSignature.sign(RETELL_KEY, body,
                  System.currentTimeMillis()))
              .send(body))
          .compose(response -> response.body().compose(b -> response.statusCode() / 100 == 2
              ? Future.succeededFuture()
              : Future.failedFuture("call_started → " + response.statusCode() + " " + b)))
          .compose(x -> sockets.connect(new WebSocketConnectOptions().setHost(base.getHost())
              .setPort(base.getPort()).setURI(socketPath + "/" + rid))));
      if (i % 100 == 99) {
        // keep the set-up from swamping the engine's pool
        await(Future.all(opened.subList(i - 99, i + 1)));
      }
    }
    await(Future.all(opened));
    retell.close();
    List<WebSocket> out = new ArrayList<>();
    opened.forEach(f -> out.add(f.result()));
    return out;
  }

  /** Runs {@code turns} turns (plus warm-up) on each call and prints the figures. */
  Histogram[] turns(List<WebSocket> calls, int turns, long think, String label) throws Exception {
    Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Histogram pongs = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    Histogram warmPongs = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    CountDownLatch done = new CountDownLatch(calls.size());
    long[] window = {Long.MAX_VALUE, 0};
    around("before");
    List<CallLoop> loops = new ArrayList<>();
    for (int c = 0; c < calls.size(); c++) {
      CallLoop loop = new CallLoop(calls.get(c), "c" + c + "_" + System.nanoTime(), turns, think,
          latency, pongs, warmPongs, done, window);
      loops.add(loop);
      // spread the first utterances over one think time so the calls do not move in lockstep
      vertx.setTimer(1 + (think * c) / calls.size(), t -> loop.next());
    }
    long[] cpuBefore = {treeCpuMillis(ENGINE_PID), treeCpuMillis(SELF)};
    if (!done.await(900, TimeUnit.SECONDS)) {
      System.out.println("timed out with " + done.getCount() + " calls unfinished");
    }
    around("after");
    long allTurns = (long) calls.size() * (turns + WARMUP);
    double engineCpu = (treeCpuMillis(ENGINE_PID) - cpuBefore[0]) * 1000.0 / allTurns;
    double ownCpu = (treeCpuMillis(SELF) - cpuBefore[1]) * 1000.0 / allTurns;
    double seconds = (window[1] - window[0]) / 1e9;
    long measured = latency.getTotalCount();
    long fallbacks = loops.stream().mapToLong(l -> l.fallbacks).sum();
    System.out.printf("%s: %d calls, %d turns measured in %.1f s (%.0f turns/s), %d without the "
            + "webhook's answer%n  turn p50 %s  p99 %s  p99.9 %s  max %s%n  ping→pong p50 %s  "
            + "p99 %s  p99.9 %s  max %s (%d pongs; in the warm-up turns' pauses, not counted: "
            + "p99 %s  max %s of %d)%n  CPU per turn: engine with its PostgreSQL %.0f µs, this "
            + "generator %.0f µs%n", label, calls.size(), measured, seconds, measured / seconds,
        fallbacks, ms(latency, 50), ms(latency, 99), ms(latency, 99.9), ms(latency, 100),
        ms(pongs, 50), ms(pongs, 99), ms(pongs, 99.9), ms(pongs, 100), pongs.getTotalCount(),
        ms(warmPongs, 99), ms(warmPongs, 100), warmPongs.getTotalCount(), engineCpu, ownCpu);
    System.out.printf("ROW | %s | %,d | %,d | %,.0f | %s | %s | %s | %s | %s | %.0f µs | "
            + "%.0f µs |%n", label, calls.size(), measured, measured / seconds, ms(latency, 50),
        ms(latency, 99), ms(latency, 99.9), ms(latency, 100), ms(pongs, 99), engineCpu, ownCpu);
    return new Histogram[] {latency, pongs};
  }

  /** Holds up to {@code target} calls, measuring heap per session, then turns on a sample. */
  void sessions(int target, int step, int sample, int turns, long think) throws Exception {
    String enginePid = ENGINE_PID;
    long baseline = heapAfterGc(enginePid);
    List<WebSocket> all = new ArrayList<>();
    long perSession = 0;
    String stopped = "";
    while (all.size() < target) {
      int n = Math.min(step, target - all.size());
      long started = System.nanoTime();
      try {
        all.addAll(open("s", n));
      } catch (Exception e) {
        stopped = " (stopped: " + e.getMessage() + ")";
        System.out.println("could not open more than " + all.size() + " sessions: " + e);
        break;
      }
      long used = heapAfterGc(enginePid);
      perSession = (used - baseline) / all.size();
      System.out.printf("%d sessions: heap after GC %d MB, %.1f KB per session, step opened in "
          + "%d ms%n", all.size(), used >> 20, perSession / 1024.0,
          (System.nanoTime() - started) / 1_000_000);
    }
    List<WebSocket> picked = new ArrayList<>();
    int count = Math.min(sample, all.size());
    for (int i = 0; i < count; i++) {
      picked.add(all.get((int) ((long) i * all.size() / count)));
    }
    Histogram[] figures = turns(picked, turns, think, "sample of " + count + ", paced " + think
        + " ms");
    System.out.printf("ROW | %,d%s | %.1f KB | %,d | %s | %s | %s |%n", all.size(), stopped,
        perSession / 1024.0, count, ms(figures[0], 50), ms(figures[0], 99),
        ms(figures[0], 99.9));
  }

  /**
   * Runs BENCH_AROUND (when set) with {@code when} and this process's id appended, right before
   * and right after a measured window: bench/voice-turns.sh records CPU per thread there.
   */
  static void around(String when) throws Exception {
    String command = System.getenv("BENCH_AROUND");
    if (command != null && !command.isBlank()) {
      new ProcessBuilder("sh", "-c", command + " " + when + " " + SELF).inheritIO().start()
          .waitFor();
    }
  }

  static final String ENGINE_PID = System.getenv().getOrDefault("ENGINE_PID", "");
  static final String SELF = Long.toString(ProcessHandle.current().pid());

  /**
   * CPU time (user + system, ms) of a process and its descendants so far, from /proc: the
   * engine's counts its embedded PostgreSQL with the backends. 0 when there is no such process.
   */
  static long treeCpuMillis(String root) {
    if (root.isEmpty()) {
      return 0;
    }
    java.util.Map<Long, List<Long>> children = new java.util.HashMap<>();
    java.util.Map<Long, Long> ticks = new java.util.HashMap<>();
    java.io.File[] entries = new java.io.File("/proc").listFiles();
    for (java.io.File entry : entries == null ? new java.io.File[0] : entries) {
      if (!entry.getName().chars().allMatch(Character::isDigit)) {
        continue;
      }
      try {
        String stat = java.nio.file.Files.readString(entry.toPath().resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(entry.getName());
        children.computeIfAbsent(Long.parseLong(fields[1]), k -> new ArrayList<>()).add(pid);
        // own user and system time, and that of reaped children (exited backends)
        ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12])
            + Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
      } catch (Exception gone) {
        // the process ended while listed
      }
    }
    long total = 0;
    List<Long> todo = new ArrayList<>(List.of(Long.parseLong(root)));
    while (!todo.isEmpty()) {
      long pid = todo.remove(todo.size() - 1);
      total += ticks.getOrDefault(pid, 0L);
      todo.addAll(children.getOrDefault(pid, List.of()));
    }
    return total * 10; // USER_HZ is 100 on Linux
  }

  /** The engine's used heap after a full collection, read with jcmd. */
  static long heapAfterGc(String pid) throws Exception {
    jcmd(pid, "GC.run");
    Thread.sleep(500);
    String info = jcmd(pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)([KMG])").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("no heap figure in: " + info);
    }
    long value = Long.parseLong(used.group(1));
    return switch (used.group(2)) {
      case "K" -> value << 10;
      case "M" -> value << 20;
      default -> value << 30;
    };
  }

  static String jcmd(String pid, String command) throws Exception {
    Process process = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        process.getInputStream(), StandardCharsets.UTF_8))) {
      reader.lines().forEach(line -> out.append(line).append('\n'));
    }
    process.waitFor(120, TimeUnit.SECONDS);
    return out.toString();
  }

  /** One call's turns, each sent when the previous answer is complete (and the pause is over). */
  final class CallLoop {
    final WebSocket socket;
    final String name;
    final int turns;
    final long think;
    final Histogram latency;
    final Histogram pongs;
    final Histogram warmPongs;
    final CountDownLatch done;
    final long[] window;
    final JsonArray transcript = new JsonArray();
    int turn;
    long sentAt;
    long pingAt;
    boolean first;
    long fallbacks;

    CallLoop(WebSocket socket, String name, int turns, long think, Histogram latency,
        Histogram pongs, Histogram warmPongs, CountDownLatch done, long[] window) {
      this.socket = socket;
      this.name = name;
      this.turns = turns;
      this.think = think;
      this.latency = latency;
      this.pongs = pongs;
      this.warmPongs = warmPongs;
      this.done = done;
      this.window = window;
      socket.textMessageHandler(this::frame);
    }

    void next() {
      if (turn == turns + WARMUP) {
        done.countDown();
        return;
      }
      turn++;
      String said = name + "-t" + turn;
      transcript.add(new JsonObject().put("role", "user").put("content", said));
      first = true;
      String frame = new JsonObject().put("interaction_type", "response_required")
          .put("response_id", turn).put("transcript", transcript).encode();
      sentAt = System.nanoTime();
      if (turn == WARMUP + 1) {
        synchronized (window) {
          window[0] = Math.min(window[0], sentAt);
        }
      }
      socket.writeTextMessage(frame);
    }

    private void frame(String text) {
      // read only what is measured, so that the generator takes little of the machine
      if (text.startsWith("{\"response_type\":\"ping_pong\"")
          || text.contains("\"response_type\":\"ping_pong\"")) {
        if (pingAt > 0) {
          // the pause after a warm-up turn is warm-up too (the calls' first turns, the webhook
          // lookups and the JIT of a fresh run): counted apart, like the warm-up turns
          record(turn > WARMUP ? pongs : warmPongs, System.nanoTime() - pingAt);
          pingAt = 0;
        }
        return;
      }
      if (!text.contains("\"response_type\":\"response\"")
          || number(text, "\"response_id\":") != turn) {
        return;
      }
      if (first) {
        first = false;
        long total = System.nanoTime() - sentAt;
        Long webhook = webhookNanos.remove(name + "-t" + turn);
        if (webhook == null) {
          // not the webhook's answer (a fallback the engine spoke), or timed before the webhook
          // had stamped it: either way not a turn to count
          fallbacks++;
        } else if (turn > WARMUP) {
          record(latency, Math.max(0, total - webhook));
        }
      }
      if (text.contains("\"content_complete\":true")) {
        transcript.add(new JsonObject().put("role", "agent").put("content", "ok"));
        if (turn == turns + WARMUP) {
          synchronized (window) {
            window[1] = Math.max(window[1], System.nanoTime());
          }
        }
        if (think > 0) {
          vertx.setTimer(think / 2, t -> {
            pingAt = System.nanoTime();
            socket.writeTextMessage("{\"interaction_type\":\"ping_pong\",\"timestamp\":"
                + System.currentTimeMillis() + "}");
          });
          vertx.setTimer(think, t -> next());
        } else {
          next();
        }
      }
    }

    private void record(Histogram histogram, long nanos) {
      synchronized (histogram) { // shared by every call's loop
        histogram.recordValue(nanos / 1000);
      }
    }
  }

  static long number(String text, String field) {
    int at = text.indexOf(field);
    if (at < 0) {
      return -1;
    }
    long value = 0;
    for (int i = at + field.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  static String ms(Histogram h, double percentile) {
    return String.format("%.2f ms", h.getValueAtPercentile(percentile) / 1000.0);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
  }

  JsonObject call(HttpMethod method, String path, String bearer, JsonObject body)
      throws Exception {
    var request = http.requestAbs(method, base.resolve(path).toString());
    if (bearer != null) {
      request.putHeader("Authorization", "Bearer " + bearer);
    }
    Future<io.vertx.ext.web.client.HttpResponse<Buffer>> sent = body == null ? request.send()
        : request.sendJsonObject(body);
    var response = await(sent);
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " → " + response.statusCode() + " "
          + response.bodyAsString());
    }
    return response.bodyAsString().isBlank() ? new JsonObject() : response.bodyAsJsonObject();
  }
}
