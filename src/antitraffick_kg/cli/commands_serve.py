"""``antitraffick-kg serve``: the plan as a local read-only SPARQL endpoint."""

from __future__ import annotations

import signal
import sys
import urllib.parse
from pathlib import Path

import click

from .main import main
from .options import (allow_service_option, build_dir_option, chosen_plans, corpus_for, inferred_option,
                      plans_option, rebuild_option, store_option, timeout_option)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address opens the endpoint to other machines.")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="Port to listen on.")
@plans_option(all_plans_help="Every plan in the corpus store (served whole either way; with --rebuild, every plan "
                             "of the workspace and the bundled ones is built first when missing or stale).")
@store_option
@rebuild_option
@build_dir_option
@inferred_option(help="Serve the facts 'antitraffick-kg reason' inferred too.")
@allow_service_option(
    help="Let a query's SERVICE clause reach this server (exact URL); repeatable. "
         "Without it, a query that names another server is refused (403).")
@timeout_option(default=30.0, minimum=1, help="Seconds a query may take, SERVICE calls included (504 after that).")
@click.option("--base", metavar="URL", default=None,
              help="Where https://w3id.org/antitraffick-kg/ is served: each name of the graphs answers at "
                   "URL + the rest of the name (default: this server's own address).")
@click.option("--dumps-dir", "dumps_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Serve the dumps 'export --all-plans --output-dir DIR' wrote there (their sums checked "
                   "first) and name them in the dataset description.")
@click.option("--read-timeout", "read_timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a client has to send a request; a connection slower than that is closed.")
@click.option("--max-connections", "max_connections", type=click.IntRange(min=1), default=100,
              show_default=True, help="Connections open at once; when full, the one waiting longest for its request is "
                   "closed to make room, and a new one is answered 503 only when every one is busy.")
def serve_command(host: str, port: int, plans: tuple[str, ...], all_plans: bool, data_dir: Path | None,
                  store_dir: Path | None, rebuild: bool, build_dir: Path, inferred: bool,
                  allow_service: tuple[str, ...], timeout: float, base: str | None, dumps_dir: Path | None,
                  read_timeout: float, max_connections: int) -> None:
    """Serve the corpus store (every plan in it, the ontology and the linking graphs) as a read-only SPARQL
    endpoint: the oxigraph server opens the store itself, nothing is loaded.  With --inferred it serves a
    copy that adds the graphs 'antitraffick-kg reason' inferred.  --plan and --inferred name what must be in
    the store and fresh.

    Queries go to /query (SPARQL 1.1 protocol; the default graph is the union
    of all graphs), the browser query page is at /, and updates are refused.
    Every name of the graphs answers under --base: a page for a browser, Turtle,
    JSON-LD or N-Triples for a program (Accept header, or a .ttl, .jsonld or .nt
    suffix); the ontology at /ontology, the dataset description at /id/dataset,
    the plans served (id, title, jurisdiction, level, graphs, the --plan line) at /plans.
    A filtering front checks every query first: SERVICE reaches no server but
    those given with --allow-service.  Stop with Ctrl-C.

    Needs the oxigraph server (pip install 'antitraffick-kg[server]').
    """
    from ..errors import EndpointError
    from ..pipeline.sources import serve_plan

    if base is not None:
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise click.BadParameter(f"'{base}' is not an http(s) address like https://example.org/kg/",
                                     param_hint="--base")
    if host not in _LOOPBACK:
        click.echo(f"Warning: listening on {host}: other machines can query this endpoint", err=True)
    def corpus():
        opened = corpus_for(store_dir, build_dir=build_dir, plans=plans, rebuild=rebuild, inferred=inferred,
                            all_plans=all_plans, data_dir=data_dir)
        chosen_plans(opened, plans, all_plans=all_plans)          # --all-plans: the store holds some
        return opened

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))   # stop the server on a plain kill as on Ctrl-C
    with serve_plan(plans, host=host, port=port, allow_service=allow_service, timeout=timeout,
                    corpus=corpus, base=base, read_timeout=read_timeout, max_connections=max_connections,
                    dumps_dir=dumps_dir) as endpoint:
        click.echo(f"SPARQL endpoint: {endpoint.query_url}")
        click.echo(f"query page: {endpoint.url}")
        names = (base or endpoint.url).rstrip("/") + "/"
        click.echo(f"names: {names}id/... (pages and RDF), dataset: {names}id/dataset, ontology: {names}ontology")
        click.echo(f"plans served, and how to ask each: {names}plans")
        click.echo("read-only: updates are refused; stop with Ctrl-C")
        try:
            code = endpoint.process.wait()
        except KeyboardInterrupt:
            return
    raise EndpointError(f"the oxigraph server stopped by itself (exit code {code})")
