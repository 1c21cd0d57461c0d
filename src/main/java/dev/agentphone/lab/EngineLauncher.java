package dev.agentphone.lab;

/**
 * Starts the engine a {@code lab run} without {@code --base} plays against. The start-up code
 * provides it, so the lab itself depends only on the engine's HTTP API.
 */
@FunctionalInterface
public interface EngineLauncher {
  Running start() throws Exception;

  /** A started engine: where it listens; closing it stops it and removes its data. */
  interface Running extends AutoCloseable {
    String url();
  }
}
