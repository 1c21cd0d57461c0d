-- Webhook replay (one delivery, or a throttled bulk job) and signing-secret rotation.

-- A rotated secret keeps signing, next to the new one, until it expires; rotating again drops it.
ALTER TABLE webhooks
  ADD COLUMN previous_secret            text,
  ADD COLUMN previous_secret_expires_at timestamptz;

-- A replay gives a settled delivery a fresh round of attempts: attempt numbers go on counting,
-- and the limit and the back-off count from attempt_base, the attempts made before the replay.
ALTER TABLE webhook_deliveries
  ADD COLUMN attempt_base integer NOT NULL DEFAULT 0,
  ADD COLUMN replayed_at  timestamptz;

CREATE TABLE webhook_replay_jobs (
  id            text PRIMARY KEY,            -- whr_…
  account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- set: a job over that agent's own-webhook deliveries, readable through the agent's routes
  agent_id      text,
  status_filter text NOT NULL,               -- which deliveries: failed | success
  since         timestamptz NOT NULL,
  until         timestamptz NOT NULL,
  event_type    text,
  status        text NOT NULL DEFAULT 'running',  -- running | completed
  total         integer NOT NULL,
  replayed      integer NOT NULL DEFAULT 0,
  -- deliveries no longer in the state the job asked for when their turn came (replayed alone
  -- meanwhile, or their webhook deleted)
  skipped       integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);
CREATE INDEX webhook_replay_jobs_running ON webhook_replay_jobs (created_at) WHERE status = 'running';

-- The deliveries a job will replay, one row each, claimed FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_replay_items (
  job_id       text NOT NULL REFERENCES webhook_replay_jobs (id) ON DELETE CASCADE,
  delivery_id  text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  position     integer NOT NULL,             -- oldest delivery first
  state        text NOT NULL DEFAULT 'queued',  -- queued | replayed | skipped
  replayed_at  timestamptz,
  PRIMARY KEY (job_id, delivery_id)
);
CREATE INDEX webhook_replay_items_queued ON webhook_replay_items (job_id, position)
  WHERE state = 'queued';
CREATE INDEX webhook_replay_items_delivery ON webhook_replay_items (delivery_id);

-- The dead-letter view: an account's failed deliveries, newest first.
CREATE INDEX webhook_deliveries_account_status_created ON webhook_deliveries
  (account_id, status, created_at DESC, id DESC);
