-- Provider calls (Retell, Twilio) run outside any database transaction. What used to be a row lock
-- held across such a call is a lease here: taken with one statement, given back with one, and free
-- again once it expires if its holder died in between.
CREATE TABLE provider_leases (
  name       text PRIMARY KEY,           -- what is being changed: 'agent:agt_…', 'signup:<email>'
  token      text NOT NULL,              -- the holder's, so only it gives the lease back
  expires_at timestamptz NOT NULL
);

-- A number purchase holds one of its account's number slots from before the provider is asked
-- until the number is stored or the purchase failed. An expired reservation (its node died
-- mid-purchase) no longer counts against the limit and is swept by the account's next purchase.
CREATE TABLE number_reservations (
  id         text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX number_reservations_account ON number_reservations (account_id, expires_at);
