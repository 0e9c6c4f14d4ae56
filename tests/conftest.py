"""Shared fixtures: the real spaCy pipeline, the bundled example, the shared corpus."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
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
