package dev.agentphone.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine as its own operating-system process ({@code dev.agentphone.Main} on this JVM's
 * class path), configured through the environment as an operator would, with its output in a
 * file. It can be stopped as the operator does (SIGTERM) or killed as a crash does (SIGKILL).
 */
public final class EngineProcess implements AutoCloseable {
  public final String name;
  public final int port;
  public final Api api;
  private final Path log;
  private final Process process;

  private EngineProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.api = new Api("http://localhost:" + port);
    this.log = log;
    this.process = process;
  }

  /** Starts a node on a free port with {@code env} on top of the port and public URL. */
  public static EngineProcess start(String name, Map<String, String> env) throws IOException {
    int port = TestEngine.freePort();
    Path log = Files.createTempFile("agentphone-" + name, ".log");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.agentphone.Main")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("AGENTPHONE_HTTP_PORT", String.valueOf(port));
    builder.environment().put("AGENTPHONE_PUBLIC_URL", "http://localhost:" + port);
    builder.environment().putAll(env);
    return new EngineProcess(name, port, log, builder.start());
  }

  /** Waits until the node logs that it is ready. */
  public EngineProcess awaitReady(long millis) throws IOException {
    long deadline = System.currentTimeMillis() + millis;
    while (!Files.readString(log).contains("engine ready on port " + port)) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("node " + name + " did not start:\n" + output());
      }
      RetellDriver.sleep(100);
    }
    return this;
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** SIGKILL: the node dies at once, with no shutdown hook and nothing flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
