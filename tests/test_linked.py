"""Names that resolve: `antitraffick-kg serve` answers at every IRI of its graphs with a page or RDF.

A real `serve` on 127.0.0.1 over the built Dehong plan; pages read back by headless Chromium and by a link
crawl, RDF by rdflib, each compared with what the corpus store itself holds.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import queue
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from conftest import require
from servers import entry_point, free_port

from antitraffick_kg.errors import EndpointError
from antitraffick_kg.iris import BASE, ID_BASE, graph_iri, plan_iri
from antitraffick_kg.resources import resource_root
from antitraffick_kg.store.stores import oxigraph_binary

PLAN = "dehong-2022-2030"
TASK = f"{ID_BASE}plan/{PLAN}/task/7.6"
CHROMIUM = shutil.which("chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DATASET_SHAPES = resource_root() / "ontology" / "dataset-shapes.ttl"
pytestmark = pytest.mark.server


@contextlib.contextmanager
def _serve(build_dir: Path, *more: str):
    """`antitraffick-kg serve` in its own process; yields (process, base URL, the lines it printed)."""
    try:
        oxigraph_binary()
    except EndpointError as exc:
        require(False, str(exc))
    require(bool(entry_point()), "the antitraffick-kg command is installed")
    port = free_port()
    process = subprocess.Popen([entry_point(), "serve", "--port", str(port), "--build-dir", str(build_dir), *more],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    printed = []
    try:
        while len(printed) < 3:
            printed.append(lines.get(timeout=60).strip())
    except queue.Empty:
        process.kill()
        pytest.fail("serve did not start within 60 s: " + process.stderr.read())
    try:
        yield process, f"http://127.0.0.1:{port}/", printed
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(build_dir):
    with _serve(build_dir) as (process, base, printed):
        yield base


@pytest.fixture(scope="module")
def store(build_dir):
    """The corpus store the server serves, opened here read-only, to compare with."""
    return ox.Store.read_only(str((build_dir / "store" / "current" / "data").resolve()))


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _url(base: str, iri: str) -> str:
    return base + urllib.parse.quote(iri[len(BASE):], safe="/#")


def _held(store: ox.Store, iri: str) -> rdflib.Graph:
    """What the store holds for ``iri``, computed here: its triples in every graph, blank nodes followed."""
    triples, todo, done = set(), [ox.NamedNode(iri)], set()
    while todo:
        node = todo.pop()
        if node in done:
            continue
        done.add(node)
        for q in store.quads_for_pattern(node, None, None, None):
            triples.add(q.triple)
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    graph = rdflib.Graph()
    if triples:
        graph.parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


class _Links(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.loads: list[str] = []          # what the page would load: stylesheets, scripts, images
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("rel") == "stylesheet":
            self.loads.append(a["href"])

    def handle_data(self, data):
        self.text.append(data)


# -- a task as a person sees it ------------------------------------------------------------------------------
def test_chromium_shows_task_7_6_with_its_units_and_quote(server, store, tmp_path):
    require(CHROMIUM is not None, "Debian's chromium package (apt-get install chromium)")
    url = _url(server, TASK)
    dom = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    page = _Links(dom)
    text = "".join(page.text)
    node = ox.NamedNode(TASK)
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    units = [q.object for p in ("ledBy", "supportedBy")
             for q in store.quads_for_pattern(node, ox.NamedNode(f"{BASE}ontology#{p}"), None, None)]
    assert len(units) == 8
    for unit in units:                       # each unit by its name, as a link to its own page
        names = [q.object.value for q in store.quads_for_pattern(unit, label, None, None)]
        assert names and names[0] in text, unit
        assert _url(server, unit.value) in page.hrefs
    evidence = next(store.quads_for_pattern(node, ox.NamedNode(f"{BASE}ontology#evidence"), None, None)).object
    line = next(store.quads_for_pattern(evidence, ox.NamedNode(f"{BASE}ontology#line"), None, None)).object.value
    oa = "http://www.w3.org/ns/oa#"
    quote = [q.object.value for s in store.quads_for_pattern(evidence, ox.NamedNode(oa + "hasSelector"), None, None)
             for q in store.quads_for_pattern(s.object, ox.NamedNode(oa + "exact"), None, None)]
    assert quote and quote[0] in text and "州妇联" in quote[0]
    assert f"source line {line}" in text
    assert _url(server, plan_iri(PLAN)) in page.hrefs                     # up: the plan
    loads = [urllib.parse.urljoin(url, u) for u in page.loads]
    assert loads == [server + "_static/style.css"]                        # nothing from the network


# -- every link resolves -------------------------------------------------------------------------------------
def test_a_crawl_from_the_plan_page_reaches_every_task_and_unit_without_a_dead_link(server, store):
    plan_graph = ox.NamedNode(graph_iri(PLAN))
    task_type = ox.NamedNode(f"{BASE}ontology#Task")
    tasks = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), task_type, plan_graph)}
    units = {t.value for q in store.quads_for_pattern(None, None, None, plan_graph) for t in (q.subject, q.object)
             if isinstance(t, ox.NamedNode) and t.value.startswith(ID_BASE + "unit/")}
    assert len(tasks) == 56 and len(units) > 30
    expand = (plan_iri(PLAN), *(f"{ID_BASE}plan/{PLAN}/task/",), ID_BASE + "unit/")
    start = _url(server, plan_iri(PLAN))
    pages, seen, checked, dead = [start], {start}, {}, []
    while pages:
        url = pages.pop()
        status, kind, body = _get(url)
        checked[url] = status
        if status != 200:
            dead.append((url, status))
            continue
        for href in _Links(body.decode("utf-8")).hrefs:
            target = urllib.parse.urljoin(url, href).split("#")[0]
            if not target.startswith(server) or target in seen:
                continue
            seen.add(target)
            iri = BASE + urllib.parse.unquote(target[len(server):])
            if iri == plan_iri(PLAN) or any(iri.startswith(p) for p in expand[1:]):
                pages.append(target)
            else:
                status = _get(target)[0] if target not in checked else checked[target]
                checked[target] = status
                if status != 200:
                    dead.append((target, status))
    reached = {BASE + urllib.parse.unquote(u[len(server):]) for u, s in checked.items() if s == 200}
    assert dead == []
    assert tasks - reached == set()
    assert units - reached == set()


# -- data for programs ---------------------------------------------------------------------------------------
def test_curl_asking_for_turtle_gets_the_tasks_triples(server, store):
    status, kind, body = _get(_url(server, TASK), "text/turtle")
    assert status == 200 and kind.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")
    assert isomorphic(graph, _held(store, TASK)) and len(graph) == 53


@pytest.mark.parametrize("accept, suffix, parse", [("text/turtle", ".ttl", "turtle"),
                                                   ("application/ld+json", ".jsonld", "json-ld"),
                                                   ("application/n-triples", ".nt", "nt")])
def test_each_format_by_accept_and_by_suffix(server, store, accept, suffix, parse):
    held = _held(store, TASK)
    for url, ask in ((_url(server, TASK), accept), (_url(server, TASK) + suffix, "text/html")):
        status, kind, body = _get(url, ask)
        assert status == 200 and kind.startswith(accept), (url, kind)
        assert isomorphic(rdflib.Graph().parse(data=body.decode("utf-8"), format=parse), held)
    status, kind, _ = _get(_url(server, TASK), "text/html,application/xhtml+xml,*/*;q=0.8")   # a browser
    assert status == 200 and kind.startswith("text/html")
    head = urllib.request.Request(_url(server, TASK) + suffix, method="HEAD")
    with urllib.request.urlopen(head, timeout=30) as answer:       # HEAD: the headers of the GET, no body
        assert answer.status == 200 and answer.headers["Content-Type"].startswith(accept)
        assert int(answer.headers["Content-Length"]) > 0 and answer.read() == b""
        assert answer.headers["Vary"] == "Accept" and f'type="{accept}"' in answer.headers["Link"]


def test_200_names_each_return_the_triples_the_store_holds(server, store):
    names = sorted({q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                    if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ID_BASE)})
    sample = random.Random(24).sample(names, 200)
    for iri in sample:
        status, kind, body = _get(_url(server, iri), "application/n-triples")
        assert status == 200, iri
        graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="nt")
        assert len(graph) > 0 and isomorphic(graph, _held(store, iri)), iri
        assert {s for s in graph.subjects() if not isinstance(s, rdflib.BNode)} == {rdflib.URIRef(iri)}


def test_the_ontology_answers_with_its_graph_and_a_page_anchored_per_term(server, store):
    status, kind, body = _get(server + "ontology", "text/turtle")
    graph = rdflib.Graph().parse(data=body.decode("utf-8"), format="turtle")
    onto = ox.NamedNode(ID_BASE + "graph/ontology")
    held = rdflib.Graph().parse(data=ox.serialize(
        [q.triple for q in store.quads_for_pattern(None, None, None, onto)], format=ox.RdfFormat.N_TRIPLES).decode(),
        format="nt")
    assert status == 200 and isomorphic(graph, held)
    status, kind, body = _get(server + "ontology")
    assert status == 200 and kind.startswith("text/html")
    page = body.decode("utf-8")
    terms = {str(s)[len(BASE + "ontology#"):] for s in graph.subjects() if str(s).startswith(BASE + "ontology#")}
    assert {"Task", "Unit", "ledBy", "evidence"} <= terms
    for term in terms:
        assert f'id="{term}"' in page, term
    task_page = _Links(_get(_url(server, TASK))[2].decode("utf-8"))
    assert server + "ontology#Task" in task_page.hrefs            # the type links to the term's anchor


def test_an_unknown_name_is_404_with_a_page_that_says_so(server):
    for accept in ("text/html", "text/turtle"):
        status, kind, body = _get(server + f"id/plan/{PLAN}/task/99.9", accept)
        assert status == 404 and kind.startswith("text/html")
        assert "Not found" in body.decode("utf-8") and f"id/plan/{PLAN}/task/99.9" in body.decode("utf-8")
    assert _get(server + f"id/plan/{PLAN}/task/99.9.ttl")[0] == 404


def test_the_base_names_where_the_links_point(build_dir):
    with _serve(build_dir, "--base", "https://kg.example.org/") as (process, base, printed):
        status, _, body = _get(_url(base, TASK))
        links = _Links(body.decode("utf-8")).hrefs
        assert status == 200 and "https://kg.example.org/id/plan/dehong-2022-2030" in links
        assert not any(h.startswith(base) for h in links)
        sheet = [urllib.parse.urljoin(_url(base, TASK), u) for u in _Links(body.decode("utf-8")).loads]
        assert sheet == [base + "_static/style.css"] and _get(sheet[0])[0] == 200   # from this server all the same
        _, _, data = _get(base + "id/dataset", "text/turtle")
        assert "<https://kg.example.org/query>" in data.decode("utf-8")
        assert printed[2].startswith("names: https://kg.example.org/id/")


# -- the dataset and its dumps -------------------------------------------------------------------------------
def _follow(base: str, iri: str) -> rdflib.Graph:
    """The description of ``iri`` and of every name under it that it links to, as a program following them."""
    graph, todo, done = rdflib.Graph(), [iri], set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        status, _, body = _get(_url(base, name), "text/turtle")
        assert status == 200, name
        graph.parse(data=body.decode("utf-8"), format="turtle")
        todo += [str(o) for o in graph.objects() if str(o).startswith(iri + "/")]
    return graph


def _conforms(graph: rdflib.Graph) -> tuple[bool, str]:
    import pyshacl

    ok, _, text = pyshacl.validate(graph, shacl_graph=str(DATASET_SHAPES), advanced=True)
    return ok, text


def test_the_dataset_description_conforms_to_its_shape(server):
    graph = _follow(server, ID_BASE + "dataset")
    ok, text = _conforms(graph)
    assert ok, text
    dataset = rdflib.URIRef(ID_BASE + "dataset")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert int(graph.value(dataset, void.triples)) > 20000
    assert graph.value(dataset, void.sparqlEndpoint) == rdflib.URIRef(server + "query")
    broken = rdflib.Graph()
    for t in graph.triples((None, None, None)):
        if t[1] != rdflib.URIRef("http://purl.org/dc/terms/license") or t[0] != dataset:
            broken.add(t)
    assert not _conforms(broken)[0]              # the shape holds the licence


def test_export_all_plans_writes_dumps_that_serve_offers_and_names(build_dir, tmp_path):
    from click.testing import CliRunner

    from antitraffick_kg.cli.main import main

    out = tmp_path / "dumps"
    result = CliRunner().invoke(main, ["export", "--all-plans", "--output-dir", str(out),
                                       "--build-dir", str(build_dir)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["SHA256SUMS", "antitraffick-kg.nq.gz", f"{PLAN}.nq.gz", "dataset.ttl"])
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    whole = rdflib.Dataset()
    whole.parse(data=gzip.decompress((out / "antitraffick-kg.nq.gz").read_bytes()).decode("utf-8"), format="nquads")
    assert len(whole) > 20000
    described = rdflib.Graph().parse(out / "dataset.ttl")
    ok, text = _conforms(described)
    assert ok, text
    spdx = rdflib.Namespace("http://spdx.org/rdf/terms#")
    assert {str(v) for v in described.objects(None, spdx.checksumValue)} == set(sums.values())
    again = tmp_path / "again"
    CliRunner().invoke(main, ["export", "--all-plans", "--output-dir", str(again), "--build-dir", str(build_dir)])
    assert (again / f"{PLAN}.nq.gz").read_bytes() == (out / f"{PLAN}.nq.gz").read_bytes()   # same store, same bytes

    with _serve(build_dir, "--dumps-dir", str(out)) as (process, base, printed):
        status, kind, body = _get(base + f"dumps/{PLAN}.nq.gz")
        assert status == 200 and body == (out / f"{PLAN}.nq.gz").read_bytes()
        assert _get(base + "dumps/SHA256SUMS.bak")[0] == 404 and _get(base + "dumps/../dataset.ttl")[0] == 404
        graph = _follow(base, ID_BASE + "dataset")
        ok, text = _conforms(graph)
        assert ok, text
        dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
        assert {str(u) for u in graph.objects(None, dcat.downloadURL)} == {base + "dumps/" + n for n in sums}
        assert {str(v) for v in graph.objects(None, spdx.checksumValue)} == set(sums.values())

    (out / f"{PLAN}.nq.gz").write_bytes(b"changed")
    refused = CliRunner().invoke(main, ["serve", "--port", str(free_port()), "--build-dir", str(build_dir),
                                        "--dumps-dir", str(out)])
    assert refused.exit_code == 2
    assert refused.stderr == (f"Error: {out / (PLAN + '.nq.gz')}: SHA-256 differs from the one SHA256SUMS records "
                              "(line 1)\n")


def test_bad_input_is_one_line_and_writes_nothing(build_dir, tmp_path):
    from click.testing import CliRunner

    from antitraffick_kg.cli.main import main

    runner = CliRunner()
    for base in ("ftp://example.org/", "example.org", "https://example.org/kg/?x=1"):
        result = runner.invoke(main, ["serve", "--base", base, "--build-dir", str(build_dir)])
        assert result.exit_code == 2 and "--base" in result.stderr and base in result.stderr, result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["serve", "--dumps-dir", str(empty), "--build-dir", str(build_dir)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {empty}: no SHA256SUMS here; write the dumps with 'antitraffick-kg export "
                             "--all-plans --output-dir DIR'\n")
    (empty / "SHA256SUMS").write_text("not a sum\n")
    result = runner.invoke(main, ["serve", "--dumps-dir", str(empty), "--build-dir", str(build_dir)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {empty / 'SHA256SUMS'}:1: not a line of sha256sum: "
                             "'<sha256>, two spaces, <file name>'\n")
    # --all-plans without --output-dir is the store's plans as one dataset (issue 20), not the dumps
    result = runner.invoke(main, ["export", "--all-plans", "-f", "nquads", "--build-dir", str(build_dir)])
    assert result.exit_code == 0 and "/graph/dehong-2022-2030>" in result.stdout
    result = runner.invoke(main, ["export", "--output-dir", str(tmp_path / "x"), "--build-dir", str(build_dir)])
    assert result.exit_code == 2 and "--all-plans" in result.stderr
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    result = runner.invoke(main, ["export", "--all-plans", "--output-dir", str(a_file),
                                  "--build-dir", str(build_dir)])
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "empty"]


def _closed_by_server(s: socket.socket) -> bool:
    s.settimeout(10)
    try:
        return s.recv(100) == b""
    except ConnectionResetError:
        return True


# -- slow clients --------------------------------------------------------------------------------------------
def test_slow_clients_are_closed_and_cannot_lock_out_a_quick_one(build_dir):
    with _serve(build_dir, "--read-timeout", "2", "--max-connections", "4") as (process, base, printed):
        port = int(base.rsplit(":", 1)[1].strip("/"))
        slow = []
        for _ in range(4):                   # every place taken by a client that never ends its headers
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        time.sleep(0.3)
        started = time.monotonic()
        status, _, body = _get(base + "query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                               "application/sparql-results+json")
        assert status == 200 and b"true" in body and time.monotonic() - started < 1
        with contextlib.suppress(OSError):
            slow[0].sendall(b"X-Slow: 1\r\n")
        assert _closed_by_server(slow[0])         # the longest waiting made room for the quick one
        started = time.monotonic()
        for s in slow[1:]:
            with contextlib.suppress(OSError):
                s.sendall(b"X-Slow: 1\r\n")            # a header line now and then is not enough
            assert _closed_by_server(s)
        assert time.monotonic() - started < 3       # closed at the read timeout (2 s after they connected)
        for s in slow:
            s.close()
        assert process.poll() is None
    assert "Traceback" not in process.stderr.read()


def test_a_connection_over_the_limit_while_all_are_busy_is_answered_503():
    from antitraffick_kg.store.front import open_front

    backend = socket.create_server(("127.0.0.1", 0))      # accepts and never answers: every request stays busy
    front = open_front("127.0.0.1", 0, timeout=3, read_timeout=1, max_connections=1)
    front.start(backend.getsockname())
    port = front.server_address[1]
    try:
        busy = socket.create_connection(("127.0.0.1", port), timeout=10)
        busy.sendall(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.5)
        extra = socket.create_connection(("127.0.0.1", port), timeout=10)
        assert extra.recv(100).startswith(b"HTTP/1.1 503")
        assert front.refused == 1
        assert busy.recv(100).startswith(b"HTTP/1.1 504")   # the busy one still gets its answer, in time
        extra.close()
        busy.close()
    finally:
        front.stop()
        backend.close()


# -- the w3id rules of the docs, in a real Apache ------------------------------------------------------------
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def _htaccess() -> str:
    """The ```apache block of the docs page: the rules for the w3id repository, as a reader copies them."""
    page = (Path(__file__).resolve().parent.parent / "docs" / "guide" / "linked-data.md").read_text(encoding="utf-8")
    return page.split("```apache\n", 1)[1].split("```", 1)[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_w3id_rules_send_each_name_to_the_deployment_with_negotiation_kept(server, store):
    import tempfile

    require(Path(APACHE).is_file() and (APACHE_MODULES / "mod_rewrite.so").is_file(),
            "Debian's apache2 package (apt-get install apache2), to run the w3id rules")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="w3id-") as folder:    # Apache's worker must read it: not under tmp_path
        root = Path(folder)
        root.chmod(0o755)
        (root / "antitraffick-kg").mkdir(mode=0o755)
        (root / "antitraffick-kg" / ".htaccess").write_text(_htaccess().replace("https://kg.example.org/", server))
        (root / "antitraffick-kg" / ".htaccess").chmod(0o644)
        conf = root / "httpd.conf"
        conf.write_text("\n".join([
            f"ServerRoot {root}", f"Listen 127.0.0.1:{port}", "ServerName w3id.test", f"PidFile {root}/httpd.pid",
            f"ErrorLog {root}/error.log", "LogLevel warn", "User www-data", "Group www-data",
            *(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in ("mpm_event", "authz_core", "rewrite")),
            f"DocumentRoot {root}", f'<Directory "{root}">', "  AllowOverride All", "  Require all granted",
            "</Directory>", ""]))
        apache = subprocess.Popen([APACHE, "-X", "-f", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and apache.poll() is None:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                time.sleep(0.1)
            assert apache.poll() is None, apache.stderr.read().decode() + (root / "error.log").read_text()
            w3id = f"http://127.0.0.1:{port}/antitraffick-kg/"
            # the redirect itself: 303 to the same path at the deployment
            opener = urllib.request.build_opener(_NoRedirect)
            with pytest.raises(urllib.error.HTTPError) as redirect:
                opener.open(_url(w3id, TASK), timeout=10)
            assert redirect.value.code == 303
            assert redirect.value.headers["Location"] == _url(server, TASK)
            # followed, as curl -L or a browser does: the Accept header decides again at the deployment
            status, kind, body = _get(_url(w3id, TASK), "text/turtle")
            assert status == 200 and kind.startswith("text/turtle")
            assert isomorphic(rdflib.Graph().parse(data=body.decode(), format="turtle"), _held(store, TASK))
            status, kind, body = _get(_url(w3id, TASK), "text/html")
            assert status == 200 and kind.startswith("text/html") and "重点地区宣传教育" in body.decode()
            status, kind, _ = _get(_url(w3id, TASK) + ".nt")
            assert status == 200 and kind.startswith("application/n-triples")
            status, kind, _ = _get(w3id + "ontology", "application/ld+json")
            assert status == 200 and kind.startswith("application/ld+json")
            status, _, body = _get(w3id + "sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                                   "application/sparql-results+json")
            assert status == 200 and b"true" in body
            assert _get(w3id + f"id/plan/{PLAN}/task/99.9")[0] == 404        # unknown stays unknown
        finally:
            apache.terminate()
            apache.wait(timeout=20)
