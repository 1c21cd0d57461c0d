-- The iMessage contact card of a number: what recipients see as the sender's name and photo.
-- The avatar itself is handed to the carrier; we keep what identifies it (never its URL).
CREATE TABLE number_contact_cards (
  number_id           text PRIMARY KEY REFERENCES phone_numbers (id) ON DELETE CASCADE,
  account_id          text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  first_name          text,
  last_name           text,
  display_name        text,
  avatar_sha256       text,
  avatar_content_type text,
  avatar_bytes        integer,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Which channels reach a phone number, as last checked for an account: shared by every node and
-- reused until contacts.capabilitiesTtlSeconds passed. imessage is null when it was not checked
-- (the account had no active iMessage line then); sms comes from the line-type lookup.
CREATE TABLE contact_capabilities (
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone_number text NOT NULL,
  sms          boolean NOT NULL,
  imessage     boolean,
  checked_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, phone_number)
);

-- Whether an account talks with a phone number at all (the location service answers only for
-- the numbers an account is in touch with).
CREATE INDEX conversations_account_participant ON conversations (account_id, participant);
