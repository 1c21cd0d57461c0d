package dev.agentphone.providers.sandbox;

import io.vertx.core.Future;

import java.util.List;
import java.util.Set;

/**
 * Which phone numbers the engine has active, so the sandbox carrier never hands out one that is
 * taken. Provided by the numbers domain at start-up.
 */
@FunctionalInterface
public interface NumbersInUse {
  Future<Set<String>> activeAmong(List<String> phoneNumbers);
}
