#!/usr/bin/env python3
"""CPU per thread over a measured window, from /proc (a JFR profile sees only Java code).

  cpu_threads.py snap OUT engine=PID [generator=PID | receiver=PID ...] postgres=POSTMASTER_PID [pg=PORT]
      records utime+stime of every thread of each process (postgres: the postmaster and all
      of its children, named by their command line) into OUT; with pg=PORT also the server's
      commits, WAL flushes and rows written
  cpu_threads.py around PREFIX engine=PID postgres=POSTMASTER_PID WHEN GENERATOR_PID
      the same into PREFIX-WHEN.json, for a generator that calls it before and after its window
  cpu_threads.py diff BEFORE AFTER
      prints a markdown table: CPU seconds and share of one core over the window, per group
      (engine event loops one by one, C2, C1, GC, VM thread, workers, other; each other process
      named in the snapshots, such as generator=PID or receiver=PID, all its threads together;
      PostgreSQL's client backends, WAL writer, the rest)
  cpu_threads.py seconds PID PREFIX
      CPU seconds so far of the threads of PID whose name starts with PREFIX (e.g. "C2 Compiler")
"""
import json
import os
import re
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def ticks(stat_path):
    with open(stat_path) as f:
        stat = f.read()
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    return name, int(fields[11]) + int(fields[12]), int(fields[1])


def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name, used, _ = ticks(f"/proc/{pid}/task/{tid}/stat")
            out[tid] = (name, used)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def seconds(pid, prefix):
    """CPU seconds so far of the threads of {pid} whose name starts with {prefix}."""
    return sum(used for name, used in threads(pid).values() if name.startswith(prefix)) / TICK


def postgres(postmaster):
    out = {}
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        try:
            _, used, ppid = ticks(f"/proc/{pid}/stat")
            if pid != postmaster and str(ppid) != postmaster:
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
            out[pid] = (cmd, used)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return out


def database(port):
    """Commits, WAL flushes and rows written so far, from PostgreSQL's statistics."""
    out = subprocess.run(["psql", "-h", "localhost", "-p", port, "-U", "postgres", "-d",
                          "postgres", "-qAtX", "-F", " ", "-c",
                          "SELECT sum(xact_commit), (SELECT wal_sync FROM pg_stat_wal), "
                          "sum(tup_inserted), sum(tup_updated) FROM pg_stat_database"],
                         capture_output=True, text=True, env={**os.environ,
                                                              "PGPASSWORD": "postgres"})
    values = out.stdout.split()
    return dict(zip(["commits", "wal_syncs", "inserted", "updated"], map(int, values))) \
        if len(values) == 4 else {}


def snap(path, specs):
    data = {"at": time.time()}
    for spec in specs:
        role, pid = spec.split("=")
        data[role] = postgres(pid) if role == "postgres" else database(pid) \
            if role == "pg" else threads(pid)
    with open(path, "w") as f:
        json.dump(data, f)


ENGINE_GROUPS = [("C2 compiler", r"^C2 Compiler"), ("C1 compiler", r"^C1 Compiler"),
                 ("GC", r"^(GC Thread|G1 |GC |ZWorker|ZDriver|Shenandoah)"),
                 ("VM thread (safepoints)", r"^VM Thread"),
                 ("workers", r"^vert\.x-worker|^vert\.x-internal")]


def postgres_group(cmd):
    if re.search(r"walwriter|wal writer", cmd):
        return "WAL writer"
    if re.search(r"postgres: \S+ \S+ \S+\(?", cmd) and not re.search(
            r"checkpointer|background writer|autovacuum|logical replication|stats|archiver", cmd):
        return "client backends"
    return "other processes"


def diff(before_path, after_path, per=None):
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    seconds = after["at"] - before["at"]
    rows = []

    def used(role, key):
        a = after.get(role, {}).get(key)
        b = before.get(role, {}).get(key)
        return (a[1] - (b[1] if b else 0)) / TICK if a else 0.0

    groups, loops = {}, []
    for tid, (name, _) in after.get("engine", {}).items():
        cpu = used("engine", tid)
        if name.startswith("vert.x-eventloo"):
            loops.append(cpu)
            continue
        group = next((g for g, rx in ENGINE_GROUPS if re.search(rx, name)), "other threads")
        groups[group] = groups.get(group, 0.0) + cpu
    loops.sort(reverse=True)
    for i, cpu in enumerate(loops):
        if cpu >= 0.01:
            rows.append(("engine", f"event loop ({i + 1} of {len(loops)})", cpu))
    for group, _ in ENGINE_GROUPS + [("other threads", "")]:
        rows.append(("engine", group, groups.get(group, 0.0)))
    # the other processes (a load generator, a receiver): all their threads together
    for role in [r for r in after if r not in ("at", "engine", "postgres", "pg")]:
        rows.append((role, "all threads", sum(used(role, tid) for tid in after[role])))
    pg = {}
    for pid, (cmd, _) in after.get("postgres", {}).items():
        group = postgres_group(cmd)
        pg[group] = pg.get(group, 0.0) + used("postgres", pid)
    for group in ("client backends", "WAL writer", "other processes"):
        rows.append(("PostgreSQL", group, pg.get(group, 0.0)))
    total = sum(cpu for _, _, cpu in rows)
    print(f"CPU over the measured window ({seconds:.1f} s wall, {os.cpu_count()} cores, "
          f"{total:.1f} CPU-s in all = {total / seconds:.2f} cores busy):")
    print()
    print("| process | threads | CPU s | share of one core |")
    print("|---|---|---:|---:|")
    for process, group, cpu in rows:
        print(f"| {process} | {group} | {cpu:.2f} | {100 * cpu / seconds:.0f} % |")
    if per:
        by_process = {}
        for process, _, cpu in rows:
            by_process[process] = by_process.get(process, 0.0) + cpu
        print()
        print(f"CPU per delivery ({per} deliveries): " + ", ".join(
            f"{process} {1e6 * cpu / per:.0f} µs" for process, cpu in by_process.items()) + ".")
    if before.get("pg") and after.get("pg"):
        d = {k: after["pg"][k] - before["pg"][k] for k in after["pg"]}
        print()
        print(f"PostgreSQL over the window (whole server, statistics sent with some delay): "
              f"{d['commits']} commits, {d['wal_syncs']} WAL flushes, {d['inserted']} rows "
              f"inserted, {d['updated']} updated" + (
                  f"; per 1,000 deliveries: {1000 * d['commits'] / per:.0f} commits, "
                  f"{1000 * d['wal_syncs'] / per:.0f} WAL flushes." if per else "."))


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2], sys.argv[3:])
    elif sys.argv[1] == "around":
        snap(f"{sys.argv[2]}-{sys.argv[-2]}.json", sys.argv[3:-2] + [f"generator={sys.argv[-1]}"])
    elif sys.argv[1] == "seconds":
        print(f"{seconds(sys.argv[2], sys.argv[3]):.2f}")
    else:
        extra = dict(a.split("=") for a in sys.argv[4:])
        diff(sys.argv[2], sys.argv[3], int(extra["per"]) if "per" in extra else None)
