"""Shared fixtures: the real spaCy pipeline, the bundled example, the shared corpus."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "diplograph" / "resources" / "examples" / "zhao-leji-pyongyang.txt"
EXAMPLE_PUBLISHED = dt.date(2024, 4, 13)
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp():
    from diplograph.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip("../shared/ (development corpus and scorer) is not here")
    return SHARED


@pytest.fixture(scope="session")
def example_extraction(nlp):
    from diplograph.ingest import read_articles
    from diplograph.nlp.extract import extract_articles

    (article,) = read_articles([EXAMPLE], published=EXAMPLE_PUBLISHED)
    (extraction,) = extract_articles([article], nlp)
    return extraction


@pytest.fixture(scope="session")
def example_dataset(example_extraction):
    from rdflib import URIRef

    from diplograph.rdf.build import build_dataset
    from diplograph.vocab import ONTOLOGY_IRI, ontology_graph

    dataset = build_dataset([example_extraction])
    ontology = dataset.graph(URIRef(ONTOLOGY_IRI))
    for triple in ontology_graph():
        ontology.add(triple)
    return dataset


@contextlib.contextmanager
def running(store, **options):
    """A diplograph server for ``store`` on a free port, in a thread; yields its base URL."""
    from diplograph.server import make_server

    server = make_server(store, port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def serving(*args: str):
    """``diplograph serve ARGS --port 0`` in its own process; yields its base URL, then stops
    it (a real deployment: an abandoned query cannot hold the test process's CPU)."""
    command = [sys.executable, "-m", "diplograph.cli", "serve", *args, "--port", "0"]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        yield _wait_for_url(process)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """End a server process started with ``stderr=PIPE``: politely, then by force."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stderr.close()


def _wait_for_url(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"on (http://127\.0\.0\.1:\d+)", line)
        if found:
            threading.Thread(target=process.stderr.read, daemon=True).start()  # keep draining
            return found.group(1)
    raise AssertionError("the server did not start:\n" + "".join(lines))


@pytest.fixture(scope="session")
def dev_extractions(shared_dir):
    """The development corpus read and extracted once per session (about 40 s)."""
    from diplograph.ingest import read_articles
    from diplograph.nlp.extract import extract_articles
    from diplograph.nlp.pipeline import load_pipeline

    articles = read_articles([shared_dir / "corpus" / "dev.jsonl"])
    return list(extract_articles(articles, load_pipeline()))


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso Open Source 7 server for the session (tests/servers.py)."""
    from servers import Virtuoso, running_server

    with running_server(Virtuoso, tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """An Oxigraph server for the session (tests/servers.py)."""
    from servers import OxigraphServer, running_server

    with running_server(OxigraphServer, tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(scope="session")
def plain_oxigraph_server(tmp_path_factory):
    """An Oxigraph server without ``--union-default-graph`` (tests/servers.py)."""
    from servers import PlainOxigraphServer, running_server

    with running_server(PlainOxigraphServer, tmp_path_factory.mktemp("oxigraph-plain")) as server:
        yield server


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """A FalkorDB server for the session (tests/servers.py)."""
    from servers import FalkorDBServer, running_server

    with running_server(FalkorDBServer, tmp_path_factory.mktemp("falkordb")) as server:
        yield server
