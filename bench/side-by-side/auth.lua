-- wrk script: the bearer key from BENCH_KEY on every request; at the end one line
--   RESULT requests=N seconds=S rps=R p50_ms=.. p99_ms=.. p999_ms=.. max_ms=.. errors=E non2xx=N
-- (wrk's own summary is printed above it; bench/side-by-side.sh reads only this line).
local key = os.getenv("BENCH_KEY")
if key == nil or key == "" then
  error("BENCH_KEY is not set")
end
wrk.headers["Authorization"] = "Bearer " .. key

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
