#!/usr/bin/env python3
"""Where the CPU went in a JFR recording, by thread group and by layer.

usage: jfr print --events jdk.ExecutionSample --stack-depth 96 REC.jfr > samples.txt
       bench/jfr_summary.py samples.txt
Only event-loop samples are split by layer (the engine's and the load generator's loops both
count: they share one JVM). Each sample is charged to the first frame (from the top of the stack) that matches a layer below,
so "json" means time inside JSON encoding wherever it was called from.
"""
import collections, re, sys

LAYERS = [
    ("load generator (bench)", ("dev.agentphone.bench.",)),
    ("json encode/decode", ("com.fasterxml.jackson.", "io.vertx.core.json.")),
    ("crypto (hash/hmac)", ("sun.security.", "javax.crypto.", "com.sun.crypto.")),
    ("pg client", ("io.vertx.pgclient.", "io.vertx.sqlclient.")),
    ("event bus", ("io.vertx.core.eventbus.",)),
    ("web router/handlers", ("io.vertx.ext.web.",)),
    ("engine code", ("dev.agentphone.",)),
    ("http codec (vertx/netty)", ("io.vertx.core.http.", "io.netty.handler.codec.http")),
    ("netty io/buffers", ("io.netty.",)),
    ("vertx core (futures, context)", ("io.vertx.core.",)),
    ("jdk other", ("java.", "jdk.", "sun.")),
]

text = open(sys.argv[1]).read()
threads, layers, total = collections.Counter(), collections.Counter(), 0
for event in text.split("jdk.ExecutionSample")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', event)
    if not m:
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
