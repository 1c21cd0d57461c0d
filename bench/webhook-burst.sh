#!/usr/bin/env bash
# Webhook deliveries, out of process: the engine's fat jar on a fresh data directory (embedded
# PostgreSQL, fsync and synchronous commit on), a receiver in its own JVM that verifies the
# signature of every delivery (bench/webhook-burst/WebhookReceiver.java), and bursts of
# agent.message events committed at once in the engine's database (psql, one INSERT … SELECT
# generate_series and a NOTIFY, as a burst of inbound traffic commits them). Measures from the
# commit to the receiver's last verified delivery, then checks the delivery log: every delivery
# settled, each with its logged attempt. Warm-up bursts first, until the engine's JIT compiler
# has settled (printed). Prints markdown rows, with the CPU of every thread group of the engine,
# of the receiver and of PostgreSQL over the measured rounds (bench/cpu_threads.py).
#
#   bench/webhook-burst.sh
#   BENCH_EVENTS=20000 BENCH_WARMUP_EVENTS=10000 BENCH_WARMUP_ROUNDS=6 BENCH_ROUNDS=2 bench/webhook-burst.sh
#   ENGINE_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/wh.jfr,settings=profile" bench/webhook-burst.sh
#   BENCH_JAR=/path/to/other/agentphone-engine.jar bench/webhook-burst.sh   (another build, same run)
#   BENCH_PG_STATEMENTS=1 bench/webhook-burst.sh   (restarts the engine once with pg_stat_statements
#                                                   loaded; prints the statements of the window)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${BENCH_JAR:-target/agentphone-engine.jar}
EVENTS=${BENCH_EVENTS:-20000}
WARMUP=${BENCH_WARMUP_EVENTS:-10000}
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-6}
WARMUP_C2_PERCENT=${BENCH_WARMUP_C2_PERCENT:-10}
ROUNDS=${BENCH_ROUNDS:-2}
[ -f "$JAR" ] || mvn -B -q -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port)
PG_PORT=$(free_port)
RECEIVER_PORT=$(free_port)
DATA=$(mktemp -d)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
start_engine() {
  AGENTPHONE_HTTP_PORT=$HTTP_PORT AGENTPHONE_PUBLIC_URL=http://localhost:$HTTP_PORT \
    AGENTPHONE_DATA_DIR=$DATA AGENTPHONE_EMBEDDED_DB_PORT=$PG_PORT AGENTPHONE_RATE_LIMIT_RPS=0 \
    AGENTPHONE_WEBHOOKS_ALLOW_PRIVATE=true \
    java ${ENGINE_JAVA_OPTS:-} -jar "$JAR" >> "$DATA/engine.log" 2>&1 &
  ENGINE=$!
}
wait_engine() {
  for _ in $(seq 1 480); do
    curl -sf "http://localhost:$HTTP_PORT/health" > /dev/null && break
    sleep 0.5
  done
}
start_engine
if [ -n "${BENCH_PG_STATEMENTS:-}" ]; then
  # pg_stat_statements needs a server start with it preloaded: once the engine has initialised
  # the database, set it and start the engine (and so its PostgreSQL) again
  wait_engine
  PGPASSWORD=postgres psql -h localhost -p "$PG_PORT" -U postgres -d postgres -qAtX \
    -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
  kill "$ENGINE"; wait "$ENGINE" || true
  start_engine
  wait_engine
  PGPASSWORD=postgres psql -h localhost -p "$PG_PORT" -U postgres -d postgres -qAtX \
    -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" \
    -c "ALTER SYSTEM SET pg_stat_statements.track = 'all'" -c "SELECT pg_reload_conf()" > /dev/null
fi
java -cp "$JAR" bench/webhook-burst/WebhookReceiver.java "$RECEIVER_PORT" > "$DATA/receiver.log" 2>&1 &
RECEIVER=$!
cleanup() {
  kill "$ENGINE" "$RECEIVER" 2>/dev/null
  wait "$ENGINE" "$RECEIVER" 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 480); do
  curl -sf "http://localhost:$HTTP_PORT/health" > /dev/null && grep -q listening "$DATA/receiver.log" && break
  sleep 0.5
done
curl -sf "http://localhost:$HTTP_PORT/health" > /dev/null || { echo "engine did not start" >&2; tail "$DATA/engine.log" >&2; exit 1; }
grep -q listening "$DATA/receiver.log" || { echo "receiver did not start" >&2; cat "$DATA/receiver.log" >&2; exit 1; }
export PGPASSWORD=postgres
PSQL=(psql -h localhost -p "$PG_PORT" -U postgres -d postgres -qAtX)
API=http://localhost:$HTTP_PORT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

email="webhook-burst-$(date +%s%N)@example.com"
verification=$(curl -sS -X POST "$API/v0/agent/sign-up" -H 'Content-Type: application/json' \
  -d "{\"human_email\": \"$email\"}" | json "['verification_id']")
code=$(curl -sf "$API/sandbox/emails?to=$email" | json "['data'][0]['text']" | grep -o '\b[0-9]\{6\}\b' | head -1)
account=$(curl -sf -X POST "$API/v0/agent/verify" -H 'Content-Type: application/json' \
  -d "{\"verification_id\": \"$verification\", \"otp_code\": \"$code\"}")
key=$(json "['api_key']" <<< "$account")
account_id=$(json "['account_id']" <<< "$account")
agent_id=$(json "['agent_id']" <<< "$account")

# one burst of $2 events to a webhook of its own; prints "deliveries/s received unique bad"
burst() {
  local label=$1 n=$2 path secret start
  path="/burst-$label-$(date +%s%N)"
  secret=$(curl -sf -X POST "$API/v1/webhooks" -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' \
    -d "{\"url\": \"http://localhost:$RECEIVER_PORT$path\", \"contextLimit\": 0}" | json "['secret']")
  curl -sf -X POST "http://localhost:$RECEIVER_PORT/expect?path=$path" --data-raw "$secret" > /dev/null
  start=$(date +%s%3N)
  "${PSQL[@]}" -c "INSERT INTO events (id, account_id, agent_id, type, channel, data)
    SELECT 'evt_$label' || '_' || g, '$account_id', '$agent_id', 'agent.message', 'sms',
      jsonb_build_object('messageId', 'msg_$label' || '_' || g, 'conversationId', null,
        'from', '+14155550100', 'to', '+14155550199', 'message', 'bench message ' || g,
        'mediaUrl', null, 'mediaUrls', '[]'::jsonb, 'direction', 'inbound')
    FROM generate_series(1, $n) g; NOTIFY agentphone_events;"
  local stats received=0
  for _ in $(seq 1 3000); do
    stats=$(curl -sf "http://localhost:$RECEIVER_PORT/stats?path=$path")
    received=$(json "['unique']" <<< "$stats")
    [ "$received" -ge "$n" ] && break
    sleep 0.1
  done
  python3 -c "import json; s=json.loads('$stats'); print('%.0f %d %d %d' % ($n / ((s['lastMs'] - $start) / 1000.0), s['received'], s['unique'], s['bad']))"
}

# Warm-up: bursts of $WARMUP events until the engine's JIT has settled (its C2 compiler thread
# busy for less than $WARMUP_C2_PERCENT % of a burst's time), at most $WARMUP_ROUNDS bursts. A
# freshly started engine spends seconds of a core compiling, which is not what a running one pays.
warmups=()
for w in $(seq 1 "$WARMUP_ROUNDS"); do
  c2_before=$(python3 bench/cpu_threads.py seconds "$ENGINE" "C2 Compiler")
  t0=$(date +%s%3N)
  read -r rate _ <<< "$(burst "warm$w" "$WARMUP")"
  c2=$(python3 -c "print(round(100 * ($(python3 bench/cpu_threads.py seconds "$ENGINE" "C2 Compiler") - $c2_before) / (($(date +%s%3N) - $t0) / 1000)))")
  warmups+=("$w: $rate deliveries/s, C2 compiler $c2 % of a core")
  echo "warm-up burst ${warmups[-1]}" >&2
  [ "$c2" -lt "$WARMUP_C2_PERCENT" ] && break
done
POSTMASTER=$(head -1 "$DATA/postgres/postmaster.pid")
PROCESSES=(engine="$ENGINE" receiver="$RECEIVER" postgres="$POSTMASTER")
[ -z "${BENCH_PG_STATEMENTS:-}" ] || "${PSQL[@]}" -c "SELECT pg_stat_statements_reset()" > /dev/null
python3 bench/cpu_threads.py snap "$DATA/cpu-before.json" "${PROCESSES[@]}" pg="$PG_PORT"
WINDOW_START=$(date +%s%3N)
results=()
for round in $(seq 1 "$ROUNDS"); do
  results+=("$(burst "r$round" "$EVENTS")")
done
WINDOW_MS=$(( $(date +%s%3N) - WINDOW_START ))
python3 bench/cpu_threads.py snap "$DATA/cpu-after.json" "${PROCESSES[@]}" pg="$PG_PORT"
LOAD_ENGINE=$(cut -d' ' -f1 /proc/loadavg)
# the log settles just after the last delivery arrives
for _ in $(seq 1 100); do
  pending=$("${PSQL[@]}" -c "SELECT count(*) FROM webhook_deliveries WHERE account_id = '$account_id' AND status = 'pending'")
  [ "$pending" = 0 ] && break
  sleep 0.2
done
read -r deliveries unlogged attempts <<< "$("${PSQL[@]}" -F' ' -c "
  SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM webhook_attempts a
           WHERE a.delivery_id = d.id)),
         (SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries w ON w.id = a.delivery_id
           WHERE w.account_id = '$account_id')
  FROM webhook_deliveries d WHERE d.account_id = '$account_id'")"
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)

echo "Webhook deliveries, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), engine $(git rev-parse --short HEAD 2>/dev/null || echo '?'); load average (1 min) $LOAD_START at the start, $LOAD_ENGINE after the bursts, $LOAD_END at the end"
echo
echo "Warm-up bursts of $WARMUP events (not measured), until the engine's C2 compiler used less than $WARMUP_C2_PERCENT % of a core: ${warmups[*]}"
echo
echo "| round | events | signed deliveries/s (commit → last verified) | requests received | unique deliveries | bad signatures |"
echo "|---:|---:|---:|---:|---:|---:|"
round=1
for r in "${results[@]}"; do
  read -r rate received unique bad <<< "$r"
  echo "| $round | $EVENTS | $rate | $received | $unique | $bad |"
  round=$((round + 1))
done
echo
echo "| deliveries (all rounds and the warm-ups) | still pending | without a logged attempt | attempts logged |"
echo "|---:|---:|---:|---:|"
echo "| $deliveries | $pending | $unlogged | $attempts |"
echo
echo "**Measured rounds** (after the warm-up), $(python3 bench/cpu_threads.py diff "$DATA/cpu-before.json" "$DATA/cpu-after.json" per=$((EVENTS * ROUNDS)))"
if [ -n "${BENCH_PG_STATEMENTS:-}" ]; then
  echo
  echo "Statements over the measured rounds (pg_stat_statements, top-level and nested), per delivery:"
  echo
  echo "| calls | calls per 1,000 deliveries | rows per call | exec ms per 1,000 deliveries | WAL KB per 1,000 deliveries | statement |"
  echo "|---:|---:|---:|---:|---:|---|"
  "${PSQL[@]}" -F'|' -c "SELECT calls, round(calls * 1000.0 / $((EVENTS * ROUNDS)), 1),
      round(rows::numeric / greatest(calls, 1), 1),
      round((total_exec_time * 1000.0 / $((EVENTS * ROUNDS)))::numeric, 1),
      round(wal_bytes * 1000.0 / 1024 / $((EVENTS * ROUNDS)), 1),
      left(regexp_replace(query, '\s+', ' ', 'g'), 110)
    FROM pg_stat_statements WHERE calls > 1 ORDER BY total_exec_time DESC LIMIT 20" |
    sed 's/^/| /; s/$/ |/; s/|/ | /g; s/  */ /g; s/^ | //'
fi
