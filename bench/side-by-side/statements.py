#!/usr/bin/env python3
"""Compares the statements the engine and the peer ran for one endpoint (pg_stat_statements).

usage: statements.py LABEL REQUESTS ENGINE.tsv PEER.tsv
each TSV: calls, mean exec ms, query, for one window of REQUESTS requests to one side. Statements
called fewer than REQUESTS/2 times are the engine's background work (pollers), not the request's.
Prints what each request ran, and exits 1 when the two sides did not run the same statements.
"""
import sys


def per_request(path, requests):
    found = {}
    for line in open(path):
        if not line.strip():
            continue
        calls, mean_ms, query = line.rstrip("\n").split("\t", 2)
        if int(calls) >= requests / 2:
            found[query] = (int(calls) / requests, float(mean_ms))
    return found


def short(query, width=110):
    return query if len(query) <= width else query[:width - 1] + "…"


def main():
    label, requests, engine_path, peer_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    engine, peer = per_request(engine_path, requests), per_request(peer_path, requests)
    same = set(engine) == set(peer) and all(
        abs(engine[q][0] - peer[q][0]) < 0.05 for q in engine)
    print("%s: %s (%d statements per request on the engine, %d on the peer)" % (
        label, "the engine and the peer run the same statements" if same
        else "THE ENGINE AND THE PEER RUN DIFFERENT STATEMENTS",
        round(sum(c for c, _ in engine.values())), round(sum(c for c, _ in peer.values()))))
    for query in sorted(set(engine) | set(peer)):
        e, p = engine.get(query), peer.get(query)
        print("  engine %s  peer %s  %s" % (
            "%.2f/req %.3f ms" % e if e else "       —        ",
            "%.2f/req %.3f ms" % p if p else "       —        ", short(query)))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
