-- Sub-accounts: an account row with a parent. Every domain scopes by account id, so a child's
-- agents, numbers, conversations, calls, contacts, webhooks and usage are its own without any
-- change elsewhere. Only one level: a parent is never itself a child (checked when one is created).
ALTER TABLE accounts ADD COLUMN parent_account_id text REFERENCES accounts (id);
ALTER TABLE accounts ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- A deleted sub-account keeps its row (its history stays consistent) and is not found anywhere.
ALTER TABLE accounts ADD COLUMN deleted_at timestamptz;

CREATE INDEX accounts_children ON accounts (parent_account_id, created_at DESC, id DESC)
  WHERE parent_account_id IS NOT NULL AND deleted_at IS NULL;
