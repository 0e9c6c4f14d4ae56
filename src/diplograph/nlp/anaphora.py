"""Find dates given by reference to an earlier event ("temporal anaphora").

"within hours", "two days later", "the next day", "that day", "the day before the vote",
"within minutes of the oath": each counts days from an event told before it, not from the
publication date. This module reads such phrases off the parse (spaCy tags them as DATE,
as TIME, or not at all) and shifts a day by their offset; which event they count from is
the reader's business (:meth:`diplograph.nlp.events.EventReader._anaphoric_date`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Span, Token

from diplograph.nlp.dates import day_only

#: units shorter than a day: "within hours", "minutes later" fall on the anchor's day
SHORT_UNITS = frozenset({"hour", "hours", "minute", "minutes", "moment", "moments"})
#: a day, or a part of one ("that night", "the next morning")
DAY_UNITS = frozenset({"day", "days"})
DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night"})
#: adjectives that place a day from the anchor ("the next day", "the previous day")
DAY_STEPS = {"same": 0, "next": 1, "following": 1, "previous": -1, "preceding": -1}
#: how many days "a day later", "three days later" count
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True)
class TimeAnaphor:
    """A phrase that dates an act by days from another one.

    ``root`` is the token the phrase hangs from the clause by (the unit word, "hours",
    "day", or the "after" of "a day after the vote"); ``offset`` the days to add to the
    anchor's day; ``named`` the act the phrase names ("the vote" in "within minutes of the
    vote"), when it names one; ``start`` the first character of the phrase.
    """

    root: Token
    offset: int
    named: Token | None
    start: int


def shift(day: str | None, offset: int) -> str | None:
    """A day (``YYYY-MM-DD``) moved by ``offset`` days; ``None`` for a month, a year or none.

    >>> shift("2022-02-28", 1)
    '2022-03-01'
    >>> shift("2022-02", 1) is None
    True
    """
    if day_only(day) is None:
        return None
    return (dt.date.fromisoformat(day) + dt.timedelta(days=offset)).isoformat()


def _count(unit: Token) -> int | None:
    """How many units a phrase counts: "three days" 3, "a day" 1, "days" none."""
    for child in unit.children:
        if child.dep_ in {"nummod", "det", "quantmod"}:
            word = child.lower_
            if word.isdigit():
                return int(word)
            if word in NUMBER_WORDS:
                return NUMBER_WORDS[word]
    return None


def _named(preposition: Token | None) -> Token | None:
    """What "of", "after" or "before" names: a noun ("the vote") or a clause's verb ("after
    the army seized power")."""
    if preposition is None:
        return None
    return next((c for c in preposition.children if c.dep_ in {"pobj", "pcomp"}), None)


def _child_preposition(token: Token, words: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ == "prep" and c.lower_ in words), None)


def _start(token: Token) -> int:
    """The first character of the phrase a token heads, up to what it names."""
    return min(t.idx for t in token.subtree)


def _around(unit: Token) -> TimeAnaphor | None:
    """ "a day after the vote", "two days before the army seized power", "hours after": the
    phrase counts from what "after" or "before" names, wherever the parser hung the unit
    (the parse often hangs it on a noun nearby or on the verb of the clause named)."""
    if unit.i + 1 >= len(unit.doc):
        return None
    word = unit.doc[unit.i + 1]
    if word.lower_ not in {"after", "before"} or unit.dep_ != "npadvmod":
        return None
    count = 0 if unit.lower_ in SHORT_UNITS else _count(unit)
    if count is None:
        return None
    offset = count if word.lower_ == "after" else -count
    if word.dep_ == "prep" and (named := _named(word)) is not None:
        return TimeAnaphor(word, offset, named, _start(unit))
    if word.dep_ == "mark" and word.head.dep_ == "advcl":
        return TimeAnaphor(word.head.head, offset, word.head, _start(unit))
    return None


def _short(unit: Token) -> TimeAnaphor | None:
    """ "within hours (of the vote)", "minutes later"."""
    head = unit.head
    if unit.dep_ == "pobj" and head.lower_ == "within" and _count(unit) is None:
        named = _named(_child_preposition(unit, {"of", "after"}))
        return TimeAnaphor(unit, 0, named, head.idx)
    if unit.dep_ == "npadvmod" and head.lower_ == "later" and head.dep_ == "advmod":
        return TimeAnaphor(unit, 0, None, _start(head))
    return None


def _day(unit: Token) -> TimeAnaphor | None:
    """ "that day", "the same day", "the next day", "the day before", "on the day of the
    summit", "a day later", "three days earlier", "later that night"."""
    head, count = unit.head, _count(unit)
    if unit.lower_ in DAY_UNITS and count is not None:
        if head.lower_ in {"later", "earlier"} and head.dep_ == "advmod":
            sign = 1 if head.lower_ == "later" else -1
            return TimeAnaphor(unit, sign * count, None, _start(head))
        return None
    if unit.lower_ not in {"day", *DAY_PARTS}:
        return None
    # the phrase stands for a time of the clause: "the next day", "on the same day"
    if not (unit.dep_ == "npadvmod" or (unit.dep_ == "pobj" and head.lower_ == "on")):
        return None
    determiners = {c.lower_ for c in unit.children if c.dep_ == "det"}
    around = next(
        (
            c
            for c in unit.children
            if c.dep_ in {"prep", "advmod"} and c.lower_ in {"before", "after", "of"}
        ),
        None,
    )
    modifiers = [c for c in unit.children if c.dep_ in {"amod", "advmod"} and c != around]
    steps = {DAY_STEPS[c.lower_] for c in modifiers if c.lower_ in DAY_STEPS}
    if any(c.lower_ not in DAY_STEPS and c.lower_ != "later" for c in modifiers) or len(steps) > 1:
        return None  # "the first day of the talks", "the whole day": not a day counted
    start = head.idx if unit.dep_ == "pobj" else _start(unit)
    if around is not None:
        named = _named(around)
        if steps or determiners != {"the"}:
            return None
        if named is None and (around.lower_ == "of" or any(around.children)):
            return None
        step = {"before": -1, "after": 1, "of": 0}[around.lower_]
        return TimeAnaphor(unit, step, named, start)  # "the day before (the vote)"
    if steps and determiners == {"the"}:
        return TimeAnaphor(unit, steps.pop(), None, start)  # "the next day"
    if determiners == {"that"} and steps <= {0}:
        return TimeAnaphor(unit, 0, None, start)  # "that day", "later that night"
    return None


def find_anaphors(sentence: Span) -> list[TimeAnaphor]:
    """The phrases of a sentence that date an act by days from another act, in text order."""
    found = []
    for token in sentence:
        word = token.lower_
        if word in SHORT_UNITS:
            anaphor = _around(token) or _short(token)
        elif word in DAY_UNITS or word in DAY_PARTS:
            anaphor = _around(token) or _day(token)
        else:
            continue
        if anaphor is not None:
            found.append(anaphor)
    return found


def told_as_past(verb: Token) -> bool:
    """Whether a clause tells what happened ("recalled", "was expelled", "has recalled"),
    not what will or may happen ("will recall", "could recall", "is due to recall"): only
    then does "within hours" count from an act told before, not from now."""
    for _ in range(4):
        auxiliaries = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
        if any(a.tag_ in {"MD", "TO"} for a in auxiliaries):
            return False
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxiliaries):
            return True
        if any(a.lemma_ == "have" for a in auxiliaries):
            return True  # "has recalled"
        if verb.tag_ not in {"VBN", "VBG"} or verb.head == verb:
            return False
        verb = verb.head  # "statement issued the next day", "responded, announcing"
        while verb.pos_ not in {"VERB", "AUX"} and verb.head != verb:
            verb = verb.head
    return False
