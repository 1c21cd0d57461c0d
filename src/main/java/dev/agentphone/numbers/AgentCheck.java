package dev.agentphone.numbers;

import io.vertx.core.Future;

/**
 * What the numbers domain needs to know about agents: that one exists in an account. Declared
 * here and provided by the agents domain at start-up, so numbers does not depend on agents
 * (agents depend on numbers: their answers list their numbers).
 */
@FunctionalInterface
public interface AgentCheck {
  /** Succeeds when the account has the agent; fails with a 404 {@code ApiError} otherwise. */
  Future<Void> requireAgent(String accountId, String agentId);
}
