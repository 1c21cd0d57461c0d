-- Idempotency-Key on POST /v1: one row per (account, key). A request claims its key by inserting
-- the row (or by taking over one that expired, or whose runner stopped renewing its lease), runs,
-- and stores its answer here before sending it, so a retry on any node gets the same answer.
CREATE TABLE idempotency_keys (
  account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  idem_key    text NOT NULL,
  -- SHA-256 of the method, path and canonical body the key was first used with
  fingerprint bytea NOT NULL,
  -- the request running (or that ran) under the key; a takeover replaces it
  claim       text NOT NULL,
  -- while running: renewed by its runner; past it, another request may take the key over
  lease_until timestamptz,
  -- the stored answer; null while running
  status      integer,
  headers     jsonb,
  body        bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, idem_key)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
