package dev.agentphone.lab;

import java.util.List;

/** An {@code expect} that did not hold: each mismatch says what was expected and what happened. */
final class ExpectationFailed extends RuntimeException {
  /** One mismatch. */
  record Mismatch(String key, String expected, String actual) {
  }

  private final List<Mismatch> mismatches;

  ExpectationFailed(List<Mismatch> mismatches) {
    super(String.join("; ", mismatches.stream()
        .map(m -> m.key() + ": expected " + m.expected() + ", got " + m.actual()).toList()));
    this.mismatches = List.copyOf(mismatches);
  }

  List<Mismatch> mismatches() {
    return mismatches;
  }
}
