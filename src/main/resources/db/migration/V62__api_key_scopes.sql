-- API keys get a name, a scope and an optional expiry; the sign-up key is a full key.
ALTER TABLE api_keys
  ADD COLUMN name       text NOT NULL DEFAULT 'Sign-up key',
  ADD COLUMN scope      text NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'read-only')),
  ADD COLUMN expires_at timestamptz;
