#!/usr/bin/env python3
"""The side-by-side table, for the terminal and as markdown, from the runs' raw results.

usage: report.py RESULTS.tsv META.txt STATEMENTS.txt OUT.md
RESULTS.tsv: endpoint, connections, side (engine|peer|raw), round, requests, seconds, rps,
p50_ms, p99_ms, errors, non2xx, cpu_server_s, cpu_pg_s, cpu_load_s (tab separated, no header).
META.txt: "key: value" lines printed above the table as they are.
STATEMENTS.txt: the statements check's lines, printed below it.
Only the last round of each (endpoint, connections, side) is reported: the earlier ones warm up.
"""
import sys

FIELDS = ["endpoint", "connections", "side", "round", "requests", "seconds", "rps", "p50_ms",
          "p99_ms", "errors", "non2xx", "cpu_server_s", "cpu_pg_s", "cpu_load_s"]
LEFT = {"endpoint", "connections", "side"}


def load(path):
    last = {}
    for line in open(path):
        if not line.strip():
            continue
        row = dict(zip(FIELDS, line.rstrip("\n").split("\t")))
        key = (row["endpoint"], int(row["connections"]), row["side"])
        if key not in last or int(row["round"]) >= int(last[key]["round"]):
            last[key] = row
    return last


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def rate(row):
    if row is None:
        return "—"
    value = "{:,.0f}".format(float(row["rps"]))
    if int(row["errors"]) or int(row["non2xx"]):
        value += " (!%s err)" % (int(row["errors"]) + int(row["non2xx"]))
    return value


def p99(row):
    return "—" if row is None or number(row["p99_ms"]) is None else "%.1f ms" % float(row["p99_ms"])


def ratio(a, b):
    if a is None or b is None or not float(b["rps"]):
        return "—"
    return "%.2f×" % (float(a["rps"]) / float(b["rps"]))


def per_request_ms(row, field):
    if row is None or number(row.get(field)) is None or not int(row["requests"]):
        return "—"
    return "%.2f" % (1000.0 * float(row[field]) / int(row["requests"]))


def tables(results):
    endpoints, seen = [], set()
    for endpoint, connections, _ in results:
        if (endpoint, connections) not in seen:
            seen.add((endpoint, connections))
            endpoints.append((endpoint, connections))
    main = [["endpoint", "connections", "engine req/s", "engine p99", "peer req/s", "peer p99",
             "engine/peer", "raw tps", "engine/raw"]]
    cpu = [["endpoint", "connections", "side", "server CPU ms/req", "PostgreSQL CPU ms/req",
            "load generator CPU ms/req"]]
    for endpoint, connections in endpoints:
        engine = results.get((endpoint, connections, "engine"))
        peer = results.get((endpoint, connections, "peer"))
        raw = results.get((endpoint, connections, "raw"))
        main.append([endpoint, str(connections), rate(engine), p99(engine), rate(peer), p99(peer),
                     ratio(engine, peer), rate(raw), ratio(engine, raw)])
        for side, row in (("engine", engine), ("peer", peer), ("raw", raw)):
            if row is not None:
                cpu.append([endpoint, str(connections), side,
                            per_request_ms(row, "cpu_server_s") if side != "raw" else "—",
                            per_request_ms(row, "cpu_pg_s"), per_request_ms(row, "cpu_load_s")])
    return main, cpu


def plain(table):
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = []
    for n, row in enumerate(table):
        cells = [cell.ljust(w) if table[0][i] in LEFT else cell.rjust(w)
                 for i, (cell, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(table):
    head = "| " + " | ".join(table[0]) + " |"
    align = "|" + "|".join("---" if name in LEFT else "---:" for name in table[0]) + "|"
    rows = ["| " + " | ".join(("`%s`" % c if i == 0 else c) for i, c in enumerate(row)) + " |"
            for row in table[1:]]
    return "\n".join([head, align] + rows)


def main():
    results_path, meta_path, statements_path, out_path = sys.argv[1:5]
    results = load(results_path)
    meta = [line.rstrip("\n") for line in open(meta_path) if line.strip()]
    statements = [line.rstrip("\n") for line in open(statements_path) if line.strip()]
    main_table, cpu_table = tables(results)

    print()
    for line in meta:
        print(line)
    print()
    print(plain(main_table))
    print()
    print("CPU per request in the reported round (the engine/peer process tree, the PostgreSQL "
          "server with its backends, wrk or pgbench):")
    print(plain(cpu_table))
    if statements:
        print()
        for line in statements:
            print(line)

    with open(out_path, "w") as out:
        out.write("### API reads side by side\n\n")
        for line in meta:
            out.write("- " + line + "\n")
        out.write("\n" + markdown(main_table) + "\n\n")
        out.write("CPU per request in the reported round (the engine or peer process tree, the "
                  "PostgreSQL server with its backends, wrk or pgbench):\n\n")
        out.write(markdown(cpu_table) + "\n")
        if statements:
            out.write("\nStatements per request (pg_stat_statements, %s):\n\n" %
                      "one short window per side and endpoint")
            out.write("```\n" + "\n".join(statements) + "\n```\n")
    print()
    print("markdown: " + out_path)


if __name__ == "__main__":
    main()
