"""The trigger lexicon (read from the ontology), the CAMEO dictionary lexicon and the cue
lexicons (read from resources)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rdflib import RDFS, Graph, URIRef

from diplograph.vocab import DGO, DGO_URI, ontology_graph


@dataclass(frozen=True)
class EventType:
    """An event class of the ontology with its PLOVER category and analyst subtype key."""

    iri: URIRef
    category: str
    subtype: str | None

    @property
    def local_name(self) -> str:
        return str(self.iri)[len(DGO_URI) :]


@dataclass(frozen=True)
class Cues:
    """Grammatical cue words around triggers (lemmas, lower case)."""

    light_verbs: frozenset[str]
    negating_verbs: frozenset[str]
    negating_determiners: frozenset[str]
    future_verbs: frozenset[str]
    future_auxiliaries: frozenset[str]
    allege_words: frozenset[str]
    report_adverbs: frozenset[str]
    agent_nouns: frozenset[str]
    title_words: tuple[str, ...]
    plural_reference: dict[str, str]
    definite_reference: dict[str, str]
    plural_counts: dict[str, int]
    locative_prepositions: frozenset[str]
    motion_words: frozenset[str]
    acceptance_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    counterpart_categories: frozenset[str]
    framing_verbs: frozenset[str]
    echo_phrases: frozenset[tuple[str, str]]
    #: the verbs of ``echo_phrases`` ("follow", "do")
    echo_verbs: frozenset[str]
    hosting_verbs: frozenset[str]
    meeting_verbs: frozenset[str]
    evaluation_verbs: frozenset[str]
    negative_evaluations: frozenset[str]
    positive_evaluations: frozenset[str]
    target_prepositions: frozenset[str]
    #: honorifics and titles that tell a person's gender ("mrs": "female", "king": "male")
    gendered_titles: dict[str, str]
    #: labels that open a live-blog entry retelling earlier news ("Recap:"), lower case
    recap_labels: frozenset[str]
    #: verbs (and verb + particle or object) that tell an act as the answer to the one
    #: told before ("responded by", "hit back", "followed suit")
    reaction_verbs: frozenset[tuple[str, ...]]
    #: words that describe a person as one who comments on acts, not one who acts for a
    #: state ("analyst", "professor", "of the ... Institute")
    commentator_words: frozenset[str]
    #: verbs that give an opinion or a forecast ("think", "expect"), beside the speech verbs
    opinion_verbs: frozenset[str]
    #: nouns of words, decisions and the press: what an attack on is criticism, not force
    discourse_nouns: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Triggers by lemma: single verbs, event nouns (one or more words), verb+object phrases;
    and the broader ``dictionary_verbs`` from PETRARCH-2's CAMEO verb dictionary
    (``resources/cameo_lexicon.json``), for verbs the ontology does not know."""

    verbs: dict[str, EventType]
    nouns: dict[tuple[str, ...], EventType]
    phrases: dict[tuple[str, str], EventType]
    cues: Cues
    event_types: tuple[EventType, ...]
    dictionary_verbs: dict[str, EventType] = field(default_factory=dict)

    def by_subtype(self, category: str, subtype: str | None) -> EventType:
        """The class of a PLOVER category and analyst subtype key."""
        for event_type in self.event_types:
            if event_type.category == category and event_type.subtype == subtype:
                return event_type
        raise KeyError((category, subtype))

    def by_category(self, category: str) -> EventType:
        """The top-level class of a PLOVER category."""
        for event_type in self.event_types:
            if event_type.category == category and event_type.subtype is None:
                return event_type
        raise KeyError(category)


def _category_of(graph: Graph, cls: URIRef) -> tuple[str | None, str | None]:
    subtype = graph.value(cls, DGO.subtypeKey)
    seen: set[URIRef] = set()
    frontier = [cls]
    while frontier:
        current = frontier.pop()
        if current in seen:
            continue
        seen.add(current)
        category = graph.value(current, DGO.ploverCategory)
        if category is not None:
            return str(category), str(subtype) if subtype is not None else None
        frontier.extend(o for o in graph.objects(current, RDFS.subClassOf) if isinstance(o, URIRef))
    return None, None


def build_lexicon(graph: Graph) -> Lexicon:
    """Read every event class and its trigger annotations from an ontology graph."""
    types: dict[URIRef, EventType] = {}
    for cls in set(graph.transitive_subjects(RDFS.subClassOf, DGO.Event)):
        if cls == DGO.Event or not isinstance(cls, URIRef):
            continue
        category, subtype = _category_of(graph, cls)
        if category is not None:
            types[cls] = EventType(cls, category, subtype)
    verbs: dict[str, EventType] = {}
    nouns: dict[tuple[str, ...], EventType] = {}
    phrases: dict[tuple[str, str], EventType] = {}
    for cls, event_type in sorted(types.items()):
        for value in sorted(str(v).lower().strip() for v in graph.objects(cls, DGO.triggerVerb)):
            verbs.setdefault(value, event_type)
        for value in sorted(str(v).lower().strip() for v in graph.objects(cls, DGO.triggerNoun)):
            nouns.setdefault(tuple(value.split()), event_type)
        for value in sorted(str(v).lower().strip() for v in graph.objects(cls, DGO.triggerPhrase)):
            words = value.split()
            if len(words) >= 2:
                phrases.setdefault((words[0], words[-1]), event_type)
    cues = load_cues()
    dictionary_verbs = _dictionary_verbs(graph, types, verbs, phrases, cues, load_cameo())
    return Lexicon(
        verbs=verbs,
        nouns=nouns,
        phrases=phrases,
        cues=cues,
        event_types=tuple(sorted(types.values(), key=lambda t: str(t.iri))),
        dictionary_verbs=dictionary_verbs,
    )


def _cue_verbs(cues: Cues) -> frozenset[str]:
    """Verbs the cue lexicons give a grammatical role (light, speech, framing...): the
    dictionary never makes them triggers on their own."""
    return (
        cues.light_verbs
        | cues.negating_verbs
        | cues.future_verbs
        | cues.speech_verbs
        | cues.framing_verbs
        | cues.hosting_verbs
        | cues.meeting_verbs
        | cues.evaluation_verbs
        | cues.acceptance_verbs
        | cues.echo_verbs
    )


def specific_code(code: str) -> bool:
    """Whether a CAMEO code names a kind of act ("042", "1041"), not a root's catch-all
    ("030", "190"), which the dictionary gives whole synonym blocks by default."""
    return len(code) >= 3 and code[2] != "0"


def _dictionary_verbs(
    graph: Graph,
    types: dict[URIRef, EventType],
    verbs: dict[str, EventType],
    phrases: dict[tuple[str, str], EventType],
    cues: Cues,
    cameo: dict,
) -> dict[str, EventType]:
    """The CAMEO lexicon's verbs as event classes, below the ontology's triggers: a verb the
    ontology lists (as a verb or a phrase's verb) or a cue verb gets none, nor does a verb
    whose code is a root's catch-all (``specific_code``). A code goes to the one class of its
    category that carries it (``dgo:cameoCode``), else to the category's class.

    The lexicon's verb+object patterns are not used: as phrase triggers they cost more
    precision than they gave recall on the quality sets (README, "How extraction works")."""
    by_code: dict[tuple[str, str], list[EventType]] = {}
    for cls, event_type in types.items():
        for code in graph.objects(cls, DGO.cameoCode):
            by_code.setdefault((event_type.category, str(code)), []).append(event_type)
    tops = {t.category: t for t in types.values() if t.subtype is None}
    known = set(verbs) | {verb for verb, _ in phrases} | _cue_verbs(cues)
    found: dict[str, EventType] = {}
    for lemma, entry in cameo["verbs"].items():
        if lemma in known or not specific_code(entry["code"]):
            continue
        classes = by_code.get((entry["category"], entry["code"][:3]), [])
        specific = [t for t in classes if t.subtype is not None]
        hit = specific[0] if len(specific) == 1 else tops.get(entry["category"])
        if hit is not None:
            found[lemma] = hit
    return found


@lru_cache(maxsize=1)
def load_cameo() -> dict:
    """The CAMEO lexicon from ``resources/cameo_lexicon.json`` (see ``build_lexicon``)."""
    path = resources.files("diplograph") / "resources" / "cameo_lexicon.json"
    return json.loads(path.read_text("utf-8"))


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The cue lexicons from ``resources/cues.json``."""
    raw = json.loads((resources.files("diplograph") / "resources" / "cues.json").read_text("utf-8"))
    sets = {
        name: frozenset(raw[name])
        for name in (
            "light_verbs",
            "negating_verbs",
            "negating_determiners",
            "future_verbs",
            "future_auxiliaries",
            "allege_words",
            "report_adverbs",
            "agent_nouns",
            "locative_prepositions",
            "motion_words",
            "acceptance_verbs",
            "speech_verbs",
            "counterpart_categories",
            "framing_verbs",
            "hosting_verbs",
            "meeting_verbs",
            "evaluation_verbs",
            "negative_evaluations",
            "positive_evaluations",
            "target_prepositions",
            "commentator_words",
            "opinion_verbs",
            "discourse_nouns",
        )
    }
    titles = tuple(sorted(raw["title_words"], key=lambda t: (-len(t.split()), t)))
    return Cues(
        **sets,
        title_words=titles,
        plural_reference=dict(raw["plural_reference"]),
        definite_reference=dict(raw["definite_reference"]),
        plural_counts=dict(raw["plural_counts"]),
        echo_phrases=frozenset(tuple(p.split()) for p in raw["echo_phrases"]),
        echo_verbs=frozenset(p.split()[0] for p in raw["echo_phrases"]),
        gendered_titles={
            word: gender for gender, words in raw["gendered_titles"].items() for word in words
        },
        recap_labels=frozenset(raw["recap_labels"]),
        reaction_verbs=frozenset(tuple(p.split()) for p in raw["reaction_verbs"]),
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon of the bundled ontology (built once per process)."""
    return build_lexicon(ontology_graph())
