-- Trust at the Retell edge and calls that cannot get stuck.

-- When a node's call session last said it holds the call. A live call whose session has not been
-- seen for a while lost its node; the reconciler asks Retell what became of it.
ALTER TABLE calls ADD COLUMN session_seen_at timestamptz;
CREATE INDEX calls_live_seen ON calls ((coalesce(session_seen_at, started_at)))
  WHERE status IN ('registered', 'in-progress');

-- Whether Retell holds this agent's LLM socket URL with its secret. Agents provisioned before the
-- URL carried one are re-pointed by the reconciler; hosted agents have no socket.
ALTER TABLE voice_agents ADD COLUMN llm_socket_secured boolean NOT NULL DEFAULT false;
UPDATE voice_agents SET llm_socket_secured = (voice_mode <> 'webhook');
ALTER TABLE voice_agents ALTER COLUMN llm_socket_secured SET DEFAULT true;
CREATE INDEX voice_agents_unsecured ON voice_agents (agent_id) WHERE NOT llm_socket_secured;

-- Leases for work one node of a cluster does at a time; an expired lease passes to another node.
CREATE TABLE engine_leases (
  name       text PRIMARY KEY,
  holder     text NOT NULL,
  expires_at timestamptz NOT NULL
);
