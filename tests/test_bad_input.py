"""Bad input through the real command line, in its own process.

Every case must end with exactly one ``Error: …`` line on standard error and
the documented exit code, print no traceback, change no file, finish within a
time limit, and open no connection: a listener on 127.0.0.1 records every
connection made to it, and the command's HTTP proxy settings point at it too,
so a request to any other host would reach it as well.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import require

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SMALL = DATA / "reasoning" / "small.ttl"


class Listener:
    """A TCP server on 127.0.0.1 that accepts connections, records them and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.sock.accept()
                self.connections.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def listener():
    ear = Listener()
    yield ear
    ear.close()


class _Answers(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint that answers every query with the body and type it was given."""

    body = b""
    kind = "application/sparql-results+json"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", self.kind)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        return


@contextlib.contextmanager
def endpoint_answering(body: bytes, kind: str):
    handler = type("Handler", (_Answers,), {"body": body, "kind": kind})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def _snapshot(*folders: Path) -> dict[str, str]:
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def cli(args: list[str], *, cwd: Path, proxy: Listener | None = None, env: dict[str, str] | None = None,
        limit: float = 20.0) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``antitraffick-kg ARGS`` as a user would; the result and the seconds it took."""
    environment = dict(os.environ, **(env or {}))
    if proxy is not None:
        for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            environment[name] = proxy.url
        environment.pop("no_proxy", None)
        environment.pop("NO_PROXY", None)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "antitraffick_kg", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=limit + 30)
    return done, time.monotonic() - started


def assert_one_error_line(done: subprocess.CompletedProcess, *, code: int, says: str) -> None:
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert says in lines[0], lines[0]


@pytest.fixture
def inputs(tmp_path) -> Path:
    """A folder with the files the cases read, and a regular file where the cases put folders."""
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    shutil.copy(SMALL, tmp_path / "small.ttl")
    (tmp_path / "triple.nt").write_text('<http://example.org/a> <http://example.org/b> "c" .\n', encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes("德宏州反拐行动计划\n".encode("gbk"))
    return tmp_path


# -- queries that would reach other servers -------------------------------------------
def _rq(folder: Path, name: str, text: str) -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


def test_service_is_refused_on_every_embedded_store(inputs, listener, build_dir):
    service = _rq(inputs, "service.rq", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    hidden = _rq(inputs, "hidden.rq", "PREFIX far: <" + listener.url + ">\nSELECT * WHERE { ?a ?b ?c "
                 "OPTIONAL { SERVICE SILENT far: { ?s ?p ?o } } }\n")
    variable = _rq(inputs, "variable.rq", "SELECT * WHERE { ?a ?b ?c SERVICE ?where { ?s ?p ?o } }\n")
    # a comment line ended by a carriage return: the cheap test must not take the SERVICE after it for comment
    (inputs / "return.rq").write_bytes(f"# just a comment\rSELECT * WHERE {{ SERVICE <{listener.url}> {{ }} }}\n"
                                       .encode())
    loads = _rq(inputs, "from.rq", f"SELECT * FROM <{listener.url}graph> WHERE {{ ?s ?p ?o }}\n")
    cases = [([service], f"SERVICE <{listener.url}> is not allowed"),
             ([service, "--engine", "rdflib"], f"SERVICE <{listener.url}> is not allowed"),
             ([hidden, "--engine", "rdflib"], f"SERVICE <{listener.url}> is not allowed"),
             ([variable], "SERVICE with a variable endpoint is refused"),
             (["return.rq"], f"return.rq: SERVICE <{listener.url}> is not allowed"),
             ([loads, "--engine", "rdflib"], f"FROM <{listener.url}graph> would make this store download")]
    before = _snapshot(inputs, build_dir)
    for args, says in cases:
        done, seconds = cli(["query", *args, "--build-dir", str(build_dir)], cwd=inputs, proxy=listener)
        assert_one_error_line(done, code=2, says=says)
        assert seconds < 20
    assert listener.connections == []
    assert _snapshot(inputs, build_dir) == before


def test_from_names_a_graph_of_the_oxigraph_store_and_fetches_nothing(inputs, listener, build_dir):
    loads = _rq(inputs, "from.rq", f"SELECT * FROM <{listener.url}graph> WHERE {{ ?s ?p ?o }}\n")
    done, _ = cli(["query", loads, "--build-dir", str(build_dir)], cwd=inputs, proxy=listener)
    assert done.returncode == 0 and done.stderr == "" and "(0 rows)" in done.stdout
    assert listener.connections == []


@pytest.mark.parametrize("store", ["oxigraph", "rdflib"])
def test_an_allowed_service_that_never_answers_is_given_up_after_the_timeout(inputs, listener, build_dir, store):
    service = _rq(inputs, "service.rq", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    done, seconds = cli(["query", service, "--engine", store, "--allow-service", listener.url, "--timeout", "0.5",
                         "--build-dir", str(build_dir)], cwd=inputs)
    assert_one_error_line(done, code=2, says="did not answer within 0.5 s")
    assert len(listener.connections) == 1          # the user allowed this one
    # the listener never answers: without --timeout kept to, the command would wait SERVICE_TIMEOUT seconds or
    # more; what it takes beyond 0.5 s is starting a process and loading the plan (some seconds on rdflib while
    # the other tests share the cores)
    from antitraffick_kg.store.stores import SERVICE_TIMEOUT

    assert seconds < SERVICE_TIMEOUT


def test_an_allowed_service_answers(inputs, build_dir):
    answer = json.dumps({"head": {"vars": ["x"]},
                         "results": {"bindings": [{"x": {"type": "literal", "value": "远方"}}]}}).encode()
    with endpoint_answering(answer, "application/sparql-results+json") as url:
        service = _rq(inputs, "service.rq", f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}\n")
        for store in ("oxigraph", "rdflib"):
            done, _ = cli(["query", service, "--engine", store, "--allow-service", url, "-f", "csv",
                           "--build-dir", str(build_dir)], cwd=inputs)
            assert done.returncode == 0, done.stderr
            assert done.stdout.splitlines() == ["x", "远方"]


# -- remote endpoints -----------------------------------------------------------------
def test_endpoint_timeout_is_kept_to(inputs, listener):
    done, seconds = cli(["query", "units", "--endpoint", listener.url, "--timeout", "0.3"], cwd=inputs)
    assert_one_error_line(done, code=2, says="did not answer within 0.3 s")
    assert seconds < 5


def test_endpoint_answers_are_checked(inputs):
    other = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
    with endpoint_answering(other, "application/sparql-results+json") as url:
        done, _ = cli(["query", "units", "--endpoint", url], cwd=inputs)
    assert_one_error_line(done, code=2, says="answered units with columns x; the query asks for")
    with endpoint_answering(b"<html><body>maintenance</body></html>", "text/html") as url:
        done, _ = cli(["query", "units", "--endpoint", url], cwd=inputs)
    assert_one_error_line(done, code=2, says="did not answer with SPARQL JSON results (it sent text/html)")


# -- outputs that cannot be written -------------------------------------------------------
def _unwritable(inputs: Path) -> list[str]:
    places = [str(inputs / "a-file" / "out")]
    if os.path.isdir("/proc"):
        places.append("/proc/antitraffick-kg-out")        # read-only even for root
    return places


def test_outputs_that_cannot_be_written_fail_before_the_work(inputs, listener, build_dir):
    before = _snapshot(inputs, build_dir)
    for place in _unwritable(inputs):
        cases = [(["build", "--build-dir", place], 5), (["export", "-o", place + ".ttl"], 5),
                 (["query", "units", "--build-dir", str(build_dir), "-o", place + ".csv"], 5),
                 (["validate", "-o", place + ".txt", "--build-dir", str(build_dir)], 5),
                 (["audit", "-o", place + ".txt", "--build-dir", str(build_dir)], 5),
                 (["reason", "--build-dir", place], 5)]
        for args, limit in cases:
            done, seconds = cli(args, cwd=inputs, proxy=listener)
            assert_one_error_line(done, code=2, says=place)
            assert seconds < limit, (args, seconds)
    assert listener.connections == []
    assert _snapshot(inputs, build_dir) == before


# -- inputs that are not what they seem ---------------------------------------------------------
def test_files_that_are_not_what_the_command_needs(inputs, listener):
    (inputs / "remote.jsonld").write_text(json.dumps({"@context": listener.url + "context.jsonld",
                                                      "@id": "http://example.org/a", "name": "b"}), encoding="utf-8")
    (inputs / "empty.rq").write_text("# title: nothing\n\n", encoding="utf-8")
    before = _snapshot(inputs)
    cases = [(["validate", "small.ttl", "small.ttl"], "small.ttl: given twice"),
             (["validate", "small.ttl", str(inputs / "small.ttl")], f"{inputs / 'small.ttl'}: given twice (as small.ttl)"),
             (["audit", "triple.nt"], "no plan to audit in triple.nt: it holds no task"),
             (["validate", "remote.jsonld"], "remote contexts"),
             (["import", "gbk.txt"], "this looks like GBK/GB18030"),
             (["query", "tasks-due", "-p", "year=٢٠٢٣"], "is not a year"),
             (["query", "--no-such-option"], "No such option '--no-such-option'"),
             (["query", "empty.rq"], "empty.rq: the query is empty"),
             (["no-such-command"], "No such command 'no-such-command'")]
    for args, says in cases:
        done, seconds = cli(args, cwd=inputs, proxy=listener)
        assert_one_error_line(done, code=2, says=says)
        assert seconds < 20
    assert listener.connections == []
    assert _snapshot(inputs) == before


def test_a_broken_java_is_named_in_one_line(inputs, tmp_path_factory):
    bin_dir = tmp_path_factory.mktemp("bin")
    java = bin_dir / "java"
    java.write_text("#!/bin/sh\necho 'Error: could not find libjvm.so' >&2\nexit 1\n", encoding="utf-8")
    java.chmod(0o755)
    done, seconds = cli(["reason", "--data", "small.ttl"], cwd=inputs,
                        env={"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"})
    assert_one_error_line(done, code=2, says="does not run (exit code 1: Error: could not find libjvm.so)")
    assert seconds < 10


def test_owl_imports_are_never_fetched(inputs, listener):
    require(shutil.which("java") is not None, "a Java runtime for HermiT")
    text = SMALL.read_text(encoding="utf-8") + (
        f"<https://example.org/reasoning/> a <http://www.w3.org/2002/07/owl#Ontology> ;\n"
        f"    <http://www.w3.org/2002/07/owl#imports> <{listener.url}ontology.ttl> .\n")
    (inputs / "imports.ttl").write_text(text, encoding="utf-8")
    done, seconds = cli(["reason", "--data", "imports.ttl"], cwd=inputs, proxy=listener, limit=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""                      # no progress lines in a pipe
    assert f"owl:imports <{listener.url}ontology.ttl> not fetched" in done.stdout
    assert listener.connections == []


# -- serve ------------------------------------------------------------------------------
def _oxigraph() -> None:
    from antitraffick_kg.errors import EndpointError
    from antitraffick_kg.store.stores import oxigraph_binary

    try:
        oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))


def test_serve_on_a_port_in_use_says_so(inputs):
    _oxigraph()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done, seconds = cli(["serve", "--port", str(port)], cwd=inputs)
    assert_one_error_line(done, code=2, says=f"port {port} on 127.0.0.1 is in use")
    assert seconds < 10


def _ask(url: str, text: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode({"query": text}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_never_runs_a_service_it_was_not_given(inputs, listener, build_dir):
    _oxigraph()
    allowed = json.dumps({"head": {"vars": ["x"]},
                          "results": {"bindings": [{"x": {"type": "literal", "value": "允许"}}]}}).encode()
    with endpoint_answering(allowed, "application/sparql-results+json") as far, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        process = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", "serve", "--port", str(port),
                                    "--build-dir", str(build_dir), "--allow-service", far],
                                   cwd=inputs, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert process.stdout.readline().startswith("SPARQL endpoint:")
            url = f"http://127.0.0.1:{port}/query"
            status, body = _ask(url, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
            assert status == 403 and f"SERVICE <{listener.url}> is not allowed" in body.decode()
            status, body = _ask(url, "SELECT * WHERE { SERVICE ?anywhere { ?s ?p ?o } }")
            assert status == 403
            status, _ = _ask(url, f"# a comment\rSELECT * WHERE {{ SERVICE <{listener.url}> {{ }} }}")
            assert status in (400, 403)          # refused, whichever way the comment is read
            get = url + "?" + urllib.parse.urlencode({"query": f"ASK {{ SERVICE <{listener.url}> {{ }} }}"})
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(get, timeout=30)
            assert refused.value.code == 403
            status, body = _ask(url, f"SELECT ?x WHERE {{ SERVICE <{far}> {{ ?s ?p ?x }} }}")
            assert status == 200 and "允许" in body.decode()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                assert page.status == 200 and b"<html" in page.read().lower()
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert listener.connections == []


# -- in process: the contract of the exit codes ------------------------------------------------
def test_an_unexpected_failure_is_a_bug_report_line_with_exit_3(monkeypatch):
    from click.testing import CliRunner

    import antitraffick_kg.ask.catalogue as catalogue
    from antitraffick_kg.cli.main import main

    def broken():
        raise KeyError("a bug")

    monkeypatch.setattr(catalogue, "catalogue", broken)
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "this is a bug" in result.stderr and "--debug" in result.stderr
    result = CliRunner().invoke(main, ["--debug", "queries"])
    assert isinstance(result.exception, KeyError)


def test_full_width_years_give_the_same_rows_on_every_store(build_dir):
    from antitraffick_kg import query

    for store in ("oxigraph", "rdflib"):
        plain = query("tasks-due", params={"year": "2023"}, store=store, build_dir=build_dir)
        wide = query("tasks-due", params={"year": "２０２３"}, store=store, build_dir=build_dir)
        assert len(plain) > 0 and wide.rows == plain.rows, store


def test_a_build_stopped_half_way_leaves_no_stamp_and_no_temporary_file(tmp_path, build_dir):
    from antitraffick_kg.errors import OutputError
    from antitraffick_kg.pipeline.build import build_plan, built_nquads

    out = tmp_path / "build"
    shutil.copytree(build_dir, out)
    (out / "dehong-2022-2030.nq").unlink()
    (out / "dehong-2022-2030.nq").mkdir()         # the third file of the set cannot be replaced
    with pytest.raises(OutputError):
        build_plan(out_dir=out)
    assert not (out / "dehong-2022-2030.stamp").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    (out / "dehong-2022-2030.nq").rmdir()
    (out / "dehong-2022-2030.nq").write_bytes(b"")   # an old, wrong file: without a stamp it is not read
    assert built_nquads(out_dir=out) == (build_dir / "dehong-2022-2030.nq").read_bytes()


def test_ctrl_c_during_build_leaves_a_whole_set_or_no_stamp(tmp_path, build_dir):
    import signal

    out = tmp_path / "build"
    shutil.copytree(build_dir, out)
    process = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", "build", "--build-dir", str(out)],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.0)                                   # importing or writing by now
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    if process.returncode == 0:                       # finished first: a whole new set
        assert (out / "dehong-2022-2030.stamp").is_file()
        return
    if process.returncode == -signal.SIGINT:          # on a loaded machine, still starting (before the command
        # could catch it, Python ends by the signal, as it does for any program it runs): nothing touched
        assert stderr == "" or stderr.rstrip().endswith("KeyboardInterrupt"), stderr
        assert (out / "dehong-2022-2030.stamp").is_file()
        assert all((out / f"dehong-2022-2030{s}").read_bytes() == (build_dir / f"dehong-2022-2030{s}").read_bytes()
                   for s in (".ttl", ".trig", ".nq", ".stamp"))
        return
    assert process.returncode == 130
    assert stderr.splitlines() == ["Error: interrupted; outputs written so far are complete, nothing is "
                                   "half-written"]
    assert not (out / "dehong-2022-2030.stamp").exists() or all(
        (out / f"dehong-2022-2030{s}").read_bytes() == (build_dir / f"dehong-2022-2030{s}").read_bytes()
        for s in (".ttl", ".trig", ".nq"))


def test_debug_shows_the_traceback_and_keeps_the_exit_code(inputs):
    done, _ = cli(["--debug", "query", "units", "-p", "x=1"], cwd=inputs)
    assert done.returncode == 2
    assert "Traceback" in done.stderr and done.stderr.rstrip().endswith(
        "QueryError: query 'units' has no parameter 'x'; its parameters: none")


def test_ctrl_c_stops_a_query_waiting_for_an_allowed_service(inputs, listener, build_dir):
    import signal

    service = _rq(inputs, "service.rq", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}\n")
    process = subprocess.Popen([sys.executable, "-m", "antitraffick_kg", "query", service, "--allow-service",
                                listener.url, "--timeout", "120", "--build-dir", str(build_dir)],
                               cwd=inputs, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not listener.connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections, "the query did not reach the allowed service"
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130 and time.monotonic() - started < 5
    assert stderr.splitlines() == ["Error: interrupted; outputs written so far are complete, nothing is "
                                   "half-written"]


# -- plan ids: a path is never a plan -------------------------------------------------------
def test_a_plan_id_that_is_a_path_is_refused_by_every_command(inputs, listener, build_dir):
    outside = inputs / "outside"
    outside.mkdir()
    (outside / "source.txt").write_text("一、总则\n", encoding="utf-8")
    before = _snapshot(inputs, build_dir)
    bad = ["../outside", "/etc", "Dehong", "dehong-2022-2030/..", "德宏"]
    commands = [["build", "--build-dir", "out"], ["export"], ["query", "units", "--build-dir", str(build_dir)],
                ["validate", "--build-dir", str(build_dir)], ["audit", "--build-dir", str(build_dir)],
                ["reason", "--build-dir", "out"], ["serve", "--port", "1"], ["status", "--as-of", "2024-06-30"],
                ["report", "--output-dir", "site"], ["push", "--endpoint", listener.url + "query"]]
    for plan in bad:
        for args in commands:
            done, seconds = cli([*args, "--plan", plan], cwd=inputs, proxy=listener, limit=10)
            assert_one_error_line(done, code=2, says=f"plan id '{plan}' must be lower-case letters")
            assert seconds < 10, (args, plan, seconds)
    done, _ = cli(["new", "../outside", "--source", "small.ttl", "--title", "x", "--level", "county",
                   "--jurisdiction", "532622", "--period", "2022-2030", "--data-dir", "ws"], cwd=inputs)
    assert_one_error_line(done, code=2, says="plan id '../outside' must be lower-case letters")
    assert listener.connections == []
    assert _snapshot(inputs, build_dir) == before, "nothing read from or written outside, nothing written at all"
    assert not (inputs / "out").exists() and not (inputs / "site").exists() and not (inputs / "ws").exists()
