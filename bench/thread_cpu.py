#!/usr/bin/env python3
"""CPU per thread and per process over a window, from /proc (what a JFR profile cannot see:
JIT compiler and GC threads, system calls, other processes such as PostgreSQL or a receiver).

usage: bench/thread_cpu.py snap NAME=PID [NAME=PID ...] > before.json
       ... the measured window ...
       bench/thread_cpu.py snap NAME=PID [NAME=PID ...] > after.json
       bench/thread_cpu.py diff before.json after.json SECONDS
       bench/thread_cpu.py seconds PID THREAD_NAME_PREFIX   (CPU seconds so far of those threads)

Each NAME=PID is a process tree: the process and all its descendants (an embedded PostgreSQL's
backends are the engine's grandchildren, so name a JVM's PostgreSQL by its postmaster's pid to
see it apart). `diff` prints a markdown table: per tree, its CPU seconds and share of one core
over the window, then its busiest thread groups (thread names with their numbers folded, e.g.
"vert.x-eventloop-thread-#") and, for a tree of several processes, its processes by name.
Threads or processes that started and ended inside the window are not counted.
"""
import json, os, re, sys
from collections import defaultdict

HZ = os.sysconf("SC_CLK_TCK")


def ticks(path):
    with open(path) as f:
        text = f.read()
    # comm may hold spaces and parentheses: it ends at the last ')'
    comm = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return comm, int(fields[11]) + int(fields[12]), int(fields[1]), int(fields[13]) + int(fields[14])


def label(pid, comm):
    """A PostgreSQL process by its role (its title): backend, walwriter, checkpointer, ..."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            title = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return comm
    if title.startswith("postgres: "):
        role = title[len("postgres: "):]
        return "postgres backend" if "(" in role else "postgres " + fold(role.split(" ")[0])
    return comm


def processes():
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                comm, _, parent, _ = ticks(f"/proc/{entry}/stat")
                found[int(entry)] = (label(entry, comm), parent)
            except (OSError, ValueError):
                pass
    return found


def tree(root, table):
    children = defaultdict(list)
    for pid, (_, parent) in table.items():
        children[parent].append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def snap(specs):
    table = processes()
    result = {}
    for spec in specs:
        name, pid = spec.split("=")
        procs = {}
        for p in tree(int(pid), table):
            threads = {}
            try:
                for tid in os.listdir(f"/proc/{p}/task"):
                    comm, t, _, _ = ticks(f"/proc/{p}/task/{tid}/stat")
                    threads[tid] = [comm, t]
                reaped = ticks(f"/proc/{p}/stat")[3]
            except OSError:
                continue
            procs[str(p)] = {"comm": table[p][0], "threads": threads, "reaped": reaped}
        result[name] = procs
    json.dump(result, sys.stdout)


def fold(name):
    # numbers of a pool's members go; "C1"/"C2"/"G1" stay
    return re.sub(r"(?<![A-Z])\d+", "#", name)


def diff(before_file, after_file, seconds):
    before = json.load(open(before_file))
    after = json.load(open(after_file))
    print(f"| process (tree) | thread group / process | CPU s in {seconds:.1f} s | share of one core |")
    print("|---|---|---:|---:|")
    for name, procs in after.items():
        groups, by_proc, total = defaultdict(int), defaultdict(int), 0
        for pid, proc in procs.items():
            if pid in before.get(name, {}):
                # children that ended in the window (autovacuum workers, ...), reaped by this one
                gone = proc["reaped"] - before[name][pid]["reaped"]
                if gone:
                    by_proc["ended children of " + proc["comm"]] += gone
                    groups["(ended child processes)"] += gone
                    total += gone
            old = before.get(name, {}).get(pid, {}).get("threads", {})
            for tid, (comm, t) in proc["threads"].items():
                if tid not in old:
                    continue
                used = t - old[tid][1]
                groups[fold(comm)] += used
                by_proc[proc["comm"]] += used
                total += used
        print(f"| **{name}** | all threads | **{total / HZ:.2f}** | **{total / HZ / seconds:.0%}** |")
        for group, used in sorted(groups.items(), key=lambda g: -g[1])[:8]:
            if used:
                print(f"| {name} | {group} | {used / HZ:.2f} | {used / HZ / seconds:.0%} |")
        if len(by_proc) > 1:
            for comm, used in sorted(by_proc.items(), key=lambda g: -g[1]):
                if used:
                    print(f"| {name} | process {comm} | {used / HZ:.2f} | {used / HZ / seconds:.0%} |")


def seconds(pid, prefix):
    used = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm, t, _, _ = ticks(f"/proc/{pid}/task/{tid}/stat")
        except OSError:
            continue
        if comm.startswith(prefix):
            used += t
    print(f"{used / HZ:.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        snap(sys.argv[2:])
    elif sys.argv[1] == "seconds":
        seconds(int(sys.argv[2]), sys.argv[3])
    else:
        diff(sys.argv[2], sys.argv[3], float(sys.argv[4]))
