package dev.agentphone.sdk;

import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official TypeScript client (npm {@code agentphone}, pinned in src/test/node/package.json),
 * run by the system's Node.js: {@code src/test/node/run.mjs} drives it against an engine and
 * prints its checks as JSON. The package comes from npm ({@code npm ci}, which .ci/run does
 * first; done here too when node_modules is missing or holds another version). Node.js and npm
 * must be on the machine: their absence is a failure, not a skip.
 */
final class OfficialClient {
  static final Path HARNESS = Path.of("src", "test", "node");
  private static final long INSTALL_SECONDS = 300;
  private static final long RUN_SECONDS = 120;

  private OfficialClient() {
  }

  /** Runs the flow with {@code env} (see run.mjs) and returns what it printed on stdout. */
  static JsonObject run(Map<String, String> env) {
    installedPackage();
    File node = find("node", "nodejs");
    Result run = exec(List.of(node.getPath(), HARNESS.resolve("run.mjs").toString()), env, RUN_SECONDS);
    // the progress lines, one per check, for the test's report
    System.out.println(run.stderr);
    String last = run.stdout.strip();
    last = last.substring(last.lastIndexOf('\n') + 1);
    if (run.code != 0 || !last.startsWith("{")) {
      throw new IllegalStateException("node run.mjs failed (exit " + run.code + "):\n"
          + tail(run.stderr) + "\n" + tail(run.stdout));
    }
    return new JsonObject(last);
  }

  /**
   * The installed package (node_modules/agentphone), installed first with {@code npm ci} when it
   * is missing or holds another version than the pinned one.
   */
  static Path installedPackage() {
    File node = find("node", "nodejs");
    File npm = find("npm");
    if (node == null || npm == null) {
      throw new IllegalStateException("The official-client test needs Node.js and npm (found node: "
          + node + ", npm: " + npm + "). Install them: apt-get install -y nodejs npm "
          + "(.ci/run does this when they are missing).");
    }
    if (!installed()) {
      Result install = exec(List.of(npm.getPath(), "ci", "--prefix", HARNESS.toString(),
          "--no-audit", "--no-fund"), Map.of(), INSTALL_SECONDS);
      if (install.code != 0 || !installed()) {
        throw new IllegalStateException("npm ci --prefix " + HARNESS + " failed (exit " + install.code
            + "); the npm registry must be reachable:\n" + tail(install.stdout + install.stderr));
      }
    }
    return HARNESS.resolve(Path.of("node_modules", "agentphone"));
  }

  /** The pinned version of the package, from package.json. */
  static String pinnedVersion() {
    return read(HARNESS.resolve("package.json")).getJsonObject("dependencies").getString("agentphone");
  }

  /** src/test/node/pending.json: the checks that cannot pass yet, by name. */
  static JsonObject pending() {
    return read(HARNESS.resolve("pending.json")).getJsonObject("pending");
  }

  private static boolean installed() {
    Path installed = HARNESS.resolve(Path.of("node_modules", "agentphone", "package.json"));
    return Files.isRegularFile(installed) && pinnedVersion().equals(read(installed).getString("version"));
  }

  private static JsonObject read(Path file) {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Result(int code, String stdout, String stderr) {
  }

  private static Result exec(List<String> command, Map<String, String> env, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("official-client-", ".out");
      Path err = Files.createTempFile("official-client-", ".err");
      try {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(String.join(" ", command) + " did not finish within "
              + timeoutSeconds + " s:\n" + tail(Files.readString(err, StandardCharsets.UTF_8)));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
  }

  /** The first of {@code names} on the PATH. */
  private static File find(String... names) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : names) {
        File candidate = new File(dir, name);
        if (candidate.canExecute()) {
          return candidate;
        }
      }
    }
    return null;
  }
}
