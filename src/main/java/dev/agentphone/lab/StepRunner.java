package dev.agentphone.lab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Plays steps in order, one line each ({@code ok}, {@code FAIL} with what was expected, what
 * happened and the call's report, {@code skip} for the steps after a failure).
 */
final class StepRunner {
  private final RunContext run;
  private final Consumer<String> out;

  StepRunner(RunContext run, Consumer<String> out) {
    this.run = run;
    this.out = out;
  }

  /** Plays {@code steps} on {@code state}; answers the first failure, or null. */
  String play(List<Scenario.Step> steps, CallState state, String indent) {
    String failure = null;
    for (Scenario.Step step : steps) {
      String label = indent + String.format("%2d ", step.number()) + step.describe();
      if (failure != null) {
        out.accept("  skip " + label);
        continue;
      }
      long started = System.nanoTime();
      try {
        String what = one(step, state, indent);
        long ms = (System.nanoTime() - started) / 1_000_000;
        out.accept("  ok   " + label + "  → " + what + " (" + ms + " ms)");
      } catch (ExpectationFailed e) {
        failure = "step " + step.number() + " " + step.describe() + ": " + e.getMessage();
        out.accept("  FAIL " + label);
        for (ExpectationFailed.Mismatch m : e.mismatches()) {
          out.accept("       " + m.key() + ": expected " + m.expected());
          out.accept("       " + " ".repeat(m.key().length()) + "  actual   " + m.actual());
        }
        if (state.callId != null) {
          CallReport.of(run.http(), state.callId).forEach(line -> out.accept("       " + line));
        }
      } catch (ScenarioException e) {
        failure = "step " + step.number() + " " + step.describe() + ": " + e.getMessage();
        out.accept("  FAIL " + label);
        out.accept("       " + e.getMessage());
      }
    }
    return failure;
  }

  private String one(Scenario.Step step, CallState state, String indent) {
    return switch (step.kind()) {
      case "call" -> CallSteps.call(run, state, step.object("from"));
      case "say" -> CallSteps.say(run, state, step.object("text"), false);
      case "interrupt" -> CallSteps.say(run, state, step.object("text"), true);
      case "dtmf" -> CallSteps.dtmf(run, state, step.object("digits"));
      case "silence" -> CallSteps.silence(run, state, step.arg());
      case "hangup" -> CallSteps.hangup(run, state);
      case "wait" -> {
        LabHttp.sleep(Durations.millis(step.arg(), "wait"));
        yield "waited";
      }
      case "sms" -> MessageSteps.sms(run, step.object("body"));
      case "send" -> MessageSteps.send(run, state, step.object("body"));
      case "carrier" -> MessageSteps.carrier(run, state, step.object("status"));
      case "expect" -> Expectations.check(run, state, step.object("agentSays"));
      case "parallel" -> parallel(step, indent);
      default -> throw new ScenarioException("unknown step " + step.kind());
    };
  }

  /**
   * {@code parallel: {count: N, steps: […]}}: N callers play the same steps at once, each on
   * its own call; their lines are printed when all are done, branch by branch.
   */
  private String parallel(Scenario.Step step, String indent) {
    JsonObject spec = step.object("steps");
    int count = spec.getInteger("count", 2);
    if (!(spec.getValue("steps") instanceof JsonArray raw)) {
      throw new ScenarioException("parallel: write {count: N, steps: [...]}");
    }
    List<Scenario.Step> steps = ScenarioReader.steps(raw, "parallel");
    List<List<String>> printed = new ArrayList<>();
    List<CompletableFuture<String>> branches = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(count);
    for (int i = 0; i < count; i++) {
      List<String> lines = new ArrayList<>();
      printed.add(lines);
      StepRunner branch = new StepRunner(run, lines::add);
      String label = indent + "   [" + (i + 1) + "]";
      branches.add(CompletableFuture.supplyAsync(() -> branch.play(steps, new CallState(), label),
          callers));
    }
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String failure = branches.get(i).join();
      if (i == count - 1) {
        callers.shutdown();
      }
      printed.get(i).forEach(out);
      if (failure != null) {
        failures.add("caller " + (i + 1) + ": " + failure);
      }
    }
    if (!failures.isEmpty()) {
      throw new ScenarioException(String.join("; ", failures));
    }
    return count + " callers passed";
  }
}
