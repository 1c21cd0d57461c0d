-- A2P 10DLC registrations: one row per submission. account_id is the account registered (a
-- dedicated sub-account when the request asked for one); charged_account_id the account whose
-- wallet paid the fee (always the main account). status is what the API shows (pending, approved,
-- rejected); stage says how far the registration got. next_check_at is when the progress worker
-- next looks at a pending row: the sandbox's next stage, or the next poll of the provider. It is
-- also the worker's claim: a claimed row is pushed into the future, so a node that dies mid-round
-- leaves it to another node once that time passes.
CREATE TABLE registrations (
  id                 text PRIMARY KEY,
  account_id         text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  charged_account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  registration_type  text NOT NULL,
  details            jsonb NOT NULL,
  provider           text NOT NULL,
  status             text NOT NULL DEFAULT 'pending',
  stage              text NOT NULL,
  reason             text,
  fee_cents          integer NOT NULL,
  next_check_at      timestamptz,
  last_error         text,
  provider_sids      jsonb NOT NULL DEFAULT '{}',
  history            jsonb NOT NULL DEFAULT '[]',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT registrations_status CHECK (status IN ('pending', 'approved', 'rejected'))
);

-- At most one registration under review or approved per account; after a rejection the next may
-- be submitted.
CREATE UNIQUE INDEX registrations_one_open ON registrations (account_id)
  WHERE status IN ('pending', 'approved');
CREATE INDEX registrations_latest ON registrations (account_id, created_at DESC);
CREATE INDEX registrations_charged ON registrations (charged_account_id, created_at DESC);
CREATE INDEX registrations_due ON registrations (next_check_at) WHERE status = 'pending';
