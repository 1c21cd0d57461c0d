#!/usr/bin/env python3
"""Where the CPU went in a JFR recording, by thread group and by layer.

usage: bench/jfr_summary.py REC.jfr [--from HH:MM:SS] [--to HH:MM:SS]
       (or the text of: jfr print --events jdk.ExecutionSample --stack-depth 96 REC.jfr)
--from/--to keep only the samples of one window (e.g. one round of bench/side-by-side.sh, whose
log lines give each round's end time).
Only event-loop samples are split by layer (the engine's and the load generator's loops both
count: they share one JVM). Each sample is charged to the first frame (from the top of the stack) that matches a layer below,
so "json" means time inside JSON encoding wherever it was called from.
"""
import argparse, collections, re, subprocess, sys

LAYERS = [
    ("load generator (bench)", ("dev.agentphone.bench.",)),
    ("json encode/decode", ("com.fasterxml.jackson.", "io.vertx.core.json.")),
    ("crypto (hash/hmac)", ("sun.security.", "javax.crypto.", "com.sun.crypto.")),
    ("pg client", ("io.vertx.pgclient.", "io.vertx.sqlclient.")),
    ("event bus", ("io.vertx.core.eventbus.",)),
    ("metrics", ("io.vertx.micrometer.", "io.micrometer.")),
    ("web router/handlers", ("io.vertx.ext.web.",)),
    ("engine code", ("dev.agentphone.",)),
    ("http codec (vertx/netty)", ("io.vertx.core.http.", "io.netty.handler.codec.http")),
    ("netty io/buffers", ("io.netty.",)),
    ("vertx core (futures, context)", ("io.vertx.core.",)),
    ("jdk other", ("java.", "jdk.", "sun.")),
]

arguments = argparse.ArgumentParser()
arguments.add_argument("recording")
arguments.add_argument("--from", dest="start", default="")
arguments.add_argument("--to", dest="end", default="99")
options = arguments.parse_args()
if options.recording.endswith(".jfr"):
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96",
                           options.recording], check=True, capture_output=True, text=True).stdout
else:
    text = open(options.recording).read()
threads, layers, total = collections.Counter(), collections.Counter(), 0
for event in text.split("jdk.ExecutionSample")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', event)
    at = re.search(r"startTime = ([\d:.]+)", event)
    if not m or (at and not options.start <= at.group(1) <= options.end):
        continue
    total += 1
    threads[re.sub(r"\d+", "N", m.group(1))] += 1
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    if "eventloop" not in m.group(1):
        continue
    layer = "jdk other"
    for frame in frames:
        hit = next((name for name, prefixes in LAYERS if frame.startswith(prefixes)), None)
        if hit and hit != "jdk other":
            layer = hit
            break
    layers[layer] += 1
print("%d samples" % total)
print("by thread:")
for name, n in threads.most_common(8):
    print("  %5.1f%%  %s" % (100.0 * n / total, name))
loops = sum(layers.values())
print("event-loop samples (engine and load generator) by layer, %d samples:" % loops)
for name, n in layers.most_common():
    print("  %5.1f%%  %s" % (100.0 * n / loops, name))
