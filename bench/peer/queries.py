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

# agents/VoiceSettings.FIELDS, in the order the answer lists them: API field -> column
VOICE_FIELDS = [("enableMessaging", "enable_messaging"), ("customTools", "custom_tools"),
                ("callScreeningIdentity", "call_screening_identity"),
                ("callScreeningPurpose", "call_screening_purpose"),
                ("ambientSound", "ambient_sound"), ("denoisingMode", "denoising_mode"),
                ("maxSilenceMs", "max_silence_ms"), ("voiceSpeed", "voice_speed"),
                ("interruptionSensitivity", "interruption_sensitivity"),
                ("enableBackchannel", "enable_backchannel"), ("language", "language")]

# agents/AgentWrites.COLUMNS
AGENT_COLUMNS = ("id, name, description, voice_mode, model_tier, system_prompt, "
                 "begin_message, voice, transfer_number, voicemail_message, stt_mode, "
                 + ", ".join(column for _, column in VOICE_FIELDS) + ", created_at")

# agents/AgentReads.GET_SQL: $1 account, $2 agent id
AGENT_SQL = "SELECT " + AGENT_COLUMNS + " FROM agents WHERE account_id = $1 AND id = $2"

# numbers/NumberStore.FOR_AGENTS_SQL: $1 account, $2 agent ids (text[])
NUMBERS_SQL = ("SELECT id, agent_id, phone_number, status, type "
               "FROM phone_numbers WHERE account_id = $1 AND agent_id = ANY($2) "
               "AND status = 'active' ORDER BY created_at, id")

# conversations/ConversationList.COLUMNS
CONVERSATION_COLUMNS = ("id, phone_number_id, participant, metadata, "
                        "message_count, last_message_at, last_message_preview, created_at, "
                        "is_group, group_name, group_icon_url, participants, carrier_chat_id, "
                        "background_id, background_version, background_sha256")

# conversations/ConversationList.PAGE_SQL: account, number ids?, limit, offset
PAGE_SQL = ("SELECT " + CONVERSATION_COLUMNS + " FROM conversations "
            "WHERE account_id = $1 AND ($2::text[] IS NULL OR phone_number_id = ANY($2)) "
            "ORDER BY last_message_at DESC, id DESC LIMIT $3 OFFSET $4")

# conversations/ConversationList.TOTAL_SQL (the maintained counts of V45): account, number ids?
TOTAL_SQL = ("SELECT coalesce(sum(conversations), 0)::bigint FROM conversation_counts "
             "WHERE account_id = $1 AND ($2::text[] IS NULL OR phone_number_id = ANY($2))")

# numbers/NumberStore.SUMMARIES_SQL: the page's numbers, $1 account, $2 number ids (text[])
SUMMARIES_SQL = ("SELECT id, phone_number, agent_id FROM phone_numbers "
                 "WHERE account_id = $1 AND id = ANY($2)")

ALL = {"KEY_SQL": KEY_SQL, "TOUCH_SQL": TOUCH_SQL, "AGENT_SQL": AGENT_SQL,
       "NUMBERS_SQL": NUMBERS_SQL, "PAGE_SQL": PAGE_SQL, "TOTAL_SQL": TOTAL_SQL,
       "SUMMARIES_SQL": SUMMARIES_SQL}

if __name__ == "__main__":
    # one statement per line, for the benchmark script's check against the engine's source
    for name, sql in ALL.items():
        print(name + "\t" + sql)
