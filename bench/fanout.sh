#!/usr/bin/env bash
# Fan-out of one call to many subscribers, live WebSocket (bench/live-fanout) and SSE transcript
# stream (bench/sse-fanout), each load generator in its own process. Starts the fat jar on a
# fresh data directory (its embedded PostgreSQL) and a free port with the rate limit off, runs
# each generator at 1 and at BENCH_SUBSCRIBERS subscribers, and prints markdown rows (with the
# engine's CPU time over each run, opening the subscribers included).
#
# usage: bench/fanout.sh
# environment:
#   BENCH_SUBSCRIBERS=1000 BENCH_TURNS=30   subscribers of the large round, caller turns per round
#   BENCH_WARMUP_TURNS=30                   turns driven first in each round and not counted, so
#                                           that both JVMs have compiled their hot paths
#   BENCH_WARMUP_ROUNDS=4 BENCH_WARMUP_C2_PERCENT=10
#                                           before each large round, uncounted rounds of the same
#                                           size until the engine's C2 compiler was busy for less
#                                           than that share of a core during one (at most so many)
#   BENCH_KINDS="ws sse"                    which streams to measure
#   ENGINE_JAVA_OPTS=-XX:+UseZGC            JVM options for the engine (the README's; add a JFR
#                                           recording here)
#   BENCH_JAR=target/agentphone-engine.jar  the engine's fat jar (also the generators' classpath)
#   BENCH_KEEP=1                            keep the temporary directory (engine log, data)
# The jar is built when missing. Everything started is stopped on exit, also on Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${BENCH_JAR:-$ROOT/target/agentphone-engine.jar}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-1000}
TURNS=${BENCH_TURNS:-30}
WARMUP=${BENCH_WARMUP_TURNS:-30}
ENGINE_JAVA_OPTS=${ENGINE_JAVA_OPTS:--XX:+UseZGC}
KINDS=${BENCH_KINDS:-ws sse}
WARMUP_ROUNDS=${BENCH_WARMUP_ROUNDS:-4}
WARMUP_C2_PERCENT=${BENCH_WARMUP_C2_PERCENT:-10}
WORK=$(mktemp -d /tmp/fanout.XXXXXX)
ENGINE_PID=""

log() { printf '[fanout %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $ENGINE_PID ]]; then
    kill -TERM "$ENGINE_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ENGINE_PID" 2>/dev/null || true
  fi
  ((status != 0)) && [[ -s $WORK/engine.log ]] && tail -n 20 "$WORK/engine.log" >&2
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[[ -f $JAR ]] || (cd "$ROOT" && mvn -B -q -DskipTests package)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOAD_AT_START=$(cut -d' ' -f1 /proc/loadavg)
DATE=$(date -u +%Y-%m-%d)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
MACHINE="$(nproc) cores, $CPU"

log "starting the engine on port $PORT"
AGENTPHONE_HTTP_PORT=$PORT AGENTPHONE_PUBLIC_URL=http://localhost:$PORT \
  AGENTPHONE_DATA_DIR=$WORK/data AGENTPHONE_RATE_LIMIT_RPS=0 \
  java ${ENGINE_JAVA_OPTS:-} -jar "$JAR" >"$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
for i in $(seq 1 600); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
  kill -0 "$ENGINE_PID" 2>/dev/null || { log "the engine exited while starting"; exit 1; }
  sleep 0.2
done

# the engine's CPU time so far (user + system), in ms: on a shared machine the cost of a run
# is steadier than its latency
engine_cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$ENGINE_PID/stat"
}

ROWS=()
run() { # kind (ws|sse), subscribers
  local kind=$1 n=$2 source out load_before load_after
  case $kind in
    ws) source=$ROOT/bench/live-fanout/LiveFanout.java ;;
    sse) source=$ROOT/bench/sse-fanout/SseFanout.java ;;
  esac
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  log "$kind, $n subscribers, $WARMUP warm-up turns, $TURNS turns"
  local cpu_before cpu
  cpu_before=$(engine_cpu_ms)
  out=$(java -cp "$JAR" "$source" "http://localhost:$PORT" "$n" "$TURNS" "$WARMUP" 2>&1 | tee -a /dev/stderr)
  cpu=$(( $(engine_cpu_ms) - cpu_before ))
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  local counts pct last=""
  if [[ $kind == ws ]]; then
    counts=$(sed -n 's/.*; \([0-9]*\) frames received (\([0-9]*\) expected.*; \([0-9]*\) subscribers dropped.*/\1 (\2) | \3/p' <<<"$out")
    pct=$(sed -n 's/^delivery latency ms: p50 \([0-9]*\)  p90 \([0-9]*\)  p99 \([0-9]*\)  max \([0-9]*\)/\1 ms | \2 ms | \3 ms | \4 ms/p' <<<"$out")
    ROWS+=("| $DATE | $MACHINE | $load_before → $load_after | WebSocket | $n | $counts | $pct | $((cpu / 1000)).$(( (cpu % 1000) / 100 )) s |")
  else
    counts=$(sed -n 's/.*; \([0-9]*\) turn events read (\([0-9]*\) expected); [0-9]* missing; \([0-9]*\) subscribers dropped/\1 (\2) | \3/p' <<<"$out")
    pct=$(sed -n 's/^per subscriber ms: p50 \([0-9.]*\)  p90 \([0-9.]*\)  p99 \([0-9.]*\)  max \([0-9.]*\)/\1 ms | \2 ms | \3 ms | \4 ms/p' <<<"$out")
    last=$(sed -n 's/^until the last subscriber ms: p50 \([0-9.]*\)  p90 \([0-9.]*\)  p99 \([0-9.]*\)  max \([0-9.]*\)/\1 ms | \3 ms/p' <<<"$out")
    SSE_ROWS+=("| $DATE | $MACHINE | $load_before → $load_after | SSE | $n | $counts | $pct | $last | $((cpu / 1000)).$(( (cpu % 1000) / 100 )) s |")
  fi
}
# Uncounted rounds of the large size until the engine's JIT has settled: on a fresh engine its C2
# compiler took as much CPU during a measured round as the fan-out itself, even after the round's
# own warm-up turns (the subscribers' opening and replay compile too)
WARMUPS=()
warm_up() { # kind, subscribers
  local kind=$1 n=$2 source c2_before t0 c2
  case $kind in
    ws) source=$ROOT/bench/live-fanout/LiveFanout.java ;;
    sse) source=$ROOT/bench/sse-fanout/SseFanout.java ;;
  esac
  for w in $(seq 1 "$WARMUP_ROUNDS"); do
    c2_before=$(python3 "$ROOT/bench/cpu_threads.py" seconds "$ENGINE_PID" "C2 Compiler")
    t0=$(date +%s%3N)
    java -cp "$JAR" "$source" "http://localhost:$PORT" "$n" "$TURNS" "$WARMUP" >/dev/null 2>&1
    c2=$(python3 -c "print(round(100 * ($(python3 "$ROOT/bench/cpu_threads.py" seconds "$ENGINE_PID" "C2 Compiler") - $c2_before) / (($(date +%s%3N) - $t0) / 1000)))")
    log "$kind warm-up round $w: C2 compiler $c2 % of a core"
    WARMUPS+=("$kind $w: C2 $c2 %")
    [ "$c2" -lt "$WARMUP_C2_PERCENT" ] && break
  done
}
SSE_ROWS=()
for kind in $KINDS; do
  run "$kind" 1
  ((WARMUP_ROUNDS > 0)) && warm_up "$kind" "$SUBSCRIBERS"
  run "$kind" "$SUBSCRIBERS"
done

echo
echo "load average at the start $LOAD_AT_START, at the end $(cut -d' ' -f1 /proc/loadavg); engine: $(java -version 2>&1 | head -1 | tr -d '"'), ${ENGINE_JAVA_OPTS:-no JVM options}; each round drove $WARMUP warm-up turns first, not counted; uncounted rounds of $SUBSCRIBERS before the measured one, until the engine's C2 compiler used less than $WARMUP_C2_PERCENT % of a core: ${WARMUPS[*]:-none}"
if ((${#ROWS[@]})); then
  echo
  echo "| date | machine | load average | stream | subscribers | frames (expected) | dropped | p50 | p90 | p99 | max | engine CPU |"
  echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
fi
if ((${#SSE_ROWS[@]})); then
  echo
  echo "| date | machine | load average | stream | subscribers | turn events (expected) | dropped | p50 | p90 | p99 | max | until the last p50 | until the last p99 | engine CPU |"
  echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${SSE_ROWS[@]}"
fi
