package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The agent a call session works with (its transfer number, tools, call-screening answer…),
 * read when the session starts and then again at most every {@code voice.webhookTargetCacheMillis},
 * in the background: a turn never waits for the agents domain, and a changed agent takes effect
 * within the cache time. The reads after the first are shared by the agent's live calls on this
 * node ({@link SharedLookup}). Used on the session's context only.
 */
final class AgentSettings {
  private final AgentsApi agents;
  private final SharedLookup<JsonObject> shared;
  private final String accountId;
  private final String agentId;
  private final long cacheMillis;
  private JsonObject agent = new JsonObject();
  private long loadedAt;

  AgentSettings(AgentsApi agents, SharedLookup<JsonObject> shared, String accountId,
      String agentId, long cacheMillis) {
    this.agents = agents;
    this.shared = shared;
    this.accountId = accountId;
    this.agentId = agentId;
    this.cacheMillis = cacheMillis;
  }

  /** Reads the agent; a call without one (or whose agent is gone) works with none. */
  Future<Void> load() {
    if (agentId == null) {
      return Future.succeededFuture();
    }
    return read().<Void>mapEmpty().recover(e -> Future.succeededFuture());
  }

  /** The agent as last read (an AgentResponse; empty without one), refreshed when stale. */
  JsonObject get() {
    if (agentId == null) {
      return agent;
    }
    SharedLookup.Read<JsonObject> latest = shared.latest();
    if (latest != null && latest.at() > loadedAt) {
      agent = latest.value();
      loadedAt = latest.at();
    }
    if (System.currentTimeMillis() - loadedAt >= cacheMillis && shared.claim()) {
      // a read that fails is tried again after another cache period
      read().onComplete(done -> shared.release());
    }
    return agent;
  }

  /** Reads the agent now, for this call and for the agent's other calls on this node. */
  private Future<JsonObject> read() {
    long at = System.currentTimeMillis();
    loadedAt = at;
    return agents.get(accountId, agentId)
        .onSuccess(found -> {
          agent = found;
          shared.offer(found, at);
        });
  }
}
