"""Real writable SPARQL servers on 127.0.0.1 for the tests: the oxigraph server and OpenLink Virtuoso.

Each server keeps its data in a folder of the test's own, so it can be killed
and started again on the same data.  Credentials for Virtuoso are its
built-in administrator's, which only exist inside that test database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_USER = ("dba", "dba")


def entry_point() -> str:
    """The installed ``antitraffick-kg`` command beside this Python, else on the PATH ("" when there is none)."""
    import sys

    found = Path(sys.executable).parent / "antitraffick-kg"
    return str(found) if found.is_file() else (shutil.which("antitraffick-kg") or "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, log: Path, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server stopped at start: {log.read_text(errors='replace')[-500:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {timeout} s")


@dataclass
class Server:
    """A server process over a data folder; ``start``/``kill``/``stop`` may be called repeatedly."""

    kind: str
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    #: oxigraph only: answer from the union of the graphs (``--union-default-graph``) instead of the empty default
    #: graph a stock ``oxigraph serve`` answers from, as Fuseki does too; the library must not need it
    union_default_graph: bool = False

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{'query' if self.kind == 'oxigraph' else 'sparql'}"

    @property
    def credentials(self) -> tuple[str, str] | None:
        return VIRTUOSO_USER if self.kind == "virtuoso" else None

    def start(self, oxigraph: Path | None = None) -> "Server":
        log = self.folder / "server.log"
        if self.kind == "oxigraph":
            command = [str(oxigraph), "serve", "--location", str(self.folder / "db"),
                       "--bind", f"127.0.0.1:{self.port}"] + (["--union-default-graph"] if self.union_default_graph
                                                              else [])
        else:
            self._write_ini()
            command = [VIRTUOSO, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")]
        with log.open("ab") as out:
            self.process = subprocess.Popen(command, cwd=self.folder, stdout=out, stderr=subprocess.STDOUT)
        _wait(self.query_url + "?query=ASK%7B%7D", self.process, log)
        return self

    def _write_ini(self) -> None:
        (self.folder / "db").mkdir(exist_ok=True)
        sql_port = getattr(self, "_sql_port", None) or free_port()
        self._sql_port = sql_port
        (self.folder / "virtuoso.ini").write_text(f"""[Database]
DatabaseFile = db/virtuoso.db
ErrorLogFile = db/virtuoso.log
LockFile = db/virtuoso.lck
TransactionFile = db/virtuoso.trx
xa_persistent_file = db/virtuoso.pxa
[TempDatabase]
DatabaseFile = db/virtuoso-temp.db
TransactionFile = db/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{self.port}
ServerRoot = .
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
""", encoding="utf-8")

    def kill(self) -> None:
        """End the server at once, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        (self.folder / "db" / "virtuoso.lck").unlink(missing_ok=True)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
