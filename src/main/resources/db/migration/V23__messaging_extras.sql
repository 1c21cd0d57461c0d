-- iMessage extras: group chats, inline replies, send styles, typing and chat backgrounds; and
-- what the sandbox carrier was asked to do besides delivering a message.

-- A group conversation's participant is its group id (grp_...); its members are in participants
-- ([{identifier, name}]). carrier_chat_id is the carrier's handle of the group chat.
ALTER TABLE conversations
  ADD COLUMN is_group           boolean NOT NULL DEFAULT false,
  ADD COLUMN group_name         text,
  ADD COLUMN group_icon_url     text,
  ADD COLUMN participants       jsonb,
  ADD COLUMN carrier_chat_id    text,
  ADD COLUMN typing_sent_at     timestamptz,
  ADD COLUMN background_id      text,
  ADD COLUMN background_version integer NOT NULL DEFAULT 0,
  ADD COLUMN background_sha256  text,
  ADD COLUMN background_set_at  timestamptz;

-- sender_identifier: who in a group sent the message; reply_to_id: the parent of an inline reply.
ALTER TABLE messages
  ADD COLUMN sender_identifier text,
  ADD COLUMN reply_to_id       text REFERENCES messages (id) ON DELETE SET NULL,
  ADD COLUMN send_style        text;

-- action: message, typing, background.set, background.remove, group.rename; details: the rest
-- of the request (send style, reply parent, group recipients, image facts, the new name).
ALTER TABLE sandbox_sms
  ADD COLUMN action  text NOT NULL DEFAULT 'message',
  ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
