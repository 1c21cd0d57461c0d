-- Webhook delivery outcomes spread over 256 rows per account instead of 16: with 256 deliveries
-- in flight, 16 rows still made a one-account burst wait on them. Rows already written keep
-- counting (only the sums over an account's rows are meaningful).
CREATE OR REPLACE FUNCTION usage_outcome(p_account text, p_delivery text, p_successful int,
    p_failed int)
  RETURNS void LANGUAGE sql AS $$
  INSERT INTO usage_webhook_outcomes AS o (account_id, shard, successful, failed)
  VALUES (p_account, (hashtext(p_delivery) & 255)::smallint, p_successful, p_failed)
  ON CONFLICT (account_id, shard) DO UPDATE
    SET successful = o.successful + EXCLUDED.successful, failed = o.failed + EXCLUDED.failed
$$;
