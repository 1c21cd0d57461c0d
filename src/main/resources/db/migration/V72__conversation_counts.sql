-- How many conversations each number of each account has, kept exact by a trigger in the
-- transaction of every insert, delete (a cascade from a deleted number or account included) and
-- change of a conversation's account or number. The conversation list's total is the sum of an
-- account's rows (or of the rows of an agent's numbers), instead of a count(*) over its
-- conversations on every page.
CREATE TABLE conversation_counts (
  account_id      text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  phone_number_id text NOT NULL REFERENCES phone_numbers (id) ON DELETE CASCADE,
  conversations   bigint NOT NULL CHECK (conversations >= 0),
  PRIMARY KEY (account_id, phone_number_id)
);

CREATE FUNCTION conversation_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    -- a plain UPDATE: under a cascade the number's row may already be gone, and must not come back
    UPDATE conversation_counts SET conversations = conversations - 1
      WHERE account_id = OLD.account_id AND phone_number_id = OLD.phone_number_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO conversation_counts AS c (account_id, phone_number_id, conversations)
      VALUES (NEW.account_id, NEW.phone_number_id, 1)
      ON CONFLICT (account_id, phone_number_id) DO UPDATE SET conversations = c.conversations + 1;
  END IF;
  RETURN NULL;
END
$$;

-- no conversation may be written between the count below and the trigger taking over
LOCK TABLE conversations IN SHARE ROW EXCLUSIVE MODE;

INSERT INTO conversation_counts (account_id, phone_number_id, conversations)
  SELECT account_id, phone_number_id, count(*) FROM conversations
  GROUP BY account_id, phone_number_id;

CREATE TRIGGER conversation_counts_on_insert_delete AFTER INSERT OR DELETE ON conversations
  FOR EACH ROW EXECUTE FUNCTION conversation_counts_follow();
CREATE TRIGGER conversation_counts_on_move AFTER UPDATE OF account_id, phone_number_id
  ON conversations FOR EACH ROW
  WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id
    OR OLD.phone_number_id IS DISTINCT FROM NEW.phone_number_id)
  EXECUTE FUNCTION conversation_counts_follow();
