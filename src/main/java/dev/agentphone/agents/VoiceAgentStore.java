package dev.agentphone.agents;

import dev.agentphone.providers.retell.RetellAgents.Provisioned;
import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** The {@code voice_agents} table: which Retell objects stand behind each of our agents. */
final class VoiceAgentStore {
  private VoiceAgentStore() {
  }

  /**
   * The provisioned objects; null when none. Changes to them are serialised by the agent's
   * {@code provider_leases} lease (see {@link VoiceProvisioning}), not by row locks.
   */
  static Future<Provisioned> find(SqlClient client, String accountId, String agentId) {
    return client.preparedQuery("SELECT retell_agent_id, retell_llm_id, voice_mode FROM voice_agents "
            + "WHERE account_id = $1 AND agent_id = $2")
        .execute(Tuple.of(accountId, agentId))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Provisioned(row.getString("retell_agent_id"), row.getString("retell_llm_id"),
              row.getString("voice_mode"));
        });
  }

  /** Unscoped: {@code {accountId, retellAgentId}} of an agent's Retell agent, or 404. */
  static Future<JsonObject> owner(SqlClient client, String agentId) {
    return client.preparedQuery("SELECT account_id, retell_agent_id FROM voice_agents "
            + "WHERE agent_id = $1")
        .execute(Tuple.of(agentId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Agent");
          }
          Row row = rows.iterator().next();
          return new JsonObject().put("accountId", row.getString("account_id"))
              .put("retellAgentId", row.getString("retell_agent_id"));
        });
  }

  static Future<Void> save(SqlClient client, String accountId, String agentId, Provisioned p) {
    return client.preparedQuery("INSERT INTO voice_agents (agent_id, account_id, retell_agent_id, "
            + "retell_llm_id, voice_mode) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (agent_id) DO UPDATE SET retell_agent_id = EXCLUDED.retell_agent_id, "
            + "retell_llm_id = EXCLUDED.retell_llm_id, voice_mode = EXCLUDED.voice_mode, "
            + "updated_at = now()")
        .execute(Tuple.of(agentId, accountId, p.agentId(), p.llmId(), p.voiceMode()))
        .mapEmpty();
  }
}
