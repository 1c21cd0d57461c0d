#!/usr/bin/env python3
"""The webhook dispatch's steps over a window, from the engine's /metrics.

  dispatch_steps.py snap URL FILE          save the step counters now
  dispatch_steps.py diff BEFORE AFTER MS   markdown table of the batches between the two snaps

A step's "busy" is its batches' summed wall time over the window: 1.0 means one batch of that
step was in flight the whole time (a serial step that everything waits on), 2.0 two at once.
"""
import json
import re
import sys
import urllib.request

LINE = re.compile(r'^agentphone_webhooks_dispatch_(step_seconds|batch)_(count|sum)\{[^}]*step="(\w+)"[^}]*\}\s+(\S+)')


def snap(url, path):
    counters = {}
    with urllib.request.urlopen(url, timeout=10) as answer:
        for line in answer.read().decode().splitlines():
            m = LINE.match(line)
            if m:
                counters["%s %s %s" % (m.group(3), m.group(1), m.group(2))] = float(m.group(4))
    with open(path, "w") as out:
        json.dump(counters, out)


def diff(before_path, after_path, window_ms):
    before = json.load(open(before_path))
    after = json.load(open(after_path))
    window = float(window_ms) / 1000
    print("| step | batches | deliveries per batch | mean wall time of a batch | busy (batches in flight on average) |")
    print("|---|---:|---:|---:|---:|")
    for step in ("plan", "claim", "send", "record"):
        def delta(key):
            k = "%s %s" % (step, key)
            return after.get(k, 0.0) - before.get(k, 0.0)
        batches = delta("step_seconds count")
        if batches <= 0:
            print("| %s | 0 | | | |" % step)
            continue
        seconds = delta("step_seconds sum")
        size = delta("batch sum") / batches
        print("| %s | %d | %.1f | %.2f ms | %.2f |" % (step, batches, size, 1000 * seconds / batches, seconds / window))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3])
    else:
        diff(sys.argv[2], sys.argv[3], sys.argv[4])
