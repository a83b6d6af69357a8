"""A bounded load test of `antitraffick-kg serve`: concurrent clients sending catalogue queries for a fixed time.

The real command is started on 127.0.0.1 (its filtering front and the oxigraph server behind it).  Each
client sends, in turn, every catalogue query with the example parameters of its header, bound as the
library binds them (a VALUES block), as a SPARQL protocol POST, and reads the whole answer.  Printed:
requests, throughput, p50/p99 latency, errors (any status but 200, or a failed connection: must be 0),
and the resident memory of the server (the command and its oxigraph process) at the start and the end.

Run: python benchmarks/bench_load.py [--clients 8] [--seconds 30] [--build-dir DIR]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from antitraffick_kg.ask.catalogue import catalogue
from antitraffick_kg.pipeline.build import build_plan
from antitraffick_kg.ask.query import bind_parameters
from antitraffick_kg.pipeline.sources import open_store
from antitraffick_kg.store.stores import with_values


def requests_of_the_catalogue(build_dir: Path) -> list[tuple[str, bytes]]:
    """(name, POST body) for every catalogue query, with its example parameters bound."""
    local = open_store("oxigraph", build_dir=build_dir)     # for parameters looked up in the plan
    bodies = []
    for q in catalogue():
        bindings = bind_parameters(q, q.example_params(), store=lambda: local)
        bodies.append((q.name, urllib.parse.urlencode({"query": with_values(q.text, bindings)}).encode()))
    return bodies


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MiB (Linux /proc)."""
    total = 0
    pids = [pid]
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        pids += [int(p) for p in fh.read().split()]
    for p in pids:
        with open(f"/proc/{p}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def client(port: int, bodies: list[tuple[str, bytes]], stop_at: float, offset: int,
           latencies: list[float], errors: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = offset
    while time.monotonic() < stop_at:
        name, body = bodies[i % len(bodies)]
        i += 1
        started = time.perf_counter()
        try:
            connection.request("POST", "/query", body=body,
                               headers={"Content-Type": "application/x-www-form-urlencoded",
                                        "Accept": "application/sparql-results+json"})
            answer = connection.getresponse()
            answer.read()
            if answer.status != 200:
                errors.append(f"{name}: HTTP {answer.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{name}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - started)
    connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--build-dir", type=Path, default=Path("build"))
    args = parser.parse_args()
    build_plan(out_dir=args.build_dir)
    bodies = requests_of_the_catalogue(args.build_dir)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", "serve", "--port", str(port),
                               "--build-dir", str(args.build_dir)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if not server.stdout.readline().startswith("SPARQL endpoint:"):
            raise SystemExit("serve did not start: " + server.stderr.read())
        time.sleep(0.5)
        memory_start = rss_mib(server.pid)
        latencies: list[float] = []
        errors: list[str] = []
        stop_at = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(port, bodies, stop_at, n * 3, latencies, errors))
                   for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        memory_end = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")
    print(f"machine: {os.cpu_count()} cores; {len(bodies)} catalogue queries in turn; "
          f"{args.clients} clients for {args.seconds:g} s")
    print(f"requests answered: {len(latencies)}   throughput: {len(latencies) / elapsed:.1f} queries/s")
    print(f"latency p50: {statistics.median(ordered) * 1000:.1f} ms   p99: {p99 * 1000:.1f} ms")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"server memory (serve + oxigraph, resident): start {memory_start:.0f} MiB, end {memory_end:.0f} MiB")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
