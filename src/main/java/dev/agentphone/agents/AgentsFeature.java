package dev.agentphone.agents;

import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * Agents: their verticle and {@code /v1/agents}, with the transactional API ({@link #writes})
 * and the re-pointing of Retell agents at their secret socket URLs ({@link #migrateSockets}).
 */
public final class AgentsFeature extends Feature {
  private final AgentWrites writes;
  private final LlmSocketMigration sockets;

  /**
   * {@code defaultVoice}: {@code voice.defaultVoice}; {@code retellTimeoutMillis}: how long one
   * Retell request may take ({@code retell.requestTimeoutMillis}), which bounds a change's lease;
   * {@code guard}: what custom tools' URLs may reach, as for webhooks.
   */
  public AgentsFeature(Vertx vertx, Pool pool, RetellClient retell, RetellAgents retellAgents,
      String defaultVoice, long retellTimeoutMillis, SsrfGuard guard, AgentsApi api) {
    this.writes = new AgentWrites(defaultVoice);
    this.sockets = new LlmSocketMigration(pool, retellAgents);
    AgentReads reads = new AgentReads(pool);
    deploy(new AgentsVerticle(pool, reads, writes, retell,
        new VoiceProvisioning(vertx, pool, retell, retellAgents, retellTimeoutMillis),
        new ToolTargets(guard)));
    mount(new AgentRoutes(api, reads, new CustomTools(guard.allowsPrivateTargets())));
  }

  /** Inserting agents inside another domain's transaction. */
  public AgentWrites writes() {
    return writes;
  }

  /** Re-points up to {@code batch} Retell agents still holding a URL without a secret. */
  public Future<Integer> migrateSockets(int batch) {
    return sockets.run(batch);
  }
}
