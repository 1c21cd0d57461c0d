package dev.agentphone.calls;

import dev.agentphone.webhooks.WebhooksApi;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's {@link SharedLookup}s, one per agent with live calls here: the agent's settings
 * ({@link AgentSettings}) and its voice webhook ({@link WebhookAnswers}). One that nobody has
 * read again for a while is dropped by {@link #sweep}; a call still holding it keeps working with
 * it, and the agent's next call starts a new one.
 */
final class LiveLookups {
  private final long idleMillis;
  private final ConcurrentHashMap<String, SharedLookup<JsonObject>> agents =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SharedLookup<WebhooksApi.Target>> targets =
      new ConcurrentHashMap<>();

  /** {@code cacheMillis}: how long a read is used before it is read again. */
  LiveLookups(long cacheMillis) {
    this.idleMillis = Math.max(60_000, 10 * cacheMillis);
  }

  SharedLookup<JsonObject> agent(String accountId, String agentId) {
    return agents.computeIfAbsent(accountId + "/" + agentId, k -> new SharedLookup<>());
  }

  SharedLookup<WebhooksApi.Target> target(String accountId, String agentId) {
    return targets.computeIfAbsent(accountId + "/" + agentId, k -> new SharedLookup<>());
  }

  /** Drops the lookups not read for a while (no live call of theirs is talking). */
  void sweep() {
    long before = System.currentTimeMillis() - idleMillis;
    agents.values().removeIf(l -> l.latest() == null || l.latest().at() < before);
    targets.values().removeIf(l -> l.latest() == null || l.latest().at() < before);
  }
}
