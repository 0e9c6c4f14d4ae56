"""The library API behind the command line: one function per command."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rdflib import Dataset

from diplograph.errors import DiplographError, error
from diplograph.export import entity_rows, event_rows
from diplograph.guard import Limits
from diplograph.model import Article, Extraction
from diplograph.nlp.pipeline import DEFAULT_MODEL, load_pipeline
from diplograph.propgraph import PG_FORMATS
from diplograph.push import PushReport, Remote
from diplograph.push import push as push_graphs
from diplograph.query import (
    KEYED,
    Page,
    keyed_page,
    named_query,
    open_endpoint,
    open_graph,
    query_store,
    run_query,
    with_page,
)
from diplograph.rdf.build import build_dataset
from diplograph.rdf.io import atomic_output, output_format, write_dataset
from diplograph.rdf.store import DEFAULT_STORE
from diplograph.vocab import bind_prefixes

T = TypeVar("T")


def extract(
    inputs: Iterable[str | Path],
    *,
    model: str = DEFAULT_MODEL,
    published: dt.date | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Iterator[Extraction]:
    """Read articles from files or folders and yield what each one says, in input order.

    ``jobs`` > 1 parses in that many worker processes; ``scheduler`` (``tcp://HOST:PORT``) on
    the workers of a Dask cluster. A missing input (E001) or pipeline (E007), or a scheduler
    that does not answer (E041), raises here, at the call; errors inside the files raise while
    iterating.
    """
    if jobs > 1 and scheduler:
        raise error("E043")
    from diplograph.ingest import read_articles

    articles = read_articles(inputs, published=published)
    return _extractions(articles, model, jobs, scheduler)


def _extractions(
    articles: Iterable[Article], model: str, jobs: int, scheduler: str | None = None
) -> Iterator[Extraction]:
    """What each article says, in input order: parsed here (``jobs`` 1), in ``jobs`` worker
    processes that parse and read (started at this call), or on a Dask cluster."""
    from diplograph.nlp.extract import extract_articles  # spaCy: only the commands that parse

    nlp = load_pipeline(model)  # an unknown model fails here, at the call
    if scheduler:
        from diplograph.distributed import extract_on_dask

        return extract_on_dask(articles, model, scheduler)
    if jobs > 1:
        from diplograph.nlp.parallel import extract_in_processes

        return extract_in_processes(articles, model, jobs=jobs)
    return extract_articles(articles, nlp)


def _observed(
    extractions: Iterable[Extraction], progress: Callable[[Extraction], None] | None
) -> Iterator[Extraction]:
    for extraction in extractions:
        if progress is not None:
            progress(extraction)
        yield extraction


def build(
    inputs: Iterable[str | Path],
    output: str | Path | None = None,
    *,
    store: str | Path | None = None,
    model: str = DEFAULT_MODEL,
    published: dt.date | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    progress: Callable[[Extraction], None] | None = None,
) -> int:
    """Build the graph of ``inputs`` into a graph file or a store; returns the article count.

    ``output`` (format by suffix) appears only when every article was read: a bad input leaves
    no file behind. With ``store`` (the default, ``graphs/store``, when neither is given) each
    article is committed as it is read, replacing an older version of it; a bad input stops
    the build with the articles before it stored and nothing of the bad one.

    ``jobs`` and ``scheduler`` as in ``extract``: the graph is the same whichever parses.
    ``progress`` is called with each article's extraction as it is read.
    """
    if output is not None and store is not None:
        raise error("E029")
    if jobs > 1 and scheduler:
        raise error("E043")
    if output is None:
        return _build_store(
            inputs, store or DEFAULT_STORE, model, published, jobs, scheduler, progress
        )
    path = Path(output)
    output_format(path)  # fail on a bad suffix or a folder before any work
    if path.is_dir():
        raise error("E021", path=path, detail="it is a folder")
    extractions = _observed(
        extract(inputs, model=model, published=published, jobs=jobs, scheduler=scheduler),
        progress,
    )
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


def _build_store(inputs, path, model, published, jobs, scheduler, progress) -> int:
    """Articles into the store, each committed on its own. A bad article ends the stream
    where it stands: the pipeline (which reads ahead a batch at a time) still gets the
    articles before it, they are stored, then its error is raised."""
    from diplograph.ingest import read_articles
    from diplograph.rdf.store import write_articles

    articles = read_articles(inputs, published=published)
    failure: list[DiplographError] = []

    def until_bad(stream: Iterator[Article]) -> Iterator[Article]:
        try:
            yield from stream
        except DiplographError as exc:
            failure.append(exc)

    extractions = _extractions(until_bad(articles), model, jobs, scheduler)
    count = write_articles(path, _observed(extractions, progress))
    if failure:
        raise failure[0]
    return count


def remove(doc_ids: Iterable[str], *, store: str | Path | None = None) -> int:
    """Take articles out of a store, by id; returns how many. All are checked first: an id
    the store does not hold (E028) removes none."""
    from diplograph.rdf.store import remove_articles

    return remove_articles(store or DEFAULT_STORE, doc_ids)


def _stream_nquads(extractions: Iterable[Extraction], path: Path) -> int:
    """N-Quads written article by article: memory stays flat however long the corpus."""
    from diplograph.rdf.build import add_extraction

    count = 0
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        for extraction in extractions:
            dataset = bind_prefixes(Dataset())
            add_extraction(dataset, extraction)
            lines = dataset.serialize(format="nquads").splitlines()
            handle.writelines(line + "\n" for line in sorted(set(lines)) if line.strip())
            count += 1
    return count


@dataclass(frozen=True)
class Endpoint:
    """A remote SPARQL endpoint (SPARQL 1.1 Protocol) to query instead of files or a store."""

    url: str
    user: str | None = None
    password: str | None = None


def _read(
    graphs: Iterable[str | Path],
    store: str | Path | None,
    work: Callable[[Dataset], T],
    endpoint: Endpoint | None = None,
) -> T:
    """``work`` on graph files, on a store (the one given, else ``graphs/store`` when no
    file is), or on a remote endpoint. A store is read from a read-only snapshot, under its
    read lock."""
    graphs = list(graphs)
    if endpoint is not None:
        if graphs or store is not None:
            raise error("E038")
        return work(open_endpoint(endpoint.url, user=endpoint.user, password=endpoint.password))
    if store is None and not graphs:
        store = DEFAULT_STORE
    if store is None or graphs:
        return work(open_graph(graphs, store=store))
    dataset = open_graph(store=store)
    try:
        return work(dataset)
    finally:
        dataset.close()  # the read lock: a build waiting for it may go on


def query(
    graphs: Iterable[str | Path] = (),
    text: str | None = None,
    *,
    named: str | None = None,
    bindings: dict[str, str] | None = None,
    store: str | Path | None = None,
    endpoint: Endpoint | None = None,
    offset: int | None = None,
    limit: int | None = None,
    all_rows: bool = False,
    after: str | None = None,
    allow_outbound: bool = False,
    limits: Limits | None = None,
):
    """Run a SPARQL query (text, or a bundled named query) over graph files, a store or a
    remote endpoint. ``offset``, ``limit`` and ``all_rows`` choose the page of a paged query
    (the bundled lists answer their newest 100 events; ``query.with_page``); ``after`` the
    key of a page's last row, for the page after it (``page``, which also gives the key of
    the next page). A named query's ``bindings`` are checked against those it declares
    (``query.check_bindings``).

    The text is checked before it runs (``query.check_query``): against ``limits`` (the
    server's defaults when None), and it may not reach other addresses or files (SERVICE,
    LOAD, and FROM over graph files) unless ``allow_outbound``."""
    if after is not None:
        if offset is not None or all_rows:
            detail = "give --after KEY or --offset N / --all, not both"
            raise error("E044", option="--after", detail=detail)
        if not named:
            raise error("E053", what="a bundled listing", detail="give --named NAME")
        return page(
            graphs,
            named=named,
            bindings=bindings,
            store=store,
            endpoint=endpoint,
            after=after,
            limit=limit,
        ).result
    text = named_query(named, bindings or {}) if named else text or ""
    if offset is not None or limit is not None or all_rows:
        text = with_page(text, offset=offset, limit=limit, all_rows=all_rows)
    graphs = list(graphs)
    if endpoint is None and not graphs:  # a store: on Oxigraph, without rdflib's SPARQL
        return query_store(
            store or DEFAULT_STORE, text, bindings, allow_outbound=allow_outbound, limits=limits
        )
    return _read(
        graphs,
        store,
        lambda dataset: run_query(
            dataset, text, bindings, allow_outbound=allow_outbound, limits=limits
        ),
        endpoint,
    )


def page(
    graphs: Iterable[str | Path] = (),
    *,
    named: str,
    bindings: dict[str, str] | None = None,
    store: str | Path | None = None,
    endpoint: Endpoint | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> Page:
    """A page of the bundled query ``named``: ``limit`` of its entries (events, posts; 100)
    after the key ``after`` (None: the first page), and the key of the page's last row when
    more follow (``Page.after``: pass it as ``after`` for the next page).

    The bundled listings (``query.KEYED``) read their page from the index graph of a store
    or of graph files (``diplograph.rdf.index``): its cost follows the page, not the store.
    A store without one (written by an older diplograph: its next build or remove adds it)
    and an endpoint answer the query as written, first page only; so does a query that is
    not a listing.

    Raises:
        DiplographError: E052 for a bad key; E053 for ``after`` where no index is kept, or
            on a query that is not a listing; and the errors of ``query``.
    """
    named_query(named, bindings or {})  # E012, E045, E046 first
    graphs = list(graphs)
    if graphs and store is not None:
        raise error("E029")
    if named in KEYED and endpoint is None:
        found = keyed_page(
            named, bindings, paths=graphs, store=store or DEFAULT_STORE, after=after, limit=limit
        )
        if found is not None:
            return found
    if after is not None:
        if named not in KEYED:
            detail = f"{named!r} is not one (they are: {', '.join(KEYED)})"
            raise error("E053", what="the bundled listings only", detail=detail)
        detail = (
            "an endpoint keeps none: use --offset N"
            if endpoint is not None
            else "this store has none (an older diplograph wrote it): any build or remove "
            "adds it, or use --offset N"
        )
        raise error(
            "E053", what="through the index graph of a store or of graph files", detail=detail
        )
    result = query(
        graphs, named=named, bindings=bindings, store=store, endpoint=endpoint, limit=limit
    )
    return Page(result, None)


#: the events table leaves out events read with less confidence than this (the graph keeps
#: them all): on the development corpus fewer than one in four of those is right
DEFAULT_MIN_CONFIDENCE = 0.25


def events(
    graphs: Iterable[str | Path] = (),
    *,
    store: str | Path | None = None,
    endpoint: Endpoint | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[dict]:
    """The analyst events table of graph files, a store or a remote endpoint: the events read
    with at least ``min_confidence`` (0 lists every event of the graph)."""
    rows = _read(graphs, store, event_rows, endpoint)
    return [row for row in rows if row["confidence"] >= min_confidence]


def entities(
    graphs: Iterable[str | Path] = (),
    *,
    store: str | Path | None = None,
    endpoint: Endpoint | None = None,
) -> list[dict]:
    """The analyst entities table of graph files, a store or a remote endpoint."""
    return _read(graphs, store, entity_rows, endpoint)


def push(
    graphs: Iterable[str | Path] = (),
    *,
    store: str | Path | None = None,
    remote: Remote,
    **options,
) -> PushReport:
    """Push graph files, or a store's graphs (``graphs/store`` when neither is given), and the
    ontology to a remote triple store. ``options``: ``graph_prefix``, ``ontology``,
    ``batch_size``, ``dry_run``, ``force``, ``progress``, as ``diplograph.push.push`` takes."""
    return push_graphs(remote, graphs=list(graphs), store=store, **options)


def export(
    graphs: Iterable[str | Path] = (),
    output: str | Path | None = "",
    *,
    store: str | Path | None = None,
    fmt: str | None = None,
) -> Path | None:
    """Write graph files or a store's articles to one file, format by suffix (or ``fmt``:
    ``nq``, ``trig``, ``ttl``, ``nt``, ``jsonld``, ``rdf``); returns it. Without ``output``
    (None) the graph goes to standard output, in ``fmt``.

    ``fmt`` ``graphml``, ``neo4j`` (``output`` a folder of ``neo4j-admin`` import CSVs),
    ``cypher`` or ``ladybug-cypher`` write the property-graph view of ``diplograph.propgraph``
    instead.

    The store's ontology graph is left out, as ``build -o`` leaves it out. N-Quads from a store
    stream graph by graph (memory stays flat), and so do the property-graph formats; every
    other format is sorted in memory.
    """
    import sys

    from diplograph.export import export_graph, export_to

    graphs = list(graphs)
    if store is None and not graphs:
        store = DEFAULT_STORE
    if graphs and store is not None:
        raise error("E029")
    if fmt and fmt.lower() in PG_FORMATS:
        return _export_propgraph(graphs, store, fmt.lower(), output)
    suffix = "." + fmt.lower().lstrip(".") if fmt else None
    if output is None:
        if suffix is None:
            raise error("E039")
        export_to(sys.stdout.buffer, suffix, graphs=graphs, store=store)
        sys.stdout.buffer.flush()
        return None
    path = Path(output)
    if suffix is not None and path.suffix.lower() != suffix:
        raise error("E040", path=path, fmt=fmt)
    return export_graph(path, graphs=graphs, store=store)


def _export_propgraph(graphs, store, fmt: str, output) -> Path | None:
    import sys

    from diplograph.propgraph import export_propgraph

    path = None if output is None else Path(output)
    return _read(graphs, store, lambda dataset: export_propgraph(dataset, fmt, path, sys.stdout))


__all__ = [
    "Endpoint",
    "Remote",
    "build",
    "entities",
    "events",
    "export",
    "extract",
    "push",
    "query",
    "remove",
]
