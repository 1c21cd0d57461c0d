-- Usage: per-day counters kept by triggers on the tables that record the work (messages, calls,
-- webhook deliveries), so usage answers and plan limits read a few hundred counter rows instead of
-- counting millions. Days are UTC. Counters follow every write path, bulk loads included.

CREATE TABLE usage_daily (
  account_id        text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day               date NOT NULL,
  -- '' when the work had no number / agent (web calls, webhook deliveries)
  phone_number_id   text NOT NULL DEFAULT '',
  -- messages: the number's agent when the message was stored; calls: the call's agent
  agent_id          text NOT NULL DEFAULT '',
  messages          bigint NOT NULL DEFAULT 0,
  outbound_messages bigint NOT NULL DEFAULT 0,
  calls             bigint NOT NULL DEFAULT 0,
  call_seconds      bigint NOT NULL DEFAULT 0,
  webhooks          bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day, phone_number_id, agent_id)
);

-- Webhook delivery outcomes of all time, spread over 16 rows per account: every delivery's
-- outcome updates a counter, and a single row would make an account's deliveries commit one at a
-- time. Only the sums over an account's rows are meaningful.
CREATE TABLE usage_webhook_outcomes (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  shard      smallint NOT NULL,
  successful bigint NOT NULL DEFAULT 0,
  failed     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, shard)
);

-- The rolling windows (last 24 h / 7 d / 30 d) add the counters of whole days to an exact count
-- of the partial first day, read from these ranges.
CREATE INDEX messages_account_time ON messages (account_id, created_at);

CREATE FUNCTION usage_utc_day(at timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE 'UTC')::date $$;

-- Messages: statement-level, so a bulk INSERT … SELECT updates each counter row once.
CREATE FUNCTION usage_messages_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily AS u (account_id, day, phone_number_id, agent_id, messages,
      outbound_messages)
  SELECT n.account_id, usage_utc_day(n.created_at), n.phone_number_id, coalesce(p.agent_id, ''),
         count(*), count(*) FILTER (WHERE n.direction = 'outbound')
    FROM added n LEFT JOIN phone_numbers p ON p.id = n.phone_number_id
   GROUP BY 1, 2, 3, 4
  ON CONFLICT (account_id, day, phone_number_id, agent_id) DO UPDATE
    SET messages = u.messages + EXCLUDED.messages,
        outbound_messages = u.outbound_messages + EXCLUDED.outbound_messages;
  RETURN NULL;
END $$;

-- A removed message leaves its day's total; the agent is unknown by then, so the number's
-- counters for that day give it back, largest first.
CREATE FUNCTION usage_messages_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
  target record;
BEGIN
  FOR r IN SELECT account_id, usage_utc_day(created_at) AS day, phone_number_id,
                  count(*) AS messages, count(*) FILTER (WHERE direction = 'outbound') AS outbound
             FROM removed GROUP BY 1, 2, 3 LOOP
    SELECT agent_id INTO target FROM usage_daily
     WHERE account_id = r.account_id AND day = r.day AND phone_number_id = r.phone_number_id
     ORDER BY messages DESC LIMIT 1;
    UPDATE usage_daily SET messages = greatest(0, messages - r.messages),
           outbound_messages = greatest(0, outbound_messages - r.outbound)
     WHERE account_id = r.account_id AND day = r.day AND phone_number_id = r.phone_number_id
       AND agent_id = target.agent_id;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER usage_messages_insert AFTER INSERT ON messages
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION usage_messages_added();
CREATE TRIGGER usage_messages_delete AFTER DELETE ON messages
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION usage_messages_removed();

-- Adds (or, with negative counts, takes back) calls, call seconds and new webhook deliveries.
CREATE FUNCTION usage_add(p_account text, p_day date, p_number text, p_agent text,
    p_calls bigint, p_seconds bigint, p_webhooks bigint)
  RETURNS void LANGUAGE sql AS $$
  INSERT INTO usage_daily AS u (account_id, day, phone_number_id, agent_id, calls, call_seconds,
      webhooks)
  VALUES (p_account, p_day, coalesce(p_number, ''), coalesce(p_agent, ''), p_calls, p_seconds,
      p_webhooks)
  ON CONFLICT (account_id, day, phone_number_id, agent_id) DO UPDATE
    SET calls = u.calls + EXCLUDED.calls,
        call_seconds = u.call_seconds + EXCLUDED.call_seconds,
        webhooks = u.webhooks + EXCLUDED.webhooks
$$;

CREATE FUNCTION usage_outcome(p_account text, p_delivery text, p_successful int, p_failed int)
  RETURNS void LANGUAGE sql AS $$
  INSERT INTO usage_webhook_outcomes AS o (account_id, shard, successful, failed)
  VALUES (p_account, (hashtext(p_delivery) & 15)::smallint, p_successful, p_failed)
  ON CONFLICT (account_id, shard) DO UPDATE
    SET successful = o.successful + EXCLUDED.successful, failed = o.failed + EXCLUDED.failed
$$;

-- Calls count on the UTC day they started; their seconds once they have a duration.
CREATE FUNCTION usage_calls_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    -- a cascaded account delete has already removed the counters: nothing to take back
    IF EXISTS (SELECT 1 FROM accounts WHERE id = OLD.account_id) THEN
      PERFORM usage_add(OLD.account_id, usage_utc_day(OLD.started_at), OLD.phone_number_id,
          OLD.agent_id, -1, -coalesce(OLD.duration_seconds, 0), 0);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM usage_add(NEW.account_id, usage_utc_day(NEW.started_at), NEW.phone_number_id,
        NEW.agent_id, 1, coalesce(NEW.duration_seconds, 0), 0);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER usage_calls_insert AFTER INSERT ON calls
  FOR EACH ROW EXECUTE FUNCTION usage_calls_changed();
CREATE TRIGGER usage_calls_update AFTER UPDATE OF started_at, duration_seconds, agent_id,
    phone_number_id ON calls FOR EACH ROW
  WHEN (OLD.started_at IS DISTINCT FROM NEW.started_at
     OR OLD.duration_seconds IS DISTINCT FROM NEW.duration_seconds
     OR OLD.agent_id IS DISTINCT FROM NEW.agent_id
     OR OLD.phone_number_id IS DISTINCT FROM NEW.phone_number_id)
  EXECUTE FUNCTION usage_calls_changed();
CREATE TRIGGER usage_calls_delete AFTER DELETE ON calls
  FOR EACH ROW EXECUTE FUNCTION usage_calls_changed();

-- Webhook deliveries count on the UTC day they were created (the planner inserts a batch in
-- account order, so batches lock those counter rows in one order), and by outcome once they have
-- one, in the outcome row their id picks.
CREATE FUNCTION usage_webhooks_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM usage_add(NEW.account_id, usage_utc_day(NEW.created_at), '', '', 0, 0, 1);
  IF NEW.status IN ('success', 'failed') THEN
    PERFORM usage_outcome(NEW.account_id, NEW.id, (NEW.status = 'success')::int,
        (NEW.status = 'failed')::int);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION usage_webhooks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF usage_utc_day(OLD.created_at) <> usage_utc_day(NEW.created_at) THEN
    PERFORM usage_add(OLD.account_id, usage_utc_day(OLD.created_at), '', '', 0, 0, -1);
    PERFORM usage_add(NEW.account_id, usage_utc_day(NEW.created_at), '', '', 0, 0, 1);
  END IF;
  IF OLD.status IS DISTINCT FROM NEW.status THEN
    PERFORM usage_outcome(NEW.account_id, NEW.id,
        (NEW.status = 'success')::int - (OLD.status = 'success')::int,
        (NEW.status = 'failed')::int - (OLD.status = 'failed')::int);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION usage_webhooks_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a cascaded account delete has already removed the counters: nothing to take back
  IF EXISTS (SELECT 1 FROM accounts WHERE id = OLD.account_id) THEN
    PERFORM usage_add(OLD.account_id, usage_utc_day(OLD.created_at), '', '', 0, 0, -1);
    IF OLD.status IN ('success', 'failed') THEN
      PERFORM usage_outcome(OLD.account_id, OLD.id, -(OLD.status = 'success')::int,
          -(OLD.status = 'failed')::int);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER usage_webhooks_insert AFTER INSERT ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION usage_webhooks_added();
-- retries (pending to pending) and leases change no count: no trigger runs for them
CREATE TRIGGER usage_webhooks_update AFTER UPDATE OF status, created_at ON webhook_deliveries
  FOR EACH ROW
  WHEN (usage_utc_day(OLD.created_at) <> usage_utc_day(NEW.created_at)
     OR ((OLD.status = 'success') <> (NEW.status = 'success'))
     OR ((OLD.status = 'failed') <> (NEW.status = 'failed')))
  EXECUTE FUNCTION usage_webhooks_changed();
CREATE TRIGGER usage_webhooks_delete AFTER DELETE ON webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION usage_webhooks_removed();
