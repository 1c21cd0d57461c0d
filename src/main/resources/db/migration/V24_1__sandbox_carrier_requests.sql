-- The sandbox carrier's outbox records every request, not only messages: action says which
-- (message, contact-card.set, contact-card.remove, ...), details the rest of what was asked.
-- IF NOT EXISTS: the messaging extras add the same two columns.
ALTER TABLE sandbox_sms
  ADD COLUMN IF NOT EXISTS action  text NOT NULL DEFAULT 'message',
  ADD COLUMN IF NOT EXISTS details jsonb NOT NULL DEFAULT '{}';
