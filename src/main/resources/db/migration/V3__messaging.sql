-- Contacts, conversations, messages, reactions and the sandbox SMS outbox.

CREATE TABLE contacts (
  id           text PRIMARY KEY,
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone_number text NOT NULL,
  name         text NOT NULL,
  email        text,
  notes        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX contacts_account_number ON contacts (account_id, phone_number);
CREATE INDEX contacts_account_created ON contacts (account_id, created_at DESC, id DESC);

-- One conversation per (our number, the other party). The agent is the number's agent.
CREATE TABLE conversations (
  id                   text PRIMARY KEY,
  account_id           text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone_number_id      text NOT NULL REFERENCES phone_numbers (id) ON DELETE CASCADE,
  participant          text NOT NULL,
  metadata             jsonb,
  message_count        integer NOT NULL DEFAULT 0,
  last_message_at      timestamptz NOT NULL,
  last_message_preview text NOT NULL DEFAULT '',
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conversations_number_participant ON conversations (phone_number_id, participant);
CREATE INDEX conversations_account_recent ON conversations (account_id, last_message_at DESC, id DESC);

-- created_at is strictly increasing within a conversation (see MessageStore), so timestamp
-- cursors page without gaps or duplicates.
CREATE TABLE messages (
  id              text PRIMARY KEY,
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  phone_number_id text NOT NULL REFERENCES phone_numbers (id) ON DELETE CASCADE,
  direction       text NOT NULL,
  channel         text NOT NULL,
  from_number     text NOT NULL,
  to_number       text NOT NULL,
  body            text NOT NULL DEFAULT '',
  media_urls      jsonb NOT NULL DEFAULT '[]',
  status          text NOT NULL,
  provider_sid    text,
  error_code      text,
  error_message   text,
  created_at      timestamptz NOT NULL
);
-- Twilio may deliver the same inbound message twice: its MessageSid makes the second a no-op.
CREATE UNIQUE INDEX messages_provider_sid ON messages (provider_sid) WHERE provider_sid IS NOT NULL;
CREATE INDEX messages_conversation_time ON messages (conversation_id, created_at DESC, id DESC);
CREATE INDEX messages_number_time ON messages (phone_number_id, created_at DESC, id DESC);

CREATE TABLE message_reactions (
  id            text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  message_id    text NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  reaction_type text NOT NULL,
  direction     text NOT NULL,
  from_number   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_reactions_message ON message_reactions (message_id);

-- What the sandbox carrier "delivered": outbound SMS/MMS/iMessage in sandbox mode.
CREATE TABLE sandbox_sms (
  id          bigserial PRIMARY KEY,
  account_id  text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  sid         text NOT NULL,
  channel     text NOT NULL,
  from_number text NOT NULL,
  to_number   text NOT NULL,
  body        text NOT NULL,
  media_urls  jsonb NOT NULL DEFAULT '[]',
  sent_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sandbox_sms_account ON sandbox_sms (account_id, id DESC);
