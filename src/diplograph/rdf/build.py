"""Extractions to RDF: one named graph per article, every claim with its provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from diplograph.model import Actor, Event, Extraction
from diplograph.nlp.lexicon import load_lexicon
from diplograph.rdf import iris
from diplograph.vocab import DGO, SCHEMA, bind_prefixes

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


def date_literal(value: str) -> Literal:
    """``2024-04-13`` as xsd:date, ``2024-04`` as xsd:gYearMonth, ``2024`` as xsd:gYear."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return Literal(value, datatype=datatype)


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
    yield (node, SKOS.prefLabel, Literal(label, lang="en"))
    yield (node, RDFS.label, Literal(label, lang="en"))
    for alias in sorted({actor.label, *actor.aliases} - {label}):
        yield (node, SKOS.altLabel, Literal(alias, lang="en"))
    if actor.kind == "State" and actor.state:
        yield (node, DGO.isoAlpha3, Literal(actor.state))
        if actor.iso2:
            yield (node, DGO.isoAlpha2, Literal(actor.iso2))
    elif actor.state:
        yield (node, DGO.state, iris.actor_iri(f"state/{actor.state}"))
    if actor.geonames_id:
        yield (node, OWL.sameAs, iris.geonames_iri(actor.geonames_id))
        yield (node, DGO.geonamesId, Literal(actor.geonames_id))


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
    store's fast path).
    """
    lines = {f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in extraction_triples(extraction)}
    return "".join(sorted(lines))


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt(term: Node) -> str:
    """One term in N-Triples (only the four characters N-Triples requires are escaped)."""
    if term.__class__ is URIRef:  # most terms: the cheapest test first
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    return f"<{term}>"


def extraction_triples(extraction: Extraction) -> Iterator[Triple]:
    """All triples read from one article (a triple may come more than once)."""
    article = extraction.article
    doc = iris.document_iri(article.id)
    yield (doc, RDF.type, DGO.Article)
    yield (doc, DCTERMS.identifier, Literal(article.id))
    if article.title:
        yield (doc, DCTERMS.title, Literal(article.title))
    if article.published:
        yield (doc, DCTERMS.issued, Literal(article.published.isoformat(), datatype=XSD.date))
    if article.source:
        yield (doc, DCTERMS.publisher, Literal(article.source))
    if article.url:
        yield (doc, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI))

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
        yield (mention, RDFS.label, Literal(actor.label, lang="en"))
        yield (mention, DGO.mentionCount, Literal(count))
        for form in sorted({actor.label, *actor.aliases}):
            yield (mention, DGO.surfaceForm, Literal(form))

    for event in extraction.events:
        node = iris.event_iri(event)
        yield (node, RDF.type, DGO.Event)
        yield (node, RDF.type, DGO[event.event_class])
        category_class = _category_class(event)
        if category_class is not None and category_class != DGO[event.event_class]:
            yield (node, RDF.type, category_class)
        yield (node, RDFS.label, Literal(_event_label(event, labels), lang="en"))
        for key in event.source:
            yield (node, DGO.source, iris.actor_iri(key))
        for key in event.target:
            yield (node, DGO.target, iris.actor_iri(key))
        if event.location:
            yield (node, DGO.location, iris.actor_iri(event.location))
        if event.date:
            yield (node, DGO.date, date_literal(event.date))
        yield (node, DGO.negated, Literal(event.negated))
        yield (node, DGO.modality, MODALITY[event.modality])
        yield (node, DGO.confidence, Literal(f"{event.confidence:.2f}", datatype=XSD.decimal))
        yield (node, DGO.trigger, Literal(event.trigger))
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
                Literal(article.published.isoformat(), datatype=XSD.date),
            )
        yield (role, RDF.type, DGO.Role)
        yield (role, SKOS.prefLabel, Literal(post.role, lang="en"))
        evidence = post.evidence
        sentence = iris.evidence_iri(article.id, evidence.start, evidence.end)
        yield (membership, DGO.evidence, sentence)
        yield from _evidence_triples(sentence, doc, evidence.text, evidence.start, evidence.end)


def _evidence_triples(
    node: URIRef, doc: URIRef, text: str, start: int, end: int
) -> Iterator[Triple]:
    yield (node, RDF.type, DGO.Evidence)
    yield (node, DGO.text, Literal(text))
    yield (node, DGO.startOffset, Literal(start))
    yield (node, DGO.endOffset, Literal(end))
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
]
