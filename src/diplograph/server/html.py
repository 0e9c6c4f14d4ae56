"""Small HTML helpers: escaping, links to linked-data pages, the page frame."""

from __future__ import annotations

from html import escape

import pyoxigraph as ox

from diplograph.vocab import DGR, ONTOLOGY_IRI, PREFIXES

LOCAL = str(DGR)
_NAMESPACES = sorted(((str(ns), name) for name, ns in PREFIXES.items()), key=lambda p: -len(p[0]))
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: pages load only this server's script and styles (inline style attributes carry colours)
POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HTML_TYPE = "text/html; charset=utf-8"


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def href(iri: str) -> str:
    """Where a link to ``iri`` goes: this server's page for the project's IRIs, and its
    ontology page (anchored at the term) for the ontology's.

    >>> href("https://w3id.org/diplograph/ontology#Meeting")
    '/ontology#Meeting'
    """
    if iri.startswith(LOCAL):
        return "/id/" + iri[len(LOCAL) :]
    if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "#"):
        return "/ontology" + iri[len(ONTOLOGY_IRI) :]
    return iri


def compact(iri: str) -> str:
    """``dgo:source`` for an IRI in a known namespace, else the IRI.

    >>> compact("https://w3id.org/diplograph/ontology#source")
    'dgo:source'
    """
    for namespace, name in _NAMESPACES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{name}:{iri[len(namespace) :]}"
    return iri


def link(iri: str, label: str | None = None) -> str:
    """An ``<a>`` to the resource's page (or the outside IRI), labelled.

    Only http(s) IRIs become outside links: ``javascript:`` and the like stay text.

    >>> link("javascript:alert(1)")
    '<code>javascript:alert(1)</code>'
    """
    text = label if label else compact(iri)
    if href(iri) != iri:
        return f'<a href="{esc(href(iri))}" title="{esc(iri)}">{esc(text)}</a>'
    if not iri.lower().startswith(("http://", "https://")):
        return f"<code>{esc(text)}</code>"
    return f'<a href="{esc(iri)}" rel="external noopener" title="{esc(iri)}">{esc(text)}</a>'


def term(value, label: str | None = None) -> str:
    """An Oxigraph term as HTML: links for IRIs, literals with their language or datatype."""
    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        return link(value.value, label)
    if isinstance(value, ox.BlankNode):
        return f"<code>_:{esc(value.value)}</code>"
    if isinstance(value, ox.Literal):
        note = ""
        if value.language:
            note = f' <span class="note">@{esc(value.language)}</span>'
        elif value.datatype.value != XSD_STRING:
            note = f' <span class="note">{esc(compact(value.datatype.value))}</span>'
        return f"{esc(value.value)}{note}"
    return f"<code>{esc(value)}</code>"


def category(name: str | None) -> str:
    """A PLOVER category as a coloured badge (colours live in app.css)."""
    if not name:
        return ""
    key = "".join(c for c in name if c.isalnum())
    return f'<span class="cat" style="--c: var(--cat-{key}, #666)">{esc(name)}</span>'


def frame(title: str, body: str, *, head: str = "") -> bytes:
    """A whole page: the bar with the way back to the query page, then ``body``."""
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · diplograph</title>
<link rel="stylesheet" href="/static/app.css">
<link rel="icon" href="/static/icon.svg" type="image/svg+xml">
{head}
</head>
<body>
<header class="bar">
  <a class="brand" href="/">diplograph</a>
  <nav>
    <a href="/">Query</a>
    <a href="/ontology" title="The diplograph ontology">Ontology</a>
    <a href="/sparql?format=turtle" title="SPARQL service description">/sparql</a>
  </nav>
</header>
<main class="page">
{body}
</main>
</body>
</html>
"""
    return page.encode()
