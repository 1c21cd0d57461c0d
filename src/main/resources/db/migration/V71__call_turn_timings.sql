-- How long each voice turn took, span by span: when its frame came in, and the offsets (ms after
-- that) of the webhook request, its first and last byte, the first frame out, the complete answer
-- and its storing. Written after the answer has gone out, one row per turn.

CREATE TABLE call_turn_timings (
  id          bigserial PRIMARY KEY,
  call_id     text NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  response_id integer NOT NULL,
  mode        text NOT NULL,
  outcome     text NOT NULL,
  received_at timestamptz NOT NULL,
  engine_ms   double precision,
  webhook_ms  double precision,
  spans       jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX call_turn_timings_call ON call_turn_timings (call_id, id);
