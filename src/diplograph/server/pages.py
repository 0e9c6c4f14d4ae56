"""Linked data: every IRI minted under https://w3id.org/diplograph/id/ answers at /id/...

A browser gets a page (an actor's names, posts and events with their evidence; an
article's events; an event's parties and sentences); an RDF client gets the resource's
description (its outgoing triples, as DESCRIBE gives them) in Turtle, JSON-LD,
N-Triples or RDF/XML. A named graph (``/id/graph/ID``) answers with its triples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from diplograph.server import formats
from diplograph.server.errors import Refusal
from diplograph.server.formats import GRAPH_FORMATS, HTML
from diplograph.server.html import HTML_TYPE, LOCAL, category, compact, esc, frame, href, link, term
from diplograph.server.response import Response
from diplograph.server.runner import Answer
from diplograph.server.sparql import Endpoint, internal_query
from diplograph.vocab import DGO

PAGE_FORMATS = (HTML, *GRAPH_FORMATS)
THIS = ox.Variable("this")
ACTOR_KINDS = {
    str(DGO.State): "state",
    str(DGO.Person): "person",
    str(DGO.Organization): "organisation",
    str(DGO.GovernmentBody): "government body",
    str(DGO.Place): "place",
}
DESCRIBE = "DESCRIBE ?this WHERE {}"
#: the most event cards or statements a page shows (the rest are a query away)
SHOWN = 300


def records(answer: Answer) -> list[dict]:
    """Solutions as dicts of variable name -> term (unbound variables left out)."""
    return [
        {
            name: value
            for name, value in zip(answer.variables, row, strict=True)
            if value is not None
        }
        for row in answer.rows
    ]


def _text(value) -> str:
    return "" if value is None else value.value


class Pages:
    """The /id/... pages of one endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint

    def resource(self, path: str, *, accept: str | None, wanted: Sequence[str]) -> Response:
        """The page or description of ``https://w3id.org/diplograph/id/`` + ``path``."""
        iri = LOCAL + path
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            raise Refusal(404, "S016", iri=iri) from None
        fmt = formats.negotiate(PAGE_FORMATS, accept, wanted)
        if fmt is None:
            media = ", ".join(f.media_type for f in PAGE_FORMATS)
            raise Refusal(406, "S009", what="a resource", accept=accept or "", offers=media)
        store = self.endpoint.store
        is_graph = path.startswith("graph/") and store.contains_named_graph(node)
        if fmt is not HTML:
            if is_graph:
                return self.endpoint.get_graph(iri, accept=None, wanted=[fmt.name])
            answer = self.endpoint.select(DESCRIBE, {THIS: node})
            if not answer.triples:
                raise Refusal(404, "S016", iri=iri)
            response = self.endpoint._answer(answer, fmt)
            response.headers["Link"] = f'<{href(iri)}>; rel="alternate"; type="text/html"'
            return response
        facts = records(self._select("properties", node))
        if not facts and not is_graph:
            return Response(
                404,
                self._missing(iri),
                HTML_TYPE,
                {"Vary": "Accept"},
            )
        body = self._page(iri, node, facts, is_graph)
        return Response(200, body, HTML_TYPE, {"Vary": "Accept"})

    def _select(self, name: str, node: ox.NamedNode) -> Answer:
        return self.endpoint.select(internal_query(name), {THIS: node})

    # --- the page -----------------------------------------------------------------------

    def _page(self, iri: str, node: ox.NamedNode, facts: list[dict], is_graph: bool) -> bytes:
        out = [f for f in facts if f["direction"].value == "out"]
        values: dict[str, list] = defaultdict(list)
        labels: dict[str, str] = {}
        for fact in out:
            values[fact["property"].value].append(fact["value"])
            if "label" in fact:
                labels.setdefault(fact["value"].value, fact["label"].value)
        types = {v.value for v in values[str(RDF.type)] if isinstance(v, ox.NamedNode)}
        title = _first(values, SKOS.prefLabel, RDFS.label, DCTERMS.title) or iri[len(LOCAL) :]
        if is_graph:
            kind = "named graph"
        elif str(DGO.Event) in types:
            kind = "event"
        elif str(DGO.Article) in types:
            kind = "article"
        else:
            kinds = [ACTOR_KINDS[t] for t in sorted(types) if t in ACTOR_KINDS]
            kind = (
                kinds[-1] if kinds else ", ".join(compact(t) for t in sorted(types)) or "resource"
            )
        sections = [self._heading(iri, title, kind)]
        if is_graph:
            sections.append(self._graph(iri))
        if str(DGO.Article) in types:
            sections.append(self._article(values))
        if types & set(ACTOR_KINDS):
            sections.append(self._names(values, labels))
        if str(DGO.Event) in types:
            sections.append(self._event_summary(values))
        if types & (set(ACTOR_KINDS) | {str(DGO.Article)}) and str(DGO.Place) not in types:
            sections.append(self._posts(node))
        if types & (set(ACTOR_KINDS) | {str(DGO.Article), str(DGO.Event)}):
            sections.append(self._events(node, iri, str(DGO.Event) in types))
        if str(DGO.Article) not in types:
            mentioned = [
                f
                for f in facts
                if f["direction"].value == "in" and f["property"].value == str(DGO.mentions)
            ]
            if mentioned:
                sections.append(self._mentioned(mentioned))
        sections.append(self._statements(facts, node))
        return frame(title, "\n".join(s for s in sections if s), head=self._alternates(iri))

    def _alternates(self, iri: str) -> str:
        return "\n".join(
            f'<link rel="alternate" type="{f.media_type}" href="{esc(href(iri))}?format={f.name}">'
            for f in GRAPH_FORMATS
        )

    def _heading(self, iri: str, title: str, kind: str) -> str:
        parts = iri[len(LOCAL) :].split("/")
        crumbs = " / ".join(esc(p) for p in parts)
        alternates = " · ".join(
            f'<a href="{esc(href(iri))}?format={f.name}">{label}</a>'
            for f, label in zip(
                GRAPH_FORMATS, ("Turtle", "N-Triples", "JSON-LD", "RDF/XML"), strict=True
            )
        )
        return (
            f'<p class="crumbs">{crumbs}</p>\n'
            f'<h1>{esc(title)} <span class="kind">{esc(kind)}</span></h1>\n'
            f'<p class="iri"><code>{esc(iri)}</code>'
            f'<span class="formats">as {alternates}</span></p>'
        )

    def _names(self, values: dict[str, list], labels: dict[str, str]) -> str:
        rows = []

        def row(name: str, items: list[str]) -> None:
            if items:
                rows.append(f"<dt>{esc(name)}</dt><dd>{', '.join(items)}</dd>")

        row("name", [esc(v.value) for v in values[str(SKOS.prefLabel)]])
        row("also called", [esc(v.value) for v in sorted(values[str(SKOS.altLabel)], key=str)])
        row("state", [link(v.value, labels.get(v.value)) for v in values[str(DGO.state)]])
        codes = [v.value for v in values[str(DGO.isoAlpha3)] + values[str(DGO.isoAlpha2)]]
        row("ISO 3166 codes", [esc(c) for c in codes])
        row("same as", [link(v.value) for v in values[str(OWL.sameAs)]])
        return f'<section><h2>Names</h2><dl class="facts">{"".join(rows)}</dl></section>'

    def _article(self, values: dict[str, list]) -> str:
        rows = _literal_rows(
            values,
            (
                ("title", DCTERMS.title),
                ("identifier", DCTERMS.identifier),
                ("published", DCTERMS.issued),
                ("publisher", DCTERMS.publisher),
            ),
        )
        for value in values["http://schema.org/url"]:
            rows.append(f"<dt>source</dt><dd>{link(value.value, value.value)}</dd>")
        mentions = sorted(
            (v for v in values[str(DGO.mentions)] if isinstance(v, ox.NamedNode)),
            key=lambda v: v.value,
        )
        if mentions:
            items = ", ".join(link(v.value, v.value[len(LOCAL) :]) for v in mentions)
            rows.append(f"<dt>names</dt><dd>{items}</dd>")
        return f'<section><h2>Article</h2><dl class="facts">{"".join(rows)}</dl></section>'

    def _event_summary(self, values: dict[str, list]) -> str:
        rows = _literal_rows(
            values, (("trigger", DGO.trigger), ("date", DGO.date), ("confidence", DGO.confidence))
        )
        classes = [v.value for v in values[str(RDF.type)] if isinstance(v, ox.NamedNode)]
        rows.append(f"<dt>classes</dt><dd>{', '.join(link(c) for c in sorted(classes))}</dd>")
        return f'<section><h2>Event</h2><dl class="facts">{"".join(rows)}</dl></section>'

    def _posts(self, node: ox.NamedNode) -> str:
        posts = records(self._select("posts", node))
        if not posts:
            return ""
        rows = []
        for post in _unique(posts, "membership"):
            rows.append(
                "<tr>"
                f"<td>{term(post.get('member'), _text(post.get('memberLabel')))}</td>"
                f"<td>{term(post.get('role'), _text(post.get('roleLabel')))}</td>"
                f"<td>{term(post.get('organization'), _text(post.get('organizationLabel')))}</td>"
                f"<td>{esc(_text(post.get('date')))}</td>"
                f'<td class="evidence">{esc(_text(post.get("text")))}</td>'
                f"<td>{term(post.get('article'), _text(post.get('doc')))}</td>"
                "</tr>"
            )
        columns = ("who", "post", "in", "date", "evidence", "article")
        head = "<tr>" + "".join(f"<th>{c}</th>" for c in columns) + "</tr>"
        return (
            f'<section><h2>Posts <span class="count">{len(rows)}</span></h2>'
            f'<table class="grid"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
            "</section>"
        )

    def _events(self, node: ox.NamedNode, iri: str, is_event: bool) -> str:
        rows = records(self._select("events", node))
        parties: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for row in records(self._select("event-actors", node)):
            pair = (row["actor"].value, _text(row.get("label")))
            side = parties[row["event"].value][row["role"].value]
            if pair not in side:
                side.append(pair)
        events: dict[str, dict] = {}
        for row in rows:
            key = row["event"].value
            event = events.setdefault(key, {"row": row, "roles": [], "sentences": []})
            role = row["role"].value
            if role not in event["roles"]:
                event["roles"].append(role)
            sentence = _text(row.get("text"))
            if sentence and sentence not in event["sentences"]:
                event["sentences"].append(sentence)
        if not events:
            return ""
        shown = list(events.items())[:SHOWN]
        cards = [self._event_card(key, e, parties[key], iri) for key, e in shown]
        title = "Evidence" if is_event else "Events"
        more = _more(len(events), "events")
        return (
            f'<section><h2>{title} <span class="count">{len(events)}</span></h2>{more}'
            f'<div class="events">{"".join(cards)}</div></section>'
        )

    def _event_card(self, key: str, event: dict, parties: dict, iri: str) -> str:
        row = event["row"]
        flags = []
        modality = _text(row.get("modality"))
        if modality and modality != "asserted":
            flags.append(f'<span class="flag">{esc(modality)}</span>')
        if _text(row.get("negated")) == "true":
            flags.append('<span class="flag negated">negated</span>')
        date = _text(row.get("date"))
        roles = [r for r in event["roles"] if r not in {"article", "event"}]
        as_role = f'<span class="role">as {esc(" and ".join(roles))}</span>' if roles else ""

        def side(name: str) -> str:
            items = parties.get(name, [])
            shown = [
                f"<strong>{esc(label or actor)}</strong>"
                if actor == iri
                else link(actor, label or actor[len(LOCAL) :])
                for actor, label in items
            ]
            return ", ".join(shown) or '<span class="note">unnamed</span>'

        place = ""
        if parties.get("place"):
            place = f' <span class="note">in</span> {side("place")}'
        sentences = "".join(f"<blockquote>{esc(s)}</blockquote>" for s in event["sentences"])
        article = row.get("article")
        source = ""
        if article is not None:
            title = _text(row.get("title")) or _text(row.get("doc")) or article.value
            source = f'<p class="source">from {link(article.value, title)}</p>'
        subtype = _text(row.get("subtype"))
        label = _text(row.get("label")) or key[len(LOCAL) :]
        heading = link(key, label) if key != iri else esc(label)
        key_name = "".join(c for c in _text(row.get("category")) if c.isalnum())
        return (
            f'<article class="event" style="--c: var(--cat-{key_name}, #868e96)">'
            f"<header>{category(_text(row.get('category')))}"
            f"{' <span class=note>' + esc(subtype) + '</span>' if subtype else ''}"
            f" {heading} {as_role}"
            f'<span class="when">{esc(date)}</span>{"".join(flags)}</header>'
            f'<p class="parties">{side("source")} <span class="arrow">→</span> '
            f"{side('target')}{place}</p>"
            f"{sentences}{source}</article>"
        )

    def _mentioned(self, facts: list[dict]) -> str:
        items = "".join(
            f"<li>{term(f['value'], _text(f.get('label')))}</li>"
            for f in sorted(facts, key=lambda f: f["value"].value)
        )
        return f"<section><h2>Named in</h2><ul>{items}</ul></section>"

    def _graph(self, iri: str) -> str:
        rows = records(self._select("graph", ox.NamedNode(iri)))
        n = rows[0]["triples"].value if rows else "0"
        articles = [
            link(row["article"].value, _text(row.get("title")) or None)
            for row in rows
            if "article" in row
        ]
        source = f"<dt>read from</dt><dd>{', '.join(articles)}</dd>" if articles else ""
        query = f"/graphs?graph={esc(quote(iri, safe=''))}"
        downloads = " · ".join(
            f'<a href="{query}&amp;format={name}">{label}</a>'
            for name, label in (
                ("turtle", "Turtle"),
                ("jsonld", "JSON-LD"),
                ("ntriples", "N-Triples"),
            )
        )
        return (
            '<section><h2>Named graph</h2><dl class="facts">'
            f"<dt>triples</dt><dd>{esc(n)}</dd>{source}"
            f"<dt>download</dt><dd>{downloads}</dd></dl></section>"
        )

    def _statements(self, facts: list[dict], node: ox.NamedNode) -> str:
        rows = []
        for fact in facts[:SHOWN]:
            prop = link(fact["property"].value)
            value = term(fact["value"], _text(fact.get("label")) or None)
            if fact["direction"].value == "out":
                rows.append(f"<tr><td>{prop}</td><td>{value}</td></tr>")
            else:
                rows.append(
                    f'<tr><td><span class="note">is</span> {prop} <span class="note">of</span>'
                    f"</td><td>{value}</td></tr>"
                )
        if not rows:
            return ""
        graphs = records(self._select("graphs", node))
        where = ", ".join(term(g["graph"]) for g in graphs)
        found = f'<p class="note">In {where}.</p>' if where else ""
        return (
            "<section><details><summary>All statements "
            f'<span class="count">{len(facts)}</span></summary>{_more(len(facts), "statements")}'
            f'{found}<table class="grid"><tbody>{"".join(rows)}</tbody></table></details></section>'
        )

    def _missing(self, iri: str) -> bytes:
        body = (
            "<h1>Not found</h1>"
            f"<p>Nothing is known about <code>{esc(iri)}</code> on this server.</p>"
            '<p><a href="/">Back to the query page</a></p>'
        )
        return frame("Not found", body)


def _more(count: int, what: str) -> str:
    if count <= SHOWN:
        return ""
    return f'<p class="note">The first {SHOWN} of {count} {what}; the query page has them all.</p>'


def _first(values: dict[str, list], *properties) -> str | None:
    for prop in properties:
        for value in values[str(prop)]:
            if isinstance(value, ox.Literal):
                return value.value
    return None


def _unique(rows: list[dict], key: str) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        value = row[key].value
        if value not in seen:
            seen.add(value)
            out.append(row)
    return out


def _literal_rows(values: dict[str, list], fields: tuple) -> list[str]:
    """A definition-list row ``<dt>name</dt><dd>…</dd>`` for each (name, property) with values."""
    rows = []
    for name, prop in fields:
        items = [esc(v.value) for v in values[str(prop)]]
        if items:
            rows.append(f"<dt>{name}</dt><dd>{', '.join(items)}</dd>")
    return rows
