"""The engine's SQL for the two benchmarked reads, character for character.

Each constant names the Java constant it copies. bench/side-by-side.sh checks with
pg_stat_statements that one request to the engine and one to the peer run the same statements,
so a change on the engine side cannot go unnoticed; the pgbench scripts are made from these too.
"""

# http/ApiKeyAuth -> accounts/AccountsVerticle.authenticate (only on a cache miss)
KEY_SQL = ("SELECT id, account_id, key_hash FROM api_keys "
           "WHERE key_hash = $1 AND revoked_at IS NULL")

# accounts/AccountsVerticle.touch (at most once a minute per key)
TOUCH_SQL = ("UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
             "AND (last_used_at IS NULL OR last_used_at < now() - interval '30 seconds')")

# agents/AgentStore.COLUMNS
AGENT_COLUMNS = ("id, name, description, voice_mode, model_tier, system_prompt, "
                 "begin_message, voice, transfer_number, voicemail_message, stt_mode, created_at")

# agents/AgentsVerticle.GET_SQL: $1 account, $2 agent id
AGENT_SQL = "SELECT " + AGENT_COLUMNS + " FROM agents WHERE account_id = $1 AND id = $2"

# numbers/NumberStore.FOR_AGENTS_SQL: $1 account, $2 agent ids (text[])
NUMBERS_SQL = ("SELECT id, agent_id, phone_number, status, type "
               "FROM phone_numbers WHERE account_id = $1 AND agent_id = ANY($2) "
               "AND status = 'active' ORDER BY created_at, id")

# conversations/ConversationsVerticle.SUMMARY and LIST_WHERE
_SUMMARY = ("SELECT c.id, c.phone_number_id, c.participant, c.metadata, "
            "c.message_count, c.last_message_at, c.last_message_preview, c.created_at, "
            "p.phone_number, p.agent_id FROM conversations c "
            "JOIN phone_numbers p ON p.id = c.phone_number_id ")
_LIST_WHERE = "WHERE c.account_id = $1 AND ($2::text IS NULL OR p.agent_id = $2) "

# conversations/ConversationsVerticle.LIST_PAGE_SQL: account, agent?, limit, offset
PAGE_SQL = _SUMMARY + _LIST_WHERE + "ORDER BY c.last_message_at DESC, c.id DESC LIMIT $3 OFFSET $4"

# conversations/ConversationsVerticle.LIST_COUNT_SQL: account, agent?
COUNT_SQL = ("SELECT count(*) FROM conversations c "
             "JOIN phone_numbers p ON p.id = c.phone_number_id " + _LIST_WHERE)

ALL = {"KEY_SQL": KEY_SQL, "TOUCH_SQL": TOUCH_SQL, "AGENT_SQL": AGENT_SQL,
       "NUMBERS_SQL": NUMBERS_SQL, "PAGE_SQL": PAGE_SQL, "COUNT_SQL": COUNT_SQL}

if __name__ == "__main__":
    # one statement per line, for the benchmark script's check against the engine's source
    for name, sql in ALL.items():
        print(name + "\t" + sql)
