-- Voice: the provider-side objects behind each agent, calls and their transcript turns.

-- The Retell agent (and, in hosted mode, the Retell LLM) provisioned for one of our agents.
CREATE TABLE voice_agents (
  agent_id        text PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  retell_agent_id text NOT NULL,
  retell_llm_id   text,
  voice_mode      text NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE calls (
  id                      text PRIMARY KEY,
  account_id              text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  agent_id                text REFERENCES agents (id) ON DELETE SET NULL,
  phone_number_id         text REFERENCES phone_numbers (id) ON DELETE SET NULL,
  phone_number            text,
  retell_call_id          text UNIQUE,
  type                    text NOT NULL,
  direction               text NOT NULL,
  from_number             text NOT NULL,
  to_number               text NOT NULL,
  status                  text NOT NULL,
  voice_mode              text NOT NULL,
  system_prompt           text,
  initial_greeting        text,
  voice                   text,
  metadata                jsonb,
  started_at              timestamptz NOT NULL DEFAULT now(),
  ended_at                timestamptz,
  duration_seconds        integer,
  disconnection_reason    text,
  summary                 text,
  user_sentiment          text,
  call_successful         boolean,
  last_transcript_snippet text
);
CREATE INDEX calls_account_started ON calls (account_id, started_at DESC, id DESC);
CREATE INDEX calls_agent ON calls (agent_id, started_at DESC);
CREATE INDEX calls_number ON calls (phone_number_id, started_at DESC);
-- The concurrent-call limit counts these.
CREATE INDEX calls_live ON calls (account_id) WHERE status IN ('registered', 'in-progress');

-- One row per utterance; seq is the utterance's position in the provider's transcript, so a
-- replayed or reconnected transcript can never store a turn twice.
CREATE TABLE call_turns (
  id         text PRIMARY KEY,
  call_id    text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  role       text NOT NULL,
  content    text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (call_id, seq)
);

-- Sandbox mode only: what the simulated Retell holds (LLMs, agents, imported numbers, calls).
CREATE TABLE sandbox_retell_objects (
  kind       text NOT NULL,
  id         text NOT NULL,
  body       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, id)
);
