-- (account_id, status) is the leading part of webhook_deliveries_account_status_created (V61),
-- which serves the same lookups. Every version of a delivery row (created, settled, and each
-- retry's lease) paid an entry in both.
DROP INDEX webhook_deliveries_account_status;
