package dev.agentphone.mcp;

import org.assertj.core.api.SoftAssertions;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named checks of a flow, run one after the other, held to account at the end: every check
 * passes, except the pending ones (what another part of the engine still has to provide), which
 * must still fail, each for its stated reason. A pending check that passes, or fails for another
 * reason, fails the test, so the list is kept true.
 */
final class Checks {
  /** A check that cannot pass yet: why, and the failure it must still show (a pattern). */
  record Pending(String reason, String fails) {
  }

  private final Map<String, Pending> pending;
  private final Map<String, String> failures = new LinkedHashMap<>();
  private final Set<String> run = new LinkedHashSet<>();

  Checks(Map<String, Pending> pending) {
    this.pending = pending;
  }

  void check(String name, Runnable body) {
    if (!run.add(name)) {
      throw new IllegalArgumentException("check names are unique: " + name);
    }
    try {
      body.run();
    } catch (AssertionError | RuntimeException e) {
      failures.put(name, String.valueOf(e.getMessage()).strip());
    }
  }

  /** Fails with every check that did not do what it should. */
  void verify() {
    SoftAssertions softly = new SoftAssertions();
    for (String name : run) {
      Pending expected = pending.get(name);
      String failure = failures.get(name);
      if (expected == null) {
        softly.assertThat(failure).as("check %s", name).isNull();
      } else if (failure == null) {
        softly.fail("pending check %s passes now: remove it from the pending list (%s)", name,
            expected.reason());
      } else {
        softly.assertThat(Pattern.compile(expected.fails(), Pattern.DOTALL).matcher(failure)
                .find())
            .as("pending check %s fails for its stated reason /%s/, not: %s", name,
                expected.fails(), failure)
            .isTrue();
      }
    }
    softly.assertThat(run).as("every pending check is run").containsAll(pending.keySet());
    softly.assertAll();
  }
}
