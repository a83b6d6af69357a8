"""A bounded load test of `antitraffick-kg serve`: concurrent clients sending catalogue queries for a fixed time.

The real command is started on 127.0.0.1 (its filtering front and the oxigraph server behind it).  Each
client sends, in turn, every catalogue query with the example parameters of its header, bound as the
library binds them (a VALUES block), as a SPARQL protocol POST, and reads the whole answer.  Printed:
requests, throughput, p50/p99 latency, errors (any status but 200, or a failed connection: must be 0),
and the resident memory of the server (the command and its oxigraph process) at the start and the end.

Two more cases (``--case``):

* ``soak``: the same clients for ``--minutes`` (10 by default), printing the server's resident memory at the
  start and after each minute, with the load average beside each figure: it must level off.
* ``slow``: ``--slow N`` connections (800) each send a request line and then one header line every
  ``--interval`` seconds (10), never ending the headers, against a server started with ``--read-timeout``
  and ``--max-connections`` (10 s, 100: the defaults); while they try, a normal query is sent each second.
  Printed: how many connections were refused (503, or closed before a byte was read) and how many were
  closed by the server for being slow, how many were still open at the end, and the slowest normal query
  (must be under 1 s).

Everything goes to 127.0.0.1 only, and each case stops by itself.

Run: python benchmarks/bench_load.py [--case load|soak|slow] [--clients 8] [--seconds 30] [--minutes 10]
     [--slow 800] [--interval 10] [--build-dir DIR]
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


def rss_split(pid: int) -> str:
    """Resident memory of ``pid`` (the command with its front) and of its children (the oxigraph server)."""
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        children = [int(p) for p in fh.read().split()]
    own = rss_mib(pid) - sum(rss_mib(c) for c in children)
    return f"front {own:.0f} MiB, oxigraph {sum(rss_mib(c) for c in children):.0f} MiB"


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


def load() -> str:
    return "load %.2f %.2f %.2f" % os.getloadavg()


def start_server(build_dir: Path, port: int, *more: str) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", "serve", "--port", str(port),
                               "--build-dir", str(build_dir), *more],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not server.stdout.readline().startswith("SPARQL endpoint:"):
        raise SystemExit("serve did not start: " + server.stderr.read())
    time.sleep(0.5)
    return server


def soak(args, bodies: list[tuple[str, bytes]]) -> None:
    port = free_port()
    server = start_server(args.build_dir, port)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        print(f"machine: {os.cpu_count()} cores; soak: {args.clients} clients sending the {len(bodies)} "
              f"catalogue queries in turn for {args.minutes:g} min")
        print(f"minute 0: server memory {rss_mib(server.pid):.0f} MiB ({rss_split(server.pid)})   ({load()})",
              flush=True)
        stop_at = time.monotonic() + args.minutes * 60
        threads = [threading.Thread(target=client, args=(port, bodies, stop_at, n * 3, latencies, errors))
                   for n in range(args.clients)]
        for t in threads:
            t.start()
        started, minute = time.monotonic(), 1
        while minute <= args.minutes:
            time.sleep(max(0.0, started + minute * 60 - time.monotonic()))
            print(f"minute {minute}: server memory {rss_mib(server.pid):.0f} MiB ({rss_split(server.pid)})   "
                  f"requests so far {len(latencies)}, errors {len(errors)}   ({load()})", flush=True)
            minute += 1
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"requests answered: {len(latencies)}   errors: {len(errors)}"
          + (f" (first: {errors[0]})" if errors else ""))
    if errors:
        raise SystemExit(1)


def slow_clients(args) -> None:
    port = free_port()
    server = start_server(args.build_dir, port, "--read-timeout", str(args.read_timeout),
                          "--max-connections", str(args.max_connections))
    outcome: dict[str, int] = {"refused": 0, "closed by the server": 0, "still open": 0, "could not connect": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def slow_one() -> None:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            with lock:
                outcome["could not connect"] += 1
            return
        kind = "still open"
        try:
            s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            s.settimeout(0.2)
            n = 0
            while time.monotonic() < stop_at:
                try:
                    data = s.recv(100)
                except TimeoutError:
                    data = None
                if data is not None:
                    kind = "refused" if data.startswith(b"HTTP/1.1 503") else "closed by the server"
                    break
                if time.monotonic() >= stop_at - args.seconds + (n + 1) * args.interval:
                    n += 1
                    s.sendall(f"X-Slow-{n}: 1\r\n".encode())
        except (ConnectionResetError, BrokenPipeError):
            kind = "closed by the server"
        except OSError:
            kind = "closed by the server"
        finally:
            s.close()
        with lock:
            outcome[kind] += 1

    def front_threads() -> int:
        with open(f"/proc/{server.pid}/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("Threads:"))

    normal: list[float] = []
    failures: list[str] = []
    most_threads = 0
    query = "/query?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    try:
        threads = [threading.Thread(target=slow_one, daemon=True) for _ in range(args.slow)]
        for t in threads:
            t.start()
        time.sleep(1)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", query, headers={"Accept": "application/sparql-results+json"})
                answer = connection.getresponse()
                answer.read()
                connection.close()
                if answer.status != 200:
                    failures.append(f"HTTP {answer.status}")
                else:
                    normal.append(time.perf_counter() - started)
            except OSError as exc:
                failures.append(str(exc))
            most_threads = max(most_threads, front_threads())
            time.sleep(1)
        for t in threads:
            t.join(timeout=10)
        memory = rss_mib(server.pid)
        threads_now = front_threads()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"machine: {os.cpu_count()} cores; slow clients: {args.slow} connections, a header line every "
          f"{args.interval:g} s for {args.seconds:g} s; serve --read-timeout {args.read_timeout:g} "
          f"--max-connections {args.max_connections}")
    print("connections: " + ", ".join(f"{k} {v}" for k, v in outcome.items()) + f"   ({load()})")
    worst = max(normal) if normal else float("nan")
    print(f"normal queries meanwhile: {len(normal)} answered, {len(failures)} failed"
          + (f" (first: {failures[0]})" if failures else "")
          + f"; slowest {worst * 1000:.0f} ms (must be under 1 s)   ({load()})")
    print(f"front threads: at most {most_threads} while they tried (sampled each second), {threads_now} at the end; "
          f"server {memory:.0f} MiB resident at the end   ({load()})")
    if failures or not normal or worst >= 1.0 or outcome["still open"]:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=("load", "soak", "slow"), default="load")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--minutes", type=float, default=10.0, help="soak: how long")
    parser.add_argument("--slow", type=int, default=800, help="slow: how many slow connections")
    parser.add_argument("--interval", type=float, default=10.0, help="slow: seconds between header lines")
    parser.add_argument("--read-timeout", type=float, default=10.0, help="slow: serve --read-timeout")
    parser.add_argument("--max-connections", type=int, default=100, help="slow: serve --max-connections")
    parser.add_argument("--build-dir", type=Path, default=Path("build"))
    args = parser.parse_args()
    if not 0 < args.minutes <= 60 or not 0 < args.seconds <= 600 or not 0 < args.slow <= 2000:
        raise SystemExit("bounded runs only: --minutes up to 60, --seconds up to 600, --slow up to 2000")
    build_plan(out_dir=args.build_dir)
    if args.case == "slow":
        return slow_clients(args)
    bodies = requests_of_the_catalogue(args.build_dir)
    if args.case == "soak":
        return soak(args, bodies)
    port = free_port()
    server = start_server(args.build_dir, port)
    try:
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
    print(f"requests answered: {len(latencies)}   throughput: {len(latencies) / elapsed:.1f} queries/s   ({load()})")
    print(f"latency p50: {statistics.median(ordered) * 1000:.1f} ms   p99: {p99 * 1000:.1f} ms   ({load()})")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"server memory (serve + oxigraph, resident): start {memory_start:.0f} MiB, end {memory_end:.0f} MiB"
          f"   ({load()})")
    if errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
