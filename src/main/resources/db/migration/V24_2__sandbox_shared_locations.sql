-- The sandbox's shared-location service (as an iMessage carrier's Find My API): when each
-- phone last reported where it is, and when an account's requested refresh comes in.
CREATE TABLE sandbox_location_fixes (
  account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone_number text NOT NULL,
  reported_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, phone_number)
);

CREATE TABLE sandbox_location_refreshes (
  account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  ready_at   timestamptz NOT NULL
);
