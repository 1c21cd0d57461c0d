-- Calls: what POST /v1/calls may set per call, and call recordings.

-- Per-call settings. variables are the caller's {{placeholders}} values (null values stored as
-- sent); model_tier is the tier a per-call prompt runs on; the screening fields override the
-- agent's defaults for this call only.
ALTER TABLE calls
  ADD COLUMN variables               jsonb,
  ADD COLUMN model_tier              text,
  ADD COLUMN call_screening_identity text,
  ADD COLUMN call_screening_purpose  text,
  -- whether the account had recording on when the call began: only such calls get a recording
  ADD COLUMN recording_enabled       boolean NOT NULL DEFAULT false,
  -- true once call_recordings holds the audio (set in the same transaction)
  ADD COLUMN recording_available     boolean NOT NULL DEFAULT false,
  -- the provider's URL of the audio, as its call object named it
  ADD COLUMN recording_source_url    text,
  ADD COLUMN recording_attempts      integer NOT NULL DEFAULT 0,
  -- not before this may the audio be fetched (again): a claim while a fetch runs, a back-off
  -- after a failed one
  ADD COLUMN recording_fetch_at      timestamptz;

-- Recordings still to fetch, for the retry sweep.
CREATE INDEX calls_recording_due ON calls (recording_fetch_at)
  WHERE recording_enabled AND NOT recording_available AND recording_source_url IS NOT NULL;

-- Whether an account's calls are recorded (no row: off).
CREATE TABLE call_recording_settings (
  account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The audio of a call, kept in the database so every node can serve it.
CREATE TABLE call_recordings (
  call_id      text PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
  content_type text NOT NULL,
  size_bytes   integer NOT NULL,
  audio        bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- audio hardly compresses: store it out of line without trying
ALTER TABLE call_recordings ALTER COLUMN audio SET STORAGE EXTERNAL;
