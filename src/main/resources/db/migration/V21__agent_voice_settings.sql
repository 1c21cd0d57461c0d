-- An agent's voice settings (the official client's AgentCreate/AgentUpdate fields). Every column
-- is nullable: NULL means "never set", and the answer shows the documented default instead, so a
-- default can change without rewriting rows.
ALTER TABLE agents
  ADD COLUMN enable_messaging         boolean,
  ADD COLUMN custom_tools             jsonb,
  ADD COLUMN call_screening_identity  text,
  ADD COLUMN call_screening_purpose   text,
  ADD COLUMN ambient_sound            text,
  ADD COLUMN denoising_mode           text,
  ADD COLUMN max_silence_ms           integer,
  ADD COLUMN voice_speed              double precision,
  ADD COLUMN interruption_sensitivity double precision,
  ADD COLUMN enable_backchannel       boolean,
  ADD COLUMN language                 text;
