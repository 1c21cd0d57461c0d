#!/usr/bin/env bash
# Voice turns measured from outside the engine, in one command: starts the fat jar (built
# beforehand: mvn -B -q -DskipTests package) on a fresh data directory and a free port, then runs
# bench/voice-turns/VoiceTurns.java in its own process for
#   1. 1,000 live calls, each pausing 2 s between turns (the tail target),
#   2. the same calls back to back (capacity),
#   3. as many live sessions as fit, with paced turns on a sample of them,
# and prints markdown rows for docs/performance.md.
#
#   bench/voice-turns.sh                                   # all three; engine on -XX:+UseZGC
#   ENGINE_JAVA_OPTS="" bench/voice-turns.sh               # the engine's JVM options (G1 here)
#   ENGINE_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/voice-turns.sh
#   BENCH_TESTS="paced b2b" BENCH_SESSIONS=19000 bench/voice-turns.sh
#   BENCH_JAR=/path/to/other/agentphone-engine.jar bench/voice-turns.sh   # another build
#   ENGINE_JAVA_OPTS="-XX:+UseZGC -XX:StartFlightRecording=filename=/tmp/engine.jfr,settings=profile" \
#     BENCH_TESTS=paced bench/voice-turns.sh     # then: python3 bench/jfr_summary.py /tmp/engine.jfr
#
# File descriptors: each live call holds one socket in the engine (and one in the generator). The
# engine needs `ulimit -n` of at least sessions + about 1,000 (its jars, PostgreSQL connections,
# epoll); the script raises the soft limit to the hard one. 20,000 sessions need 21,000 or more.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/target/agentphone-engine.jar}
JAVA=${ENGINE_JAVA:-java}
GEN_JAVA=${GENERATOR_JAVA:-java}
TESTS=${BENCH_TESTS:-paced b2b sessions}
CALLS=${BENCH_CALLS:-1000}
TURNS=${BENCH_TURNS:-10}
THINK=${BENCH_THINK_MS:-2000}
B2B_CALLS=${BENCH_B2B_CALLS:-1000}
B2B_TURNS=${BENCH_B2B_TURNS:-30}
SESSIONS=${BENCH_SESSIONS:-19000}
STEP=${BENCH_STEP:-4750}
SAMPLE=${BENCH_SAMPLE:-1000}
# the README's run command uses ZGC; ENGINE_JAVA_OPTS="" runs the JVM's default collector
ENGINE_JAVA_OPTS=${ENGINE_JAVA_OPTS--XX:+UseZGC}
HDR=${HDR_JAR:-$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar}

log() { printf '[voice-turns %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[[ -f $JAR ]] || die "no $JAR: build it first (mvn -B -q -DskipTests package)"
if [[ ! -f $HDR ]]; then
  (cd "$ROOT" && mvn -B -q dependency:get -Dartifact=org.hdrhistogram:HdrHistogram:2.2.2) >&2 \
    || die "HdrHistogram 2.2.2 is not in the local Maven repository"
fi
ulimit -n "$(ulimit -Hn)"

WORK=$(mktemp -d /tmp/voice-turns.XXXXXX)
ENGINE_PID=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0)) && [[ -s $WORK/engine.log ]]; then
    log "last lines of the engine's log:"; tail -n 20 "$WORK/engine.log" >&2
  fi
  if [[ -n $ENGINE_PID ]]; then
    kill -TERM "$ENGINE_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ENGINE_PID" 2>/dev/null || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# the engine's configuration with the plan's call limits out of the way
mkdir -p "$WORK/engine/conf"
python3 - "$ROOT/conf/agentphone.json" "$WORK/engine/conf/agentphone.json" <<'EOF'
import json, sys
conf = json.load(open(sys.argv[1]))
limits = conf["plans"]["catalog"]["starter"]["limits"]
limits.update(concurrentCalls=1000000, voiceMinutesPerMonth=100000000, maxCallDurationMinutes=600)
json.dump(conf, open(sys.argv[2], "w"), indent=2)
EOF
cp "$ROOT/conf/cluster.xml" "$WORK/engine/conf/" 2>/dev/null || true

PORT=$(free_port)
PG_PORT=$(free_port)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
MACHINE="$(nproc) cores $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//; s/ [0-9]*-Core Processor//')"
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
log "engine: $JAVA_VERSION ${ENGINE_JAVA_OPTS:-(default JVM options)} on port $PORT"
# shellcheck disable=SC2086
(cd "$WORK/engine" && exec env AGENTPHONE_HTTP_PORT="$PORT" \
    AGENTPHONE_PUBLIC_URL="http://localhost:$PORT" AGENTPHONE_DATA_DIR="$WORK/engine/data" \
    AGENTPHONE_EMBEDDED_DB_PORT="$PG_PORT" \
    AGENTPHONE_RATE_LIMIT_RPS=0 AGENTPHONE_WEBHOOKS_ALLOW_PRIVATE=true \
    "$JAVA" ${ENGINE_JAVA_OPTS:-} -jar "$JAR") >"$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
for i in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
  kill -0 "$ENGINE_PID" 2>/dev/null || die "the engine exited while starting"
  sleep 0.2
done

POSTMASTER=$(head -1 "$(find "$WORK/engine/data" -name postmaster.pid | head -1)")

# CPU per thread (engine, generator, PostgreSQL) around each measured window: bench/cpu_threads.py
generate() {
  local label=${CPU_LABEL:-warm-up}
  BENCH_AROUND="python3 $ROOT/bench/cpu_threads.py around $WORK/cpu-$label engine=$ENGINE_PID postgres=$POSTMASTER pg=$PG_PORT" \
  ENGINE_PID=$ENGINE_PID "$GEN_JAVA" -Xss512k -cp "$JAR:$HDR" "$ROOT/bench/voice-turns/VoiceTurns.java" \
    "http://127.0.0.1:$PORT" "$@" | tee "$WORK/generator.out" >&2
}

# JIT warm-up, not reported: turns on a few hundred calls back to back, then paced with pings
# (the paced path's timers and pongs would otherwise be compiled inside the measured window)
log "warm-up: ${WARM_CALLS:=200} calls back to back, then paced"
generate b2b "$WARM_CALLS" "${WARM_TURNS:-20}" >/dev/null 2>&1
generate paced "$WARM_CALLS" "${WARM_PACED_TURNS:-8}" 400 >/dev/null 2>&1

ROWS=()
for test in $TESTS; do
  before=$(cut -d' ' -f1 /proc/loadavg)
  case $test in
    paced) log "$CALLS calls, $TURNS turns each, ${THINK} ms apart"
      CPU_LABEL=paced generate paced "$CALLS" "$TURNS" "$THINK" ;;
    b2b) log "$B2B_CALLS calls, $B2B_TURNS turns each, back to back"
      CPU_LABEL=b2b generate b2b "$B2B_CALLS" "$B2B_TURNS" ;;
    sessions) log "up to $SESSIONS sessions in steps of $STEP, then paced turns on $SAMPLE"
      generate sessions "$SESSIONS" "$STEP" "$SAMPLE" "$TURNS" "$THINK" ;;
    *) die "unknown test $test (paced, b2b, sessions)" ;;
  esac
  after=$(cut -d' ' -f1 /proc/loadavg)
  row=$(grep '^ROW ' "$WORK/generator.out" | tail -1 | sed 's/^ROW //')
  ROWS+=("$test|$before → $after|$row")
done

LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
# every call's LLM socket, warm-up included: on its session's event loop, or on another one
METRICS=$(curl -s "http://127.0.0.1:$PORT/metrics" || true)
count() { awk -v loop="$1" '$1 ~ "^agentphone_voice_sockets_total" && index($1, "loop=\"" loop "\"") { n += $2 } END { printf "%d", n }' <<<"$METRICS"; }
SHARED=$(count session); OTHER=$(count other)
LOOPS="LLM sockets on their session's event loop: $SHARED of $((SHARED + OTHER))"
OPTS=${ENGINE_JAVA_OPTS:-default}
echo
echo "Engine: Java $JAVA_VERSION, JVM options \`$OPTS\`; $DATE; $MACHINE; load average (1 min) $LOAD_START at the start, $LOAD_END at the end; \`ulimit -n\` $(ulimit -n); $LOOPS."
echo
for entry in "${ROWS[@]}"; do
  test=${entry%%|*}; rest=${entry#*|}; load=${rest%%|*}; row=${rest#*|}
  case $test in
    paced|b2b)
      [[ -n ${header_turns:-} ]] || { header_turns=1
        echo "| date | machine | load average | JVM options | run | calls | turns measured | turns/s | p50 | p99 | p99.9 | max | ping→pong p99 (same sockets) | engine CPU per turn | generator CPU per turn |"
        echo "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"; }
      echo "| $DATE | $MACHINE | $load | \`$OPTS\` $row" ;;
  esac
done
for test in paced b2b; do
  if [[ -f $WORK/cpu-$test-after.json ]]; then
    echo
    echo "**$test**, $(python3 "$ROOT/bench/cpu_threads.py" diff "$WORK/cpu-$test-before.json" "$WORK/cpu-$test-after.json")"
  fi
done
for entry in "${ROWS[@]}"; do
  test=${entry%%|*}; rest=${entry#*|}; load=${rest%%|*}; row=${rest#*|}
  if [[ $test == sessions ]]; then
    echo
    echo "| date | machine | load average | JVM options | \`ulimit -n\` | sessions | heap per session | sample | turn p50 | turn p99 | turn p99.9 |"
    echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
    echo "| $DATE | $MACHINE | $load | \`$OPTS\` | $(ulimit -n) $row"
  fi
done
