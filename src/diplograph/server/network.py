"""Who acts on whom, for the query page's picture: the busiest actors of a period as nodes,
the events among them as edges, aggregated (one per source, target and category) and
bounded at any store size."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from diplograph.server.errors import Refusal
from diplograph.server.html import LOCAL, href
from diplograph.server.pages import records
from diplograph.server.response import Response
from diplograph.server.sparql import Endpoint, internal_query

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


#: actors the picture shows by default, and at most (``limit``)
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_COUNT = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class Window:
    """What the picture shows: the ``limit`` busiest actors of ``start``..``end``
    (``YYYY-MM-DD``, both ends included), undated events too when ``undated``."""

    start: str = "0000-01-01"
    end: str = "9999-12-31"
    undated: bool = True
    limit: int = DEFAULT_LIMIT


def window(
    start: str | None = None,
    end: str | None = None,
    *,
    undated: bool = True,
    limit: str | int | None = None,
) -> Window:
    """A checked ``Window`` from request parameters (missing ones take the defaults).

    Raises:
        Refusal: 400 for a date that is no day (S019), a ``from`` after ``to`` (S022), a
            ``limit`` that is no whole number from 1 to ``MAX_LIMIT`` (S021).
    """
    first = _day(start, "from") or Window.start
    last = _day(end, "to") or Window.end
    if first > last:
        raise Refusal(400, "S022", start=first, end=last)
    if limit is None or limit == "":
        count = DEFAULT_LIMIT
    else:
        text = str(limit).strip()
        if not _COUNT.fullmatch(text) or not 1 <= int(text) <= MAX_LIMIT:
            raise Refusal(400, "S021", value=str(limit), most=MAX_LIMIT)
        count = int(text)
    return Window(first, last, undated, count)


def _day(value: str | None, param: str) -> str | None:
    if not value:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise Refusal(400, "S019", param=param, value=value) from None
    return value


#: the date of an event as a period: a day, or the first and last days of a month or a year
_SPAN = (
    'BIND (STR(?date) AS ?day) BIND (SUBSTR(CONCAT(?day, "-01-01"), 1, 10) AS ?first) '
    'BIND (SUBSTR(CONCAT(?day, SUBSTR("-12-31", STRLEN(?day) - 3)), 1, 10) AS ?last)'
)


def _period(period: Window) -> str:
    """The patterns that keep the events of ``period`` (its dates checked by ``window``): an
    event counts when one of its dates overlaps the period, or, if ``undated``, it has none."""
    overlaps = f'?first <= "{period.end}" && ?last >= "{period.start}"'
    everything = (period.start, period.end) == (Window.start, Window.end)
    if everything and period.undated:
        return ""
    if not period.undated:
        inside = "?event dgo:date ?date ." + ("" if everything else f" {_SPAN} FILTER ({overlaps})")
        return f"{{ SELECT DISTINCT ?event WHERE {{ {inside} }} }}"
    keep = f"(MAX(IF({overlaps}, 1, 0)) AS ?keep)"
    dated = f"SELECT ?event {keep} WHERE {{ ?event dgo:date ?date . {_SPAN} }} GROUP BY ?event"
    return f"OPTIONAL {{ {dated} }} FILTER (!BOUND(?keep) || ?keep = 1)"


def counting_query(period: Window) -> str:
    """The query that counts the events of ``period`` by source, target and category."""
    return re.sub(
        r"(?m)^\s*#\{period\}\s*$", lambda _: "  " + _period(period), internal_query("network")
    )


def _labels(nodes: Iterable[str]) -> str:
    """The labels-and-kinds query for ``nodes`` (IRIs the store gave)."""
    values = "VALUES ?node { " + " ".join(f"<{iri}>" for iri in nodes) + " }"
    return re.sub(r"(?m)^\s*#\{nodes\}\s*$", lambda _: values, internal_query("network-labels"))


def network(endpoint: Endpoint, period: Window | None = None) -> dict:
    """The picture of ``period``: its ``limit`` busiest actors (most event edges, then IRI)
    as nodes with their ``degree``, and the edges among them, one per source, target and
    category, with the number of ``events`` it stands for and one of them (``event``).

    An actor's degree counts its event edges of the period (an event, its category, a source
    and a different target, the actor at one end), among all actors, not only those shown.
    Two queries: the engine counts events by source, target and category, then labels
    the nodes; the answer holds ``limit`` (at most ``MAX_LIMIT``) actors and their edges.
    """
    period = period or Window()
    counted = endpoint.select(counting_query(period))
    rows = [
        (row["source"].value, row["target"].value, row["category"].value, row)
        for row in records(counted)
    ]
    degrees: dict[str, int] = {}
    for source, target, _, row in rows:
        events = int(row["events"].value)
        degrees[source] = degrees.get(source, 0) + events
        degrees[target] = degrees.get(target, 0) + events
    busiest = sorted(degrees, key=lambda iri: (-degrees[iri], iri))[: period.limit]
    shown = set(busiest)
    edges = [
        {
            "source": source,
            "target": target,
            "category": category,
            "events": int(row["events"].value),
            "event": row["example"].value,
            "href": href(row["example"].value),
        }
        for source, target, category, row in sorted(rows, key=lambda r: r[:3])
        if source in shown and target in shown
    ]
    labels: dict[str, str] = {}  # an actor's skos:prefLabel, an event's rdfs:label
    kinds: dict[str, str] = {}
    if busiest:
        named = endpoint.select(_labels([*busiest, *sorted({e["event"] for e in edges})]))
        for row in records(named):
            node = row["node"].value
            if "kind" in row:
                kinds.setdefault(node, row["kind"].value)
            elif (row["via"].value == "actor") == (node in shown):
                label = row["label"].value
                labels[node] = min(label, labels.get(node, label))
    for edge in edges:
        edge["label"] = labels.get(edge["event"], _tail(edge["event"]))
    nodes = [
        {
            "id": iri,
            "label": labels.get(iri, _tail(iri)),
            "kind": kinds.get(iri, "actor"),
            "degree": degrees[iri],
            "href": href(iri),
        }
        for iri in busiest
    ]
    counts: dict[str, int] = {}
    for edge in edges:
        counts[edge["category"]] = counts.get(edge["category"], 0) + edge["events"]
    order = {name: index for index, name in enumerate(CATEGORIES)}
    categories = [
        {"name": name, "edges": counts[name]}
        for name in sorted(counts, key=lambda n: (order.get(n, len(order)), n))
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "categories": categories,
        "actors": len(degrees),
        "limit": period.limit,
        "truncated": counted.truncated,
    }


def network_response(endpoint: Endpoint, params: dict[str, list[str]]) -> Response:
    """``/network.json?from=YYYY-MM-DD&to=YYYY-MM-DD&undated=1&limit=50``."""

    def one(name: str) -> str | None:
        values = params.get(name) or [None]
        return values[0]

    period = window(
        one("from"),
        one("to"),
        undated=(one("undated") or "1").lower() not in {"0", "false", "no"},
        limit=one("limit"),
    )
    body = json.dumps(network(endpoint, period), ensure_ascii=False).encode()
    return Response(200, body, "application/json", {"Cache-Control": "no-store"})


def _tail(iri: str) -> str:
    return iri[len(LOCAL) :] if iri.startswith(LOCAL) else iri
