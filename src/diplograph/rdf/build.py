"""Extractions to RDF: one named graph per article, every claim with its provenance."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

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


def _actor_triples(graph: Graph, actor: Actor) -> None:
    node = iris.actor_iri(actor.key)
    graph.add((node, RDF.type, ACTOR_CLASS[actor.kind]))
    if actor.subkind:
        # a kind the ontology does not define leaves the plain kind
        with contextlib.suppress(AttributeError):
            graph.add((node, RDF.type, DGO[actor.subkind]))
    label = actor.label if actor.kind in {"State", "Person"} else actor.canonical or actor.label
    graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    graph.add((node, RDFS.label, Literal(label, lang="en")))
    for alias in sorted({actor.label, *actor.aliases} - {label}):
        graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
    if actor.kind == "State" and actor.state:
        graph.add((node, DGO.isoAlpha3, Literal(actor.state)))
        if actor.iso2:
            graph.add((node, DGO.isoAlpha2, Literal(actor.iso2)))
    elif actor.state:
        graph.add((node, DGO.state, iris.actor_iri(f"state/{actor.state}")))
    if actor.geonames_id:
        graph.add((node, OWL.sameAs, iris.geonames_iri(actor.geonames_id)))
        graph.add((node, DGO.geonamesId, Literal(actor.geonames_id)))


def _event_label(event: Event, labels: dict[str, str]) -> str:
    source = ", ".join(labels.get(k, k) for k in event.source) or "?"
    target = ", ".join(labels.get(k, k) for k in event.target) or "?"
    kind = event.subtype or event.category.lower()
    return f"{event.category} {kind}: {source} \u2192 {target}"


def extraction_graph(extraction: Extraction, graph: Graph | None = None) -> Graph:
    """All triples read from one article, added to ``graph`` (a new graph by default)."""
    graph = graph if graph is not None else bind_prefixes(Graph())
    article = extraction.article
    doc = iris.document_iri(article.id)
    graph.add((doc, RDF.type, DGO.Article))
    graph.add((doc, DCTERMS.identifier, Literal(article.id)))
    if article.title:
        graph.add((doc, DCTERMS.title, Literal(article.title)))
    if article.published:
        graph.add((doc, DCTERMS.issued, Literal(article.published.isoformat(), datatype=XSD.date)))
    if article.source:
        graph.add((doc, DCTERMS.publisher, Literal(article.source)))
    if article.url:
        graph.add((doc, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))

    labels = {actor.key: actor.label for actor in extraction.actors}
    for actor in extraction.actors:
        _actor_triples(graph, actor)
        count = extraction.mentions.get(actor.key)
        if count is None:
            continue
        node = iris.actor_iri(actor.key)
        mention = iris.mention_iri(article.id, actor.key)
        graph.add((doc, DGO.mentions, node))
        graph.add((mention, RDF.type, DGO.Mention))
        graph.add((mention, DGO.mentionOf, node))
        graph.add((mention, DGO.inDocument, doc))
        graph.add((mention, RDFS.label, Literal(actor.label, lang="en")))
        graph.add((mention, DGO.mentionCount, Literal(count)))
        for form in sorted({actor.label, *actor.aliases}):
            graph.add((mention, DGO.surfaceForm, Literal(form)))

    for event in extraction.events:
        node = iris.event_iri(event)
        graph.add((node, RDF.type, DGO.Event))
        graph.add((node, RDF.type, DGO[event.event_class]))
        category_class = _category_class(event)
        if category_class is not None and category_class != DGO[event.event_class]:
            graph.add((node, RDF.type, category_class))
        graph.add((node, RDFS.label, Literal(_event_label(event, labels), lang="en")))
        for key in event.source:
            graph.add((node, DGO.source, iris.actor_iri(key)))
        for key in event.target:
            graph.add((node, DGO.target, iris.actor_iri(key)))
        if event.location:
            graph.add((node, DGO.location, iris.actor_iri(event.location)))
        if event.date:
            graph.add((node, DGO.date, date_literal(event.date)))
        graph.add((node, DGO.negated, Literal(event.negated)))
        graph.add((node, DGO.modality, MODALITY[event.modality]))
        graph.add((node, DGO.confidence, Literal(f"{event.confidence:.2f}", datatype=XSD.decimal)))
        graph.add((node, DGO.trigger, Literal(event.trigger)))
        graph.add((node, PROV.wasDerivedFrom, doc))
        if event.attributed_to:
            graph.add((node, PROV.wasAttributedTo, iris.actor_iri(event.attributed_to)))
        for evidence in event.evidence:
            sentence = iris.evidence_iri(article.id, evidence.start, evidence.end)
            graph.add((node, DGO.evidence, sentence))
            _evidence_triples(graph, sentence, doc, evidence.text, evidence.start, evidence.end)

    for post in extraction.posts:
        if post.organization is None:
            continue
        membership = iris.membership_iri(article.id, post.person, post.role, post.organization)
        role = iris.role_iri(post.role)
        graph.add((membership, RDF.type, ORG.Membership))
        graph.add((membership, ORG.member, iris.actor_iri(post.person)))
        graph.add((membership, ORG.organization, iris.actor_iri(post.organization)))
        graph.add((membership, ORG.role, role))
        graph.add((membership, PROV.wasDerivedFrom, doc))
        if article.published:
            graph.add(
                (
                    membership,
                    DCTERMS.date,
                    Literal(article.published.isoformat(), datatype=XSD.date),
                )
            )
        graph.add((role, RDF.type, DGO.Role))
        graph.add((role, SKOS.prefLabel, Literal(post.role, lang="en")))
        evidence = post.evidence
        sentence = iris.evidence_iri(article.id, evidence.start, evidence.end)
        graph.add((membership, DGO.evidence, sentence))
        _evidence_triples(graph, sentence, doc, evidence.text, evidence.start, evidence.end)
    return graph


def _evidence_triples(graph: Graph, node: URIRef, doc: URIRef, text: str, start: int, end: int):
    graph.add((node, RDF.type, DGO.Evidence))
    graph.add((node, DGO.text, Literal(text)))
    graph.add((node, DGO.startOffset, Literal(start)))
    graph.add((node, DGO.endOffset, Literal(end)))
    graph.add((node, DGO.inDocument, doc))


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


__all__ = ["add_extraction", "build_dataset", "date_literal", "extraction_graph"]
