package dev.agentphone.bench;

import dev.agentphone.Main;
import dev.agentphone.support.TestEngine;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up to ready on an existing embedded data directory, timed from outside: a child JVM runs
 * {@link Main} (the production entry point) on a data directory a first start initialised; the
 * clock runs from spawning the JVM until {@code GET /health} answers 200, so JVM start, the
 * embedded PostgreSQL, migrations check and deployment all count. The engine's own
 * "engine ready … in N ms" line is read from its log for the split.
 */
final class StartupBench {
  private static final Pattern READY = Pattern.compile("engine ready on port \\d+ in (\\d+) ms");

  /** One timed start: wall-clock milliseconds to a healthy answer, and the engine's own part. */
  record Start(long toHealthyMillis, long engineMillis) {
  }

  private StartupBench() {
  }

  static List<Start> measure(int runs, Path workDir) throws Exception {
    Path dataDir = Files.createDirectories(workDir.resolve("startup-data"));
    List<Start> starts = new ArrayList<>();
    // the first start initialises the data directory (initdb, migrations); it is not counted
    startAndStop(dataDir, workDir.resolve("startup-init.log"));
    for (int i = 1; i <= runs; i++) {
      starts.add(startAndStop(dataDir, workDir.resolve("startup-" + i + ".log")));
    }
    return starts;
  }

  private static Start startAndStop(Path dataDir, Path log) throws Exception {
    int port = TestEngine.freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath(), Main.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("AGENTPHONE_DATA_DIR", dataDir.toString());
    builder.environment().put("AGENTPHONE_HTTP_PORT", Integer.toString(port));
    builder.environment().put("AGENTPHONE_PUBLIC_URL", "http://localhost:" + port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
        .timeout(Duration.ofSeconds(2)).build();
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      long deadline = started + TimeUnit.SECONDS.toNanos(120);
      long healthy = -1;
      while (System.nanoTime() < deadline && process.isAlive()) {
        try {
          if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            healthy = System.nanoTime();
            break;
          }
        } catch (Exception notYet) {
          // not listening yet
        }
        Thread.sleep(10);
      }
      if (healthy < 0) {
        throw new IllegalStateException("engine did not become healthy; see " + log);
      }
      return new Start((healthy - started) / 1_000_000, engineMillis(log));
    } finally {
      process.destroy(); // SIGTERM: the shutdown hook stops the engine and PostgreSQL cleanly
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static long engineMillis(Path log) throws Exception {
    Matcher matcher = READY.matcher(Files.readString(log));
    return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
  }

  /** The test classpath: exec:java runs us in a class loader of its own, not on java.class.path. */
  private static String classpath() {
    ClassLoader loader = StartupBench.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(new File(url.toURI()).getPath());
        } catch (Exception e) {
          entries.add(url.getPath());
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }
}
