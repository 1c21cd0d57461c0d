-- Live call control: single-use tokens for browsers opening a call's live socket, and the call's
-- timeline of what people did to it (takeover, release, the operator's commands).

CREATE TABLE call_live_tokens (
  token_hash text PRIMARY KEY,
  call_id    text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  key_id     text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX call_live_tokens_expiry ON call_live_tokens (expires_at);

CREATE TABLE call_events (
  id         bigserial PRIMARY KEY,
  call_id    text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  type       text NOT NULL,
  actor      jsonb,
  data       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX call_events_call ON call_events (call_id, id);
