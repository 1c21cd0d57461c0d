#!/usr/bin/env bash
# The engine, the FastAPI + asyncpg peer (bench/peer) and raw PostgreSQL (pgbench) on the same
# reads, the same data and the same PostgreSQL server, in one run, with the load generator in its
# own process. Prints one table and writes it as markdown.
#
# usage: bench/side-by-side.sh [OUTPUT.md]        (default target/bench/side-by-side.md)
# environment:
#   BENCH_WARMUP=10 BENCH_SECONDS=10   seconds of the warm-up round and of the reported round
#   BENCH_LEVELS="16 64"               connections (wrk) and clients (pgbench)
#   BENCH_ENDPOINTS="agents conversations" BENCH_SIDES="engine peer raw"   a subset, to explore
#   BENCH_CONVERSATIONS=200            conversations seeded through the sandbox SMS path
#   BENCH_POOL_SIZE=16                 database connections of the engine and of the peer in all
#   BENCH_PEER_WORKERS=2               uvicorn worker processes
#   ENGINE_JAVA_OPTS=                  JVM options for the engine
#   PEER_LIST_MODE, PEER_POOL_RESET    passed on to the peer (see bench/peer/app.py)
#   BENCH_KEEP=1                       keep the temporary directory (logs, database) for a look
#   PG_BIN=/usr/lib/postgresql/15/bin  Debian's PostgreSQL 15
# Missing Debian packages (wrk, postgresql-15, python3-fastapi, python3-asyncpg, python3-uvicorn,
# python3-uvloop, python3-httptools) are installed with apt-get. The engine's jar is built when it
# is missing or older than the sources. Everything started is stopped and the temporary directory
# removed on exit, also on Ctrl-C or a failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HELPERS=$ROOT/bench/side-by-side
OUT=${1:-$ROOT/target/bench/side-by-side.md}
WARMUP=${BENCH_WARMUP:-10}
MEASURE=${BENCH_SECONDS:-10}
LEVELS=${BENCH_LEVELS:-16 64}
ENDPOINTS=${BENCH_ENDPOINTS:-agents conversations}
SIDES=${BENCH_SIDES:-engine peer raw}
CONVERSATIONS=${BENCH_CONVERSATIONS:-200}
POOL_SIZE=${BENCH_POOL_SIZE:-16}
PEER_WORKERS=${BENCH_PEER_WORKERS:-2}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Debian's interpreter: the python3-* packages install for it, not for another python3 on PATH
PY=/usr/bin/python3
JAR=$ROOT/target/agentphone-engine.jar
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)

log() { printf '[side-by-side %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ------------------------------------------------------------------ packages

need_packages() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  [[ -x $PG_BIN/postgres && -x $PG_BIN/pgbench ]] || missing+=(postgresql-15)
  command -v curl >/dev/null || missing+=(curl)
  [[ -x $PY ]] || missing+=(python3)
  local module package
  for module in fastapi:python3-fastapi asyncpg:python3-asyncpg uvicorn:python3-uvicorn \
      uvloop:python3-uvloop httptools:python3-httptools; do
    package=${module#*:}
    [[ -x $PY ]] && $PY -c "import ${module%%:*}" 2>/dev/null || missing+=("$package")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    local sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -q "${missing[@]}" >/dev/null \
      || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; }
  fi
}

# ------------------------------------------------------------------ cleanup

WORK=$(mktemp -d /tmp/side-by-side.XXXXXX)
ENGINE_PID="" PEER_PID="" PG_STARTED=""

as_postgres() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pid() { # pid, seconds to wait after SIGTERM; then SIGKILL
  local pid=$1 wait=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0)); then
    for f in engine.log peer.log pg.log; do
      [[ -s $WORK/$f ]] && { log "last lines of $f:"; tail -n 15 "$WORK/$f" >&2; }
    done
  fi
  if [[ -n $PEER_PID ]]; then
    # uvicorn's supervisor and its workers share the process group started by setsid
    kill -TERM -- "-$PEER_PID" 2>/dev/null || true
    stop_pid "$PEER_PID" 10
    kill -KILL -- "-$PEER_PID" 2>/dev/null || true
  fi
  [[ -n $ENGINE_PID ]] && stop_pid "$ENGINE_PID" 40
  [[ -n $PG_STARTED ]] && as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

json_field() { # field; JSON on stdin
  $PY -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

wait_http() { # url, seconds, pid that must stay alive
  local url=$1 seconds=$2 pid=$3 i
  for ((i = 0; i < seconds * 5; i++)); do
    curl -s -o /dev/null "$url" && return 0
    kill -0 "$pid" 2>/dev/null || die "process $pid exited while starting ($url)"
    sleep 0.2
  done
  die "$url did not answer within $seconds s"
}

# ------------------------------------------------------------------ PostgreSQL

start_postgres() {
  PG_PORT=$(free_port)
  if [[ $(id -u) == 0 ]]; then chown postgres "$WORK"; fi
  as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >/dev/null
  # the engine's embedded server's settings (max_connections 200, fsync and synchronous_commit
  # on); pg_stat_statements is loaded for the statements check and tracks nothing otherwise. In
  # the file, not on the command line, so that ALTER SYSTEM can switch the tracking on and off.
  cat >>"$WORK/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
max_connections = 200
fsync = on
synchronous_commit = on
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = none
EOF
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o "-p $PG_PORT -k $WORK" \
    start >/dev/null
  PG_STARTED=1
  PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
  DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  psql_q "CREATE EXTENSION pg_stat_statements" >/dev/null
  PG_VERSION=$(psql_q "SHOW server_version")
  PG_SETTINGS="fsync=$(psql_q "SHOW fsync"), synchronous_commit=$(psql_q "SHOW synchronous_commit"), shared_buffers=$(psql_q "SHOW shared_buffers"), max_connections=$(psql_q "SHOW max_connections")"
  log "PostgreSQL $PG_VERSION on port $PG_PORT ($PG_SETTINGS)"
}

psql_q() { "$PG_BIN/psql" -X -q -At -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "$1"; }

# ------------------------------------------------------------------ engine

build_engine() {
  if [[ -f $JAR ]] && [[ -z $(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit) ]]; then
    return
  fi
  log "building the engine (mvn -B -q -DskipTests package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package) >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; die "the build failed"; }
}

start_engine() {
  ENGINE_PORT=$(free_port)
  mkdir -p "$WORK/engine"
  # its own working directory: the jar's conf/agentphone.json, then these overrides; the rate
  # limit is off so that every request is served
  (cd "$WORK/engine" && exec env AGENTPHONE_HTTP_PORT="$ENGINE_PORT" \
      AGENTPHONE_PUBLIC_URL="http://localhost:$ENGINE_PORT" AGENTPHONE_DATA_DIR="$WORK/engine/data" \
      AGENTPHONE_DATABASE_URL="$DATABASE_URL" AGENTPHONE_DATABASE_POOL_SIZE="$POOL_SIZE" \
      AGENTPHONE_RATE_LIMIT_RPS=0 AGENTPHONE_PROVIDERS=sandbox \
      java ${ENGINE_JAVA_OPTS:-} -jar "$JAR") >"$WORK/engine.log" 2>&1 &
  ENGINE_PID=$!
  wait_http "http://127.0.0.1:$ENGINE_PORT/health" 120 "$ENGINE_PID"
  ENGINE=http://127.0.0.1:$ENGINE_PORT
  log "engine on port $ENGINE_PORT (pid $ENGINE_PID)"
}

# ------------------------------------------------------------------ seed data, through the API

api() { # method, path, [json body]
  local args=(-s -f -X "$1" "$ENGINE$2" -H "Authorization: Bearer $KEY")
  [[ $# -ge 3 ]] && args+=(-H 'content-type: application/json' -d "$3")
  curl "${args[@]}"
}

seed() {
  local email="bench-reads@example.com" verification code account
  verification=$(curl -s -f -X POST "$ENGINE/v0/agent/sign-up" -H 'content-type: application/json' \
    -d "{\"human_email\": \"$email\", \"agent_name\": \"Bench\"}" | json_field verification_id)
  code=$(curl -s -f "$ENGINE/sandbox/emails?to=$email" \
    | $PY -c 'import json, re, sys; print(re.search(r"\b(\d{6})\b", json.load(sys.stdin)["data"][0]["text"]).group(1))')
  account=$(curl -s -f -X POST "$ENGINE/v0/agent/verify" -H 'content-type: application/json' \
    -d "{\"verification_id\": \"$verification\", \"otp_code\": \"$code\"}")
  KEY=$(json_field api_key <<<"$account")
  ACCOUNT_ID=$(json_field account_id <<<"$account")
  AGENT_ID=$(json_field agent_id <<<"$account")
  local first_number second_number
  first_number=$(json_field phone_number <<<"$account")
  # a second number on the agent, so the agent's answer carries a list of two
  second_number=$(api POST /v1/numbers "{\"agentId\": \"$AGENT_ID\"}" | json_field phoneNumber)

  # conversations: one customer each, texting through the signed Twilio webhook path; a quarter
  # of them to the second number
  local i to
  for ((i = 1; i <= CONVERSATIONS; i++)); do
    to=$first_number
    ((i % 4 == 0)) && to=$second_number
    printf '%s %s %s\n' "$(printf '+1212555%04d' "$i")" "$to" "$i"
  done >"$WORK/sms.txt"
  KEY=$KEY ENGINE=$ENGINE xargs -P 4 -L 1 sh -c 'curl -s -f -o /dev/null -X POST "$ENGINE/sandbox/sms" \
      -H "Authorization: Bearer $KEY" -H "content-type: application/json" \
      -d "{\"from\": \"$0\", \"to\": \"$1\", \"body\": \"Hello, this is customer $2. Are you open today?\"}" \
      || { echo "sandbox SMS $2 failed" >&2; exit 255; }' <"$WORK/sms.txt"
  # metadata on the newest three, so the page carries JSON objects as well as nulls
  local ids id
  ids=$(api GET "/v1/conversations?limit=3" | $PY -c 'import json, sys; print(" ".join(c["id"] for c in json.load(sys.stdin)["data"]))')
  for id in $ids; do
    api PATCH "/v1/conversations/$id" '{"metadata": {"customer": {"name": "Zoë Ortega", "tier": "gold"}, "score": 4.5, "open": true, "tags": ["vip", "callback"], "visits": 3}}' >/dev/null
  done
  # the numbers the first page names, for pgbench's copy of the engine's third statement
  NUMBER_IDS=$(api GET "/v1/conversations?limit=20" | $PY -c 'import json, sys; print(",".join(sorted({c["phoneNumberId"] for c in json.load(sys.stdin)["data"]})))')
  local total
  total=$(api GET "/v1/conversations?limit=1" | json_field total)
  [[ $total == "$CONVERSATIONS" ]] || die "seeded $total conversations, not $CONVERSATIONS"
  log "seeded account $ACCOUNT_ID: agent $AGENT_ID with 2 numbers, $total conversations"
}

# ------------------------------------------------------------------ peer

start_peer() {
  PEER_PORT=$(free_port)
  setsid "$PY" "$ROOT/bench/peer/serve.py" --port "$PEER_PORT" --database-url "$DATABASE_URL" \
    --workers "$PEER_WORKERS" --pool-size "$POOL_SIZE" >"$WORK/peer.log" 2>&1 &
  PEER_PID=$!
  wait_http "http://127.0.0.1:$PEER_PORT/v1/agents/none" 60 "$PEER_PID"
  PEER=http://127.0.0.1:$PEER_PORT
  log "peer on port $PEER_PORT (pid $PEER_PID, $PEER_WORKERS workers)"
}

# ------------------------------------------------------------------ checks before measuring

# The same request to both sides must get the same status and the same bytes.
compare_answers() {
  local paths=("/v1/agents/$AGENT_ID" "/v1/conversations?limit=20&offset=0"
    "/v1/conversations?limit=20&offset=20" "/v1/conversations?limit=100&offset=150"
    "/v1/conversations?limit=20&offset=$((CONVERSATIONS - 5))" "/v1/agents/agt_none")
  local path auth failed=0 e p
  for path in "${paths[@]}"; do
    for auth in "Bearer $KEY" "Bearer sk_live_wrong" ""; do
      e=$(curl -s -w '\n%{http_code}' "$ENGINE$path" ${auth:+-H "Authorization: $auth"})
      p=$(curl -s -w '\n%{http_code}' "$PEER$path" ${auth:+-H "Authorization: $auth"})
      if [[ $e != "$p" ]]; then
        failed=1
        log "different answers for $path (${auth:0:12}…):"
        printf '  engine: %s\n  peer:   %s\n' "${e//$'\n'/ → }" "${p//$'\n'/ → }" >&2
      fi
    done
  done
  ((failed == 0)) || die "the engine and the peer answer differently"
  log "same status and bytes from both sides for ${#paths[@]} paths × 3 kinds of authorization"
}

# pg_stat_statements over one window per side and endpoint: which statements one request runs
check_statements() {
  local requests=200 label path side url i
  : >"$WORK/statements.txt"
  psql_q "ALTER SYSTEM SET pg_stat_statements.track = 'top'" >/dev/null
  psql_q "SELECT pg_reload_conf()" >/dev/null
  sleep 0.5
  local ok=1
  for label in agents conversations; do
    case $label in
      agents) path="/v1/agents/$AGENT_ID" ;;
      conversations) path="/v1/conversations?limit=20&offset=0" ;;
    esac
    for side in engine peer; do
      [[ $side == engine ]] && url=$ENGINE$path || url=$PEER$path
      # every worker's key cache filled first, so the window holds the steady state only
      for ((i = 0; i < 8; i++)); do curl -s -o /dev/null "$url" -H "Authorization: Bearer $KEY"; done
      psql_q "SELECT pg_stat_statements_reset()" >/dev/null
      for ((i = 0; i < requests; i++)); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done \
        >"$WORK/curl.cfg"
      curl -s -K "$WORK/curl.cfg" -H "Authorization: Bearer $KEY"
      psql_q "COPY (SELECT calls, round(mean_exec_time::numeric, 4), regexp_replace(query, '\s+', ' ', 'g') FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%') TO STDOUT" \
        >"$WORK/statements-$label-$side.tsv"
    done
    local name="GET /v1/agents/{id}"
    [[ $label == conversations ]] && name="GET /v1/conversations?limit=20"
    $PY "$HELPERS/statements.py" "$name" "$requests" "$WORK/statements-$label-engine.tsv" \
      "$WORK/statements-$label-peer.tsv" >>"$WORK/statements.txt" || ok=0
  done
  psql_q "ALTER SYSTEM SET pg_stat_statements.track = 'none'" >/dev/null
  psql_q "SELECT pg_reload_conf()" >/dev/null
  cat "$WORK/statements.txt" >&2
  ((ok)) || log "WARNING: the peer no longer runs the engine's statements; update bench/peer/queries.py"
}

# uvicorn's own socket never gets TCP_NODELAY on the stock asyncio loop: a single connection
# shows it at once (about 40 ms a request instead of about 1 ms)
check_nodelay() {
  local line p50
  line=$(BENCH_KEY=$KEY wrk -t1 -c1 -d2s -s "$HELPERS/auth.lua" "$PEER/v1/agents/$AGENT_ID" | grep '^RESULT')
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
  NODELAY_NOTE="peer on one connection: p50 $p50 ms"
  if $PY -c "import sys; sys.exit(0 if float('$p50') < 20 else 1)"; then
    log "no delayed-ACK stall on the peer ($NODELAY_NOTE)"
  else
    log "WARNING: the peer looks delayed-ACK bound ($NODELAY_NOTE)"
  fi
}

# ------------------------------------------------------------------ the rounds

cpu_snapshot() { # server pid (or 0)
  local args=("pg=$PG_PID")
  [[ $1 != 0 ]] && args+=("server=$1")
  $PY "$HELPERS/cputime.py" "${args[@]}" | tr '\n' ' '
}

cpu_of() { # name, snapshot text
  sed -E "s/.*$1 ([0-9.]+).*/\1/" <<<"$2"
}

# one round: endpoint, connections, side, round number, seconds
run_round() {
  local endpoint=$1 connections=$2 side=$3 round=$4 seconds=$5
  local server_pid=0 url before after timing rps requests p50 p99 errors non2xx line
  case $side in
    engine) server_pid=$ENGINE_PID url=$ENGINE ;;
    peer) server_pid=$PEER_PID url=$PEER ;;
  esac
  before=$(cpu_snapshot "$server_pid")
  TIMEFORMAT='%U %S'
  if [[ $side == raw ]]; then
    { time "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M simple -D prepared=0 \
        -c "$connections" -j 2 -T "$seconds" -f "$WORK/$endpoint.pgbench" postgres \
        >"$WORK/round.out" 2>&1; } 2>"$WORK/time.out"
    rps=$(sed -nE 's/^tps = ([0-9.]+) \(without initial connection time\)/\1/p' "$WORK/round.out")
    requests=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$WORK/round.out")
    errors=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$WORK/round.out")
    [[ -n $rps && -n $requests ]] || { cat "$WORK/round.out" >&2; die "pgbench failed"; }
    p50="" p99="" non2xx=0 errors=${errors:-0}
  else
    local path="/v1/agents/$AGENT_ID"
    [[ $endpoint == conversations ]] && path="/v1/conversations?limit=20&offset=0"
    { time env BENCH_KEY="$KEY" wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s \
        -s "$HELPERS/auth.lua" "$url$path" >"$WORK/round.out" 2>&1; } 2>"$WORK/time.out"
    line=$(grep '^RESULT' "$WORK/round.out") || { cat "$WORK/round.out" >&2; die "wrk failed"; }
    requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
    non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$line")
  fi
  after=$(cpu_snapshot "$server_pid")
  local load_cpu server_cpu="" pg_cpu
  load_cpu=$(awk '{print $1 + $2}' "$WORK/time.out" | tail -1)
  pg_cpu=$(awk -v a="$(cpu_of pg "$after")" -v b="$(cpu_of pg "$before")" 'BEGIN {print a - b}')
  if [[ $server_pid != 0 ]]; then
    server_cpu=$(awk -v a="$(cpu_of server "$after")" -v b="$(cpu_of server "$before")" 'BEGIN {print a - b}')
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$endpoint" "$connections" \
    "$side" "$round" "$requests" "$seconds" "$rps" "$p50" "$p99" "$errors" "$non2xx" \
    "$server_cpu" "$pg_cpu" "$load_cpu" >>"$WORK/results.tsv"
  log "$(printf '%-13s c=%-3s %-6s round %s: %8.0f/s  p99 %s ms  errors %s/%s' "$endpoint" \
    "$connections" "$side" "$round" "$rps" "${p99:-–}" "$errors" "$non2xx")"
}

# pgbench scripts: the same statements as the engine, prepared once per connection (PREPARE,
# then EXECUTE with the request's values; pgbench cannot pass a real NULL as a bind parameter)
write_pgbench_scripts() {
  local -A sql
  local name text
  while IFS=$'\t' read -r name text; do sql[$name]=$text; done < <($PY "$ROOT/bench/peer/queries.py")
  cat >"$WORK/agents.pgbench" <<EOF
\if :prepared = 0
PREPARE agent_get AS ${sql[AGENT_SQL]};
PREPARE agent_numbers AS ${sql[NUMBERS_SQL]};
\set prepared 1
\endif
EXECUTE agent_get('$ACCOUNT_ID', '$AGENT_ID');
EXECUTE agent_numbers('$ACCOUNT_ID', '{$AGENT_ID}');
EOF
  # the engine sends the page and the total at once (one message carries both here), then reads
  # the page's numbers
  cat >"$WORK/conversations.pgbench" <<EOF
\if :prepared = 0
PREPARE conversations_page AS ${sql[PAGE_SQL]};
PREPARE conversations_total AS ${sql[TOTAL_SQL]};
PREPARE conversations_numbers AS ${sql[SUMMARIES_SQL]};
\set prepared 1
\endif
EXECUTE conversations_page('$ACCOUNT_ID', NULL, 20, 0) \; EXECUTE conversations_total('$ACCOUNT_ID', NULL);
EXECUTE conversations_numbers('$ACCOUNT_ID', '{$NUMBER_IDS}');
EOF
}

# ------------------------------------------------------------------ main

need_packages
mkdir -p "$(dirname "$OUT")"
build_engine
start_postgres
start_engine
seed
start_peer
compare_answers
check_statements
check_nodelay
write_pgbench_scripts

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "load average before the rounds: $LOAD_BEFORE"
: >"$WORK/results.tsv"
for endpoint in $ENDPOINTS; do
  for connections in $LEVELS; do
    for side in $SIDES; do
      run_round "$endpoint" "$connections" "$side" 1 "$WARMUP"
      run_round "$endpoint" "$connections" "$side" 2 "$MEASURE"
    done
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# the table's endpoint names
sed -i -e 's|^agents\t|GET /v1/agents/{id}\t|' \
  -e 's|^conversations\t|GET /v1/conversations?limit=20\t|' "$WORK/results.tsv"
cp "$WORK/results.tsv" "${OUT%.md}.tsv"

cpu_model=$(sed -nE 's/^model name\s*: (.*)/\1/p' /proc/cpuinfo | head -1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo ", uncommitted changes" || true)
cat >"$WORK/meta.txt" <<EOF
command: bench/side-by-side.sh (BENCH_WARMUP=$WARMUP BENCH_SECONDS=$MEASURE BENCH_LEVELS="$LEVELS")
date: $STARTED_AT; engine at commit $commit$dirty
machine: $(nproc) cores, $cpu_model, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); $(uname -sr)
load average (1, 5, 15 min): $LOAD_AT_START at the start, $LOAD_BEFORE before the first round, $LOAD_AFTER after the last
PostgreSQL $PG_VERSION, one server for all three sides ($PG_SETTINGS), $CONVERSATIONS conversations seeded through the API
engine: $(java -version 2>&1 | head -1 | tr -d '"'), ${ENGINE_JAVA_OPTS:-no JVM options}, pool of $POOL_SIZE connections, rate limit off
peer: FastAPI $($PY -c 'import fastapi; print(fastapi.__version__)') + asyncpg $($PY -c 'import asyncpg; print(asyncpg.__version__)') on uvicorn $($PY -c 'import uvicorn; print(uvicorn.__version__)') ($PEER_WORKERS workers, uvloop, httptools, TCP_NODELAY; $NODELAY_NOTE), pool of $POOL_SIZE connections in all
raw: pgbench with the same statements prepared on each connection, as many clients as connections, 2 threads
load generator: wrk 2 threads, its own process; reported: the second round of $MEASURE s, after a warm-up round of $WARMUP s against the same side
EOF
$PY "$HELPERS/report.py" "$WORK/results.tsv" "$WORK/meta.txt" "$WORK/statements.txt" "$OUT"
