#!/usr/bin/env python3
"""Inbound SMS throughput: signed Twilio webhook posts against a running engine.

usage: bench/inbound_sms.py BASE_URL TO_NUMBER [TOTAL] [CONCURRENCY] [AUTH_TOKEN]
TO_NUMBER must be an active number; the auth token defaults to the sandbox one.
Every post carries a new MessageSid, so each one stores a message and its agent.message event.
"""
import base64, hashlib, hmac, http.client, sys, threading, time, urllib.parse, uuid

base, to = sys.argv[1], sys.argv[2]
total = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
workers = int(sys.argv[4]) if len(sys.argv) > 4 else 8
token = sys.argv[5] if len(sys.argv) > 5 else "sandbox-twilio-auth-token"
url = base.rstrip("/") + "/webhooks/twilio/sms"
parsed = urllib.parse.urlparse(url)
latencies, failures, lock = [], [0], threading.Lock()
counter = iter(range(total))

def sign(params):
    data = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()

def worker():
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    for i in counter:
        sid = "SM" + uuid.uuid4().hex
        params = {"MessageSid": sid, "From": "+1212555%04d" % (100 + i % 50), "To": to,
                  "Body": "bench message %d" % i, "NumMedia": "0", "AccountSid": "AC" + "0" * 32}
        body = urllib.parse.urlencode(params)
        started = time.perf_counter()
        conn.request("POST", parsed.path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "X-Twilio-Signature": sign(params)})
        response = conn.getresponse(); response.read()
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            if response.status != 200:
                failures[0] += 1

started = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(workers)]
[t.start() for t in threads]; [t.join() for t in threads]
wall = time.perf_counter() - started
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
print("%d messages, %d workers: %.0f msg/s, p50 %.1f ms, p99 %.1f ms, %d failures"
      % (total, workers, total / wall, pct(0.50), pct(0.99), failures[0]))
