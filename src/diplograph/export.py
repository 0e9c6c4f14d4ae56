"""Analyst tables computed by SPARQL over the graph, in the shared gold row format."""

from __future__ import annotations

from collections import defaultdict

from rdflib import Dataset

from diplograph.query import internal_query, run_query

EVENT_COLUMNS = [
    "doc",
    "type",
    "subtype",
    "source",
    "target",
    "source_states",
    "target_states",
    "location",
    "date",
    "negated",
    "modality",
    "evidence",
    "confidence",
]
ENTITY_COLUMNS = ["doc", "name", "type", "code"]


def _text(value) -> str | None:
    return None if value is None else str(value)


def event_rows(dataset: Dataset) -> list[dict]:
    """One row per event: who did what to whom, where, when, how sure, and the evidence."""
    actors: dict[str, dict[str, dict[str, str | None]]] = defaultdict(
        lambda: {"source": {}, "target": {}}
    )
    for row in run_query(dataset, internal_query("event_actors")):
        side = actors[str(row.event)][str(row.role)]
        label = str(row.label)
        if label not in side or side[label] is None:
            side[label] = _text(row.code)
    rows: dict[str, dict] = {}
    for row in run_query(dataset, internal_query("events")):
        key = str(row.event)
        if key in rows:
            continue
        sides = actors[key]
        rows[key] = {
            "doc": str(row.doc),
            "type": str(row.type),
            "subtype": _text(row.subtype),
            "source": sorted(sides["source"]),
            "target": sorted(sides["target"]),
            "source_states": sorted({c for c in sides["source"].values() if c}),
            "target_states": sorted({c for c in sides["target"].values() if c}),
            "location": _text(row.location),
            "date": _text(row.date),
            "negated": bool(row.negated.toPython()),
            "modality": str(row.modality),
            "evidence": str(row.evidence),
            "confidence": float(row.confidence),
        }
    return list(rows.values())


def entity_rows(dataset: Dataset) -> list[dict]:
    """One row per actor or place each article names."""
    seen: set[tuple[str, str]] = set()
    rows = []
    for row in run_query(dataset, internal_query("entities")):
        key = (str(row.doc), str(row.mention) if hasattr(row, "mention") else str(row.name))
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            {
                "doc": str(row.doc),
                "name": str(row.name),
                "type": str(row.type),
                "code": _text(row.code),
            }
        )
    return rows
