-- Outbound webhooks: configuration, one delivery per event (body frozen at creation) and every attempt.

CREATE TABLE webhooks (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- null: the account's webhook; set: that agent's own webhook, which replaces the account's.
  agent_id        text REFERENCES agents (id) ON DELETE CASCADE,
  url             text NOT NULL,
  secret          text NOT NULL,
  status          text NOT NULL DEFAULT 'active',
  context_limit   integer NOT NULL,
  timeout_seconds integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX webhooks_account_default ON webhooks (account_id) WHERE agent_id IS NULL;
CREATE UNIQUE INDEX webhooks_agent ON webhooks (agent_id) WHERE agent_id IS NOT NULL;

CREATE TABLE webhook_deliveries (
  id              text PRIMARY KEY,           -- whd_…, sent as X-Webhook-ID on every attempt
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- No foreign key: the log outlives a deleted webhook; pending deliveries of one fail.
  webhook_id      text NOT NULL,
  agent_webhook   boolean NOT NULL,           -- sent to the agent's own webhook
  agent_id        text,
  event_id        text NOT NULL,
  event_type      text NOT NULL,
  channel         text,
  message_id      text,
  body            bytea NOT NULL,             -- the exact bytes sent and signed, every attempt
  status          text NOT NULL DEFAULT 'pending',  -- pending | success | failed
  attempt_count   integer NOT NULL DEFAULT 0,
  http_status     integer,
  error_message   text,
  response_body   text,
  last_attempt_at timestamptz,
  -- When pending: the next attempt is due then. While an attempt is in flight it is pushed past
  -- the attempt's timeout (a lease), so a crashed node's in-flight deliveries are picked up again.
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  created_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
-- One delivery per event: creating it again after a crash is a no-op.
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_account ON webhook_deliveries (account_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_account_status ON webhook_deliveries (account_id, status);
CREATE INDEX webhook_deliveries_agent ON webhook_deliveries (agent_id, created_at DESC)
  WHERE agent_webhook;

CREATE TABLE webhook_attempts (
  id            bigserial PRIMARY KEY,
  delivery_id   text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt       integer NOT NULL,
  started_at    timestamptz NOT NULL,
  duration_ms   integer NOT NULL,
  http_status   integer,
  error_message text,
  response_body text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt);
