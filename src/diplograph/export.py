"""Analyst tables computed by SPARQL over the graph, in the shared gold row format; exports.

The tables read any ``Dataset`` of ``diplograph.query.open_graph``: graph files, or a store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from rdflib import Dataset

from diplograph.errors import error
from diplograph.query import internal_query, run_query
from diplograph.rdf.io import (
    atomic_output,
    output_format,
    read_graphs,
    serialize,
    write_dataset,
)
from diplograph.vocab import bind_prefixes

EVENT_COLUMNS = [
    "doc",
    "type",
    "subtype",
    "source",
    "target",
    "source_states",
    "target_states",
    "location",
    "date",
    "negated",
    "modality",
    "evidence",
    "confidence",
]
ENTITY_COLUMNS = ["doc", "name", "type", "code"]


def _text(value) -> str | None:
    return None if value is None else str(value)


def event_rows(dataset: Dataset) -> list[dict]:
    """One row per event: who did what to whom, where, when, how sure, and the evidence.

    ``source_states`` and ``target_states`` run parallel to ``source`` and ``target``: the
    state of each actor at the same position (a state's own code, the state a person or body
    serves), ``None`` where the graph gives the actor none.

    Rows are read by variable name (``row.event``), which rdflib's results allow on files and,
    through oxrdflib, on a store. Where the graph offers an event several values (an actor
    whose articles disagree on its state), the smallest is taken, so the table does not depend
    on the order a SPARQL engine returns rows in.
    """
    actors: dict[str, dict[str, dict[str, str | None]]] = defaultdict(
        lambda: {"source": {}, "target": {}}
    )
    for row in run_query(dataset, internal_query("event_actors")):
        side = actors[str(row.event)][str(row.role)]
        label, code = str(row.label), _text(row.code)
        held = side.get(label)
        side[label] = code if held is None else min(held, code or held)
    rows: dict[str, dict] = {}
    for row in run_query(dataset, internal_query("events")):
        key = str(row.event)
        sides = actors[key]
        candidate = {
            "doc": str(row.doc),
            "type": str(row.type),
            "subtype": _text(row.subtype),
            "source": sorted(sides["source"]),
            "target": sorted(sides["target"]),
            # each actor's state, in the order of the actors (None where it is unknown)
            "source_states": [sides["source"][label] for label in sorted(sides["source"])],
            "target_states": [sides["target"][label] for label in sorted(sides["target"])],
            "location": _text(row.location),
            "date": _text(row.date),
            "negated": bool(row.negated.toPython()),
            "modality": str(row.modality),
            "evidence": str(row.evidence),
            "confidence": float(row.confidence),
        }
        if key not in rows or _rank(candidate) < _rank(rows[key]):
            rows[key] = candidate  # order stays the query's: ?doc ?start ?event
    return list(rows.values())


def _rank(row: dict) -> tuple:
    return tuple("" if value is None else str(value) for value in row.values())


def entity_rows(dataset: Dataset) -> list[dict]:
    """One row per actor or place each article names (by doc and name; where one name has
    several types or codes, the first by type, then the one with the smallest code)."""
    rows: dict[tuple[str, str], dict] = {}
    for row in run_query(dataset, internal_query("entities")):
        candidate = {
            "doc": str(row.doc),
            "name": str(row.name),
            "type": str(row.type),
            "code": _text(row.code),
        }
        key = (candidate["doc"], candidate["name"])
        if key not in rows or _entity_rank(candidate) < _entity_rank(rows[key]):
            rows[key] = candidate
    return sorted(rows.values(), key=lambda r: (r["doc"], r["type"], r["name"]))


def _entity_rank(row: dict) -> tuple:
    return (row["type"], row["code"] is None, row["code"] or "")


def export_to(
    handle: IO[bytes],
    suffix: str,
    *,
    graphs: Iterable[str | Path] = (),
    store: str | Path | None = None,
) -> None:
    """Write graph files or the articles of a store to an open binary ``handle`` in the format
    of ``suffix`` (``.nq``...): ``export_graph`` without a file, for standard output. N-Quads
    from a store stream graph by graph through Oxigraph, never through rdflib.

    Raises:
        DiplographError: E008 unsupported suffix, and the errors of reading the graphs or
            opening the store.
    """
    probe = Path("out" + suffix)
    output_format(probe)
    if store is None:
        handle.write(serialize(read_graphs(graphs), probe))
        return
    from diplograph.rdf.store import dump_nquads, reading

    with reading(store) as opened:
        if suffix == ".nq":
            dump_nquads(opened, handle)
            return
        articles = store_articles(opened)
    handle.write(serialize(articles, probe))


def export_graph(
    output: Path, *, graphs: Iterable[str | Path] = (), store: str | Path | None = None
) -> Path:
    """Write graph files, or the articles of a store, to ``output`` (format by suffix).

    From files the output is what ``build -o`` writes: sorted, byte for byte the same for the
    same graphs. From a store, N-Quads stream through Oxigraph graph by graph (memory stays
    flat; lines in the store's order); the other formats go through the same sorted writers
    as files. Oxigraph keeps typed literals in canonical form (``"0.90"^^xsd:decimal`` comes
    back as ``"0.9"``), so a store's export can differ from the files in those spellings.

    Raises:
        DiplographError: E008 unsupported suffix, E021 output not writable, and the errors of
            reading the graphs or opening the store.
    """
    output_format(output)  # fail on a bad suffix before any work
    if output.is_dir():
        raise error("E021", path=output, detail="it is a folder")
    if store is None:
        write_dataset(read_graphs(graphs), output)
        return output
    from diplograph.rdf.store import dump_nquads, reading

    with reading(store) as opened:
        if output.suffix.lower() == ".nq":
            with atomic_output(output) as temporary, temporary.open("wb") as handle:
                dump_nquads(opened, handle)
            return output
        articles = store_articles(opened)
    write_dataset(articles, output)
    return output


def store_articles(store) -> Dataset:
    """The article graphs of a pyoxigraph store, copied into an in-memory rdflib ``Dataset``.

    Plain strings come back as rdflib writes them (no ``^^xsd:string``), so the sorted writers
    give the same text as for graph files.
    """
    import pyoxigraph as ox
    from rdflib import XSD, BNode, Literal, URIRef

    from diplograph.rdf.store import data_quads

    def term(value):
        if isinstance(value, ox.NamedNode):
            return URIRef(value.value)
        if isinstance(value, ox.BlankNode):
            return BNode(value.value)
        if value.language:
            return Literal(value.value, lang=value.language)
        if value.datatype.value == str(XSD.string):
            return Literal(value.value)
        return Literal(value.value, datatype=URIRef(value.datatype.value))

    dataset = bind_prefixes(Dataset(default_union=True))
    graphs: dict = {}
    for quad in data_quads(store):
        name = quad.graph_name
        if name not in graphs:
            graphs[name] = dataset.graph(term(name))
        graphs[name].add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return dataset
