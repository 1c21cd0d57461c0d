package dev.agentphone.agents;

import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellAgents.Provisioned;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;

/**
 * Agents provisioned before the LLM socket URL carried a secret: Retell still holds their old URL,
 * which the engine now refuses. This re-points each such Retell agent at the agent's secret URL,
 * a few at a time, until none is left; it runs on one node of the cluster, from the
 * {@code CallReconciler}. An agent changed while it was being re-pointed is done again from its
 * new state, so a concurrent switch to hosted mode is never overwritten for good.
 */
public final class LlmSocketMigration {
  private static final Logger LOG = LoggerFactory.getLogger(LlmSocketMigration.class);

  private final Pool pool;
  private final RetellAgents agents;

  LlmSocketMigration(Pool pool, RetellAgents agents) {
    this.pool = pool;
    this.agents = agents;
  }

  /** Re-points up to {@code batch} agents; answers how many are done. */
  public Future<Integer> run(int batch) {
    return pool.preparedQuery("SELECT agent_id, retell_agent_id, retell_llm_id, voice_mode, "
            + "updated_at FROM voice_agents WHERE NOT llm_socket_secured ORDER BY agent_id "
            + "LIMIT $1")
        .execute(Tuple.of(batch))
        .compose(rows -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Row row : rows) {
            chain = chain.compose(done -> repoint(row).map(ok -> ok ? done + 1 : done));
          }
          return chain;
        })
        .onSuccess(done -> {
          if (done > 0) {
            LOG.info("re-pointed {} voice agent(s) at their secret LLM socket URL", done);
          }
        });
  }

  private Future<Boolean> repoint(Row row) {
    String agentId = row.getString("agent_id");
    OffsetDateTime version = row.getOffsetDateTime("updated_at");
    Provisioned current = new Provisioned(row.getString("retell_agent_id"),
        row.getString("retell_llm_id"), row.getString("voice_mode"));
    return agents.repoint(agentId, current)
        .compose(v -> pool.preparedQuery("UPDATE voice_agents SET llm_socket_secured = true "
                + "WHERE agent_id = $1 AND updated_at = $2")
            .execute(Tuple.of(agentId, version)))
        .map(updated -> updated.rowCount() > 0)
        .recover(e -> {
          LOG.warn("could not re-point voice agent of {}: {}", agentId, e.getMessage());
          return Future.succeededFuture(false);
        });
  }
}
