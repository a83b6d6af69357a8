"""The outbound-request policy, each rule on its own: what a query may name, how a refusal reads, and the
deadline thread that an allowed SERVICE runs in."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from antitraffick_kg.errors import EndpointError, QueryError, ServiceRefusedError
from antitraffick_kg.store.policy import check_outbound, outbound_targets, with_deadline

EVIL = "http://evil.example/sparql"
GOOD = "http://example.org/sparql"
NOT_ALLOWED = "is not allowed: queries reach no other server unless it is named with --allow-service"


# -- what a query names, however it is written -------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { S\\u0045RVICE <http://evil.example/sparql> { ?s ?p ?o } }",        # a keyword escaped
    "SELECT * WHERE { S\\U00000045RVICE <http://evil.example/sparql> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND ("""a\n# """ AS ?x) SERVICE <http://evil.example/sparql> { ?s ?p ?o } }',
    "SELECT * WHERE { BIND ('''a\n# ''' AS ?x) SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
])
def test_a_service_hidden_from_a_quick_look_is_still_refused(text):
    """A codepoint escape, or a line that starts with # inside a long string, never hides a SERVICE (the parser
    refuses the last two, which is a refusal too: a query that cannot be checked does not run)."""
    with pytest.raises(QueryError):
        check_outbound(text, allow=(GOOD,))


def test_a_long_string_or_a_comment_alone_names_nothing():
    assert outbound_targets("SELECT * WHERE { BIND ('''x''' AS ?x) }") == ()
    assert outbound_targets("# SERVICE <http://evil.example/sparql>\nSELECT * WHERE { ?s ?p ?o }") == ()


def test_from_passes_an_engine_that_does_not_download_it():
    text = f"SELECT * FROM <http://example.org/g> WHERE {{ SERVICE <{GOOD}> {{ ?s ?p ?o }} }}"
    assert check_outbound(text, allow=(GOOD,)) == (GOOD,)
    assert check_outbound("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }") == ()


def test_a_from_is_refused_where_the_engine_would_download_it():
    with pytest.raises(ServiceRefusedError) as info:
        check_outbound("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", source="q.rq",
                       downloads_from=True)
    assert info.value.iri == "http://example.org/g"
    assert str(info.value) == ("q.rq: FROM <http://example.org/g> would make this store download that graph; "
                               "ask with the oxigraph store, which reads FROM as a graph it holds")


def test_a_from_does_not_end_the_check_of_what_follows():
    with pytest.raises(ServiceRefusedError, match="evil"):
        check_outbound(f"SELECT * FROM <http://example.org/g> WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
                       allow=(GOOD,))


def test_every_service_of_a_query_is_checked_and_the_allowed_ones_returned_in_order():
    text = f"SELECT * WHERE {{ SERVICE ?a {{ ?s ?p ?o }} SERVICE <{GOOD}> {{ ?s ?p ?o }} }}"
    assert check_outbound(text, allow=(GOOD, "http://example.org/b"), bound={"a": "http://example.org/b"}) == (
        "http://example.org/b", GOOD)
    with pytest.raises(ServiceRefusedError):
        check_outbound(f"SELECT * WHERE {{ SERVICE ?a {{ ?s ?p ?o }} SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
                       allow=(GOOD,), bound={"a": GOOD})


@pytest.mark.parametrize("text, bound, message", [
    (f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}", None, f"q.rq: SERVICE <{EVIL}> {NOT_ALLOWED}"),
    ("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", {"e": EVIL}, f"q.rq: SERVICE ?e = <{EVIL}> {NOT_ALLOWED}"),
    ("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }", None,
     "q.rq: SERVICE with a variable endpoint is refused: it could reach any server"),
])
def test_a_refusal_names_the_query_and_the_place(text, bound, message):
    with pytest.raises(ServiceRefusedError) as info:
        check_outbound(text, allow=(GOOD,), source="q.rq", bound=bound)
    assert str(info.value) == message
    assert info.value.iri == (EVIL if "<" in message else None)


def test_an_unreadable_query_is_an_error_naming_it():
    with pytest.raises(QueryError, match=r"^q\.rq: SPARQL syntax error at line 1"):
        check_outbound("SELECT * FROM <http://example.org/g> WHERE {", source="q.rq")


# -- the deadline thread -------------------------------------------------------------------------------------------
def test_the_work_runs_in_a_daemon_thread_deaf_to_ctrl_c_and_its_value_comes_back():
    seen = {}

    def work():
        me = threading.current_thread()
        seen["thread"] = (me.name, me.daemon, me is threading.main_thread())
        seen["blocked"] = signal.pthread_sigmask(signal.SIG_BLOCK, [])
        return "answer"

    assert with_deadline(work, seconds=10, what="q") == "answer"
    assert seen["thread"] == ("antitraffick-kg-deadline", True, False)
    assert {signal.SIGINT, signal.SIGTERM} <= set(seen["blocked"])


def test_the_works_own_error_reaches_the_caller_without_its_frames():
    def work():
        raise ValueError("from the engine")

    with pytest.raises(ValueError, match="^from the engine$") as info:
        with_deadline(work, seconds=10, what="q")
    assert info.value.__context__ is None


def test_work_that_overruns_is_given_up_at_the_deadline():
    started = time.monotonic()
    with pytest.raises(EndpointError) as info:
        with_deadline(lambda: time.sleep(3), seconds=0.2, what="SERVICE <x>")
    assert str(info.value) == "SERVICE <x> did not answer within 0.2 s"
    assert time.monotonic() - started < 2
