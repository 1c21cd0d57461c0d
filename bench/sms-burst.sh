#!/usr/bin/env bash
# Inbound SMS burst, out of process: the engine's fat jar on a fresh data directory (embedded
# PostgreSQL, fsync and synchronous commit on, rate limit off), a load generator in its own JVM
# (bench/sms-burst/SmsBurst.java) posting signed Twilio forms to one number and then to 100, each
# after an uncounted warm-up, the stored result checked in the database (every message once, one
# event each, unique times per number, each connection's messages in the order it sent them), and
# a raw-PostgreSQL reference from the same run: pgbench running the engine's transaction
# statements against the same database. CPU per thread (engine, generator, PostgreSQL) and the
# server's commits and WAL flushes are recorded over each measured window (bench/cpu_threads.py).
# Prints markdown rows and tables.
#
#   bench/sms-burst.sh
#   BENCH_ONE_TOTAL=20000 BENCH_MANY_TOTAL=40000 BENCH_CONNECTIONS=64 BENCH_MANY_CONNECTIONS=128 \
#     BENCH_RAW_BATCH=16 BENCH_RAW_SECONDS=10 BENCH_WARMUP=20000 bench/sms-burst.sh
#   warm-up bursts repeat until the engine's C2 compiler is quiet:
#     BENCH_WARMUP_C2_PERCENT=10 BENCH_WARMUP_ROUNDS=5 bench/sms-burst.sh
#   ENGINE_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/sms.jfr,settings=profile" bench/sms-burst.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/agentphone-engine.jar
ONE_TOTAL=${BENCH_ONE_TOTAL:-20000}
MANY_TOTAL=${BENCH_MANY_TOTAL:-40000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
MANY_CONNECTIONS=${BENCH_MANY_CONNECTIONS:-128}
RAW_BATCH=${BENCH_RAW_BATCH:-16}
RAW_SECONDS=${BENCH_RAW_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-20000}
[ -f "$JAR" ] || mvn -B -q -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port)
PG_PORT=$(free_port)
DATA=$(mktemp -d)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
AGENTPHONE_HTTP_PORT=$HTTP_PORT AGENTPHONE_PUBLIC_URL=http://localhost:$HTTP_PORT \
  AGENTPHONE_DATA_DIR=$DATA AGENTPHONE_EMBEDDED_DB_PORT=$PG_PORT AGENTPHONE_RATE_LIMIT_RPS=0 \
  java ${ENGINE_JAVA_OPTS:-} -jar "$JAR" > "$DATA/engine.log" 2>&1 &
ENGINE=$!
cleanup() { kill "$ENGINE" 2>/dev/null; wait "$ENGINE" 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 480); do
  curl -sf "http://localhost:$HTTP_PORT/health" > /dev/null && break
  sleep 0.5
done
export PGPASSWORD=postgres
PSQL=(psql -h localhost -p "$PG_PORT" -U postgres -d postgres -qAtX)

POSTMASTER=$(head -1 "$(find "$DATA" -name postmaster.pid | head -1)")
# burst LABEL NUMBERS TOTAL CONNECTIONS WARMUP: CPU per thread is recorded around its window
burst() {
  local label=$1; shift
  BENCH_AROUND="python3 bench/cpu_threads.py around $DATA/cpu-$label engine=$ENGINE postgres=$POSTMASTER pg=$PG_PORT" \
    BENCH_C2="python3 bench/cpu_threads.py seconds $ENGINE 'C2 Compiler'" \
    java -cp "$JAR" bench/sms-burst/SmsBurst.java "http://localhost:$HTTP_PORT" "$@"
}
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }

# every message once with one event, unique times per number, each connection's order kept
check() {
  "${PSQL[@]}" -F' ' -c "
    WITH m AS (SELECT m.phone_number_id, m.created_at, m.body, m.provider_sid FROM messages m
               WHERE m.account_id = ANY(string_to_array('$1', ',')) AND m.provider_sid LIKE 'SMm%'),
         seq AS (SELECT substr(split_part(body, ' ', 2), 2)::int AS s,
                        lag(substr(split_part(body, ' ', 2), 2)::int) OVER (PARTITION BY
                          phone_number_id, split_part(body, ' ', 1) ORDER BY created_at) AS prev
                 FROM m)
    SELECT (SELECT count(*) FROM m),
           (SELECT count(DISTINCT (phone_number_id, created_at)) FROM m),
           (SELECT count(*) FROM events e JOIN messages mm ON mm.id = e.data->>'messageId'
              WHERE e.account_id = ANY(string_to_array('$1', ',')) AND e.type = 'agent.message'
                AND mm.account_id = ANY(string_to_array('$1', ',')) AND mm.provider_sid LIKE 'SMm%'),
           (SELECT count(*) FROM seq WHERE prev IS NOT NULL AND s <= prev)"
}

# pgbench: the engine's statements for a batch of $2 messages to one of the numbers in $1, as
# GroupCommit and MessageBatch send them (locks, latest time with the stored provider ids, the
# numbers' routes checked, the senders' contacts, one conversation upsert, one message insert,
# one event insert, the guard, commit). The engine
# passes the message insert the upsert's conversation ids as a parameter; pgbench carries them
# over in a variable (the upsert's RETURNING gathered into an array). The engine wakes the
# outbox's listeners after the commit, in a transaction of its own that does not wait for its
# flush and is shared by the commits that end meanwhile; it is left out here.
raw_script() {
  local ids=$1 batch=$2 list i
  list=$(sed "s/\([^ ]*\)/'\1'/g; s/ /,/g" <<< "$ids")
  each() { # each <expression with @ for the message's index>: ARRAY[...] of $batch elements
    local out="" i
    for i in $(seq 1 "$batch"); do out+="${out:+, }${1//@/$i}"; done
    echo "ARRAY[$out]"
  }
  local participant="'+1415556' || lpad((((:r)::bigint + @) % 1000)::text, 4, '0')"
  local data='{"messageId": "msg_raw", "numberId": "num_raw", "from": "+14155550100", "to": "+14155550199", "contact": null, "message": "raw bench message", "mediaUrl": null, "mediaUrls": [], "direction": "inbound", "receivedAt": "2026-12-01T00:00:00.000Z", "conversationId": "conv_raw"}'
  echo "\\set k random(1, $(wc -w <<< "$ids"))"
  echo "\\set r random(1, 1000000000)"
  echo "SELECT (ARRAY[$list])[(:k)::int] AS num, (SELECT account_id FROM phone_numbers WHERE id = (ARRAY[$list])[(:k)::int]) AS acct \\gset"
  echo "BEGIN;"
  echo "SELECT pg_advisory_xact_lock(hashtextextended(n, 0)) FROM (SELECT n FROM unnest(ARRAY[(:num)::text]) AS n ORDER BY n) AS numbers;"
  echo "SELECT n, (SELECT max(created_at) FROM messages WHERE phone_number_id = n) AS latest, NULL::text AS sid FROM unnest(ARRAY[(:num)::text]) AS n UNION ALL SELECT NULL, NULL, provider_sid FROM messages WHERE provider_sid = ANY($(each "'SMraw' || (:r)::text || '_@'"));"
  echo "SELECT p.id, p.agent_id FROM unnest(ARRAY[(:acct)::text], ARRAY[(:num)::text]) AS r(account_id, id) JOIN phone_numbers p ON p.id = r.id AND p.account_id = r.account_id WHERE p.status = 'active';"
  echo "SELECT c.id, c.account_id, c.name, c.email, c.phone_number FROM unnest(array_fill((:acct)::text, ARRAY[$batch]), $(each "$participant")) AS s(account_id, phone_number) JOIN contacts c ON c.account_id = s.account_id AND c.phone_number = s.phone_number;"
  echo "WITH upserted AS (INSERT INTO conversations AS c (id, account_id, phone_number_id, participant, message_count, last_message_at, last_message_preview, created_at) SELECT * FROM unnest($(each "'conv_raw_' || (:r)::text || '_@'"), array_fill((:acct)::text, ARRAY[$batch]), array_fill((:num)::text, ARRAY[$batch]), $(each "$participant"), array_fill(1, ARRAY[$batch]), $(each "clock_timestamp()"), array_fill('raw bench message'::text, ARRAY[$batch]), $(each "clock_timestamp()")) ON CONFLICT (phone_number_id, participant) DO UPDATE SET message_count = c.message_count + EXCLUDED.message_count, last_message_at = EXCLUDED.last_message_at, last_message_preview = EXCLUDED.last_message_preview, updated_at = now() RETURNING id, phone_number_id, participant) SELECT array_agg(id ORDER BY participant) AS convs, array_agg(participant ORDER BY participant) AS parts FROM upserted \\gset"
  echo "INSERT INTO messages (id, account_id, conversation_id, phone_number_id, direction, channel, from_number, to_number, body, media_urls, status, provider_sid, created_at, sender_identifier, reply_to_id, send_style) SELECT i, a, c, n, d, ch, f, t, b, m::jsonb, s, p, at, si, r, st FROM unnest($(each "'msg_raw_' || (:r)::text || '_@'"), array_fill((:acct)::text, ARRAY[$batch]), (:convs)::text[], array_fill((:num)::text, ARRAY[$batch]), array_fill('inbound'::text, ARRAY[$batch]), array_fill('sms'::text, ARRAY[$batch]), (:parts)::text[], array_fill('+14155550199'::text, ARRAY[$batch]), array_fill('raw bench message'::text, ARRAY[$batch]), array_fill('[]'::text, ARRAY[$batch]), array_fill('received'::text, ARRAY[$batch]), $(each "'SMraw' || (:r)::text || '_@'"), $(each "clock_timestamp()"), array_fill(NULL::text, ARRAY[$batch]), array_fill(NULL::text, ARRAY[$batch]), array_fill(NULL::text, ARRAY[$batch])) AS x(i, a, c, n, d, ch, f, t, b, m, s, p, at, si, r, st);"
  echo "INSERT INTO events (id, account_id, agent_id, type, channel, conversation_id, data, occurred_at) SELECT i, a, g, t, c, v, d::jsonb, o FROM unnest($(each "'evt_raw_' || (:r)::text || '_@'"), array_fill((:acct)::text, ARRAY[$batch]), array_fill(NULL::text, ARRAY[$batch]), array_fill('agent.message'::text, ARRAY[$batch]), array_fill('sms'::text, ARRAY[$batch]), (:convs)::text[], array_fill('$data'::text, ARRAY[$batch]), $(each "clock_timestamp()")) AS e(i, a, g, t, c, v, d, o);"
  echo "SELECT 1;"
  echo "COMMIT;"
}

raw() {
  local ids=$1 batch=$2 clients=$3 script
  script=$(mktemp)
  raw_script "$ids" "$batch" > "$script"
  local tps
  tps=$(pgbench -h localhost -p "$PG_PORT" -U postgres -n -M prepared -c "$clients" -j "$clients" \
    -T "$RAW_SECONDS" -f "$script" postgres 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  rm -f "$script"
  if [ -z "$tps" ]; then echo "—"; else python3 -c "print(round($tps * $batch))"; fi
}

one=$(burst one 1 "$ONE_TOTAL" "$CONNECTIONS" "$WARMUP")
one_account=$(field account "$one")
read -r one_n one_unique one_events one_order <<< "$(check "$one_account")"
many=$(burst many 100 "$MANY_TOTAL" "$MANY_CONNECTIONS" "$WARMUP")
many_account=$(field account "$many")
read -r many_n many_unique many_events many_order <<< "$(check "$many_account")"
LOAD_ENGINE=$(cut -d' ' -f1 /proc/loadavg)
one_ids=$("${PSQL[@]}" -c "SELECT id FROM phone_numbers WHERE account_id = ANY(string_to_array('$one_account', ','))" | tr '\n' ' ' | sed 's/ $//')
many_ids=$("${PSQL[@]}" -c "SELECT id FROM phone_numbers WHERE account_id = ANY(string_to_array('$many_account', ','))" | tr '\n' ' ' | sed 's/ $//')
raw_one=$(raw "$one_ids" "$RAW_BATCH" 1)
raw_one_single=$(raw "$one_ids" 1 1)
raw_many=$(raw "$many_ids" "$RAW_BATCH" 4)
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)

echo "Inbound SMS burst, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), engine $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average (1 min) $LOAD_START at the start, $LOAD_ENGINE after the engine's bursts, $LOAD_END at the end"
echo
echo "| burst | messages | connections | engine msg/s | p50 ms | p99 ms | non-200 | stored / events / unique times / out of order | raw PostgreSQL msg/s ($RAW_BATCH per transaction) | engine / raw | raw, 1 per transaction |"
echo "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"
row() {
  local label=$1 line=$2 n=$3 unique=$4 events=$5 order=$6 rawfig=$7 single=$8
  local msgps; msgps=$(field msgps "$line")
  echo "| $label | $(field messages "$line") | $(field connections "$line") | $msgps | $(field p50ms "$line") | $(field p99ms "$line") | $(field failures "$line") | $n / $events / $unique / $order | $rawfig | $( [ "$rawfig" = "—" ] && echo "—" || python3 -c "print('%.2f' % ($msgps / $rawfig))") | $single |"
}
row "one number" "$one" "$one_n" "$one_unique" "$one_events" "$one_order" "$raw_one" "$raw_one_single"
row "100 numbers" "$many" "$many_n" "$many_unique" "$many_events" "$many_order" "$raw_many" "—"
echo
echo "Each burst's measured window follows uncounted warm-up bursts of $WARMUP messages on the same engine, until its C2 compiler used less than ${BENCH_WARMUP_C2_PERCENT:-10} % of a core in one (at most ${BENCH_WARMUP_ROUNDS:-5}; each on standard error)."
for label in one many; do
  echo
  echo "**$([ $label = one ] && echo "One number" || echo "100 numbers")**, $(python3 bench/cpu_threads.py diff "$DATA/cpu-$label-before.json" "$DATA/cpu-$label-after.json")"
done
