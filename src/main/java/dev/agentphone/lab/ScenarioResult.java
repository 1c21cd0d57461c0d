package dev.agentphone.lab;

import java.util.List;

/** How a scenario went: its printed lines, its time, and the first failure (null: it passed). */
record ScenarioResult(String name, String file, long millis, List<String> lines, String failure) {
  boolean passed() {
    return failure == null;
  }
}
