#!/usr/bin/python3
"""Runs the peer as `uvicorn --workers N` would, with the TCP_NODELAY protocol of nodelay.py.

usage: serve.py --port PORT --database-url URL [--workers 2] [--pool-size 16]
                [--loop uvloop|asyncio] [--no-nodelay]
The uvicorn command line only takes a protocol by name, hence this launcher; it makes the same
uvicorn.run call as the CLI. --pool-size is the total over all workers, split evenly.
"""
import argparse
import os

import uvicorn

from nodelay import NoDelayHttpToolsProtocol  # beside this file, so on sys.path

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=16)
    parser.add_argument("--loop", default="uvloop", choices=["uvloop", "asyncio"])
    parser.add_argument("--no-nodelay", action="store_true",
                        help="stock httptools protocol, to show the delayed-ACK stall")
    args = parser.parse_args()

    os.environ["PEER_DATABASE_URL"] = args.database_url
    os.environ["PEER_POOL_SIZE"] = str(max(1, args.pool_size // args.workers))
    uvicorn.run("app:app", app_dir=HERE, host=args.host, port=args.port, workers=args.workers,
                loop=args.loop, http="httptools" if args.no_nodelay else NoDelayHttpToolsProtocol,
                lifespan="on", access_log=False, log_level="warning", server_header=False,
                date_header=False)


# spawned workers import this file again: only the launcher itself may start them
if __name__ == "__main__":
    main()
