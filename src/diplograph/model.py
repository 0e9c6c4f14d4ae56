"""Frozen records passed between the stages: articles, actors, mentions, events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ACTOR_KINDS = ("State", "Person", "Organization", "Place")
MODALITIES = ("asserted", "reported", "alleged", "expected")


@dataclass(frozen=True)
class Article:
    """One news article, boilerplate already removed from ``text``.

    ``origin`` names where it was read from (``file.jsonl:12``) for error messages.
    ``dateline`` is the dateline (``RIYADH, March 20 (Reuters) -``) of an article read without
    a publication date of its own: ``published``, when set, was read from it.
    """

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""
    dateline: str | None = None


@dataclass(frozen=True)
class Actor:
    """A canonical actor: a state, person, organisation or place.

    ``key`` is stable across articles and builds (``state/CHN``, ``person/zhao-leji``);
    ``state`` is the ISO 3166-1 alpha-3 code of the state the actor is or belongs to.
    """

    key: str
    kind: str
    label: str
    aliases: tuple[str, ...] = ()
    state: str | None = None
    subkind: str | None = None
    iso2: str | None = None
    geonames_id: int | None = None
    canonical: str | None = None


@dataclass(frozen=True)
class Post:
    """A post a person holds in a state or body (``North Korean leader Kim Jong-un``)."""

    person: str
    role: str
    organization: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, with character offsets into the article text."""

    doc: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    """An event or claim: who did what to whom, where, when and how sure."""

    doc: str
    category: str
    subtype: str | None
    event_class: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    trigger: str
    trigger_start: int
    location: str | None = None
    date: str | None = None
    negated: bool = False
    modality: str = "asserted"
    attributed_to: str | None = None
    confidence: float = 0.5


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article."""

    article: Article
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    posts: tuple[Post, ...] = ()
    #: actors the article names or involves in an event, with how often it names them
    mentions: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    #: the article's triples as N-Triples, written by the worker process that read it (the
    #: parent then only stores them); None: made when needed. Set it only with the record's
    #: final content: ``rdf.build.extraction_ntriples`` returns it as it is
    ntriples: str | None = field(default=None, compare=False, hash=False, repr=False)
