"""The ontology's own IRI: ``https://w3id.org/diplograph/ontology`` answers at /ontology.

As ``/id/PATH`` stands for ``https://w3id.org/diplograph/id/PATH``, ``/ontology`` stands
for the ontology IRI; a term ``...ontology#Meeting`` is the fragment ``#Meeting`` of the
same document, which the HTML page carries as an anchor. The answer is content-negotiated:
a browser gets a page listing every class, property and individual, an RDF client the
ontology in Turtle (the reviewed source file, byte for byte), RDF/XML, JSON-LD or
N-Triples. ``/ontology/VERSION`` (the ``owl:versionIRI``, e.g. ``/ontology/0.1.1``) answers
the same while VERSION is the current one, and ``/ontology.ttl``, ``.owl``/``.rdf``,
``.jsonld``, ``.nt`` and ``.html`` name one format each: the files a w3id.org redirect
can point at (``docs/w3id/.htaccess``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from diplograph.server import formats
from diplograph.server.errors import Refusal
from diplograph.server.formats import GRAPH_FORMATS, HTML, TURTLE, Format
from diplograph.server.html import HTML_TYPE, esc, frame, link
from diplograph.server.response import Response
from diplograph.vocab import DGO_URI, ONTOLOGY_IRI, ontology_graph, ontology_path

PATH = "/ontology"
ONTOLOGY_FORMATS = (HTML, *GRAPH_FORMATS)
#: ``/ontology.SUFFIX``: one format each, for redirects that cannot negotiate
SUFFIXES = {
    "ttl": TURTLE,
    "owl": formats.RDFXML,
    "rdf": formats.RDFXML,
    "jsonld": formats.JSONLD,
    "nt": formats.NTRIPLES,
    "html": HTML,
}
SECTIONS = (
    ("Classes", OWL.Class),
    ("Object properties", OWL.ObjectProperty),
    ("Datatype properties", OWL.DatatypeProperty),
    ("Annotation properties", OWL.AnnotationProperty),
    ("Individuals", OWL.NamedIndividual),
)
#: what a term's entry shows besides its label and comment, in this order
DETAILS = (
    ("subclass of", RDFS.subClassOf),
    ("subproperty of", RDFS.subPropertyOf),
    ("domain", RDFS.domain),
    ("range", RDFS.range),
    ("definition", SKOS.definition),
    ("PLOVER category", URIRef(DGO_URI + "ploverCategory")),
    ("CAMEO codes", URIRef(DGO_URI + "cameoCode")),
    ("subtype key", URIRef(DGO_URI + "subtypeKey")),
    ("notation", SKOS.notation),
    ("in scheme", SKOS.inScheme),
)


def is_ontology_path(path: str) -> bool:
    """Whether ``path`` is the ontology's: /ontology, /ontology/VERSION or /ontology.SUFFIX."""
    return path == PATH or path.startswith(PATH + "/") or path.startswith(PATH + ".")


def ontology_response(path: str, *, accept: str | None, wanted: Sequence[str]) -> Response:
    """The ontology document for ``path`` in the format ``?format=``/``Accept`` asks for.

    Raises:
        Refusal: 404 for another version or suffix, 406 when no offered format is acceptable.
    """
    graph = ontology_graph()
    version = graph.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    fmt: Format | None
    if path.startswith(PATH + "."):
        fmt = SUFFIXES.get(path[len(PATH) + 1 :].lower())
        if fmt is None:
            raise Refusal(404, "S014", path=path)
    else:
        if path != PATH and path[len(PATH) + 1 :] != str(version):
            raise Refusal(404, "S016", iri=ONTOLOGY_IRI + path[len(PATH) :])
        fmt = formats.negotiate(ONTOLOGY_FORMATS, accept, wanted)
    if fmt is None:
        media = ", ".join(f.media_type for f in ONTOLOGY_FORMATS)
        raise Refusal(406, "S009", what="the ontology", accept=accept or "", offers=media)
    alternates = ", ".join(
        f'<{PATH}.{suffix}>; rel="alternate"; type="{SUFFIXES[suffix].media_type}"'
        for suffix in ("html", "ttl", "owl", "jsonld", "nt")
    )
    headers = {"Vary": "Accept", "Link": alternates, "Cache-Control": "max-age=300"}
    if fmt is HTML:
        return Response(200, _page(), HTML_TYPE, headers)
    return Response(200, _document(fmt.name), formats.content_type(fmt), headers)


@lru_cache(maxsize=len(GRAPH_FORMATS))
def _document(name: str) -> bytes:
    """The ontology in the format named ``name``: Turtle is the source file itself."""
    source = ontology_path().read_bytes()
    if name == TURTLE.name:
        return source
    triples = [quad.triple for quad in ox.parse(source, format=ox.RdfFormat.TURTLE)]
    fmt = next(f for f in GRAPH_FORMATS if f.name == name)
    return formats.write_triples(fmt, triples)


def _anchor(iri: str) -> str:
    """A link to a term: ``#Local`` on this page for the ontology's own terms."""
    if iri.startswith(DGO_URI):
        local = iri[len(DGO_URI) :]
        return f'<a href="#{esc(local)}" title="{esc(iri)}">dgo:{esc(local)}</a>'
    return link(iri)


def _value(graph: Graph, value) -> str:
    if isinstance(value, URIRef):
        return _anchor(str(value))
    if isinstance(value, Literal):
        return esc(value)
    members = graph.value(value, OWL.unionOf)  # a blank node: the unions the ontology uses
    if members is not None:
        return " or ".join(_value(graph, item) for item in graph.items(members))
    return "<code>(anonymous class)</code>"


def _entry(graph: Graph, term: URIRef) -> str:
    local = str(term)[len(DGO_URI) :]
    label = graph.value(term, RDFS.label) or local
    comment = graph.value(term, RDFS.comment) or ""
    rows = []
    for title, prop in DETAILS:
        values = sorted(graph.objects(term, prop), key=str)
        if values:
            shown = ", ".join(_value(graph, value) for value in values)
            rows.append(f"<dt>{esc(title)}</dt><dd>{shown}</dd>")
    facts = f'<dl class="facts">{"".join(rows)}</dl>' if rows else ""
    return (
        f'<section id="{esc(local)}"><h3>{esc(label)} <span class="kind">dgo:{esc(local)}</span>'
        f'</h3><p class="iri"><code>{esc(term)}</code></p><p>{esc(comment)}</p>{facts}</section>'
    )


@lru_cache(maxsize=1)
def _page() -> bytes:
    """The ontology as an HTML page, one anchored entry per term the ontology defines."""
    graph = ontology_graph()
    header = URIRef(ONTOLOGY_IRI)
    title = str(graph.value(header, DCTERMS.title) or "diplograph ontology")
    version = graph.value(header, OWL.versionInfo)
    version_iri = graph.value(header, OWL.versionIRI)
    downloads = " · ".join(
        f'<a href="{PATH}.{suffix}">{name}</a>'
        for suffix, name in (("ttl", "Turtle"), ("owl", "RDF/XML"), ("jsonld", "JSON-LD"))
    )
    parts = [
        f'<h1>{esc(title)} <span class="kind">version {esc(version)}</span></h1>',
        f'<p class="iri"><code>{esc(ONTOLOGY_IRI)}</code>'
        f'<span class="formats">as {downloads}</span></p>',
        f"<p>{esc(graph.value(header, DCTERMS.description) or '')}</p>",
        '<dl class="facts">'
        f"<dt>version IRI</dt><dd><code>{esc(version_iri)}</code></dd>"
        f"<dt>preferred prefix</dt><dd><code>dgo:</code> <code>{esc(DGO_URI)}</code></dd>"
        f"<dt>license</dt><dd>{link(str(graph.value(header, DCTERMS.license)))}</dd></dl>",
    ]
    seen: set[URIRef] = set()
    for heading, kind in SECTIONS:
        terms = sorted(
            term
            for term in graph.subjects(RDF.type, kind)
            if isinstance(term, URIRef) and str(term).startswith(DGO_URI) and term not in seen
        )
        seen.update(terms)
        if terms:
            index = ", ".join(_anchor(str(term)) for term in terms)
            entries = "".join(_entry(graph, term) for term in terms)
            parts.append(
                f'<section><h2>{esc(heading)} <span class="count">{len(terms)}</span></h2>'
                f'<p class="note">{index}</p>{entries}</section>'
            )
    return frame(title, "\n".join(parts))


__all__ = ["PATH", "is_ontology_path", "ontology_response"]
