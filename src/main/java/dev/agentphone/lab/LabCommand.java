package dev.agentphone.lab;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lab run FILE… [--base URL --key KEY] [--junit out.xml] [--verbose]}: plays scenario
 * files against the runner's own engine (embedded defaults, a temporary data directory, a free
 * port) or the engine at {@code --base}, one line per step, then {@code N passed, M failed}.
 * The exit code is 0 when every scenario passed, 1 when one failed, 2 for a wrong command line.
 */
public final class LabCommand {
  static final String USAGE = "usage: lab run FILE... [--base URL --key KEY] [--junit out.xml]"
      + " [--verbose]";

  private LabCommand() {
  }

  /** {@code launcher}: how to start an engine when no {@code --base} is given. */
  public static int run(String[] args, PrintStream out, EngineLauncher launcher) {
    List<String> files = new ArrayList<>();
    String base = null;
    String key = null;
    String junit = null;
    boolean verbose = false;
    if (args.length == 0 || !"run".equals(args[0])) {
      out.println(USAGE);
      return 2;
    }
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      boolean valued = List.of("--base", "--key", "--junit").contains(arg);
      if (valued && i + 1 >= args.length) {
        out.println(arg + " needs a value\n" + USAGE);
        return 2;
      }
      switch (arg) {
        case "--base" -> base = args[++i];
        case "--key" -> key = args[++i];
        case "--junit" -> junit = args[++i];
        case "--verbose" -> verbose = true;
        default -> files.add(arg);
      }
    }
    if (files.isEmpty() || (base == null) != (key == null)) {
      out.println((files.isEmpty() ? "no scenario files given" : "--base and --key go together")
          + "\n" + USAGE);
      return 2;
    }
    List<Scenario> scenarios = new ArrayList<>();
    try {
      for (String file : files) {
        scenarios.add(ScenarioReader.read(Path.of(file)));
      }
    } catch (Exception e) {
      out.println(e instanceof ScenarioException ? e.getMessage() : "cannot read: " + e);
      return 2;
    }
    if (!verbose) {
      // the engine's log would bury the steps' lines; --verbose keeps it
      LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
      logs.getLoggerList().forEach(logger -> logger.setLevel(Level.OFF));
    }
    return play(scenarios, base, key, junit, out, launcher);
  }

  private static int play(List<Scenario> scenarios, String base, String key, String junit,
      PrintStream out, EngineLauncher launcher) {
    List<ScenarioResult> results = new ArrayList<>();
    EngineLauncher.Running engine = null;
    try {
      if (base == null) {
        out.println("starting an engine (embedded PostgreSQL, sandbox providers)…");
        engine = launcher.start();
        base = engine.url();
        Warmup.run(new LabHttp(base, null));
      }
      LabHttp anonymous = new LabHttp(base, null);
      for (Scenario scenario : scenarios) {
        results.add(ScenarioRun.run(scenario, anonymous, key, out::println));
      }
    } catch (Exception e) {
      out.println("the lab could not start its engine: " + e);
      return 1;
    } finally {
      if (engine != null) {
        try {
          engine.close();
        } catch (Exception e) {
          out.println("the lab's engine did not stop cleanly: " + e);
        }
      }
    }
    long failed = results.stream().filter(r -> !r.passed()).count();
    out.println((results.size() - failed) + " passed, " + failed + " failed");
    if (junit != null) {
      try {
        JunitXml.write(Path.of(junit), results);
      } catch (Exception e) {
        out.println("cannot write " + junit + ": " + e);
        return 1;
      }
    }
    return failed == 0 ? 0 : 1;
  }
}
