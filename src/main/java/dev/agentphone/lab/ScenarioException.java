package dev.agentphone.lab;

/** A scenario that cannot run as written, or a step whose request the engine refused. */
final class ScenarioException extends RuntimeException {
  ScenarioException(String message) {
    super(message);
  }
}
