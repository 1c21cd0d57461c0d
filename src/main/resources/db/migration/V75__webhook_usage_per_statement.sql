-- Webhook usage counters kept per statement instead of per row: a burst's deliveries are created
-- and settled in batches (one INSERT of a planned batch, one UPDATE of a batch of attempts), and
-- the row triggers ran two upserts through SQL functions, planned again for every delivery, which
-- cost PostgreSQL more than the deliveries themselves. The statement triggers read the transition
-- tables and add one count per account and day (created) and per account (outcomes), locking
-- the counter rows in account order so concurrent batches never deadlock.
--
-- Outcome counts go to the shard of the writing backend: only the sums over an account's shards
-- are meaningful (V6_1), and two connections settling the same account's batches at once then
-- update different rows.

DROP TRIGGER usage_webhooks_insert ON webhook_deliveries;
DROP TRIGGER usage_webhooks_update ON webhook_deliveries;
DROP TRIGGER usage_webhooks_delete ON webhook_deliveries;
DROP FUNCTION usage_webhooks_added();
DROP FUNCTION usage_webhooks_changed();
DROP FUNCTION usage_webhooks_removed();

CREATE FUNCTION usage_webhook_outcomes_add(p_account text, p_successful bigint, p_failed bigint)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_webhook_outcomes AS o (account_id, shard, successful, failed)
  VALUES (p_account, (pg_backend_pid() & 255)::smallint, p_successful, p_failed)
  ON CONFLICT (account_id, shard) DO UPDATE
    SET successful = o.successful + EXCLUDED.successful, failed = o.failed + EXCLUDED.failed;
END $$;

CREATE FUNCTION usage_webhooks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily AS u (account_id, day, webhooks)
  SELECT account_id, usage_utc_day(created_at), count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (account_id, day, phone_number_id, agent_id) DO UPDATE
    SET webhooks = u.webhooks + EXCLUDED.webhooks;
  PERFORM usage_webhook_outcomes_add(account_id, successful, failed)
    FROM (SELECT account_id, count(*) FILTER (WHERE status = 'success') AS successful,
                 count(*) FILTER (WHERE status = 'failed') AS failed
            FROM added WHERE status IN ('success', 'failed') GROUP BY 1 ORDER BY 1) t;
  RETURN NULL;
END $$;

-- What a statement changed is what its rows count after it minus what they counted before: two
-- linear aggregates, no join of the transition tables. Retries (pending to pending) and leases
-- change no count: their differences are zero and nothing is written.
CREATE FUNCTION usage_webhooks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_daily AS u (account_id, day, webhooks)
  SELECT account_id, day, sum(n) FROM (
      SELECT account_id, usage_utc_day(created_at) AS day, 1 AS n FROM after_rows
      UNION ALL
      SELECT account_id, usage_utc_day(created_at), -1 FROM before_rows) counted
   GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2
  ON CONFLICT (account_id, day, phone_number_id, agent_id) DO UPDATE
    SET webhooks = u.webhooks + EXCLUDED.webhooks;
  PERFORM usage_webhook_outcomes_add(account_id, successful, failed)
    FROM (SELECT account_id, sum(s) AS successful, sum(f) AS failed FROM (
              SELECT account_id, (status = 'success')::int AS s, (status = 'failed')::int AS f
                FROM after_rows
              UNION ALL
              SELECT account_id, -(status = 'success')::int, -(status = 'failed')::int
                FROM before_rows) outcomes
           GROUP BY 1 HAVING sum(s) <> 0 OR sum(f) <> 0 ORDER BY 1) t;
  RETURN NULL;
END $$;

CREATE FUNCTION usage_webhooks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a cascaded account delete has already removed the counters: nothing to take back
  UPDATE usage_daily u SET webhooks = u.webhooks - r.n
    FROM (SELECT account_id, usage_utc_day(created_at) AS day, count(*) AS n
            FROM removed GROUP BY 1, 2) r
   WHERE u.account_id = r.account_id AND u.day = r.day AND u.phone_number_id = ''
     AND u.agent_id = '';
  PERFORM usage_webhook_outcomes_add(account_id, -successful, -failed)
    FROM (SELECT r.account_id, count(*) FILTER (WHERE r.status = 'success') AS successful,
                 count(*) FILTER (WHERE r.status = 'failed') AS failed
            FROM removed r WHERE r.status IN ('success', 'failed')
             AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = r.account_id)
           GROUP BY 1 ORDER BY 1) t;
  RETURN NULL;
END $$;

CREATE TRIGGER usage_webhooks_insert AFTER INSERT ON webhook_deliveries
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION usage_webhooks_inserted();
CREATE TRIGGER usage_webhooks_update AFTER UPDATE ON webhook_deliveries
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION usage_webhooks_updated();
CREATE TRIGGER usage_webhooks_delete AFTER DELETE ON webhook_deliveries
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION usage_webhooks_deleted();
