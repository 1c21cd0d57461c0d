package dev.agentphone.bench;

import dev.agentphone.platform.Database;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Outbox;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The performance harness (not a test). One engine on the embedded PostgreSQL with seeded data,
 * driven over real HTTP by a closed-loop Vert.x client at 1, 16 and 64 connections; for every
 * database-bound scenario the same SQL statements the engine runs for that request are then run
 * without HTTP or event bus, through vertx-pg-client with prepared-statement caching and
 * pipelining, and {@code engine / raw database} is printed. Then webhook deliveries per second and
 * start-up to ready. Results: a table on stdout and {@code target/bench/results.json}.
 *
 * <p>Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.agentphone.bench.Bench}. Options: {@code -Dbench.long=true} (30 s windows,
 * 50,000 deliveries), {@code -Dbench.seconds=N}, {@code -Dbench.warmup=N},
 * {@code -Dbench.levels=1,16,64}, {@code -Dbench.scenarios=agent.get,…}, {@code -Dbench.events=N},
 * {@code -Dbench.startupRuns=N} (0 skips it), {@code -Dbench.out=path}, {@code -Dbench.jfr=true}
 * (a JFR profile of each engine-side window in {@code target/bench/}, for
 * {@code bench/jfr_summary.py}), {@code -Dbench.asyncCommit=true} (the bench database without
 * waiting for WAL flushes: an experiment showing what commit latency costs, not a setting).
 */
public final class Bench {
  private static final int POOL_SIZE = 16;

  private final TestEngine server;
  private final Vertx load;
  private final double warmup;
  private final double seconds;
  private final List<JsonObject> rows = new ArrayList<>();
  private final AtomicLong sequence = new AtomicLong();

  private Bench(TestEngine server, Vertx load, double warmup, double seconds) {
    this.server = server;
    this.load = load;
    this.warmup = warmup;
    this.seconds = seconds;
  }

  /** A scenario: the HTTP request and the statements the engine runs for it, side by side. */
  private record Scenario(String name, boolean writes, String statements,
      java.util.function.Function<HttpClientAgent, Supplier<Future<?>>> engine,
      RawSide raw) {
  }

  /** The raw-database side of a scenario, on a client the harness opens for it. */
  private interface RawSide {
    Supplier<Future<?>> on(SqlClient client);
  }

  public static void main(String[] args) throws Exception {
    System.setProperty("AGENTPHONE_LOG_LEVEL", System.getProperty("bench.log", "WARN"));
    boolean longRun = Boolean.getBoolean("bench.long");
    double seconds = Double.parseDouble(System.getProperty("bench.seconds", longRun ? "30" : "5"));
    double warmup = Double.parseDouble(System.getProperty("bench.warmup", longRun ? "10" : "2"));
    int events = Integer.getInteger("bench.events", longRun ? 50_000 : 20_000);
    int startupRuns = Integer.getInteger("bench.startupRuns", 3);
    List<Integer> levels = new ArrayList<>();
    for (String level : System.getProperty("bench.levels", "1,16,64").split(",")) {
      levels.add(Integer.parseInt(level.trim()));
    }
    String only = System.getProperty("bench.scenarios", "");
    Path out = Path.of(System.getProperty("bench.out", "target/bench/results.json"));
    Files.createDirectories(out.toAbsolutePath().getParent());

    JsonObject machine = machine();
    System.out.printf("AgentPhone bench %s: %s; windows %.0f s warm-up + %.0f s measured%n",
        Instant.now(), machine.getString("description"), warmup, seconds);

    Vertx load = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    WebhookBench.Receiver receiver = new WebhookBench.Receiver(load);
    String databaseUrl = TestDatabase.fresh();
    if (Boolean.getBoolean("bench.asyncCommit")) {
      // an experiment, never a setting: shows how much of a figure is waiting for WAL flushes
      TestDatabase.sql(databaseUrl, "ALTER DATABASE "
          + databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1) + " SET synchronous_commit = off");
      System.out.println("synchronous_commit = off for this run (bench.asyncCommit)");
    }
    TestEngine server = TestEngine.builder().database(databaseUrl).config(Map.of(
        "database.poolSize", POOL_SIZE,
        "webhooks.maxInFlight", 256,
        "webhooks.batchSize", 200)).start();
    Bench bench = new Bench(server, load, warmup, seconds);
    JsonObject results = new JsonObject().put("date", Instant.now().toString())
        .put("machine", machine)
        .put("settings", new JsonObject().put("warmupSeconds", warmup)
            .put("measuredSeconds", seconds).put("levels", new JsonArray(levels))
            .put("enginePoolSize", POOL_SIZE));
    try {
      for (Scenario scenario : bench.scenarios(receiver)) {
        if (only.isEmpty() || List.of(only.split(",")).contains(scenario.name())) {
          for (int level : levels) {
            bench.compare(scenario, level);
          }
        }
      }
      if (only.isEmpty() || only.contains("webhooks")) {
        bench.webhooks(receiver, events);
      }
    } finally {
      server.close();
    }
    if (startupRuns > 0 && (only.isEmpty() || only.contains("startup"))) {
      bench.startup(startupRuns, out.toAbsolutePath().getParent());
    }
    load.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    results.put("results", new JsonArray(new ArrayList<>(bench.rows)));
    Files.writeString(out, results.encodePrettily());
    bench.printTable();
    System.out.println("JSON: " + out.toAbsolutePath());
    System.exit(0);
  }

  // ---------------------------------------------------------------- scenarios

  private List<Scenario> scenarios(WebhookBench.Receiver receiver) {
    List<Scenario> all = new ArrayList<>();

    JsonObject reader = server.signUp("bench-reads-" + System.nanoTime() + "@example.com");
    String readKey = "Bearer " + reader.getString("api_key");
    String readAccount = reader.getString("account_id");
    String agentId = reader.getString("agent_id");
    // 200 conversations on the account's number, so a page of 20 is a real page with a count
    server.sql("INSERT INTO conversations (id, account_id, phone_number_id, participant, "
            + "message_count, last_message_at, last_message_preview) "
            + "SELECT 'conv_bench_' || g, ?, ?, '+1415200' || lpad(g::text, 4, '0'), g, "
            + "now() - g * interval '1 minute', 'message ' || g FROM generate_series(1, 200) g",
        readAccount, reader.getString("number_id"));

    all.add(new Scenario("agent.get", false, dev.agentphone.agents.BenchSql.GET_AGENT
        + "; then " + dev.agentphone.numbers.BenchSql.FOR_AGENTS,
        http -> () -> get(http, "/v1/agents/" + agentId, readKey),
        client -> () -> client.preparedQuery(dev.agentphone.agents.BenchSql.GET_AGENT)
            .execute(Tuple.of(readAccount, agentId))
            .compose(rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getString("id")));
              return client.preparedQuery(dev.agentphone.numbers.BenchSql.FOR_AGENTS).execute(
                  Tuple.of(readAccount).addArrayOfString(ids.toArray(new String[0])));
            })));

    all.add(new Scenario("conversations.list", false,
        dev.agentphone.conversations.BenchSql.LIST_PAGE + "; and concurrently "
            + dev.agentphone.conversations.BenchSql.LIST_COUNT + "; then "
            + dev.agentphone.numbers.BenchSql.SUMMARIES,
        http -> () -> get(http, "/v1/conversations?limit=20", readKey),
        client -> () -> {
          Future<io.vertx.sqlclient.RowSet<Row>> page = client.preparedQuery(
                  dev.agentphone.conversations.BenchSql.LIST_PAGE)
              .execute(Tuple.of(readAccount).addArrayOfString(null).addValue(20).addValue(0));
          return Future.all(page, client.preparedQuery(
                  dev.agentphone.conversations.BenchSql.LIST_COUNT)
                  .execute(Tuple.of(readAccount).addArrayOfString(null)))
              .compose(both -> {
                List<String> numbers = new ArrayList<>();
                page.result().forEach(row -> numbers.add(row.getString("phone_number_id")));
                return client.preparedQuery(dev.agentphone.numbers.BenchSql.SUMMARIES)
                    .execute(Tuple.of(readAccount).addArrayOfString(
                        numbers.stream().distinct().toArray(String[]::new)));
              });
        }));

    JsonObject writer = server.signUp("bench-writes-" + System.nanoTime() + "@example.com");
    String writeKey = "Bearer " + writer.getString("api_key");
    String writeAccount = writer.getString("account_id");
    all.add(new Scenario("contacts.create", true, dev.agentphone.contacts.BenchSql.INSERT,
        http -> () -> {
          long n = sequence.incrementAndGet();
          return send(http, HttpMethod.POST, "/v1/contacts", writeKey, "application/json",
              new JsonObject().put("phoneNumber", contactNumber(n)).put("name", "Bench " + n)
                  .toBuffer(), 201);
        },
        client -> () -> {
          long n = sequence.incrementAndGet();
          return client.preparedQuery(dev.agentphone.contacts.BenchSql.INSERT).execute(Tuple.of(
              Ids.next("ct"), writeAccount, contactNumber(n), "Bench " + n, null, null));
        }));

    JsonObject inbound = server.signUp("bench-inbound-" + System.nanoTime() + "@example.com");
    String number = inbound.getString("phone_number");
    String webhookPath = "/inbound-" + System.nanoTime();
    String secret = server.api.post("/v1/webhooks", inbound.getString("api_key"), new JsonObject()
        .put("url", receiver.url(webhookPath)).put("contextLimit", 0)).json().getString("secret");
    receiver.expect(webhookPath, secret, Integer.MAX_VALUE);
    String token = TwilioSignatures.authToken(server.engine.config());
    String signedUrl = server.engine.config().publicUrl() + TwilioWebhookRoutes.SMS_PATH;
    all.add(new Scenario("inbound.sms", true, dev.agentphone.numbers.BenchSql.ROUTE_INBOUND
        + "; " + dev.agentphone.contacts.BenchSql.BY_NUMBER + "; then BEGIN; the message insert "
        + "(advisory lock, next time, conversation upsert, message insert); Outbox.record (events "
        + "insert, NOTIFY); COMMIT",
        http -> () -> {
          long n = sequence.incrementAndGet();
          Map<String, String> form = inboundForm(n, number);
          StringBuilder body = new StringBuilder();
          form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
          return send(http, HttpMethod.POST, TwilioWebhookRoutes.SMS_PATH,
              null, "application/x-www-form-urlencoded", Buffer.buffer(body.toString()), 200,
              "X-Twilio-Signature", TwilioSignatures.sign(token, signedUrl, form));
        },
        client -> () -> rawInbound((Pool) client, inboundForm(sequence.incrementAndGet(), number))));
    return all;
  }

  private static String contactNumber(long n) {
    return "+1415" + (2_000_000 + n);
  }

  private static Map<String, String> inboundForm(long n, String to) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SMbench" + n + "x" + System.nanoTime());
    form.put("AccountSid", "AC00000000000000000000000000000000");
    form.put("From", "+1212" + (2_000_100 + n % 50));
    form.put("To", to);
    form.put("Body", "bench message " + n);
    form.put("NumMedia", "0");
    return form;
  }

  /** What an inbound SMS costs in the engine (see {@code InboundMessaging}), statement for statement. */
  private static Future<?> rawInbound(Pool pool, Map<String, String> form) {
    String from = form.get("From");
    String body = form.get("Body");
    return pool.preparedQuery(dev.agentphone.numbers.BenchSql.ROUTE_INBOUND)
        .execute(Tuple.of(form.get("To")))
        .compose(numbers -> {
          Row number = numbers.iterator().next();
          String accountId = number.getString("account_id");
          return pool.preparedQuery(dev.agentphone.contacts.BenchSql.BY_NUMBER)
              .execute(Tuple.of(accountId, from))
              .compose(contact -> pool.withTransaction(tx -> dev.agentphone.messaging.BenchSql
                      .storeInbound(tx, accountId, number.getString("id"), from,
                          number.getString("phone_number"), body, form.get("MessageSid"))
                  .compose(stored -> Outbox.record(tx, new Outbox.Event(accountId,
                      number.getString("agent_id"), "agent.message", "sms",
                      stored.conversationId(), new JsonObject()
                      .put("messageId", stored.messageId())
                      .put("conversationId", stored.conversationId())
                      .put("numberId", number.getString("id"))
                      .put("from", from)
                      .put("to", number.getString("phone_number"))
                      .put("contact", null)
                      .put("message", body)
                      .put("mediaUrl", null)
                      .put("mediaUrls", new JsonArray())
                      .put("direction", "inbound")
                      .put("receivedAt", Times.format(stored.at())), stored.at())))));
        });
  }

  // ---------------------------------------------------------------- HTTP side

  private Future<?> get(HttpClientAgent http, String uri, String authorization) {
    return send(http, HttpMethod.GET, uri, authorization, null, null, 200);
  }

  private Future<?> send(HttpClientAgent http, HttpMethod method, String uri,
      String authorization, String contentType, Buffer body, int expected, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("localhost")
        .setPort(server.port).setURI(uri).setIdleTimeout(30_000);
    if (authorization != null) {
      options.putHeader("authorization", authorization);
    }
    if (contentType != null) {
      options.putHeader("content-type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.putHeader(headers[i], headers[i + 1]);
    }
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(answer -> {
          if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + uri + " answered "
                + response.statusCode() + ": " + answer);
          }
          return answer;
        }));
  }

  // ---------------------------------------------------------------- runs

  private void compare(Scenario scenario, int level) throws Exception {
    HttpClientAgent http = load.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(level));
    // the engine side only: where a request's CPU goes when the ratio is below target
    jdk.jfr.Recording profile = startProfile();
    ClosedLoop.Result engine = await(ClosedLoop.run(load, level, warmup, seconds,
        scenario.engine().apply(http)));
    stopProfile(profile, scenario.name() + "-c" + level);
    http.close();
    settle();

    // The raw side gets what the engine has: the same connect options (prepared-statement cache,
    // pipelining) and as many connections as the engine's pool, at most one per caller. One
    // pipelined connection alone runs everything on one PostgreSQL backend, one core, and a
    // write waits for its commit's WAL flush before the connection's next statement: that was
    // slower than the engine, so no limit.
    int connections = Math.min(level, POOL_SIZE);
    SqlClient client = PgBuilder.pool()
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(connections))
        .connectingTo(Database.connectOptions(server.databaseUrl)).using(load).build();
    ClosedLoop.Result raw = await(ClosedLoop.run(load, level, warmup, seconds,
        scenario.raw().on(client)));
    try {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.out.println("  raw client did not close in time: " + e);
    }
    settle();

    double ratio = engine.throughput() / raw.throughput();
    System.out.printf("%-20s c=%-3d engine %8.0f/s p50 %6.2f p99 %6.2f p99.9 %6.2f ms err %d | "
            + "raw %8.0f/s p99 %6.2f ms | ratio %.2f%n", scenario.name(), level,
        engine.throughput(), engine.millis(50), engine.millis(99), engine.millis(99.9),
        engine.errors(), raw.throughput(), raw.millis(99), ratio);
    rows.add(new JsonObject().put("scenario", scenario.name()).put("concurrency", level)
        .put("kind", scenario.writes() ? "write" : "read")
        .put("engine", json(engine)).put("raw", json(raw)).put("ratio", round(ratio))
        .put("rawStatements", scenario.statements())
        .put("rawClient", connections + " pipelined connection(s), prepared statements cached"));
  }

  private static jdk.jfr.Recording startProfile() throws Exception {
    if (!Boolean.getBoolean("bench.jfr")) {
      return null;
    }
    jdk.jfr.Recording profile =
        new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
    profile.start();
    return profile;
  }

  private static void stopProfile(jdk.jfr.Recording profile, String name) throws Exception {
    if (profile != null) {
      profile.stop();
      Path file = Path.of("target/bench/" + name + ".jfr");
      profile.dump(file);
      profile.close();
      System.out.println("  JFR recording: " + file);
    }
  }

  /** Lets the webhook dispatcher drain what the previous run queued before the next one. */
  private void settle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Object pending = server.sql("SELECT (SELECT count(*) FROM webhook_deliveries "
          + "WHERE status = 'pending') + (SELECT count(*) FROM events e WHERE e.type = "
          + "'agent.message' AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d "
          + "WHERE d.event_id = e.id)) AS n").get(0).get("n");
      if (((Number) pending).longValue() == 0) {
        return;
      }
      Thread.sleep(100);
    }
  }

  private void webhooks(WebhookBench.Receiver receiver, int events) throws Exception {
    WebhookBench.throughput(server, receiver, Math.min(2_000, events), "webhooks warm-up");
    jdk.jfr.Recording profile = startProfile();
    double rate = WebhookBench.throughput(server, receiver, events, "webhooks measured");
    stopProfile(profile, "webhooks.deliver");
    Map<String, Object> log = server.sql("SELECT count(*) AS settled, count(*) FILTER (WHERE NOT "
        + "EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id)) AS unlogged "
        + "FROM webhook_deliveries d WHERE d.status <> 'pending'").get(0);
    System.out.printf("webhooks: %.0f signed deliveries/s; settled deliveries %s, without a logged "
        + "attempt %s, bad signatures %d%n", rate, log.get("settled"), log.get("unlogged"),
        receiver.badSignatures.get());
    rows.add(new JsonObject().put("scenario", "webhooks.deliver").put("events", events)
        .put("deliveriesPerSecond", Math.round(rate))
        .put("settledDeliveries", ((Number) log.get("settled")).longValue())
        .put("deliveriesWithoutLoggedAttempt", ((Number) log.get("unlogged")).longValue()));
  }

  private void startup(int runs, Path dir) throws Exception {
    List<StartupBench.Start> starts = StartupBench.measure(runs, dir);
    JsonArray each = new JsonArray();
    long best = Long.MAX_VALUE;
    for (StartupBench.Start start : starts) {
      each.add(new JsonObject().put("toHealthyMillis", start.toHealthyMillis())
          .put("engineMillis", start.engineMillis()));
      best = Math.min(best, start.toHealthyMillis());
      System.out.printf("startup: JVM spawn -> /health 200 in %d ms (engine part %d ms)%n",
          start.toHealthyMillis(), start.engineMillis());
    }
    long[] sorted = starts.stream().mapToLong(StartupBench.Start::toHealthyMillis).sorted().toArray();
    rows.add(new JsonObject().put("scenario", "startup").put("runs", each)
        .put("medianMillis", sorted[sorted.length / 2]).put("bestMillis", best));
  }

  // ---------------------------------------------------------------- output

  private void printTable() {
    System.out.println();
    System.out.println("| scenario | conns | engine ops/s | p50 ms | p99 ms | p99.9 ms | errors "
        + "| raw DB ops/s | raw p99 ms | engine / raw |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (JsonObject row : rows) {
      if (row.containsKey("engine")) {
        JsonObject e = row.getJsonObject("engine");
        JsonObject r = row.getJsonObject("raw");
        System.out.printf("| %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %.0f | %.2f | %.2f |%n",
            row.getString("scenario"), row.getInteger("concurrency"), e.getDouble("throughput"),
            e.getDouble("p50"), e.getDouble("p99"), e.getDouble("p999"), e.getLong("errors"),
            r.getDouble("throughput"), r.getDouble("p99"), row.getDouble("ratio"));
      }
    }
    for (JsonObject row : rows) {
      if (row.getString("scenario").equals("webhooks.deliver")) {
        System.out.printf("webhook deliveries: %d/s (%d events; deliveries without a logged "
                + "attempt: %d)%n", row.getLong("deliveriesPerSecond"), row.getInteger("events"),
            row.getLong("deliveriesWithoutLoggedAttempt"));
      } else if (row.getString("scenario").equals("startup")) {
        System.out.printf("start-up to ready (existing data dir, JVM spawn -> /health 200): "
            + "median %d ms, best %d ms%n", row.getLong("medianMillis"), row.getLong("bestMillis"));
      }
    }
    System.out.println("raw DB side: min(connections, " + POOL_SIZE + ") pipelined connections "
        + "with prepared statements cached, no HTTP, no event bus; statements per scenario:");
    rows.stream().filter(row -> row.containsKey("rawStatements"))
        .map(row -> row.getString("scenario") + ": " + row.getString("rawStatements"))
        .distinct().forEach(line -> System.out.println("  " + line));
  }

  private static JsonObject json(ClosedLoop.Result result) {
    return new JsonObject().put("throughput", round(result.throughput()))
        .put("operations", result.operations()).put("errors", result.errors())
        .put("p50", result.millis(50)).put("p99", result.millis(99))
        .put("p999", result.millis(99.9)).put("max", result.latencies().getMaxValue() / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static JsonObject machine() {
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (Exception ignored) {
      // not Linux
    }
    String loadAverage = "";
    try {
      loadAverage = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception ignored) {
      // not Linux
    }
    int cores = Runtime.getRuntime().availableProcessors();
    long memory = Runtime.getRuntime().maxMemory() / (1024 * 1024);
    return new JsonObject().put("cores", cores).put("cpu", cpu)
        .put("java", System.getProperty("java.version")).put("loadAverageAtStart", loadAverage)
        .put("description", cores + " cores (" + cpu + "), Java " + System.getProperty(
            "java.version") + ", max heap " + memory + " MB, load average at start " + loadAverage);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
