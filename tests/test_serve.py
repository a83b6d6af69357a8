"""``antitraffick-kg serve``: a real read-only oxigraph endpoint on 127.0.0.1, started and stopped here."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import require
from servers import entry_point, free_port
from click.testing import CliRunner

from antitraffick_kg.cli.main import main
from antitraffick_kg.errors import EndpointError
from antitraffick_kg.ask.query import query
from antitraffick_kg.store.stores import RemoteStore, oxigraph_binary



def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


@pytest.fixture
def served(build_dir):
    """`antitraffick-kg serve` as a user runs it: the installed command, in its own process."""
    try:
        oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
    require(bool(entry_point()), "the antitraffick-kg command is installed")
    port = free_port()
    process = subprocess.Popen([entry_point(), "serve", "--port", str(port), "--build-dir", str(build_dir)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        first = lines.get(timeout=60)
    except queue.Empty:
        process.kill()
        pytest.fail("serve printed nothing within 60 s: " + process.stderr.read())
    yield process, port, first.strip()
    if process.poll() is None:
        process.terminate()            # as a user's kill: the command stops its server and cleans up
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.server
def test_serve_answers_the_example_question(served):
    process, port, first = served
    assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
    rows = query("tasks-by-unit", params={"unit": "州妇联", "role": "support", "place": "边境地区"},
                 endpoint=f"http://127.0.0.1:{port}/query")
    assert [(r["task"], r["source"]) for r in rows] == [("7.6", "narrative"), ("7.6", "table")]


@pytest.mark.server
def test_serve_has_a_query_page_and_refuses_updates(served):
    _, port, _ = served
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
        assert page.status == 200 and b"<html" in page.read().lower()
    store = RemoteStore(f"http://127.0.0.1:{port}/query", timeout=10)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = store.select(count)[1]
    update = urllib.request.Request(f"http://127.0.0.1:{port}/update", data=b"update=DROP%20ALL",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(update, timeout=10)
    assert refused.value.code in (403, 404, 405)
    assert store.select(count)[1] == before and int(before[0]["n"]) > 20000


def _listeners(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) of the sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as fh:
            for line in list(fh)[1:]:
                local, state = line.split()[1], line.split()[3]
                address, _, hexport = local.partition(":")
                if state == "0A" and int(hexport, 16) == port:
                    found.add(address)
    return found


@pytest.mark.server
def test_serve_listens_on_loopback_only(served):
    _, port, _ = served
    if not os.path.exists("/proc/net/tcp"):
        pytest.skip("needs Linux /proc/net/tcp to see where the server listens")
    assert _listeners(port) == {"0100007F"}          # 127.0.0.1, nothing else


@pytest.mark.server
def test_serve_stops_its_server_when_stopped(served):
    process, port, _ = served
    assert _listening(port)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    deadline = time.monotonic() + 10
    while _listening(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _listening(port), "the oxigraph server outlived the command"


def test_serve_without_the_server_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    result = CliRunner().invoke(main, ["serve", "--port", str(free_port())])
    assert result.exit_code == 2
    assert result.output == ("Error: the oxigraph server is not installed; "
                             "install it with pip install 'antitraffick-kg[server]'\n")


def test_serve_warns_before_listening_beyond_this_machine(monkeypatch):
    import antitraffick_kg.pipeline.sources as stores

    @contextlib.contextmanager
    def refuse(*args, **kwargs):
        raise EndpointError("not started in this test")
        yield

    monkeypatch.setattr(stores, "serve_plan", refuse)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert "Warning: listening on 0.0.0.0: other machines can query this endpoint" in result.output
    assert result.exit_code == 2


def test_serve_is_documented_in_its_help():
    out = CliRunner().invoke(main, ["serve", "--help"]).output
    for words in ("--host", "127.0.0.1", "--port", "/query", "updates are refused", "antitraffick-kg[server]"):
        assert words in out
