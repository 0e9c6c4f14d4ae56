"""Who acts on whom, for the query page's picture: actors as nodes, events as edges."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from diplograph.server.errors import Refusal
from diplograph.server.html import LOCAL, href
from diplograph.server.pages import records
from diplograph.server.response import Response
from diplograph.server.sparql import Endpoint, internal_query

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: PLOVER categories, the cooperative ones first, as the legend lists them
CATEGORIES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "COOPERATE",
    "AID",
    "CONCEDE",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


def _day(value: str | None, param: str, default: str) -> str:
    if not value:
        return default
    if not _DAY.fullmatch(value):
        raise Refusal(400, "S019", param=param, value=value)
    return value


def network(
    endpoint: Endpoint, *, start: str | None, end: str | None, undated: bool = True
) -> dict:
    """Nodes and edges for the period ``start``..``end`` (``YYYY-MM-DD``, both optional).

    An event of a month or a year counts when that month or year overlaps the period;
    undated events count when ``undated`` is true.
    """
    substitutions = {
        ox.Variable("from"): ox.Literal(_day(start, "from", "0000-01-01")),
        ox.Variable("to"): ox.Literal(_day(end, "to", "9999-12-31")),
        ox.Variable("undated"): ox.Literal(
            "true" if undated else "false",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        ),
    }
    answer = endpoint.select(internal_query("network"), substitutions)
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], dict] = {}
    for row in records(answer):
        ends = []
        for side in ("source", "target"):
            iri = row[side].value
            node = nodes.setdefault(
                iri,
                {
                    "id": iri,
                    "label": row[f"{side}Label"].value if f"{side}Label" in row else _tail(iri),
                    "kind": row[f"{side}Kind"].value if f"{side}Kind" in row else "actor",
                    "href": href(iri),
                },
            )
            ends.append(node["id"])
        event = row["event"].value
        key = (event, ends[0], ends[1])
        if key in edges:
            continue
        edges[key] = {
            "event": event,
            "source": ends[0],
            "target": ends[1],
            "category": row["category"].value,
            "label": row["label"].value if "label" in row else _tail(event),
            "date": row["date"].value if "date" in row else None,
            "href": href(event),
        }
    counts: dict[str, int] = {}
    for edge in edges.values():
        counts[edge["category"]] = counts.get(edge["category"], 0) + 1
    order = {name: index for index, name in enumerate(CATEGORIES)}
    categories = [
        {"name": name, "edges": counts[name]}
        for name in sorted(counts, key=lambda n: (order.get(n, len(order)), n))
    ]
    return {
        "nodes": sorted(nodes.values(), key=lambda n: n["id"]),
        "edges": list(edges.values()),
        "categories": categories,
        "truncated": answer.truncated,
    }


def network_response(endpoint: Endpoint, params: dict[str, list[str]]) -> Response:
    """``/network.json?from=YYYY-MM-DD&to=YYYY-MM-DD&undated=1``."""

    def one(name: str) -> str | None:
        values = params.get(name) or [None]
        return values[0]

    data = network(
        endpoint,
        start=one("from"),
        end=one("to"),
        undated=(one("undated") or "1").lower() not in {"0", "false", "no"},
    )
    body = json.dumps(data, ensure_ascii=False).encode()
    return Response(200, body, "application/json", {"Cache-Control": "no-store"})


def _tail(iri: str) -> str:
    return iri[len(LOCAL) :] if iri.startswith(LOCAL) else iri
