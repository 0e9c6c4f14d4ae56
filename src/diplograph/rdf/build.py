"""Extractions to RDF: one named graph per article, every claim with its provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespaces
from rdflib.term import Node

from diplograph import vocab
from diplograph.model import Actor, Event, Extraction
from diplograph.nlp.lexicon import load_lexicon
from diplograph.rdf import iris
from diplograph.vocab import bind_prefixes


class _Terms:
    """An rdflib namespace whose terms are made once: rdflib makes a new ``URIRef`` at every
    attribute access, and an article's graph reads a few thousand of them."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace
        self._made: dict[str, URIRef] = {}

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)  # found as a plain attribute from now on
        return term

    def __getitem__(self, name: str) -> URIRef:
        term = self._made.get(name)
        if term is None:
            term = self._made[name] = self._namespace[name]
        return term


DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD = (
    _Terms(getattr(rdflib_namespaces, name))
    for name in ("DCTERMS", "ORG", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD")
)
DGO, SCHEMA = _Terms(vocab.DGO), _Terms(vocab.SCHEMA)

MODALITY = {
    "asserted": DGO.Asserted,
    "reported": DGO.Reported,
    "alleged": DGO.Alleged,
    "expected": DGO.Expected,
}
Triple = tuple[Node, Node, Node]
ACTOR_CLASS = {
    "State": DGO.State,
    "Person": DGO.Person,
    "Organization": DGO.Organization,
    "Place": DGO.Place,
}


@lru_cache(maxsize=16384, typed=True)  # typed: 1 and True are two literals
def _literal(value: str | int | bool, lang: str | None = None, datatype: URIRef | None = None):
    """``Literal(value, lang, datatype)``, made once for values that recur (labels, codes,
    counts, offsets, flags): rdflib's ``Literal`` is slow to make."""
    return Literal(value, lang=lang, datatype=datatype)


def date_literal(value: str) -> Literal:
    """``2024-04-13`` as xsd:date, ``2024-04`` as xsd:gYearMonth, ``2024`` as xsd:gYear."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return _literal(value, datatype=datatype)


def _actor_triples(actor: Actor) -> Iterator[Triple]:
    node = iris.actor_iri(actor.key)
    yield (node, RDF.type, ACTOR_CLASS[actor.kind])
    if actor.subkind:
        try:
            subclass = DGO[actor.subkind]
        except AttributeError:  # a kind the ontology does not define leaves the plain kind
            subclass = None
        if subclass is not None:
            yield (node, RDF.type, subclass)
    label = actor.label if actor.kind in {"State", "Person"} else actor.canonical or actor.label
    yield (node, SKOS.prefLabel, _literal(label, lang="en"))
    yield (node, RDFS.label, _literal(label, lang="en"))
    for alias in sorted({actor.label, *actor.aliases} - {label}):
        yield (node, SKOS.altLabel, _literal(alias, lang="en"))
    if actor.kind == "State" and actor.state:
        yield (node, DGO.isoAlpha3, _literal(actor.state))
        if actor.iso2:
            yield (node, DGO.isoAlpha2, _literal(actor.iso2))
    elif actor.state:
        yield (node, DGO.state, iris.actor_iri(f"state/{actor.state}"))
    if actor.geonames_id:
        yield (node, OWL.sameAs, iris.geonames_iri(actor.geonames_id))
        yield (node, DGO.geonamesId, _literal(actor.geonames_id))


def _event_label(event: Event, labels: dict[str, str]) -> str:
    source = ", ".join(labels.get(k, k) for k in event.source) or "?"
    target = ", ".join(labels.get(k, k) for k in event.target) or "?"
    kind = event.subtype or event.category.lower()
    return f"{event.category} {kind}: {source} \u2192 {target}"


def extraction_graph(extraction: Extraction, graph: Graph | None = None) -> Graph:
    """All triples read from one article, added to ``graph`` (a new graph by default)."""
    graph = graph if graph is not None else bind_prefixes(Graph())
    for triple in extraction_triples(extraction):
        graph.add(triple)
    return graph


def extraction_ntriples(extraction: Extraction) -> str:
    """All triples read from one article as N-Triples: sorted lines, each triple once.

    The same triples as ``extraction_graph``, written without building an rdflib graph (the
    store's fast path); ``extraction.ntriples`` when a worker process has written them.
    """
    if extraction.ntriples is not None:
        return extraction.ntriples
    lines = {f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in extraction_triples(extraction)}
    return "".join(sorted(lines))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term: Node) -> str:
    """One term in N-Triples (only the four characters N-Triples requires are escaped)."""
    if term.__class__ is URIRef:  # most terms: the cheapest test first
        return f"<{term}>"
    if isinstance(term, Literal):
        return _nt_literal(term)
    return f"<{term}>"


@lru_cache(maxsize=16384)
def _nt_literal(term: Literal) -> str:
    text = '"' + str(term).translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{term.datatype}>"
    return text


def with_ntriples(extraction: Extraction) -> Extraction:
    """``extraction`` carrying its N-Triples: what a worker process sends back, so that the
    parent, which writes the store, does not make them."""
    return replace(extraction, ntriples=extraction_ntriples(extraction))


def extraction_triples(extraction: Extraction) -> Iterator[Triple]:
    """All triples read from one article (a triple may come more than once)."""
    article = extraction.article
    doc = iris.document_iri(article.id)
    yield (doc, RDF.type, DGO.Article)
    yield (doc, DCTERMS.identifier, _literal(article.id))
    if article.title:
        yield (doc, DCTERMS.title, _literal(article.title))
    if article.published:
        yield (doc, DCTERMS.issued, _literal(article.published.isoformat(), datatype=XSD.date))
    if article.dateline:
        yield (doc, DGO.dateline, _literal(article.dateline))
    if article.source:
        yield (doc, DCTERMS.publisher, _literal(article.source))
    if article.url:
        yield (doc, SCHEMA.url, _literal(article.url, datatype=XSD.anyURI))

    labels = {actor.key: actor.label for actor in extraction.actors}
    for actor in extraction.actors:
        yield from _actor_triples(actor)
        count = extraction.mentions.get(actor.key)
        if count is None:
            continue
        node = iris.actor_iri(actor.key)
        mention = iris.mention_iri(article.id, actor.key)
        yield (doc, DGO.mentions, node)
        yield (mention, RDF.type, DGO.Mention)
        yield (mention, DGO.mentionOf, node)
        yield (mention, DGO.inDocument, doc)
        yield (mention, RDFS.label, _literal(actor.label, lang="en"))
        yield (mention, DGO.mentionCount, _literal(count))
        for form in sorted({actor.label, *actor.aliases}):
            yield (mention, DGO.surfaceForm, _literal(form))

    for event in extraction.events:
        node = iris.event_iri(event)
        yield (node, RDF.type, DGO.Event)
        yield (node, RDF.type, DGO[event.event_class])
        category_class = _category_class(event)
        if category_class is not None and category_class != DGO[event.event_class]:
            yield (node, RDF.type, category_class)
        yield (node, RDFS.label, _literal(_event_label(event, labels), lang="en"))
        for key in event.source:
            yield (node, DGO.source, iris.actor_iri(key))
        for key in event.target:
            yield (node, DGO.target, iris.actor_iri(key))
        if event.location:
            yield (node, DGO.location, iris.actor_iri(event.location))
        if event.date:
            yield (node, DGO.date, date_literal(event.date))
        yield (node, DGO.negated, _literal(event.negated))
        yield (node, DGO.modality, MODALITY[event.modality])
        yield (node, DGO.confidence, _literal(f"{event.confidence:.2f}", datatype=XSD.decimal))
        yield (node, DGO.trigger, _literal(event.trigger))
        yield (node, PROV.wasDerivedFrom, doc)
        if event.attributed_to:
            yield (node, PROV.wasAttributedTo, iris.actor_iri(event.attributed_to))
        for evidence in event.evidence:
            sentence = iris.evidence_iri(article.id, evidence.start, evidence.end)
            yield (node, DGO.evidence, sentence)
            yield from _evidence_triples(sentence, doc, evidence.text, evidence.start, evidence.end)

    for post in extraction.posts:
        if post.organization is None:
            continue
        membership = iris.membership_iri(article.id, post.person, post.role, post.organization)
        role = iris.role_iri(post.role)
        yield (membership, RDF.type, ORG.Membership)
        yield (membership, ORG.member, iris.actor_iri(post.person))
        yield (membership, ORG.organization, iris.actor_iri(post.organization))
        yield (membership, ORG.role, role)
        yield (membership, PROV.wasDerivedFrom, doc)
        if article.published:
            yield (
                membership,
                DCTERMS.date,
                _literal(article.published.isoformat(), datatype=XSD.date),
            )
        yield (role, RDF.type, DGO.Role)
        yield (role, SKOS.prefLabel, _literal(post.role, lang="en"))
        evidence = post.evidence
        sentence = iris.evidence_iri(article.id, evidence.start, evidence.end)
        yield (membership, DGO.evidence, sentence)
        yield from _evidence_triples(sentence, doc, evidence.text, evidence.start, evidence.end)


def _evidence_triples(
    node: URIRef, doc: URIRef, text: str, start: int, end: int
) -> Iterator[Triple]:
    yield (node, RDF.type, DGO.Evidence)
    yield (node, DGO.text, _literal(text))
    yield (node, DGO.startOffset, _literal(start))
    yield (node, DGO.endOffset, _literal(end))
    yield (node, DGO.inDocument, doc)


def _category_class(event: Event) -> URIRef | None:
    try:
        return load_lexicon().by_category(event.category).iri
    except KeyError:
        return None


def add_extraction(dataset: Dataset, extraction: Extraction) -> Graph:
    """Put one article's graph into ``dataset`` as its own named graph, replacing an older one."""
    name = iris.graph_iri(extraction.article.id)
    dataset.remove_graph(dataset.graph(name))
    graph = dataset.graph(name)
    extraction_graph(extraction, graph)
    return graph


def build_dataset(extractions: Iterable[Extraction]) -> Dataset:
    """A dataset with one named graph per article."""
    dataset = bind_prefixes(Dataset(default_union=True))
    for extraction in extractions:
        add_extraction(dataset, extraction)
    return dataset


__all__ = [
    "add_extraction",
    "build_dataset",
    "date_literal",
    "extraction_graph",
    "extraction_ntriples",
    "extraction_triples",
    "with_ntriples",
]
