-- The count of webhook deliveries created per account and day moves from usage_daily's one row
-- per account and day to rows sharded by the writing backend, as the outcome counts already are
-- (V75): the statement trigger of a planned batch locked that one row until its transaction
-- committed, so concurrent batches of one account (planned on several connections at once)
-- committed one after another. Only the sums over an account's shards (and the webhooks that
-- usage_daily counted before this) are meaningful.

CREATE TABLE usage_webhooks_daily (
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  day        date NOT NULL,
  shard      smallint NOT NULL,
  deliveries bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, day, shard)
);

CREATE FUNCTION usage_webhooks_created_add(p_account text, p_day date, p_deliveries bigint)
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO usage_webhooks_daily AS u (account_id, day, shard, deliveries)
  VALUES (p_account, p_day, (pg_backend_pid() & 255)::smallint, p_deliveries)
  ON CONFLICT (account_id, day, shard) DO UPDATE SET deliveries = u.deliveries + EXCLUDED.deliveries;
END $$;

CREATE OR REPLACE FUNCTION usage_webhooks_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM usage_webhooks_created_add(account_id, day, n)
    FROM (SELECT account_id, usage_utc_day(created_at) AS day, count(*) AS n FROM added
           GROUP BY 1, 2 ORDER BY 1, 2) t;
  PERFORM usage_webhook_outcomes_add(account_id, successful, failed)
    FROM (SELECT account_id, count(*) FILTER (WHERE status = 'success') AS successful,
                 count(*) FILTER (WHERE status = 'failed') AS failed
            FROM added WHERE status IN ('success', 'failed') GROUP BY 1 ORDER BY 1) t;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION usage_webhooks_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM usage_webhooks_created_add(account_id, day, n)
    FROM (SELECT account_id, day, sum(n) AS n FROM (
              SELECT account_id, usage_utc_day(created_at) AS day, 1 AS n FROM after_rows
              UNION ALL
              SELECT account_id, usage_utc_day(created_at), -1 FROM before_rows) counted
           GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2) t;
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

CREATE OR REPLACE FUNCTION usage_webhooks_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a cascaded account delete has already removed the counters: nothing to take back
  PERFORM usage_webhooks_created_add(account_id, day, -n)
    FROM (SELECT r.account_id, usage_utc_day(r.created_at) AS day, count(*) AS n
            FROM removed r WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.id = r.account_id)
           GROUP BY 1, 2 ORDER BY 1, 2) t;
  PERFORM usage_webhook_outcomes_add(account_id, -successful, -failed)
    FROM (SELECT r.account_id, count(*) FILTER (WHERE r.status = 'success') AS successful,
                 count(*) FILTER (WHERE r.status = 'failed') AS failed
            FROM removed r WHERE r.status IN ('success', 'failed')
             AND EXISTS (SELECT 1 FROM accounts a WHERE a.id = r.account_id)
           GROUP BY 1 ORDER BY 1) t;
  RETURN NULL;
END $$;
