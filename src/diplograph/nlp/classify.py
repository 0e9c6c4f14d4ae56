"""A trained check on the rule extractor: how likely a candidate event is real, as typed.

The rules of :mod:`diplograph.nlp.events` propose candidate events; a logistic model over
sparse features of each candidate (its category, the trigger's lemma, part of speech and
dependency, the words that govern and modify it, the kinds of its actors, its modality, the
rules' own confidence, whether the same act was told just before, and how strongly the
NGEC synthetic stories tie the trigger word to the category) gives the probability that the
candidate matches a gold event of that category. The model only vetoes: for a candidate the
rules keep (confidence at the events table's cut or above) that probability, rescaled so the
cut falls at the threshold chosen by cross-validation, becomes the event's confidence, so a
candidate the model doubts drops below the cut (the graph keeps it); a candidate the rules
cut keeps their confidence (cross-validated, the ones the model would have let back in were
right about one time in three, below the rules' precision).

Features never hold a name: a proper noun or a word inside a named entity is replaced by
its entity label. The model is ``resources/event_classifier.json`` (weights rounded, JSON,
no pickle), written by ``python -m diplograph.resources.train_classifier``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Token

from diplograph.errors import error
from diplograph.model import Event

MODEL = Path(__file__).resolve().parent.parent / "resources" / "event_classifier.json"
#: the environment variable that turns the classifier on in builds ("1"): off by default, as
#: it did not raise the VOA check half's lenient F1 and precision together
#: (docs/event-classifier.md); score with it on after retraining, and turn it on when it does
SWITCH = "DIPLOGRAPH_EVENT_CLASSIFIER"


def applied() -> bool:
    """Whether builds apply the event classifier (``DIPLOGRAPH_EVENT_CLASSIFIER=1``)."""
    return os.environ.get(SWITCH, "") == "1"


#: the events table's default cut (``api.DEFAULT_MIN_CONFIDENCE``): the model's threshold
#: is mapped onto it
TABLE_CUT = 0.25
#: dependency labels of the trigger's children that tell how an act is told
TOLD_BY = frozenset({"aux", "auxpass", "neg", "mark", "advmod", "prt", "dobj", "prep", "xcomp"})
#: how far up the parse the governing words are read
ANCESTORS = 3


def _word(token: Token) -> str:
    """A token as a feature: its lemma, or its entity label when it names something."""
    if token.ent_type_:
        return f"ENT:{token.ent_type_}"
    if token.pos_ == "PROPN":
        return "PROPN"
    if token.like_num:
        return "NUM"
    return token.lemma_.lower() or token.lower_


def _kinds(keys: Sequence[str], kinds: Mapping[str, str]) -> str:
    return "+".join(sorted({kinds.get(k, "?") for k in keys})) or "none"


def _trigger(doc: Doc, event: Event) -> Token | None:
    span = doc.char_span(event.trigger_start, event.trigger_start + 1, alignment_mode="expand")
    return span.root if span is not None else None


def _told_before(event: Event, earlier: Sequence[Event]) -> str | None:
    """Whether an earlier candidate of the same category shares an actor: in the same
    sentence, in an adjacent one (the lead retold), or farther."""
    actors = set(event.source) | set(event.target)
    start = event.evidence[0].start if event.evidence else 0
    for other in reversed(earlier):
        if other.category != event.category or not actors & (set(other.source) | set(other.target)):
            continue
        other_start = other.evidence[0].start if other.evidence else 0
        if other_start == start:
            return "same"
        return (
            "near" if 0 <= start - (other.evidence[0].end if other.evidence else 0) < 400 else "far"
        )
    return None


def candidate_features(
    doc: Doc,
    event: Event,
    earlier: Sequence[Event],
    kinds: Mapping[str, str],
    synthetic: Mapping[str, Mapping[str, float]],
) -> dict[str, float]:
    """The sparse features of one candidate event (name -> value; most are 1.0).

    ``earlier`` are the candidates told before it, ``kinds`` an actor key's kind (State,
    Person, Organization, Place), ``synthetic`` a trigger word's association with each
    category in the NGEC synthetic stories."""
    c = event.category
    rules = min(0.99, max(0.01, event.confidence))
    features: dict[str, float] = {
        "bias": 1.0,
        f"c={c}": 1.0,
        "rules": math.log(rules / (1 - rules)),
    }

    def add(name: str) -> None:
        features[name] = 1.0

    add(f"src={_kinds(event.source, kinds)}")
    add(f"tgt={_kinds(event.target, kinds)}")
    add(f"mod={event.modality}")
    if event.negated:
        add("negated")
    if len(event.evidence) > 1:
        add("merged")
    if event.attributed_to:
        add("attributed")
    if set(event.source) & set(event.target):
        add("self")
    if any(kinds.get(k) == "Place" for k in (*event.source, *event.target)):
        add("place_actor")
    told = _told_before(event, earlier)
    if told:
        add(f"told={told}")
    token = _trigger(doc, event)
    if token is None:
        return features
    word = _word(token)
    add(f"lem={word}")
    add(f"pos={token.pos_}")
    add(f"dep={token.dep_}")
    add(f"tag={token.tag_}")
    for child in token.children:
        if child.dep_ in TOLD_BY:
            add(f"ch={child.dep_}:{_word(child)}")
        elif child.dep_ in {"nsubj", "nsubjpass"}:
            add(f"subj={_word(child)}")
    current = token
    for step in range(ANCESTORS):
        if current.head == current:
            break
        head = current.head
        add(f"up{step}={current.dep_}:{_word(head)}")
        add(f"anc={_word(head)}")
        for child in head.children:
            if child.dep_ in {"aux", "neg", "mark"}:
                add(f"anc{child.dep_}={_word(child)}")
        current = head
    sentence = token.sent
    for subject in sentence:  # who speaks in the sentence: "experts think", "X, an analyst"
        if subject.dep_ in {"nsubj", "nsubjpass"}:
            add(f"speaker={_word(subject)}")
            for child in subject.children:
                if child.dep_ == "appos":
                    add(f"speaker={_word(child)}")
    if sentence.start == next((s.start for s in doc.sents), 0):
        add("lead")
    if any(t.is_quote for t in sentence):
        add("quoted")
    scores = synthetic.get(token.lower_) or synthetic.get(token.lemma_.lower())
    if scores is None:
        add("syn=unknown")
    else:
        features["syn"] = scores.get(c, 0.0)
        if c == max(sorted(scores), key=lambda k: scores[k]):
            add("syn=best")
    return features


@dataclass(frozen=True)
class EventClassifier:
    """A logistic model over :func:`candidate_features`, with its decision threshold."""

    weights: Mapping[str, float]
    threshold: float
    synthetic: Mapping[str, Mapping[str, float]]
    version: str

    def probability(self, features: Mapping[str, float]) -> float:
        """P(the candidate is a real event of its category)."""
        score = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def confidence(self, probability: float, rules: float = 1.0) -> float:
        """The probability rescaled (piecewise linearly) so the threshold lands on the events
        table's cut: below it the table leaves the event out, above it order is kept. A
        candidate whose ``rules`` confidence is below the cut keeps it: the model only vetoes."""
        if rules < TABLE_CUT:
            return rules
        t = self.threshold
        if probability < t:
            value = TABLE_CUT * probability / t
        else:
            value = TABLE_CUT + (1 - TABLE_CUT) * (probability - t) / (1 - t)
        return round(min(0.95, max(0.05, value)), 2)


@cache
def load_classifier(path: Path = MODEL) -> EventClassifier:
    """The shipped event classifier (read once per process)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return EventClassifier(
            weights=data["weights"],
            threshold=float(data["threshold"]),
            synthetic=data["synthetic"],
            version=str(data["version"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise error("E054", path=path, reason=str(exc) or type(exc).__name__) from exc


def classify_events(
    doc: Doc,
    events: Sequence[Event],
    kinds: Mapping[str, str],
    classifier: EventClassifier,
) -> list[Event]:
    """The candidates with the classifier's confidence in place of the rules' (those the
    rules keep; the others keep theirs)."""
    return [
        replace(
            event,
            confidence=classifier.confidence(
                classifier.probability(
                    candidate_features(doc, event, events[:i], kinds, classifier.synthetic)
                ),
                event.confidence,
            ),
        )
        for i, event in enumerate(events)
    ]
