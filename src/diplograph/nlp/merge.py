"""One event per real event: the same act told in several sentences is merged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from diplograph.model import Event

SYMMETRIC_CATEGORIES = {"CONSULT", "COOPERATE"}
#: when one consultation is told with several words, the most specific names it
SUBTYPE_PRIORITY = {"summit": 0, "meeting": 1, "call": 2, "visit": 3, "talks": 4}


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return not a or not b or bool(set(a) & set(b))


def _retold(first: Event, second: Event) -> bool:
    """The same doers and the same counterparts, told with another word ("X accused Y of
    ... . X also criticised Y ..."): one act, when told in turn."""
    return (
        (first.category, first.negated, first.modality)
        == (second.category, second.negated, second.modality)
        and bool(first.source or first.target)
        and (set(first.source), set(first.target)) == (set(second.source), set(second.target))
    )


def _mergeable(
    first: Event, second: Event, adjacent: Callable[[Event, Event], bool] | None = None
) -> bool:
    if first.date and second.date and first.date != second.date:
        return False
    if adjacent is not None and _retold(first, second) and adjacent(first, second):
        return True
    if (first.category, first.negated, first.modality) != (
        second.category,
        second.negated,
        second.modality,
    ):
        return False
    same_class = first.event_class == second.event_class
    if same_class and first.subtype == "agreement" and not first.target and not second.target:
        return set(first.source) == set(second.source)  # the same parties, the same agreement
    if first.category in SYMMETRIC_CATEGORIES:
        one, other = set(first.source + first.target), set(second.source + second.target)
        return one == other or (same_class and (one <= other or other <= one))
    return (
        same_class
        and _compatible(first.source, second.source)
        and _compatible(first.target, second.target)
        and (set(first.source) | set(first.target)) & (set(second.source) | set(second.target))
        != set()
    )


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(k for k in b if k not in a)


def merge_events(
    events: list[Event], adjacent: Callable[[Event, Event], bool] | None = None
) -> list[Event]:
    """One event per real event: the same class and compatible actors told twice are one;
    consultations of the same actors told as a meeting and as talks are one meeting; and
    with ``adjacent`` (whether two events are told in sentences next to each other), the
    same category between the same actors told in turn is one, whatever its subtype."""
    merged = list(events)
    changed = True
    while changed:
        changed = False
        result: list[Event] = []
        for event in merged:
            for index, kept in enumerate(result):
                if _mergeable(kept, event, adjacent):
                    result[index] = _merge(kept, event)
                    changed = True
                    break
            else:
                result.append(event)
        merged = result
    return merged


def _merge(kept: Event, other: Event) -> Event:
    evidence = kept.evidence + tuple(e for e in other.evidence if e not in kept.evidence)
    rank = SUBTYPE_PRIORITY.get
    preferred = other if rank(other.subtype, 9) < rank(kept.subtype, 9) else kept
    return replace(
        kept,
        event_class=preferred.event_class,
        subtype=preferred.subtype,
        source=_union(kept.source, other.source),
        target=_union(kept.target, other.target),
        evidence=evidence,
        location=kept.location or other.location,
        date=kept.date or other.date,
        attributed_to=kept.attributed_to or other.attributed_to,
        confidence=round(min(0.95, max(kept.confidence, other.confidence) + 0.2), 2),
    )
