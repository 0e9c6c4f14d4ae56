"""Find actor mentions in a parsed article and resolve them to canonical actors.

States resolve through the gazetteer (names, demonyms, capitals and seats used as
governments); people to their fullest name in the article; organisations through the
curated list of international bodies, acronyms and long forms merged; pronouns and
plural descriptions ("the two leaders") to the actors they stand for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from diplograph.gazetteer import Gazetteer, OrganizationEntry, PlaceEntry
from diplograph.model import Actor
from diplograph.nlp.chrome import dateline_places
from diplograph.nlp.lexicon import Cues
from diplograph.nlp.spans import (
    ends_in_place_word,
    name_words,
    place_stems,
)
from diplograph.rdf.iris import slug

ACTOR_LABELS = {"GPE", "LOC", "FAC", "ORG", "NORP", "PERSON"}
PERSON_PREFIXES = {"mr", "mrs", "ms", "dr", "sir", "dame", "mr.", "mrs.", "ms.", "dr."}
#: prepositions whose object is a place and hardly ever a person ("in X"; not "at", "to")
PLACE_PREPOSITIONS = {"in", "near", "outside", "inside"}
#: nouns a place's name modifies ("X province", "X refugee camp", "X air base")
PLACE_HEADS = {
    "province",
    "region",
    "district",
    "county",
    "oblast",
    "camp",
    "village",
    "town",
    "city",
    "base",
    "airbase",
    "airport",
    "port",
    "reef",
    "island",
    "islands",
    "border",
    "crossing",
}
LOCATIVE_HEADS = {"in", "at", "near", "from", "to", "into", "outside", "inside", "across", "off"}
GOVERNMENT_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "dative", "appos", "agent"}
PRONOUN_GENDERS = {
    **dict.fromkeys(("she", "her", "hers", "herself"), "female"),
    **dict.fromkeys(("he", "him", "his", "himself"), "male"),
}
PRONOUNS_PERSON = set(PRONOUN_GENDERS)
ABBREVIATED_TITLES = {"mr", "mrs", "ms"}  # "Mr. Smith" may be tokenised "Mr", ".", "Smith"
PRONOUNS_THING = {"it", "its", "itself"}
SUBJECTS = {"nsubj", "nsubjpass"}
COMPASS_WORDS = {"north", "south", "east", "west"}
#: how many tokens before a person's name its title may start ("U.N. special envoy X")
MAX_TITLE = 6
TITLE_HEADS = {
    "minister", "secretary", "correspondent", "spokesman", "spokeswoman", "chief", "adviser",
    "advisor",
}  # fmt: skip
PRONOUNS_PLURAL = {"they", "their", "them", "themselves", "both"}
ORG_KIND_WORDS = (
    (("party",), "PoliticalParty"),
    (
        ("parliament", "assembly", "congress", "senate", "duma", "knesset", "legislature"),
        "Legislature",
    ),
    (
        ("army", "navy", "forces", "force", "military", "guard", "corps", "troops", "militia"),
        "ArmedForces",
    ),
    (
        ("news", "agency", "television", "tv", "radio", "times", "post", "press", "media"),
        "MediaOrganization",
    ),
    (
        (
            "ministry",
            "department",
            "council",
            "office",
            "commission",
            "cabinet",
            "government",
            "court",
            "bank",
            "committee",
            "service",
            "administration",
            "presidency",
        ),
        "GovernmentBody",
    ),
)


@lru_cache(maxsize=65536)  # names recur within and across articles
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("\u2019", "'").replace(".", "").replace("-", " ")
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return " ".join(text.split())


@dataclass
class ActorRecord:
    """An actor as it is being assembled from one article's mentions."""

    key: str
    kind: str
    label: str
    subkind: str | None = None
    state: str | None = None
    iso2: str | None = None
    geonames_id: int | None = None
    forms: set[str] = field(default_factory=set)
    count: int = 0
    named: bool = False
    canonical: str | None = None
    #: a person's gender as the text tells it ("female", "male"), None when unknown
    gender: str | None = None

    def freeze(self) -> Actor:
        aliases = tuple(sorted(f for f in self.forms if f != self.label))
        return Actor(
            key=self.key,
            kind=self.kind,
            label=self.label,
            aliases=aliases,
            state=self.state,
            subkind=self.subkind,
            iso2=self.iso2,
            geonames_id=self.geonames_id,
            canonical=self.canonical,
        )


@dataclass(frozen=True)
class Mention:
    """A stretch of tokens that names an actor or place; ``via`` says how it was resolved."""

    start: int
    end: int
    key: str
    kind: str
    via: str

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


class ActorTable:
    """The actors of one article and the token-level index of their mentions."""

    def __init__(
        self,
        doc: Doc,
        gazetteer: Gazetteer,
        cues: Cues,
        publisher: str | None = None,
        source_text: str = "",
    ) -> None:
        self.doc = doc
        self.source_text = source_text
        #: the place the article was filed from, when its dateline names one
        self.dateline_place: str | None = None
        #: the publisher's name and acronyms ("voice of america", "voa", "va"), never an actor
        self.publisher_names = (
            {
                normalise(publisher),
                _initials(publisher).lower(),
                "".join(w[0] for w in normalise(publisher).split()),
            }
            if publisher
            else set()
        )
        self.gazetteer = gazetteer
        self.cues = cues
        self.records: dict[str, ActorRecord] = {}
        self.mentions: list[Mention] = []
        self.by_token: dict[int, Mention] = {}
        self.coref: dict[int, tuple[str, ...]] = {}
        self.person_parts: set[str] = set()

    # -- records -------------------------------------------------------------------------
    def state_record(self, code: str, form: str | None = None, named: bool = True) -> str | None:
        entry = self.gazetteer.state_by_code(code)
        if entry is None:
            return None
        key = f"state/{entry.code}"
        record = self.records.get(key)
        if record is None:
            record = ActorRecord(
                key,
                "State",
                entry.name,
                state=entry.code,
                iso2=entry.alpha2,
                geonames_id=entry.geonames_id,
            )
            self.records[key] = record
        if form and named:
            record.forms.add(form)
        record.named = record.named or named
        return key

    def _add(self, record: ActorRecord, form: str) -> str:
        existing = self.records.setdefault(record.key, record)
        existing.forms.add(form)
        existing.named = True
        if existing.kind in {"Person", "Organization", "Place"} and len(form) > len(existing.label):
            if existing.kind != "Organization" or record.label == form:
                existing.label = form
        if existing.state is None and record.state is not None:
            existing.state = record.state
        return existing.key

    def _mention(self, span: Span, key: str, kind: str, via: str) -> None:
        mention = Mention(span.start, span.end, key, kind, via)
        self.mentions.append(mention)
        for index in range(span.start, span.end):
            self.by_token[index] = mention
        self.records[key].count += 1

    # -- resolution ----------------------------------------------------------------------
    def resolve(self) -> None:
        """Find and resolve every mention in the document."""
        spans = self._entity_spans()
        labels = _label_votes(spans)
        self.person_parts = person_parts = {
            word
            for span, label in spans
            if label == "PERSON" and len(span.text.split()) > 1
            for word in name_words(span.text)
        }
        places = self._places_read_as_people(spans)
        places |= {normalise(stem) for stem in place_stems([span for span, _ in spans])}
        surnames = {s.text for s, label in spans if label == "PERSON" and len(s) == 1}
        persons: list[tuple[Span, str]] = []
        for span, label in spans:
            text = span.text
            label = labels.get(normalise(text), label)
            if label != "PERSON" and text in person_parts and not self._known(text):
                label = "PERSON"
            if label in {"GPE", "LOC"} and span[-1].text in surnames and self._unknown(text):
                label = "PERSON"  # "Ana Kessel" read as a place, "Kessel said" later
            if label in {"PERSON", "ORG"} and (
                ends_in_place_word(span) or normalise(text) in places
            ):
                label = "LOC"
            self._resolve_named(span, text, label, persons)
        self._resolve_persons(persons)
        self._resolve_missed_names()
        self._resolve_datelines()
        self._resolve_acronyms()
        self._resolve_genders()
        self._resolve_references()

    def _places_read_as_people(self, spans: list[tuple[Span, str]]) -> set[str]:
        """Names the recogniser took for people that the article uses as places: "in X",
        "X province", "X refugee camp", never a subject, nor a full name's part or a person
        the actor dictionary knows (folded forms)."""
        located: set[str] = set()
        acting: set[str] = set()
        for span, label in spans:
            if label != "PERSON" or not span.text[:1].isupper():
                continue
            root, text = span.root, normalise(span.text)
            if root.dep_ in SUBJECTS or (root.dep_ == "poss" and root.head.dep_ in SUBJECTS):
                acting.add(text)
            elif (root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPOSITIONS) or (
                root.dep_ == "compound" and root.head.lemma_.lower() in PLACE_HEADS
            ):
                if span.text not in self.person_parts and not self._known(span.text):
                    if self.gazetteer.person_state(span.text) is None:
                        located.add(text)
        return located - acting

    def _city(self, place: PlaceEntry, form: str) -> str:
        """The record of a gazetteer city, named by ``form`` in the article."""
        record = ActorRecord(
            f"place/geonames-{place.geonames_id}",
            "Place",
            place.name,
            subkind="City",
            state=place.state,
            geonames_id=place.geonames_id,
        )
        key = self._add(record, form)
        self.records[key].label = place.name
        return key

    def _resolve_datelines(self) -> None:
        """The dateline's place is named by the article, though masked before parsing."""
        for text in dateline_places(self.source_text):
            place = self.gazetteer.place(text) if self.gazetteer.state(text) is None else None
            if place is not None:
                key = self._city(place, place.name)
                self.records[key].count += 1
                self.dateline_place = self.dateline_place or key

    def _capital_city(self, token: Token) -> str | None:
        """ "the Austrian capital", "Russia's capital": the capital city of that state."""
        for child in token.children:
            mention = self.by_token.get(child.i)
            if child.dep_ in {"amod", "poss", "compound"} and mention and mention.kind == "State":
                entry = self.gazetteer.state_by_code(self.records[mention.key].state or "")
                place = self.gazetteer.place(entry.capital) if entry and entry.capital else None
                if place is None:
                    return None
                key = self._city(place, place.name)
                return key
        return None

    def _unknown(self, text: str) -> bool:
        """A name of several words the gazetteer has no state, body or place of."""
        return " " in text and not self._known(text) and self.gazetteer.place(text) is None

    def _known(self, text: str) -> bool:
        gazetteer = self.gazetteer
        return bool(
            gazetteer.state(text)
            or gazetteer.organization(text)
            or gazetteer.state_by_demonym(text)
        )

    def _entity_spans(self) -> list[tuple[Span, str]]:
        """Named-entity spans worth resolving, trimmed, with hyphenated name tails rejoined;
        names of known bodies the statistical recogniser missed ("Group of Seven") added."""
        doc = self.doc
        spans = []
        swallowed: set[int] = set()  # starts of entities a longer name takes in
        for span, label in _known_names(doc, self.gazetteer):
            if self._names_publisher(span.text):
                continue
            inside = [  # "Islamic" of "Islamic State": the recogniser saw part of the name
                ent
                for ent in doc.ents
                if ent.label_ in ACTOR_LABELS and ent.start < span.end and span.start < ent.end
            ]
            if all(
                span.start <= e.start and e.end <= span.end and len(e) < len(span) for e in inside
            ):
                swallowed.update(e.start for e in inside)
                spans.append((span, label))
        for ent in doc.ents:
            if ent.label_ not in ACTOR_LABELS or ent.start in swallowed:
                continue
            span = _trim(ent)
            if span is None or span.text.islower():  # "in absentia", "the disputed sea"
                continue
            end = span.end
            if ent.label_ != "PERSON" and _hyphen_tail(doc, end) and doc[end + 1].is_lower:
                continue  # "Pakistan-based", "Kenya-led": a description, not a name
            while _hyphen_tail(doc, end):
                end += 2
            start = span.start
            if ent.label_ == "PERSON":  # "Vladimir Padrino" + "López": one name
                while end < len(doc) and end - span.start < 6 and _name_tail(doc[end]):
                    swallowed.add(end)
                    end += 1
                while start > 0 and end - start < 5 and _name_head(doc[start - 1], span, self.cues):
                    start -= 1  # "Samia Suluhu" + "Hassan": the recogniser kept the surname only
                start += _leading_title(doc[start:end], self.cues)  # "Prince X Y": X Y
            span = doc[start:end]
            if self._names_publisher(span.text) or self._publisher_desk(span):
                continue
            if self._pair_of_names(span):
                continue
            if (
                ent.label_ == "ORG"
                and _part_of_title(span, self.cues)
                and self.gazetteer.state_by_seat(span.text) is None  # "Kremlin spokesman"
            ):
                continue
            if len(span) == 1 and (
                span.text.lower() in COMPASS_WORDS
                or (span.end < len(doc) and doc[span.end].text == ":")  # "Background:"
            ):
                continue
            spans.append((span, ent.label_))
        return spans

    def _names_publisher(self, text: str) -> bool:
        """The article's publisher, or one of its desks ("VOA", "VOA's Korean Service")."""
        words = normalise(text).replace("'s ", " ").split()
        return any(words[: len(name.split())] == name.split() for name in self.publisher_names)

    def _pair_of_names(self, span: Span) -> bool:
        """ "U.S.-Japan", "Turkey-Egypt" read as one name: two known actors joined by a
        hyphen are a pair, not an actor (nor a place)."""
        parts = [p for p in re.split(r"[-\u2010\u2011]", span.text) if p]
        gazetteer = self.gazetteer
        return len(parts) >= 2 and all(
            self._known(p) or gazetteer.state_by_seat(p) or gazetteer.place(p) for p in parts
        )

    def _publisher_desk(self, span: Span) -> bool:
        """A desk the recogniser cut from its publisher's name: "Korean Service" in "VOA's
        Korean Service" or "VOA Korean Service"."""
        doc, start = self.doc, span.start
        if start >= 2 and doc[start - 1].text in {"'s", "\u2019s"}:
            return self._names_publisher(doc[start - 2].text)
        return (
            start >= 1
            and span[-1].lower_ in {"service", "desk"}
            and self._names_publisher(doc[start - 1].text)
        )

    def _resolve_named(self, span: Span, text: str, label: str, persons: list) -> None:
        gazetteer = self.gazetteer
        state = gazetteer.state(text)
        if state is not None and label != "NORP":
            key = self.state_record(state.code, text)
            self._mention(span, key, "State", "name")
            return
        if label == "NORP":
            demonym = gazetteer.state_by_demonym(text) or (state if state else None)
            if demonym is not None:
                key = self.state_record(demonym.code, None, named=False)
                self._mention(span, key, "State", "demonym")
            return
        org = gazetteer.organization(text)
        if org is not None and label in {"ORG", "PERSON", "GPE", "NORP", "FAC"}:
            self._known_organization(span, org, text, "name")
            return
        body = gazetteer.organization_by_seat(text)
        if body is not None and self._used_as_government(span):
            self._known_organization(span, body, text, "seat")
            return
        seat = gazetteer.state_by_seat(text)
        if seat is not None and (self._used_as_government(span) or not gazetteer.place(text)):
            key = self.state_record(seat.code, text)
            self._mention(span, key, "State", "seat")
            return
        place = (
            gazetteer.place(text)
            if label in {"GPE", "LOC", "FAC", "ORG"}
            or (label == "PERSON" and " " not in text and text not in self.person_parts)
            else None
        )
        if place is not None:
            key = self._city(place, text)
            self._mention(span, key, "Place", "name")
            return
        if label == "PERSON":
            persons.append((span, text))
            return
        if label == "ORG":
            if not re.search(r"[A-Za-z]{2}", text) or re.search(r"\d", text):
                return
            owner = self._owner_state(span)
            kind = _org_kind(text)
            key = f"org/{owner.lower()}/{slug(text)}" if owner else f"org/{slug(text)}"
            key = self._add(ActorRecord(key, "Organization", text, kind, owner), text)
            self._mention(span, key, "Organization", "name")
            return
        if label in {"LOC", "FAC", "GPE"}:
            owner = self._owner_state(span)
            key = self._add(ActorRecord(f"place/{slug(text)}", "Place", text, state=owner), text)
            self._mention(span, key, "Place", "name")

    def _known_organization(self, span: Span, org: OrganizationEntry, text: str, via: str) -> None:
        record = ActorRecord(f"org/{org.key}", "Organization", text, org.kind, org.state)
        record.canonical = org.name
        self._mention(span, self._add(record, text), "Organization", via)

    def _used_as_government(self, span: Span) -> bool:
        """A capital stands for its government as a subject, object or possessor, not after 'in'."""
        root = span.root
        if root.dep_ == "pobj":
            preposition = root.head
            if preposition.lower_ in {"to", "from", "into"}:
                return preposition.head.lemma_.lower() not in self.cues.motion_words
            return preposition.lower_ not in LOCATIVE_HEADS
        if root.dep_ == "compound":
            return False
        return root.dep_ in GOVERNMENT_DEPS or (
            root.dep_ == "conj" and root.head.dep_ in GOVERNMENT_DEPS
        )

    def _owner_state(self, span: Span) -> str | None:
        """The state named inside or just before a body's name ("China Coast Guard")."""
        words = span.text.split()
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                part = " ".join(words[i : i + size])
                entry = self.gazetteer.state(part) or self.gazetteer.state_by_demonym(part)
                if entry is not None:
                    return entry.code
        if span.start > 0:
            before = self.by_token.get(span.start - 1)
            if before is not None and before.kind == "State":
                return self.records[before.key].state
        return None

    def _resolve_persons(self, persons: list[tuple[Span, str]]) -> None:
        names = []
        for span, text in persons:
            words = [w for w in text.split() if w.lower().strip(".") not in PERSON_PREFIXES]
            cleaned = " ".join(words)
            cleaned = re.sub(r"['\u2019]s?$", "", cleaned)
            if not cleaned or not cleaned[0].isupper():
                continue
            names.append((span, cleaned))
        first: dict[str, int] = {}
        for span, name in names:
            first[name] = min(first.get(name, span.start), span.start)
        # the longest first, among equals the first named: "Berisha" is the Berisha named first
        full_names = sorted(first, key=lambda n: (-len(n.split()), first[n]))
        for span, name in names:
            fullest = name
            parts = name.split()
            for candidate in full_names:
                candidate_parts = candidate.split()
                if len(candidate_parts) <= len(parts):
                    continue
                if _is_short_form(parts, candidate_parts):
                    fullest = candidate
                    break
            key = f"person/{slug(fullest)}"
            record = self.records.get(key) or ActorRecord(key, "Person", fullest)
            key = self._add(record, name)
            self.records[key].label = fullest
            self._mention(span, key, "Person", "name")

    def _resolve_missed_names(self) -> None:
        """Names the recogniser left out: a known person's surname or first name used alone
        ("Ruto said" after "President William Ruto"), a state or capital named on its own
        ("Nairobi denied the claim"), and a state's demonym ("Azerbaijani forces")."""
        people: dict[str, set[str]] = {}
        for key, record in self.records.items():
            if record.kind == "Person":
                for form in (record.label, *record.forms):
                    words = form.split()
                    for word in {words[0], words[-1]}:  # a given name or a surname alone
                        people.setdefault(word, set()).add(key)
        entity_tokens = {  # a demonym the recogniser took for a language ("Filipino troops")
            i
            for ent in self.doc.ents
            if ent.label_ != "LANGUAGE"
            for i in range(ent.start, ent.end)
        }
        first_mention = min((m.start for m in self.mentions), default=len(self.doc))
        for token in self.doc:
            if (
                token.i in self.by_token
                or token.i in entity_tokens
                or token.pos_ not in {"PROPN", "ADJ"}
                or not token.text[:1].isupper()
            ):
                continue
            span = self.doc[token.i : token.i + 1]
            if token.pos_ == "ADJ":  # "Azerbaijani forces" where the recogniser saw nothing
                demonym = self.gazetteer.state_by_demonym(token.text)
                if demonym is not None:
                    key = self.state_record(demonym.code, None, named=False)
                    self._mention(span, key, "State", "demonym")
                    first_mention = min(first_mention, token.i)
                continue
            named = people.get(token.text, set())
            if len(named) == 1 and token.i > first_mention:
                self._mention(span, next(iter(named)), "Person", "name")
                continue
            if (state := self.gazetteer.state(token.text)) is not None:
                self._mention(span, self.state_record(state.code, token.text), "State", "name")
            elif (
                seat := self.gazetteer.state_by_seat(token.text)
            ) is not None and self._used_as_government(span):
                self._mention(span, self.state_record(seat.code, token.text), "State", "seat")
            else:
                continue
            first_mention = min(first_mention, token.i)

    def _resolve_acronyms(self) -> None:
        """Merge "Philippine Coast Guard (PCG)" and later "PCG" into one organisation."""
        doc = self.doc
        alias: dict[str, str] = {}
        for mention in self.mentions:
            if mention.kind != "Organization":
                continue
            end = mention.end
            if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
                acronym = doc[end + 1].text
                if acronym.isupper() and len(acronym) >= 2:
                    alias[acronym] = mention.key
        long_forms = {
            _initials(self.records[m.key].label): m.key
            for m in self.mentions
            if m.kind == "Organization" and len(self.records[m.key].label.split()) > 1
        }
        for index, mention in enumerate(self.mentions):
            if mention.kind != "Organization":
                continue
            text = mention.span(doc).text
            target = alias.get(text) or (long_forms.get(text) if text.isupper() else None)
            if target and target != mention.key:
                old = self.records[mention.key]
                self.records[target].forms.add(text)
                self.records[target].count += 1
                old.count -= 1
                if old.count <= 0:
                    del self.records[mention.key]
                moved = Mention(mention.start, mention.end, target, "Organization", "acronym")
                self.mentions[index] = moved
                for token in range(mention.start, mention.end):
                    self.by_token[token] = moved
        for record in self.records.values():
            if record.kind == "Organization" and record.forms:
                record.label = max(record.forms, key=lambda f: (len(f.split()), len(f)))

    def _resolve_genders(self) -> None:
        """What the text tells of each person's gender: a gendered honorific or title right
        before the name ("Mrs", "Queen", "spokeswoman"), else "she" or "he" as the subject
        of the sentence right after one whose subject is the only person named in it ("X said
        ... . She added"). Read from the text alone, before any pronoun is resolved; evidence
        that disagrees leaves the gender unknown."""
        doc = self.doc
        by_title: dict[str, set[str]] = {}
        for mention in self.mentions:
            if mention.kind == "Person":
                gender = self._title_gender(mention)
                if gender:
                    by_title.setdefault(mention.key, set()).add(gender)
        by_pronoun: dict[str, set[str]] = {}
        if doc.has_annotation("DEP"):
            for sentence in doc.sents:
                if sentence.start == 0:
                    continue
                subject = next(
                    (t for t in sentence if t.dep_ in SUBJECTS and t.head == sentence.root), None
                )
                if subject is None or subject.lower_ not in {"he", "she"}:
                    continue
                person = self._only_person_subject(doc[sentence.start - 1].sent, subject)
                if person:
                    by_pronoun.setdefault(person, set()).add(PRONOUN_GENDERS[subject.lower_])
        for key, record in self.records.items():
            genders = by_title.get(key) or by_pronoun.get(key) or set()
            if record.kind == "Person" and len(genders) == 1:
                record.gender = next(iter(genders))

    def _title_gender(self, mention: Mention) -> str | None:
        """ "Mrs Smith", "Queen Jane", "spokeswoman Jane Smith": the gender of the honorific or
        title just before the name, or opening it."""
        doc, titles = self.doc, self.cues.gendered_titles
        words = []
        if mention.end - mention.start > 1:
            words.append(doc[mention.start])
        if mention.start > 0:
            before = doc[mention.start - 1]
            if before.text == "." and mention.start > 1:
                abbreviation = doc[mention.start - 2]
                if abbreviation.lower_ in ABBREVIATED_TITLES and not abbreviation.whitespace_:
                    before = abbreviation
            words.append(before)
        for word in words:
            gender = titles.get(word.lower_.rstrip("."))
            if gender:
                return gender
        return None

    def _only_person_subject(self, sentence: Span, pronoun: Token) -> str | None:
        """The person who is the subject of ``sentence`` when no other person is named in it
        nor before ``pronoun`` in the next one: the only one "she" or "he" can stand for."""
        subject = next((c for c in sentence.root.children if c.dep_ in SUBJECTS), None)
        mention = self.by_token.get(subject.i) if subject is not None else None
        if mention is None or mention.kind != "Person":
            return None
        people = {
            m.key
            for m in self.mentions
            if m.kind == "Person" and sentence.start <= m.start < pronoun.i
        }
        unresolved = any(
            ent.label_ == "PERSON" and ent.start not in self.by_token
            for ent in self.doc.ents
            if sentence.start <= ent.start < pronoun.i
        )
        return mention.key if people == {mention.key} and not unresolved else None

    def _agrees(self, pronoun: Token) -> Callable[[str], bool]:
        """Whether a person can be what ``pronoun`` stands for: gender unknown or the same."""
        wanted = PRONOUN_GENDERS.get(pronoun.lower_)
        return lambda key: self.records[key].gender in (None, wanted)

    def _resolve_references(self) -> None:
        """Pronouns and plural descriptions ("the two leaders") to the actors they stand for."""
        doc = self.doc
        ordered = sorted(self.mentions, key=lambda m: m.start)
        position = 0
        recent: list[Mention] = []  # mentions so far that a pronoun can stand for
        named: list[Mention] = []  # every mention so far, demonyms too ("Tanzanian trucks")
        speakers: list[tuple[int, str]] = []  # people as subjects, named or referred to
        named_as: dict[str, str] = {}  # definite descriptions resolved so far, by lemma
        for token in doc:
            while position < len(ordered) and ordered[position].start <= token.i:
                mention = ordered[position]
                named.append(mention)
                if mention.via != "demonym":
                    recent.append(mention)
                    root = doc[mention.start : mention.end].root
                    if mention.kind == "Person" and root.dep_ in SUBJECTS:
                        speakers.append((root.i, mention.key))
                position += 1
            lower = token.lower_
            if token.i in self.by_token:
                continue
            if lower in PRONOUNS_PERSON:
                agrees = self._agrees(token)
                person = _last_speaker(speakers, token, agrees) or _last(
                    recent, {"Person"}, token, accept=agrees
                )
                if person:
                    self.coref[token.i] = (person,)
                    if token.dep_ in SUBJECTS:
                        speakers.append((token.i, person))
            elif lower == "capital" and token.pos_ == "NOUN":
                city = self._capital_city(token)
                if city:
                    self.coref[token.i] = (city,)
            elif lower in PRONOUNS_PLURAL:
                group = self._last_group(recent, token)
                if group:
                    self.coref[token.i] = group
            elif lower in PRONOUNS_THING and token.dep_ in {"nsubj", "nsubjpass", "poss"}:
                actor = (
                    self._coordinated_owner(token)
                    or self._reporting_body(token)
                    or _last_subject(recent, {"State", "Organization"}, token, self.doc)
                )
                if actor:
                    self.coref[token.i] = (actor,)
            elif (
                token.tag_ in {"NN", "NNS", "NNP"}  # "the minister", "the Prime Minister"
                and token.lemma_.lower() in self.cues.definite_reference
                and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
                and not any(c.dep_ == "nummod" for c in token.children)
                and not any(
                    c.dep_ in {"compound", "amod"} and c.i in self.by_token for c in token.children
                )
            ):
                lemma = token.lemma_.lower()
                actor = named_as.get(lemma) or self._definite(token, recent)
                if actor:
                    named_as.setdefault(lemma, actor)  # "the junta" stays the same junta
                    self.coref[token.i] = (actor,)
                    if token.dep_ in SUBJECTS and self.records[actor].kind == "Person":
                        speakers.append((token.i, actor))
            elif (holder := self._post_holder(token, recent)) is not None:
                self.coref[token.i] = (holder,)  # "the U.N. envoy": the envoy named before
                if token.dep_ in SUBJECTS:
                    speakers.append((token.i, holder))
            elif token.tag_ in {"NNS", "NN"} and token.lemma_.lower() in self.cues.plural_reference:
                count = next(
                    (
                        self.cues.plural_counts[c.lower_]
                        for c in token.children
                        if c.lower_ in self.cues.plural_counts
                    ),
                    None,
                )
                if count is None:
                    continue
                wanted = self.cues.plural_reference[token.lemma_.lower()]
                kinds = {"State", "Person", "Organization"} if wanted == "any" else {wanted}
                # the most named so far ("both sides": the article's two protagonists), before
                # this sentence, else before the words in it ("X met Y, where the two leaders")
                for limit in (token.sent.start, token.i):
                    actors = _most_named(named, kinds, limit, count)
                    if actors:
                        self.coref[token.i] = actors
                        break

    def _post_holder(self, token: Token, recent: list[Mention]) -> str | None:
        """ "the U.N. envoy", "the Chinese foreign minister": a title that a state or body
        modifies stands for the person the article named earlier with that title and that
        state or body beside the name ("U.N. envoy Jane Smith", "Jane Smith, the Chinese
        foreign minister"); none when no one was (the state or body stands for itself)."""
        lemma = token.lemma_.lower()
        if (
            self.cues.definite_reference.get(lemma) != "Person"
            or token.pos_ not in {"NOUN", "PROPN"}
            or token.tag_ in {"NNS", "NNPS"}  # "the U.N. envoys": not one person
            or token.dep_ in {"compound", "appos"}  # the title of a name, not a reference
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
        ):
            return None
        owners = {
            self.by_token[c.i].key
            for c in token.children
            if c.dep_ in {"compound", "amod", "poss", "nmod"}
            and c.i in self.by_token
            and self.by_token[c.i].kind in {"State", "Organization"}
        }
        if not owners:
            return None
        doc = self.doc
        for mention in reversed(recent):
            if mention.kind != "Person" or mention.start >= token.sent.start:
                continue
            root = doc[mention.start : mention.end].root
            told = [t for c in root.children if c.dep_ == "appos" for t in c.subtree]
            told += doc[max(0, mention.start - MAX_TITLE) : mention.start]
            if any(t.lemma_.lower() == lemma for t in told) and any(
                t.i in self.by_token and self.by_token[t.i].key in owners for t in told
            ):
                return mention.key
        return None

    def _coordinated_owner(self, token: Token) -> str | None:
        """ "Qatar and its neighbours", "South Korea and its ally": "its" is the state or body
        the phrase is coordinated with."""
        owned = token.head
        if token.dep_ != "poss" or owned.dep_ != "conj":
            return None
        mention = self.by_token.get(owned.head.i)
        if mention is not None and mention.kind in {"State", "Organization"}:
            return mention.key
        return None

    def _reporting_body(self, token: Token) -> str | None:
        """ "the junta said it was scrapping X": "it", the subject of what a state or body
        says, is that state or body (also when a description like "the junta" names it)."""
        clause = token.head
        if token.dep_ not in SUBJECTS or clause.dep_ != "ccomp":
            return None
        speaker = next((c for c in clause.head.children if c.dep_ in SUBJECTS), None)
        if speaker is None or speaker.i > token.i:
            return None
        mention = self.by_token.get(speaker.i)
        keys = (mention.key,) if mention is not None else self.coref.get(speaker.i, ())
        if len(keys) == 1 and self.records[keys[0]].kind in {"State", "Organization"}:
            return keys[0]
        return None

    def _last_group(self, recent: list[Mention], token: Token) -> tuple[str, ...] | None:
        """ "they", "their": the latest actors named together ("Saudi Arabia and Iran"),
        in this sentence or the one before."""
        doc = self.doc
        start = token.sent.start
        earliest = doc[start - 1].sent.start if start > 0 else 0
        for mention in reversed(recent):
            if mention.start < earliest:
                return None
            if mention.start >= token.i or mention.kind == "Place":
                continue
            root = doc[mention.start : mention.end].root
            members = [root, *root.conjuncts]
            if len(members) < 2:
                continue
            keys = []
            for member in sorted(members, key=lambda t: t.i):
                found = self.by_token.get(member.i)
                if found is not None and found.kind != "Place" and found.key not in keys:
                    keys.append(found.key)
            if len(keys) >= 2:
                return tuple(keys)
        return None

    def _definite(self, token: Token, recent: list[Mention]) -> str | None:
        """ "the general", "the alliance", "the country": the latest fitting actor named
        before this sentence; people only when the article gave them that title."""
        lemma = token.lemma_.lower()
        kind = self.cues.definite_reference[lemma]
        if kind != "Person":  # "cut ties with Qatar, accusing the small state of ...": Qatar
            for mention in reversed(recent):
                if mention.start < token.sent.start:
                    break
                root = self.doc[mention.start : mention.end].root
                if mention.start < token.i and mention.kind == kind and root.dep_ == "pobj":
                    return mention.key
        for mention in reversed(recent):
            if mention.start >= token.sent.start or mention.kind != kind:
                continue
            if kind != "Person":
                return mention.key
            before = self.doc[max(0, mention.start - 4) : mention.start]
            if any(t.lemma_.lower() == lemma for t in before):
                return mention.key
        return None

    def actors(self) -> list[Actor]:
        return [record.freeze() for _, record in sorted(self.records.items())]


def _last(
    recent: list[Mention],
    kinds: set[str],
    token: Token,
    same_or_previous: bool = False,
    accept: Callable[[str], bool] | None = None,
):
    """The latest actor of those kinds named so far (that ``accept`` takes, when given)."""
    sentence_start = token.sent.start
    previous_start = token.doc[sentence_start - 1].sent.start if sentence_start > 0 else 0
    for mention in reversed(recent):
        if same_or_previous and mention.start < previous_start:
            return None
        if mention.kind in kinds and (accept is None or accept(mention.key)):
            return mention.key
    return None


def _most_named(
    named: list[Mention], kinds: set[str], limit: int, count: int
) -> tuple[str, ...] | None:
    """The ``count`` actors of those kinds named most often before token ``limit`` (the later
    named first among equals), in the order the article first names them."""
    times: dict[str, int] = {}
    last: dict[str, int] = {}
    first: dict[str, int] = {}
    for mention in named:
        if mention.start >= limit or mention.kind not in kinds:
            continue
        times[mention.key] = times.get(mention.key, 0) + 1
        last[mention.key] = mention.start
        first.setdefault(mention.key, mention.start)
    if len(times) < count:
        return None
    chosen = sorted(times, key=lambda key: (-times[key], -last[key]))[:count]
    return tuple(sorted(chosen, key=first.__getitem__))


def _last_speaker(
    speakers: list[tuple[int, str]], token: Token, accept: Callable[[str], bool] | None = None
) -> str | None:
    """ "he", "his": the latest person who was the subject of a clause in this sentence or
    the one before ("Santos said he would send his negotiator, X, and he invited ..."), of
    those ``accept`` takes (a person "she" can stand for), when given."""
    sentence_start = token.sent.start
    previous_start = token.doc[sentence_start - 1].sent.start if sentence_start > 0 else 0
    for index, key in reversed(speakers):
        if index < previous_start:
            return None
        if index < token.i and (accept is None or accept(key)):
            return key
    return None


def _last_subject(recent: list[Mention], kinds: set[str], token: Token, doc: Doc) -> str | None:
    """ "it"/"its": the latest subject of this sentence, else of the previous one."""
    sentence = token.sent
    previous = doc[sentence.start - 1].sent if sentence.start > 0 else None
    for scope in (sentence, previous):
        if scope is None:
            break
        for mention in reversed(recent):
            if not scope.start <= mention.start < scope.end or mention.start >= token.i:
                continue
            root = doc[mention.start : mention.end].root
            if root.dep_ == "poss":  # "Ukraine's need is air defence, as strikes on its grid"
                root = root.head
            if mention.kind in kinds and root.dep_ in {"nsubj", "nsubjpass"}:
                return mention.key
    return None


def _trim(ent: Span) -> Span | None:
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and doc[end - 1].text in {"'s", "\u2019s", "'", "\u2019"}:
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


_MATCHERS: dict[int, PhraseMatcher] = {}


def _known_names(doc: Doc, gazetteer: Gazetteer) -> list[tuple[Span, str]]:
    """Spans that spell a curated organisation's name, acronym or alias exactly, or a state's
    name of several words ("Saudi Arabia" where the recogniser missed it), with their label."""
    matcher = _MATCHERS.get(id(doc.vocab))
    if matcher is None:
        matcher = PhraseMatcher(doc.vocab, attr="ORTH")
        forms = {
            form
            for entry in gazetteer.organizations()
            for form in (entry.name, *entry.acronyms, *entry.aliases)
            if len(form) > 2 and form[0].isupper()
        }
        matcher.add("ORG", [Doc(doc.vocab, words=form.split()) for form in sorted(forms)])
        states = {
            name
            for state in gazetteer.states()
            for name in state.names
            if " " in name and all(word[:1].isupper() for word in name.split())
        }
        matcher.add("GPE", [Doc(doc.vocab, words=name.split()) for name in sorted(states)])
        _MATCHERS[id(doc.vocab)] = matcher
    labels = {}
    for match_id, start, end in matcher(doc):
        labels[(start, end)] = doc.vocab.strings[match_id]
    spans = spacy.util.filter_spans([doc[start:end] for start, end in labels])
    return [(span, labels[(span.start, span.end)]) for span in spans]


def _label_votes(spans: list[tuple[Span, str]]) -> dict[str, str]:
    """The label most spans with the same text carry (ties keep each span's own)."""
    counts: dict[str, dict[str, int]] = {}
    for span, label in spans:
        bucket = counts.setdefault(normalise(span.text), {})
        bucket[label] = bucket.get(label, 0) + 1
    votes = {}
    for text, bucket in counts.items():
        ranked = sorted(bucket.items(), key=lambda item: -item[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            votes[text] = ranked[0][0]
    return votes


def _name_head(token: Token, name: Span, cues: Cues) -> bool:
    """Whether a proper noun just before a person's name is the start of that name."""
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "compound"
        and token.head.i in range(name.start, name.end)
        and not token.ent_type_
        and token.lower_ not in cues.title_words
        and token.text[:1].isupper()
        and token.text.isalpha()
    )


def _hyphen_tail(doc: Doc, end: int) -> bool:
    """Whether a name ending at token ``end`` goes on past a hyphen with no space around it
    ("Jong" + "-un", "Pakistan" + "-based")."""
    return (
        end + 1 < len(doc)
        and doc[end].text in {"-", "\u2010", "\u2011"}
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
    )


def _leading_title(span: Span, cues: Cues) -> int:
    """How many tokens of a title open a person's name the recogniser read with it
    ("Congressman Ede Varga", "Prince Ali bin Omar"), leaving two or more name words."""
    words = [t.lower_ for t in span]
    for size in (3, 2, 1):
        if len(words) - size >= 2 and " ".join(words[:size]) in cues.title_words:
            return size
    return 0


def _part_of_title(span: Span, cues: Cues) -> bool:
    """Words of a title the recogniser took for a body: "Defence" in "Minister of Defence"
    or "Defence Minister", "State" in "Secretary of State", "Rear Admiral"."""
    if span.text.lower() in cues.title_words:
        return True
    doc = span.doc
    if len(span) <= 3 and (  # "National Security Adviser", "Presidential Advisor X"
        span[-1].lower_ in TITLE_HEADS
        or (span.end < len(doc) and doc[span.end].lower_ in TITLE_HEADS)
    ):
        return True
    root = span.root
    return (
        root.dep_ == "pobj"
        and root.head.lower_ == "of"
        and root.head.head.lemma_.lower() in {"minister", "secretary", "commissioner", "ministry"}
        and len(span) <= 3
    )


def _name_tail(token: Token) -> bool:
    """A capitalised proper noun right after a person's name ("López" in "Vladimir Padrino
    López") continues it, unless it starts an entity of its own kind (a place, a body)."""
    if not (token.is_title and token.is_alpha and token.pos_ == "PROPN"):
        return False
    if token.i == 0 or token.doc[token.i - 1].whitespace_ != " ":
        return False
    return token.ent_type_ in {"", "PERSON"} or (
        token.ent_iob_ == "B"
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].ent_iob_ != "I"
        and token.ent_type_ in {"GPE", "ORG", "NORP"}
    )


def _is_short_form(parts: list[str], full: list[str]) -> bool:
    if len(parts) == 1:  # "Tazi" of "Karim el-Tazi" too
        return parts[0] in full or parts[0] in name_words(" ".join(full))
    return full[-len(parts) :] == parts or full[: len(parts)] == parts


def _initials(label: str) -> str:
    return "".join(
        w[0] for w in label.split() if w.lower() not in {"of", "the", "and", "for"}
    ).upper()


def _org_kind(text: str) -> str:
    words = {w.lower() for w in text.split()}
    for keys, kind in ORG_KIND_WORDS:
        if words & set(keys):
            return kind
    return "GovernmentBody" if words & {"national", "federal", "state"} else "Organization"
