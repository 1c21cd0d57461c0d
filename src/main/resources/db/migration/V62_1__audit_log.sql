-- Every create, update and delete made through the API, written in the change's transaction.
-- account_id is the key's (main) account; sub_account_id the sub-account the request acted for.
CREATE TABLE audit_log (
  id             text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  sub_account_id text,
  at             timestamptz NOT NULL DEFAULT clock_timestamp(),
  key_id         text NOT NULL,
  key_prefix     text NOT NULL,
  action         text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  object_type    text NOT NULL,
  object_id      text NOT NULL,
  changes        jsonb NOT NULL
);
CREATE INDEX audit_log_account ON audit_log (account_id, at DESC, id DESC);
CREATE INDEX audit_log_sub_account ON audit_log (sub_account_id, at DESC, id DESC)
  WHERE sub_account_id IS NOT NULL;
CREATE INDEX audit_log_object ON audit_log (account_id, object_type, object_id);
