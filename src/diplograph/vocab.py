"""Namespaces: the diplomacy ontology (closed, read from its own source) and common prefixes."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

ONTOLOGY_IRI = "https://w3id.org/diplograph/ontology"
DGO_URI = ONTOLOGY_IRI + "#"
DGR = Namespace("https://w3id.org/diplograph/id/")
SCHEMA = Namespace("http://schema.org/")
GEONAMES = Namespace("https://sws.geonames.org/")

PREFIXES: dict[str, Namespace | str] = {
    "dgo": DGO_URI,
    "dgr": DGR,
    "prov": PROV,
    "org": ORG,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "schema": SCHEMA,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


def ontology_path() -> Path:
    """The ontology source: packaged in a wheel, or ``ontology/`` in a source checkout."""
    packaged = resources.files("diplograph") / "resources" / "ontology" / "diplomacy.ttl"
    if packaged.is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "ontology" / "diplomacy.ttl"
    return checkout


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph (parsed once per process)."""
    graph = Graph()
    graph.parse(ontology_path(), format="turtle")
    return graph


def _ontology_terms() -> list[str]:
    """The ontology's own terms, read with pyoxigraph's parser: rdflib's takes ten times as
    long, and every command pays for this at import."""
    import pyoxigraph as ox

    with ontology_path().open("rb") as handle:
        subjects = {triple.subject for triple in ox.parse(handle, format=ox.RdfFormat.TURTLE)}
    terms = {
        subject.value[len(DGO_URI) :]
        for subject in subjects
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(DGO_URI)
    }
    return sorted(terms)


DGO = ClosedNamespace(DGO_URI, _ontology_terms())


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on ``graph`` (returns it for chaining)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
