"""Media types, content negotiation, and writers for SPARQL results and RDF.

Oxigraph writes RDF (Turtle, N-Triples, JSON-LD, RDF/XML) from a list of triples. Its
result writers take a whole result stream, so the result cap could not be applied to
them: solutions are written here instead, from the rows already taken.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from diplograph.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str  # short name, as in ?format=
    media_type: str  # what the response says it is
    accepts: tuple[str, ...]  # media types that ask for it
    aliases: tuple[str, ...] = ()


JSON = Format(
    "json",
    "application/sparql-results+json",
    (
        "application/sparql-results+json",
        "application/json",
        "text/javascript",
        "application/javascript",
    ),
    ("srj",),
)
XML = Format(
    "xml",
    "application/sparql-results+xml",
    ("application/sparql-results+xml", "application/xml", "text/xml"),
    ("srx",),
)
CSV = Format("csv", "text/csv", ("text/csv",))
TSV = Format("tsv", "text/tab-separated-values", ("text/tab-separated-values",))
TURTLE = Format(
    "turtle",
    "text/turtle",
    ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
    ("ttl", "n3"),
)
NTRIPLES = Format(
    "ntriples",
    "application/n-triples",
    ("application/n-triples", "text/plain"),
    ("nt", "n-triples"),
)
JSONLD = Format(
    "jsonld",
    "application/ld+json",
    ("application/ld+json", "application/x-json+ld", "application/json"),
    ("json-ld", "json"),
)
RDFXML = Format(
    "rdfxml",
    "application/rdf+xml",
    ("application/rdf+xml", "application/xml", "text/xml"),
    ("rdf", "xml", "rdf+xml", "owl"),
)
HTML = Format("html", "text/html", ("text/html", "application/xhtml+xml"))

#: in order of preference when the client does not mind
RESULT_FORMATS = (JSON, XML, CSV, TSV)
GRAPH_FORMATS = (TURTLE, NTRIPLES, JSONLD, RDFXML)
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: request bodies a graph write accepts
BODY_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
TEXT = "; charset=utf-8"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as (media range, q) pairs; a missing header accepts anything.

    >>> parse_accept("text/html;q=0.9, */*;q=0.1")
    [('text/html', 0.9), ('*/*', 0.1)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for field in fields[1:]:
            name, _, value = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching ``media_type`` (0 when none does)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media, q in ranges:
        if media == media_type:
            level = 2
        elif media == f"{kind}/*":
            level = 1
        elif media == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(offers: Sequence[Format], accept: str | None, wanted: Sequence[str] = ()):
    """The format to answer in: the first of ``wanted`` (``?format=`` names or media types)
    that is one of ``offers``, else the best match for ``accept``; None if none is acceptable.

    >>> negotiate(RESULT_FORMATS, "text/csv").name
    'csv'
    >>> negotiate(GRAPH_FORMATS, "text/html,*/*;q=0.8").name
    'turtle'
    >>> negotiate(GRAPH_FORMATS, None, wanted=["nt"]).name
    'ntriples'
    """
    for value in wanted:
        key = value.strip().lower()
        for offer in offers:
            if key in (offer.name, *offer.aliases, offer.media_type, *offer.accepts):
                return offer
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = max(_quality(media, ranges) for media in (offer.media_type, *offer.accepts))
        if q > best_q:
            best, best_q = offer, q
    return best


# --- SPARQL results -------------------------------------------------------------------


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    value = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        value["datatype"] = term.datatype.value
    return value


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term) -> str:
    return "" if term is None else str(term)  # N-Triples syntax, tabs and newlines escaped


def write_solutions(fmt: Format, variables: list[str], rows: Iterable[Sequence]) -> bytes:
    """SELECT results (``rows`` of terms or None, in ``variables`` order) in ``fmt``."""
    if fmt is JSON:
        bindings = [
            {
                name: _json_term(term)
                for name, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in rows
        ]
        data = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(data, ensure_ascii=False).encode()
    if fmt is XML:
        out = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
            *(f"<variable name={quoteattr(name)}/>" for name in variables),
            "</head>\n<results>",
        ]
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
                for name, term in zip(variables, row, strict=True)
                if term is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>\n</sparql>\n")
        return "\n".join(out).encode()
    if fmt is CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(term) for term in row] for row in rows)
        return buffer.getvalue().encode()
    if fmt is TSV:
        lines = ["\t".join(f"?{name}" for name in variables)]
        lines.extend("\t".join(_tsv_term(term) for term in row) for row in rows)
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"not a results format: {fmt.name}")


def write_boolean(fmt: Format, value: bool) -> bytes:
    """An ASK answer in ``fmt``."""
    word = "true" if value else "false"
    if fmt is JSON:
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt is XML:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"<head/>\n<boolean>{word}</boolean>\n</sparql>\n"
        ).encode()
    if fmt is CSV:
        return f"_askResult\r\n{word}\r\n".encode()
    return f"?_askResult\n{word}\n".encode()


def write_triples(fmt: Format, triples: Iterable[ox.Triple]) -> bytes:
    """Triples in ``fmt`` (Turtle with the project's prefixes)."""
    prefixes = {name: str(iri) for name, iri in PREFIXES.items()}
    rdf_format = OX_FORMATS[fmt.name]
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(list(triples), format=rdf_format, prefixes=prefixes)
    return ox.serialize(list(triples), format=rdf_format)


def content_type(fmt: Format) -> str:
    """The ``Content-Type`` value for ``fmt`` (text types say UTF-8)."""
    textual = fmt.media_type.startswith("text/") or fmt.name in {"ntriples"}
    return fmt.media_type + (TEXT if textual else "")
