"""Shared fixtures: the Dehong plan imported once per test run."""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "dehong-2022-2030" / "source.txt"
CORRECTIONS = ROOT / "data" / "dehong-2022-2030" / "corrections.toml"

#: The test files that take longest (a reasoner or a reference engine over the plan, many commands run as
#: processes), longest first: under ``--dist loadfile`` each file runs whole on one worker, so these start first
#: and the workers end together instead of one finishing alone with the longest file (figures from
#: ``--durations``; files not listed follow in the usual order).
LONGEST_FIRST = ("test_reason.py", "test_corpus.py", "test_bad_input.py", "test_build.py", "test_docs.py",
                 "test_forms.py", "test_report.py", "test_push.py", "test_linked.py", "test_scale.py",
                 "test_validate.py", "test_audit.py", "test_doctests.py")


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):      # pytest-xdist: keep our order, not most-tests-first
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))       # stable: each file keeps its order


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan():
    from antitraffick_kg import import_plan

    return import_plan(SOURCE, corrections=CORRECTIONS, plan_id="dehong-2022-2030")


@pytest.fixture(scope="session")
def build_dir(request, tmp_path_factory) -> Path:
    """The plan built once, kept in pytest's cache between runs while its inputs do not change."""
    from antitraffick_kg.pipeline.build import build_plan, input_stamp

    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("antitraffick-kg-build") if cache else tmp_path_factory.mktemp("build")
    stamp = folder / "dehong-2022-2030.stamp"
    # pytest-xdist runs one session per worker: the first to take the lock builds, the others wait and reuse it
    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.is_file() or stamp.read_text().strip() != input_stamp("dehong-2022-2030"):
            build_plan(plan="dehong-2022-2030", out_dir=folder)
    return folder


@pytest.fixture(scope="session")
def two_plan_store(build_dir, tmp_path_factory) -> Path:
    """A corpus store with Dehong (copied from the session build) and ``tests/data/other-prefecture``, a second
    prefecture whose units have the same short names (州妇联, 州公安局 …); read it, do not change it."""
    import shutil

    from antitraffick_kg.pipeline.build import store_plans
    from antitraffick_kg.resources import find_plan

    root = tmp_path_factory.mktemp("two-plans")
    shutil.copytree(Path(__file__).parent / "data" / "other-prefecture", root / "ws" / "other-prefecture")
    shutil.copytree(build_dir / "store", root / "store", symlinks=True)
    store_plans([find_plan("other-prefecture", data_dir=root / "ws")], store=root / "store")
    return root / "store"


@pytest.fixture(scope="session")
def dataset(plan):
    from antitraffick_kg.plan.graph import plan_dataset

    return plan_dataset(plan)


@pytest.fixture(scope="session")
def plan_graph(dataset):
    from antitraffick_kg.plan.graph import graph_iri

    return dataset.graph(graph_iri("dehong-2022-2030"))


@pytest.fixture(scope="session")
def docs_site(tmp_path_factory) -> Path:
    """The documentation site, built once per run in strict mode (``mkdocs build --strict``)."""
    from docs_examples import build_site

    folder = tmp_path_factory.mktemp("site")
    build_site(ROOT / "mkdocs.yml", folder)
    return folder


def require(available: bool, reason: str) -> None:
    """Skip when a real component is missing on a developer's machine; fail in CI, where it must be there."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide it: {reason}")
    pytest.skip(reason)



@contextlib.contextmanager
def no_network() -> Iterator[list]:
    """Refuse every network connection made in the block; yield the list of the addresses it tried."""
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("no network use is allowed here")

    original = socket.socket.connect
    socket.socket.connect = refuse
    try:
        yield attempts
    finally:
        socket.socket.connect = original
