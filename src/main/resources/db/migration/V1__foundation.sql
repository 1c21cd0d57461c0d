-- Accounts, keys, agents, numbers, signup and the event outbox.

CREATE TABLE engine_secrets (
  name  text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE accounts (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  email      text,
  plan       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

CREATE TABLE users (
  id         text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  key_hash     text NOT NULL UNIQUE,
  key_prefix   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

CREATE TABLE agents (
  id                text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name              text NOT NULL,
  description       text,
  voice_mode        text NOT NULL,
  model_tier        text NOT NULL,
  system_prompt     text,
  begin_message     text,
  voice             text NOT NULL,
  transfer_number   text,
  voicemail_message text,
  stt_mode          text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_account_created ON agents (account_id, created_at DESC, id DESC);

CREATE TABLE phone_numbers (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  agent_id     text REFERENCES agents (id) ON DELETE SET NULL,
  phone_number text NOT NULL,
  country      text NOT NULL,
  type         text NOT NULL DEFAULT 'sms',
  status       text NOT NULL DEFAULT 'active',
  provider     text NOT NULL,
  provider_sid text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  released_at  timestamptz
);
-- A number can be live for one account at a time; released rows stay for history.
CREATE UNIQUE INDEX phone_numbers_active_number ON phone_numbers (phone_number) WHERE status = 'active';
CREATE INDEX phone_numbers_account ON phone_numbers (account_id, created_at DESC, id DESC);
CREATE INDEX phone_numbers_agent ON phone_numbers (agent_id) WHERE agent_id IS NOT NULL;

CREATE TABLE signup_verifications (
  id          text PRIMARY KEY,
  email       text NOT NULL,
  agent_name  text,
  code_hmac   text NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  expires_at  timestamptz NOT NULL,
  consumed_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Wrong codes per email across all of its verifications: a new sign-up never resets them.
CREATE TABLE signup_failures (
  email        text PRIMARY KEY,
  failures     integer NOT NULL,
  window_start timestamptz NOT NULL
);

CREATE TABLE charges (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  description  text NOT NULL,
  amount_cents integer NOT NULL,
  currency     text NOT NULL,
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sandbox_emails (
  id         bigserial PRIMARY KEY,
  to_address text NOT NULL,
  subject    text NOT NULL,
  body       text NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now()
);

-- The outbox: every domain event commits in the same transaction as the change that caused it.
CREATE TABLE events (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  agent_id        text,
  type            text NOT NULL,
  channel         text,
  conversation_id text,
  data            jsonb NOT NULL,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  dispatched_at   timestamptz
);
CREATE INDEX events_undispatched ON events (occurred_at) WHERE dispatched_at IS NULL;
CREATE INDEX events_account ON events (account_id, occurred_at DESC);
