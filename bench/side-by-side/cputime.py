#!/usr/bin/env python3
"""CPU seconds (user + system) used so far by process trees, from /proc.

usage: cputime.py NAME=PID [NAME=PID ...]
prints one line "NAME SECONDS" per tree: the process and all its living descendants, so a
PostgreSQL server counts its backends and uvicorn counts its workers. Take it before and after a
window and subtract. A descendant that has exited is counted through its parent's children time
(cutime, cstime) once the parent has reaped it, as the postmaster does for each backend, so the
backends of pgbench's connections count too.
"""
import os
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def processes():
    """pid -> (parent pid, own and reaped children's cpu ticks) for every process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        # the command name is in parentheses and may itself contain spaces or parentheses
        fields = stat[stat.rindex(")") + 2:].split()
        table[int(entry)] = (int(fields[1]), sum(int(t) for t in fields[11:15]))
    return table


def tree_ticks(table, root):
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        if pid in table:
            total += table[pid][1]
        todo.extend(children.get(pid, []))
    return total


def main():
    table = processes()
    for arg in sys.argv[1:]:
        name, pid = arg.split("=", 1)
        print("%s %.2f" % (name, tree_ticks(table, int(pid)) / TICKS))


if __name__ == "__main__":
    main()
