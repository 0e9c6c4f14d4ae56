"""Every output format parses with RDF parsers that are not rdflib, and all hold the same graph.

Turtle, TriG, N-Quads, N-Triples and RDF/XML are read by ``rapper`` (Raptor, Debian's
raptor2-utils); JSON-LD by pyoxigraph. The input is the bundled example plus two invented
articles, so the dataset has three named graphs that share some actors: the quad count of
TriG and N-Quads is then larger than the triple count of their union, which is what the
one-graph formats must hold.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE
from diplograph.cli import app

TWO_ARTICLES = Path(__file__).parent / "data" / "cli" / "two-articles.jsonl"
RAPPER_INPUT = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "ntriples",
    ".rdf": "rdfxml",
}
SUFFIXES = [*RAPPER_INPUT, ".jsonld"]
GRAPH_NAMES = {
    "https://w3id.org/diplograph/id/graph/zhao-leji-pyongyang",
    "https://w3id.org/diplograph/id/graph/paris-talks",
    "https://w3id.org/diplograph/id/graph/tokyo-protest",
}

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    paths = {}
    for suffix in SUFFIXES:
        path = folder / f"news{suffix}"
        result = CliRunner().invoke(
            app,
            [
                "build",
                str(EXAMPLE),
                str(TWO_ARTICLES),
                "--published",
                "2024-04-13",
                "-o",
                str(path),
            ],
        )
        assert result.exit_code == 0, result.stderr
        paths[suffix] = path
    return paths


def rapper(*args: str) -> subprocess.CompletedProcess:
    program = shutil.which("rapper")
    if program is None:
        pytest.skip("rapper (Debian package raptor2-utils) is not installed")
    return subprocess.run([program, *args], capture_output=True, text=True, timeout=60, check=False)


def rapper_count(path: Path, suffix: str) -> int:
    """Statements in ``path`` as rapper counts them (quads for TriG and N-Quads)."""
    done = rapper("-i", RAPPER_INPUT[suffix], "-c", str(path))
    assert done.returncode == 0, done.stderr
    assert not re.search(r"error|warning", done.stderr, re.IGNORECASE), done.stderr
    match = re.search(r"returned (\d+) (?:triples|statements)", done.stderr)
    assert match, done.stderr
    return int(match.group(1))


def rapper_triples(path: Path, suffix: str) -> set[str]:
    """The union of ``path`` as N-Triples lines written by rapper (graph names dropped)."""
    done = rapper("-q", "-i", RAPPER_INPUT[suffix], "-o", "ntriples", str(path))
    assert done.returncode == 0, done.stderr
    return {line for line in done.stdout.splitlines() if line.strip()}


def oxigraph_quads(path: Path, suffix: str) -> list:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    formats = {
        ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
        ".trig": pyoxigraph.RdfFormat.TRIG,
        ".nq": pyoxigraph.RdfFormat.N_QUADS,
        ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
    }
    with path.open("rb") as handle:
        return list(pyoxigraph.parse(handle, format=formats[suffix]))


@pytest.mark.external
@pytest.mark.parametrize("suffix", list(RAPPER_INPUT))
def test_rapper_parses_each_format(built, suffix):
    assert rapper_count(built[suffix], suffix) > 100


@pytest.mark.external
def test_rapper_counts_the_union_in_every_one_graph_format(built):
    union = rapper_triples(built[".nq"], ".nq")
    assert rapper_triples(built[".trig"], ".trig") == union
    # three articles name some of the same actors: more quads than union triples
    assert rapper_count(built[".nq"], ".nq") == rapper_count(built[".trig"], ".trig") > len(union)
    for suffix in (".ttl", ".nt", ".rdf"):
        assert rapper_count(built[suffix], suffix) == len(union), suffix
        assert rapper_triples(built[suffix], suffix) == union, suffix


def test_jsonld_parses_with_pyoxigraph_with_its_named_graphs(built):
    quads = oxigraph_quads(built[".jsonld"], ".jsonld")
    trig = oxigraph_quads(built[".trig"], ".trig")
    assert {q.graph_name.value for q in quads} == GRAPH_NAMES
    assert set(quads) == set(trig)
    union = {(q.subject, q.predicate, q.object) for q in quads}
    assert len(union) == len(oxigraph_quads(built[".nt"], ".nt"))
    assert set(oxigraph_quads(built[".nq"], ".nq")) == set(quads)
