"""Graph files in a memory store laid out as a store folder (:mod:`diplograph.rdf.store`):
one named graph per article, the ontology in its own named graph, and the default graph
holding the merge of them all (each triple once), which SPARQL reads without ``GRAPH``.
(pyoxigraph's ``use_default_graph_as_union`` would repeat a triple once per graph that
holds it.) What queries over graph files run on (``query.open_graph``) and what the server
serves graph files from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF

from diplograph.errors import error
from diplograph.rdf import index
from diplograph.rdf.iris import graph_iri
from diplograph.vocab import DGO, ONTOLOGY_IRI, ontology_path

#: suffix -> (Oxigraph format, holds named graphs)
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    ".trig": (ox.RdfFormat.TRIG, True),
    ".nq": (ox.RdfFormat.N_QUADS, True),
    ".jsonld": (ox.RdfFormat.JSON_LD, True),
    ".ttl": (ox.RdfFormat.TURTLE, False),
    ".nt": (ox.RdfFormat.N_TRIPLES, False),
    ".rdf": (ox.RdfFormat.RDF_XML, False),
    ".owl": (ox.RdfFormat.RDF_XML, False),
    ".xml": (ox.RdfFormat.RDF_XML, False),
}


def open_store(graphs: Iterable[str | Path], *, indexed: bool = False) -> ox.Store:
    """Graph files (``.trig .nq .jsonld .ttl .nt .rdf``) and the ontology in a memory store.

    A file of triples goes into the named graph of the one article it describes
    (``graph/ID``), or, when it holds none or several, into a graph named after the file.
    The ontology is the named graph ``https://w3id.org/diplograph/ontology``. With ``indexed``
    the index graph ``https://w3id.org/diplograph/index`` (``diplograph.rdf.index``) is made
    from them (what a page of a bundled listing reads; it costs about as much as reading
    the files again), and kept by later writes. The store is writable (for SPARQL Update
    with a token); nothing is written back to the files.

    Raises:
        DiplographError: E001 (missing file), E008 (unknown suffix), E011 (unreadable RDF).

    >>> s = open_store([])
    >>> bool(s.query("ASK { GRAPH <https://w3id.org/diplograph/ontology> { ?s ?p ?o } }"))
    True
    >>> bool(s.query("ASK { ?class <https://w3id.org/diplograph/ontology#ploverCategory> ?c }"))
    True
    """
    memory = ox.Store()
    for path in graphs:
        load_file(memory, Path(path))
    ontology = ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    _add(memory, [q.triple for q in ontology], ox.NamedNode(ONTOLOGY_IRI))
    if indexed:
        index.rebuild(memory)
    return memory


def _add(store: ox.Store, triples: list[ox.Triple], graph: ox.NamedNode) -> None:
    """``triples`` into ``graph`` and into the default graph (the merge)."""
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)


def load_file(store: ox.Store, path: Path) -> list[ox.NamedNode]:
    """Load one graph file into ``store``; returns the named graphs it went into."""
    if not path.is_file():
        raise error("E001", path=path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise error("E008", path=path, suffix=suffix or "(none)", choices=", ".join(FORMATS))
    rdf_format, named = FORMATS[suffix]
    base = path.resolve().as_uri()
    try:
        quads = list(ox.parse(path=str(path), format=rdf_format, base_iri=base))
    except (SyntaxError, OSError, ValueError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise error("E011", path=path, detail=detail) from None
    groups: dict[ox.NamedNode, list[ox.Triple]] = {}
    if named:
        # triples outside any named graph in a dataset file go into a graph named after it
        for quad in quads:
            graph = quad.graph_name
            key = ox.NamedNode(base) if isinstance(graph, ox.DefaultGraph) else graph
            groups.setdefault(key, []).append(quad.triple)
    else:
        triples = [q.triple for q in quads]
        groups[_article_graph(triples) or ox.NamedNode(base)] = triples
    for graph, triples in groups.items():
        _add(store, triples, graph)
    return list(groups)


def _article_graph(triples: list[ox.Triple]) -> ox.NamedNode | None:
    """``graph/ID`` when the triples describe exactly one article, else None."""
    article = ox.NamedNode(str(DGO.Article))
    kind, identifier = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(DCTERMS.identifier))
    articles = {t.subject for t in triples if t.predicate == kind and t.object == article}
    if len(articles) != 1:
        return None
    (subject,) = articles
    ids = {
        t.object.value
        for t in triples
        if t.subject == subject and t.predicate == identifier and isinstance(t.object, ox.Literal)
    }
    return ox.NamedNode(str(graph_iri(ids.pop()))) if len(ids) == 1 else None
