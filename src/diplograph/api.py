"""The library API behind the command line: one function per command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset

from diplograph.errors import error
from diplograph.export import entity_rows, event_rows
from diplograph.ingest import read_articles
from diplograph.model import Extraction
from diplograph.nlp.extract import extract_articles
from diplograph.nlp.pipeline import DEFAULT_MODEL, load_pipeline
from diplograph.query import named_query, open_dataset, run_query
from diplograph.rdf.build import build_dataset, extraction_graph
from diplograph.rdf.io import atomic_output, output_format, write_dataset
from diplograph.vocab import bind_prefixes


def extract(
    inputs: Iterable[str | Path],
    *,
    model: str = DEFAULT_MODEL,
    published: dt.date | None = None,
    jobs: int = 1,
) -> Iterator[Extraction]:
    """Read articles from files or folders and yield what each one says, in input order.

    A missing input (E001) or pipeline (E007) raises here, at the call; errors inside
    the files raise while iterating.
    """
    articles = read_articles(inputs, published=published)
    nlp = load_pipeline(model)
    return extract_articles(articles, nlp, n_process=jobs)


def build(
    inputs: Iterable[str | Path],
    output: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    published: dt.date | None = None,
    jobs: int = 1,
) -> int:
    """Build the graph of ``inputs`` into ``output`` (format by suffix); returns the article count.

    The output appears only when every article was read: a bad input leaves no file behind.
    """
    path = Path(output)
    output_format(path)  # fail on a bad suffix or a folder before any work
    if path.is_dir():
        raise error("E021", path=path, detail="it is a folder")
    extractions = extract(inputs, model=model, published=published, jobs=jobs)
    if path.suffix.lower() == ".nq":
        return _stream_nquads(extractions, path)
    count = 0

    def counted() -> Iterator[Extraction]:
        nonlocal count
        for extraction in extractions:
            count += 1
            yield extraction

    dataset = build_dataset(counted())
    write_dataset(dataset, path)
    return count


def _stream_nquads(extractions: Iterable[Extraction], path: Path) -> int:
    """N-Quads written article by article: memory stays flat however long the corpus."""
    from rdflib import Dataset as _Dataset

    from diplograph.rdf.build import add_extraction

    count = 0
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        for extraction in extractions:
            dataset = bind_prefixes(_Dataset())
            add_extraction(dataset, extraction)
            lines = dataset.serialize(format="nquads").splitlines()
            handle.writelines(line + "\n" for line in sorted(set(lines)) if line.strip())
            count += 1
    return count


def query(
    graphs: Iterable[str | Path],
    text: str | None = None,
    *,
    named: str | None = None,
    bindings: dict[str, str] | None = None,
):
    """Run a SPARQL query (text, or a bundled named query) over graph files."""
    dataset = open_dataset(graphs)
    return run_query(dataset, named_query(named) if named else text or "", bindings)


def events(graphs: Iterable[str | Path]) -> list[dict]:
    """The analyst events table of graph files."""
    return event_rows(open_dataset(graphs))


def entities(graphs: Iterable[str | Path]) -> list[dict]:
    """The analyst entities table of graph files."""
    return entity_rows(open_dataset(graphs))


__all__ = ["Dataset", "build", "entities", "events", "extract", "extraction_graph", "query"]
