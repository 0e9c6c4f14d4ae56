"""The ontology is a reviewed source: lint it, load it, reason over it, and check its shapes.

- every SPARQL check in ``ontology/checks`` returns no rows, and fires on a broken copy;
- the terms the code depends on exist with the right OWL kind;
- owlready2 loads it and HermiT finds it consistent with the valid example,
  and inconsistent when disjointness is broken (so the reasoner really runs);
- the SHACL shapes accept ``examples/valid-*.ttl`` and reject ``examples/invalid-*.ttl``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "diplomacy.ttl"
SHAPES = ONTOLOGY.parent / "shapes.ttl"
CHECKS = sorted((ONTOLOGY.parent / "checks").glob("*.rq"))
EXAMPLES = ONTOLOGY.parent / "examples"
VALID_EXAMPLES = sorted(EXAMPLES.glob("valid-*.ttl"))
INVALID_EXAMPLES = sorted(EXAMPLES.glob("invalid-*.ttl"))

ONTOLOGY_IRI = "https://w3id.org/diplograph/ontology"
DGO = Namespace(ONTOLOGY_IRI + "#")
DGR = Namespace("https://w3id.org/diplograph/id/")
DGSH = Namespace("https://w3id.org/diplograph/shapes#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("http://schema.org/")

# The contract the code depends on: PLOVER category -> upper-case name and CAMEO root codes.
CATEGORIES = {
    "Agree": ("AGREE", {"03"}),
    "Consult": ("CONSULT", {"04"}),
    "Support": ("SUPPORT", {"05"}),
    "Cooperate": ("COOPERATE", {"06"}),
    "Aid": ("AID", {"07"}),
    "Concede": ("CONCEDE", {"08"}),
    "Retreat": ("RETREAT", {"08"}),
    "Request": ("REQUEST", {"02", "10"}),
    "Accuse": ("ACCUSE", {"09", "11"}),
    "Reject": ("REJECT", {"12"}),
    "Threaten": ("THREATEN", {"13"}),
    "Protest": ("PROTEST", {"14"}),
    "Mobilize": ("MOBILIZE", {"15"}),
    "Sanction": ("SANCTION", {"16"}),
    "Coerce": ("COERCE", {"17"}),
    "Assault": ("ASSAULT", {"18", "19", "20"}),
}

# Subtype -> (category, the analyst table's key).
SUBTYPES = {
    "Meeting": ("Consult", "meeting"),
    "Visit": ("Consult", "visit"),
    "Summit": ("Consult", "summit"),
    "Talks": ("Consult", "talks"),
    "PhoneCall": ("Consult", "call"),
    "Agreement": ("Agree", "agreement"),
    "Pledge": ("Agree", "pledge"),
    "Praise": ("Support", "praise"),
    "Endorsement": ("Support", "endorsement"),
    "EconomicAid": ("Aid", "economic"),
    "MilitaryAid": ("Aid", "military"),
    "HumanitarianAid": ("Aid", "humanitarian"),
    "Accusation": ("Accuse", "accusation"),
    "Criticism": ("Accuse", "criticism"),
    "Rejection": ("Reject", "rejection"),
    "Denial": ("Reject", "denial"),
    "SanctionsImposition": ("Sanction", "sanctions"),
    "Expulsion": ("Sanction", "expulsion"),
    "MissileTest": ("Mobilize", "missile_test"),
    "MilitaryExercise": ("Mobilize", "exercise"),
    "Deployment": ("Mobilize", "deployment"),
    "Attack": ("Assault", "attack"),
    "Appeal": ("Request", "appeal"),
    "Demand": ("Request", "demand"),
}

# Class -> superclasses it must be declared under.
ACTOR_CLASSES = {
    "Actor": {PROV.Agent},
    "State": {DGO.Actor, ORG.FormalOrganization, SCHEMA.Country},
    "Person": {DGO.Actor, FOAF.Person, SCHEMA.Person},
    "Organization": {DGO.Actor, ORG.Organization},
    "InternationalOrganization": {DGO.Organization},
    "PoliticalParty": {DGO.Organization},
    "GovernmentBody": {DGO.Organization},
    "Legislature": {DGO.GovernmentBody},
    "ArmedForces": {DGO.Organization},
    "MediaOrganization": {DGO.Organization},
    "NonStateArmedGroup": {DGO.Organization},
    "Place": {SCHEMA.Place},
    "City": {DGO.Place},
    "Article": {PROV.Entity, FOAF.Document, SCHEMA.NewsArticle},
    "Evidence": {PROV.Entity},
    "Mention": {PROV.Entity},
    "Role": {ORG.Role},
    "Event": {PROV.Entity, SCHEMA.Event},
}

OBJECT_PROPERTIES = (
    "source",
    "target",
    "location",
    "modality",
    "evidence",
    "inDocument",
    "mentionOf",
    "mentions",
    "state",
    "capital",
    "neighbour",
)
DATATYPE_PROPERTIES = (
    "date",
    "negated",
    "confidence",
    "startOffset",
    "endOffset",
    "text",
    "trigger",
    "isoAlpha3",
    "isoAlpha2",
    "geonamesId",
    "surfaceForm",
    "mentionCount",
)
ANNOTATION_PROPERTIES = (
    "subtypeKey",
    "ploverCategory",
    "cameoCode",
    "triggerVerb",
    "triggerNoun",
    "triggerPhrase",
)
TRIGGER_PROPERTIES = (DGO.triggerVerb, DGO.triggerNoun, DGO.triggerPhrase)
MODALITIES = {
    "Asserted": "asserted",
    "Reported": "reported",
    "Alleged": "alleged",
    "Expected": "expected",
}

# Each invalid example breaks exactly one rule: the sh:resultPath it must be reported on.
INVALID_PATHS = {
    "invalid-missing-evidence.ttl": DGO.evidence,
    "invalid-offsets.ttl": DGO.startOffset,
    "invalid-state-code.ttl": DGO.isoAlpha3,
}

MEETING_EVENT = DGR["event/zhao-leji-pyongyang/3f2a9c1e"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def valid_meeting() -> Graph:
    return Graph().parse(EXAMPLES / "valid-meeting.ttl", format="turtle")


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _below(graph: Graph, cls: URIRef) -> set[URIRef]:
    """The named classes declared directly under ``cls``."""
    return {s for s in graph.subjects(RDFS.subClassOf, cls) if isinstance(s, URIRef)}


# ---------------------------------------------------------------------------
# Lint: one SPARQL check per file, zero rows on the ontology
# ---------------------------------------------------------------------------


def test_ontology_header_is_versioned(ontology: Graph) -> None:
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) == URIRef(ONTOLOGY_IRI + "/0.1.1")
    assert ontology.value(header, OWL.versionInfo) == Literal("0.1.1")
    assert ontology.value(header, DCTERMS.license) == URIRef("https://opensource.org/licenses/MIT")
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.created, SKOS.changeNote):
        assert ontology.value(header, prop) is not None, f"ontology header lacks {prop}"
    assert not list(ontology.objects(None, OWL.imports)), (
        "no owl:imports: the reasoner must run offline"
    )


@pytest.mark.parametrize("check", CHECKS, ids=lambda path: path.stem)
def test_ontology_check_returns_no_rows(ontology: Graph, check: Path) -> None:
    rows = list(ontology.query(check.read_text(encoding="utf-8")))
    assert not rows, f"{check.name} found {len(rows)} problem(s):\n" + "\n".join(
        "  " + " | ".join(str(value) for value in row) for row in rows[:20]
    )


def _add_category(graph: Graph) -> None:
    graph.add((DGO.Negotiate, RDF.type, OWL.Class))
    graph.add((DGO.Negotiate, RDFS.subClassOf, DGO.Event))


# How to break the ontology so that each check must fire: proves the checks can fail.
BREAKAGES: dict[str, Callable[[Graph], object]] = {
    "missing-label": lambda g: g.remove((DGO.Meeting, RDFS.label, None)),
    "missing-comment": lambda g: g.remove((DGO.Meeting, RDFS.comment, None)),
    "missing-defined-by": lambda g: g.remove((DGO.Meeting, RDFS.isDefinedBy, None)),
    "duplicate-label": lambda g: g.set((DGO.Talks, RDFS.label, Literal("meeting", lang="en"))),
    "undeclared-term": lambda g: g.add((DGO.Meeting, RDFS.subClassOf, DGO.Consultation)),
    "category-without-plover": lambda g: g.remove((DGO.Consult, DGO.ploverCategory, None)),
    "category-without-definition": lambda g: g.remove((DGO.Consult, SKOS.definition, None)),
    "plover-name-mismatch": lambda g: g.set((DGO.Consult, DGO.ploverCategory, Literal("MEET"))),
    "categories-not-disjoint": _add_category,
    "bad-cameo-code": lambda g: g.add((DGO.Consult, DGO.cameoCode, Literal("4a"))),
    "subtype-without-key": lambda g: g.remove((DGO.Meeting, DGO.subtypeKey, None)),
    "bad-subtype-key": lambda g: g.add((DGO.Talks, DGO.subtypeKey, Literal("meeting"))),
    "duplicate-trigger": lambda g: g.add((DGO.Visit, DGO.triggerVerb, Literal("meet"))),
    "bad-trigger": lambda g: g.add((DGO.Meeting, DGO.triggerVerb, Literal("Meet"))),
    "generic-trigger": lambda g: g.add((DGO.Consult, DGO.triggerVerb, Literal("say"))),
    "incomplete-modality": lambda g: g.remove((DGO.Asserted, SKOS.notation, None)),
    "phrase-key-collision": lambda g: g.add((DGO.Talks, DGO.triggerPhrase, Literal("break talk"))),
}


@pytest.mark.parametrize("check", CHECKS, ids=lambda path: path.stem)
def test_ontology_check_fires_on_broken_copy(ontology: Graph, check: Path) -> None:
    assert check.stem in BREAKAGES, f"add a breakage for {check.name} to BREAKAGES"
    broken = _copy(ontology)
    BREAKAGES[check.stem](broken)
    assert list(broken.query(check.read_text(encoding="utf-8"))), (
        f"{check.name} missed its breakage"
    )


# ---------------------------------------------------------------------------
# The terms the code depends on
# ---------------------------------------------------------------------------


def test_ontology_declares_actor_and_document_classes(ontology: Graph) -> None:
    for name, parents in ACTOR_CLASSES.items():
        assert (DGO[name], RDF.type, OWL.Class) in ontology, f"dgo:{name} is not an owl:Class"
        missing = parents - set(ontology.objects(DGO[name], RDFS.subClassOf))
        assert not missing, f"dgo:{name} is not declared a subclass of {sorted(missing)}"


def test_ontology_declares_properties_with_their_kinds(ontology: Graph) -> None:
    kinds = (
        (OBJECT_PROPERTIES, OWL.ObjectProperty),
        (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
        (ANNOTATION_PROPERTIES, OWL.AnnotationProperty),
    )
    for names, kind in kinds:
        for name in names:
            assert (DGO[name], RDF.type, kind) in ontology, f"dgo:{name} is not an {kind}"
    assert (DGO.neighbour, RDF.type, OWL.SymmetricProperty) in ontology
    assert (DGO.location, RDFS.subPropertyOf, SCHEMA.location) in ontology


def test_ontology_categories_carry_plover_and_cameo(ontology: Graph) -> None:
    assert _below(ontology, DGO.Event) == {DGO[name] for name in CATEGORIES}
    for name, (plover, roots) in CATEGORIES.items():
        assert ontology.value(DGO[name], DGO.ploverCategory) == Literal(plover)
        codes = {str(code) for code in ontology.objects(DGO[name], DGO.cameoCode)}
        assert roots <= codes, f"dgo:{name} lacks CAMEO root codes {sorted(roots - codes)}"


def test_ontology_subtypes_carry_their_keys(ontology: Graph) -> None:
    declared = set().union(*(_below(ontology, DGO[name]) for name in CATEGORIES))
    assert declared == {DGO[name] for name in SUBTYPES}
    for name, (category, key) in SUBTYPES.items():
        assert (DGO[name], RDFS.subClassOf, DGO[category]) in ontology
        assert ontology.value(DGO[name], DGO.subtypeKey) == Literal(key)


def test_ontology_every_category_has_triggers(ontology: Graph) -> None:
    for name in CATEGORIES:
        classes = {DGO[name]} | _below(ontology, DGO[name])
        verbs = {o for c in classes for o in ontology.objects(c, DGO.triggerVerb)}
        triggers = {o for c in classes for p in TRIGGER_PROPERTIES for o in ontology.objects(c, p)}
        assert len(verbs) >= 4, f"dgo:{name} has only {len(verbs)} trigger verbs"
        assert len(triggers) >= 12, f"dgo:{name} has only {len(triggers)} triggers"


def test_ontology_modality_scheme_has_the_four_notations(ontology: Graph) -> None:
    concepts = set(ontology.subjects(SKOS.inScheme, DGO.ModalityScheme))
    assert concepts == {DGO[name] for name in MODALITIES}
    for name, notation in MODALITIES.items():
        assert ontology.value(DGO[name], SKOS.notation) == Literal(notation)
        assert (DGO[name], SKOS.topConceptOf, DGO.ModalityScheme) in ontology
        assert (DGO[name], RDF.type, OWL.NamedIndividual) in ontology


def test_ontology_disjointness_is_declared(ontology: Graph) -> None:
    def disjoint_sets() -> list[set]:
        return [
            set(ontology.items(ontology.value(axiom, OWL.members)))
            for axiom in ontology.subjects(RDF.type, OWL.AllDisjointClasses)
        ]

    assert {DGO.Person, DGO.Organization, DGO.State} in disjoint_sets()
    assert {DGO[name] for name in CATEGORIES} in disjoint_sets()
    assert (DGO.Place, OWL.disjointWith, DGO.Actor) in ontology


def test_examples_use_only_terms_the_ontology_defines(ontology: Graph) -> None:
    defined = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    for path in VALID_EXAMPLES + INVALID_EXAMPLES:
        data = Graph().parse(path, format="turtle")
        used = {t for triple in data for t in triple if isinstance(t, URIRef) and t.startswith(DGO)}
        assert used <= defined, f"{path.name} uses undefined terms {sorted(used - defined)}"


def test_examples_evidence_offsets_span_their_text() -> None:
    for path in VALID_EXAMPLES:
        data = Graph().parse(path, format="turtle")
        for evidence in data.subjects(RDF.type, DGO.Evidence):
            start = data.value(evidence, DGO.startOffset).toPython()
            end = data.value(evidence, DGO.endOffset).toPython()
            assert end - start == len(str(data.value(evidence, DGO.text))), (
                f"{path.name}: {evidence}"
            )


# ---------------------------------------------------------------------------
# owlready2 and HermiT
# ---------------------------------------------------------------------------


def _rdfxml(graph: Graph) -> bytes:
    """owlready2 reads RDF/XML but not Turtle: convert in memory."""
    return graph.serialize(format="xml", encoding="utf-8")


def _world(ontology: Graph, *data: Graph):
    """A fresh owlready2 World holding the ontology and each data graph."""
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    world.get_ontology(ONTOLOGY_IRI).load(fileobj=BytesIO(_rdfxml(ontology)), format="rdfxml")
    for number, graph in enumerate(data):
        iri = f"https://w3id.org/diplograph/id/test/data{number}"
        world.get_ontology(iri).load(fileobj=BytesIO(_rdfxml(graph)), format="rdfxml")
    return world


def _reason(world) -> None:
    """Run HermiT over ``world``; raises OwlReadyInconsistentOntologyError if inconsistent.

    dgo:date values are xsd:date, xsd:gYearMonth or xsd:gYear, which are not in the
    OWL 2 datatype map; HermiT refuses such literals unless told to ignore them.
    """
    import owlready2

    owlready2.sync_reasoner_hermit(
        world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
    )


def test_owlready_loads_categories_and_subtypes(ontology: Graph) -> None:
    world = _world(ontology)
    event = world[str(DGO.Event)]
    assert event is not None, "owlready2 did not load dgo:Event"
    for name in list(CATEGORIES) + list(SUBTYPES):
        assert world[str(DGO[name])] is not None, f"owlready2 did not load dgo:{name}"
    for name in CATEGORIES:
        assert event in world[str(DGO[name])].is_a
    for name, (category, _key) in SUBTYPES.items():
        assert world[str(DGO[category])] in world[str(DGO[name])].is_a
    meeting, consult = world[str(DGO.Meeting)], world[str(DGO.Consult)]
    assert issubclass(meeting, consult) and issubclass(consult, event)


requires_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs java on PATH")


@pytest.mark.reasoner
@requires_java
def test_hermit_finds_ontology_and_valid_example_consistent(
    ontology: Graph, valid_meeting: Graph
) -> None:
    world = _world(ontology, valid_meeting)
    _reason(world)  # raises OwlReadyInconsistentOntologyError if inconsistent
    assert isinstance(world[str(MEETING_EVENT)], world[str(DGO.Event)])


EXAMPLE_GRAPH = ONTOLOGY.parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"


@pytest.mark.reasoner
@requires_java
def test_hermit_infers_exactly_the_events_built(ontology: Graph) -> None:
    """Over the example graph, HermiT's dgo:Event individuals are the events the builder
    made (typed with a class under dgo:Event), none more: posts (org:Membership) carry
    dgo:evidence too, and its domain must not make them events."""
    data = Graph().parse(EXAMPLE_GRAPH, format="turtle")
    built = {
        str(node)
        for cls in ontology.transitive_subjects(RDFS.subClassOf, DGO.Event)
        for node in data.subjects(RDF.type, cls)
    }
    posts = {str(node) for node in data.subjects(RDF.type, ORG.Membership)}
    assert built and posts, "the example graph should hold events and posts"
    assert any(data.triples((URIRef(post), DGO.evidence, None)) for post in posts)
    world = _world(ontology, data)
    _reason(world)
    inferred = {individual.iri for individual in world[str(DGO.Event)].instances()}
    assert inferred == built
    assert not inferred & posts


def _inconsistent_cases() -> dict[str, Graph]:
    person_and_state = Graph()
    person_and_state.add((DGR["person/kim-jong-un"], RDF.type, DGO.Person))
    person_and_state.add((DGR["person/kim-jong-un"], RDF.type, DGO.State))

    place_as_source = Graph()
    place_as_source.add((DGR["city/pyongyang"], RDF.type, DGO.City))
    place_as_source.add((MEETING_EVENT, RDF.type, DGO.Meeting))
    place_as_source.add((MEETING_EVENT, DGO.source, DGR["city/pyongyang"]))

    two_categories = Graph()
    two_categories.add((MEETING_EVENT, RDF.type, DGO.Meeting))
    two_categories.add((MEETING_EVENT, RDF.type, DGO.Attack))
    return {
        "person-and-state": person_and_state,
        "place-as-source": place_as_source,
        "two-categories": two_categories,
    }


@pytest.mark.reasoner
@requires_java
@pytest.mark.parametrize("case", sorted(_inconsistent_cases()))
def test_hermit_finds_broken_disjointness_inconsistent(ontology: Graph, case: str) -> None:
    import owlready2

    world = _world(ontology, _inconsistent_cases()[case])
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(world)


# ---------------------------------------------------------------------------
# SHACL
# ---------------------------------------------------------------------------


def _validate(data: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    """Validate ``data`` as a consumer receives it: on its own, with no ontology triples
    added and no inference (pyshacl's default)."""
    pyshacl = pytest.importorskip("pyshacl")
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=False
    )
    return conforms, results, text


def _validate_inferred(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph, str]:
    """Validate ``data`` as a consumer with an RDFS reasoner would: pyshacl's RDFS inference
    over the data and the ontology's schema axioms (subclass, subproperty, domain, range;
    the annotations, which are most of the file, only slow it down)."""
    pyshacl = pytest.importorskip("pyshacl")
    schema = Graph()
    for axiom in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        for triple in ontology.triples((None, axiom, None)):
            schema.add(triple)
    conforms, results, text = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=schema, inference="rdfs", allow_warnings=False
    )
    return conforms, results, text


def _result_paths(results: Graph) -> set:
    return set(results.objects(None, SH.resultPath))


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=lambda path: path.name)
def test_shapes_accept_valid_example(shapes: Graph, example: Path) -> None:
    conforms, _results, text = _validate(Graph().parse(example, format="turtle"), shapes)
    assert conforms, text


@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=lambda path: path.name)
def test_shapes_reject_invalid_example(shapes: Graph, example: Path) -> None:
    assert example.name in INVALID_PATHS, f"add the path {example.name} breaks to INVALID_PATHS"
    conforms, results, text = _validate(Graph().parse(example, format="turtle"), shapes)
    assert not conforms
    assert _result_paths(results) == {INVALID_PATHS[example.name]}, text


def _set_confidence(graph: Graph) -> None:
    graph.set((MEETING_EVENT, DGO.confidence, Literal(Decimal("1.5"))))


def _set_double_confidence(graph: Graph) -> None:
    graph.set((MEETING_EVENT, DGO.confidence, Literal(0.5)))  # a Python float is xsd:double


def _set_modality(graph: Graph) -> None:
    graph.set((MEETING_EVENT, DGO.modality, DGO.Probable))


def _set_place_source(graph: Graph) -> None:
    graph.set((MEETING_EVENT, DGO.source, DGR["city/pyongyang"]))


def _drop_article(graph: Graph) -> None:
    graph.remove((MEETING_EVENT, PROV.wasDerivedFrom, None))
    graph.add((MEETING_EVENT, PROV.wasDerivedFrom, BNode()))


def _add_second_dateline(graph: Graph) -> None:
    graph.add((DGR["doc/zhao-leji-pyongyang"], DGO.dateline, Literal("PYONGYANG, April 12 --")))


def _set_negated_string(graph: Graph) -> None:
    graph.set((MEETING_EVENT, DGO.negated, Literal("no")))


def _untype_event(graph: Graph) -> None:
    """Typed dgo:Meeting alone, the event would escape dgsh:EventShape without inference."""
    graph.remove((MEETING_EVENT, RDF.type, DGO.Event))
    graph.remove((MEETING_EVENT, RDF.type, DGO.Consult))


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        pytest.param(_set_confidence, DGO.confidence, id="confidence-above-one"),
        pytest.param(_set_double_confidence, DGO.confidence, id="confidence-double"),
        pytest.param(_set_modality, DGO.modality, id="modality-outside-scheme"),
        pytest.param(_set_place_source, DGO.source, id="place-as-source"),
        pytest.param(_drop_article, PROV.wasDerivedFrom, id="not-derived-from-article"),
        pytest.param(_set_negated_string, DGO.negated, id="negated-not-boolean"),
        pytest.param(_untype_event, RDF.type, id="event-typed-by-subtype-only"),
        pytest.param(_add_second_dateline, DGO.dateline, id="two-datelines"),
    ],
)
def test_shapes_reject_broken_event(
    shapes: Graph,
    valid_meeting: Graph,
    breakage: Callable[[Graph], None],
    path: URIRef,
) -> None:
    broken = _copy(valid_meeting)
    breakage(broken)
    conforms, results, text = _validate(broken, shapes)
    assert not conforms
    assert _result_paths(results) == {path}, text


def test_shapes_modality_list_matches_scheme(shapes: Graph, ontology: Graph) -> None:
    listed = {
        item
        for prop in shapes.subjects(SH.path, DGO.modality)
        for item in shapes.items(shapes.value(prop, SH["in"]))
    }
    assert listed == set(ontology.subjects(SKOS.inScheme, DGO.ModalityScheme))


def _or_classes(shapes: Graph, path: URIRef) -> set[URIRef]:
    """The classes of the ``sh:or ( [ sh:class C ] ... )`` on the property shape of ``path``."""
    (prop,) = shapes.subjects(SH.path, path)
    return {
        shapes.value(member, SH["class"]) for member in shapes.items(shapes.value(prop, SH["or"]))
    }


def test_shapes_name_the_actor_kinds_the_ontology_declares(shapes: Graph, ontology: Graph) -> None:
    """Without inference an actor is one of the three kinds the builder always asserts: the
    direct subclasses of dgo:Actor, pairwise disjoint in the ontology."""
    kinds = _below(ontology, DGO.Actor)
    assert kinds == {DGO.State, DGO.Person, DGO.Organization}
    for path in (DGO.source, DGO.target, PROV.wasAttributedTo):
        assert _or_classes(shapes, path) == kinds, path
    targeted = set(shapes.objects(DGSH.ActorShape, SH.targetClass))
    assert targeted == kinds | {DGO.Place}
    assert not set(shapes.objects(None, SH["class"])) & {DGO.Actor, PROV.Agent, ORG.Organization}


def test_example_graph_carries_the_types_the_shapes_target(ontology: Graph) -> None:
    """The builder asserts each node's kind beside its finer class: the shapes' contract."""
    data = Graph().parse(EXAMPLE_GRAPH, format="turtle")
    kinds = {DGO.Event, DGO.State, DGO.Person, DGO.Organization, DGO.Place}
    for kind in kinds:
        for cls in set(ontology.transitive_subjects(RDFS.subClassOf, kind)) - {kind}:
            for node in data.subjects(RDF.type, cls):
                assert (node, RDF.type, kind) in data, f"{node} is a {cls} but not a {kind}"


def test_shapes_accept_raw_example_graph(shapes: Graph) -> None:
    """The committed example graph is what ``build -o`` writes: it conforms as it is."""
    data = Graph().parse(EXAMPLE_GRAPH, format="turtle")
    assert not list(data.triples((None, RDFS.subClassOf, None)))
    conforms, _results, text = _validate(data, shapes)
    assert conforms, text


def test_shapes_agree_with_rdfs_inference(shapes: Graph, ontology: Graph) -> None:
    """With the ontology and RDFS inference the answer is the same: a post's dgo:evidence
    is then a prov:wasDerivedFrom too, and must not count against its article."""
    data = Graph().parse(EXAMPLE_GRAPH, format="turtle")
    conforms, _results, text = _validate_inferred(data, shapes, ontology)
    assert conforms, text
    data.remove((_first_event(data), DGO.evidence, None))
    conforms, results, text = _validate_inferred(data, shapes, ontology)
    assert not conforms
    assert _result_paths(results) == {DGO.evidence}, text


def _first_event(data: Graph) -> URIRef:
    return min(data.subjects(RDF.type, DGO.Event))


@pytest.mark.parametrize(
    ("predicate", "path"),
    [
        pytest.param(PROV.wasDerivedFrom, PROV.wasDerivedFrom, id="no-article"),
        pytest.param(DGO.evidence, DGO.evidence, id="no-evidence"),
        pytest.param(DGO.modality, DGO.modality, id="no-modality"),
    ],
)
def test_shapes_reject_example_graph_event_without_provenance(
    shapes: Graph, predicate: URIRef, path: URIRef
) -> None:
    data = Graph().parse(EXAMPLE_GRAPH, format="turtle")
    data.remove((_first_event(data), predicate, None))
    conforms, results, text = _validate(data, shapes)
    assert not conforms
    assert _result_paths(results) == {path}, text


# ---------------------------------------------------------------------------
# The development corpus as a consumer receives it: built, exported, validated, reasoned
# ---------------------------------------------------------------------------

DEV_CORPUS = ONTOLOGY.parents[2] / "shared" / "corpus" / "dev.jsonl"
#: the classes whose members are counted before and after reasoning
TOP_CLASSES = (
    DGO.Event,
    DGO.Actor,
    DGO.State,
    DGO.Person,
    DGO.Organization,
    DGO.Place,
    DGO.Article,
    DGO.Evidence,
    DGO.Mention,
    DGO.Role,
    ORG.Membership,
    ORG.Organization,
    PROV.Entity,
    PROV.Agent,
)


@pytest.fixture(scope="module")
def dev_export(tmp_path_factory) -> Path:
    """``diplograph build`` of the development corpus into a store, then ``diplograph
    export`` of that store to Turtle: the file a consumer downloads."""
    if not DEV_CORPUS.is_file():
        pytest.skip(f"the development corpus is not at {DEV_CORPUS}")
    from typer.testing import CliRunner

    from diplograph.cli import app

    folder = tmp_path_factory.mktemp("dev-export")
    store, output = folder / "store", folder / "dev.ttl"
    for args in (
        ["build", str(DEV_CORPUS), "--store", str(store)],
        ["export", "--store", str(store), "-o", str(output)],
        ["export", "--store", str(store), "-o", str(output.with_suffix(".nq"))],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    return output


@pytest.mark.model
def test_shapes_accept_raw_dev_export_nquads_merged(shapes: Graph, dev_export: Path) -> None:
    """The N-Quads export (one graph per article), read as one graph: the union of them."""
    dataset = Dataset()
    dataset.parse(dev_export.with_suffix(".nq"), format="nquads")
    merged = Graph()
    for subject, predicate, value, _graph in dataset.quads():
        merged.add((subject, predicate, value))
    assert len(merged) == len(Graph().parse(dev_export, format="turtle"))
    conforms, _results, text = _validate(merged, shapes)
    assert conforms, text


@pytest.mark.model
def test_shapes_accept_raw_dev_export(shapes: Graph, dev_export: Path) -> None:
    data = Graph().parse(dev_export, format="turtle")
    assert len(set(data.subjects(RDF.type, DGO.Event))) > 100
    assert not list(data.triples((None, RDFS.subClassOf, None))), "no ontology triples added"
    conforms, _results, text = _validate(data, shapes)
    assert conforms, text


@pytest.mark.model
def test_shapes_accept_dev_export_with_rdfs_inference(
    shapes: Graph, ontology: Graph, dev_export: Path
) -> None:
    data = Graph().parse(dev_export, format="turtle")
    conforms, _results, text = _validate_inferred(data, shapes, ontology)
    assert conforms, text


@pytest.mark.model
def test_shapes_reject_dev_export_event_without_provenance(shapes: Graph, dev_export: Path) -> None:
    data = Graph().parse(dev_export, format="turtle")
    event = _first_event(data)
    data.remove((event, PROV.wasDerivedFrom, None))
    data.remove((event, DGO.evidence, None))
    conforms, results, text = _validate(data, shapes)
    assert not conforms
    assert _result_paths(results) == {PROV.wasDerivedFrom, DGO.evidence}, text
    assert set(results.objects(None, SH.focusNode)) == {event}


@pytest.mark.model
@pytest.mark.reasoner
@requires_java
def test_hermit_over_dev_export_infers_no_member_not_built(
    ontology: Graph, dev_export: Path
) -> None:
    """HermiT over the exported development corpus: each top class has the members the
    builder typed (with a class under it), none more. Events are the events built: posts
    and evidence carry no event; nor does a place become an actor. GeoNames IRIs linked by
    owl:sameAs are the same individuals, so they are left out of the count (owlready2 names
    them without their trailing slash)."""
    data = Graph().parse(dev_export, format="turtle")
    world = _world(ontology, data)
    _reason(world)
    aliases = {str(o).rstrip("/") for o in data.objects(None, OWL.sameAs)}
    for cls in TOP_CLASSES:
        built = {
            str(node)
            for sub in ontology.transitive_subjects(RDFS.subClassOf, cls)
            for node in data.subjects(RDF.type, sub)
        }
        inferred = {
            individual.iri
            for individual in world[str(cls)].instances()
            if individual.iri.rstrip("/") not in aliases
        }
        assert inferred == built, (cls, sorted(inferred ^ built)[:5])
    events = {str(node) for node in data.subjects(RDF.type, DGO.Event)}
    assert len(events) > 100 and not events & {
        str(node) for node in data.subjects(RDF.type, ORG.Membership)
    }
