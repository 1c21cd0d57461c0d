package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The agent a call session works with (its transfer number, tools, call-screening answer…),
 * read when the session starts and then again at most every {@code voice.webhookTargetCacheMillis},
 * in the background: a turn never waits for the agents domain, and a changed agent takes effect
 * within the cache time. Used on the session's context only.
 */
final class AgentSettings {
  private final AgentsApi agents;
  private final String accountId;
  private final String agentId;
  private final long cacheMillis;
  private JsonObject agent = new JsonObject();
  private long loadedAt;
  private boolean loading;

  AgentSettings(AgentsApi agents, String accountId, String agentId, long cacheMillis) {
    this.agents = agents;
    this.accountId = accountId;
    this.agentId = agentId;
    this.cacheMillis = cacheMillis;
  }

  /** Reads the agent; a call without one (or whose agent is gone) works with none. */
  Future<Void> load() {
    if (agentId == null) {
      return Future.succeededFuture();
    }
    loading = true;
    loadedAt = System.currentTimeMillis();
    return agents.get(accountId, agentId)
        .onSuccess(found -> agent = found)
        .onComplete(done -> loading = false)
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** The agent as last read (an AgentResponse; empty without one), refreshed when stale. */
  JsonObject get() {
    if (agentId != null && !loading && System.currentTimeMillis() - loadedAt >= cacheMillis) {
      load();
    }
    return agent;
  }
}
