"""Linked data that resolves: the ontology's IRI on a real ``diplograph serve``, and the
w3id.org redirect rules (``docs/w3id/.htaccess``) that send its IRIs there.

The server runs as ``diplograph serve`` in its own process, as a deployment would. The
rewrite rules are read by a small interpreter of the mod_rewrite subset they use
(``RewriteCond`` on a header with ``!``, ``[OR]``, ``[NC]``; ``RewriteRule`` with ``$1``,
``%{ENV:...}`` and ``[E=...]``), and each redirect they give is followed on that server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic
from rdflib.namespace import OWL, RDF

from conftest import serving
from test_server import http

# rdflib's JSON-LD parser still makes a deprecated ConjunctiveGraph
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
ONTOLOGY = ROOT / "ontology" / "diplomacy.ttl"
HTACCESS = ROOT / "docs" / "w3id" / ".htaccess"
ONTOLOGY_IRI = "https://w3id.org/diplograph/ontology"
DGO = ONTOLOGY_IRI + "#"
W3ID = "https://w3id.org/diplograph/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PROTEGE = "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.3, */*; q=0.01"

# Accept -> (content type answered, rdflib parser; None for the HTML page)
NEGOTIATED = {
    "text/turtle": ("text/turtle", "turtle"),
    "application/rdf+xml": ("application/rdf+xml", "xml"),
    "application/ld+json": ("application/ld+json", "json-ld"),
    "application/n-triples": ("application/n-triples", "nt"),
    PROTEGE: ("application/rdf+xml", "xml"),
    BROWSER: ("text/html", None),
}


@pytest.fixture(scope="module")
def source() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def served():
    """``diplograph serve`` of the example graph on a free port, in its own process."""
    with serving(str(GRAPH)) as url:
        yield url


def _same_as_source(body: bytes, parser: str, source: Graph) -> None:
    graph = Graph().parse(data=body, format=parser)
    if not isomorphic(graph, source):
        _both, only_served, only_source = graph_diff(graph, source)
        raise AssertionError(
            f"{parser}: {len(only_served)} triples only served, {len(only_source)} only in source"
        )


@pytest.mark.parametrize("accept", sorted(NEGOTIATED), ids=lambda a: a.split(",")[0])
def test_serve_answers_the_ontology_iri_negotiated(served, source, accept) -> None:
    status, headers, body = http(served + "/ontology", headers={"Accept": accept})
    media, parser = NEGOTIATED[accept]
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    if parser is None:
        assert b"<h1>diplograph ontology" in body
    else:
        _same_as_source(body, parser, source)


def test_serve_ontology_turtle_is_the_source_file(served) -> None:
    status, _headers, body = http(served + "/ontology?format=ttl")
    assert status == 200 and body == ONTOLOGY.read_bytes()


def test_serve_ontology_page_anchors_every_term(served, source) -> None:
    """``...ontology#Meeting`` resolves in a browser: the page has an element with that id."""
    status, headers, body = http(served + "/ontology", headers={"Accept": BROWSER})
    assert status == 200 and "Content-Security-Policy" in headers
    page = body.decode()
    anchors = set(re.findall(r'<section id="([^"]+)"', page))
    terms = {
        str(term)[len(DGO) :]
        for term in source.subjects(RDF.type, None)
        if isinstance(term, URIRef) and str(term).startswith(DGO)
    }
    assert len(terms) > 80
    assert anchors == terms
    assert 'href="#Consult"' in page  # dgo:Meeting links its superclass on the same page
    assert str(source.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)) in page


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/ontology.ttl", "text/turtle"),
        ("/ontology.owl", "application/rdf+xml"),
        ("/ontology.rdf", "application/rdf+xml"),
        ("/ontology.jsonld", "application/ld+json"),
        ("/ontology.nt", "application/n-triples"),
        ("/ontology.html", "text/html"),
    ],
)
def test_serve_ontology_file_names_fix_the_format(served, path, media) -> None:
    # the name wins over Accept: these are the files the w3id.org rules point at
    status, headers, _body = http(served + path, headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].split(";")[0] == media


def test_serve_ontology_version_iri(served, source) -> None:
    version = str(source.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo))
    status, _headers, body = http(
        f"{served}/ontology/{version}", headers={"Accept": "application/n-triples"}
    )
    assert status == 200
    _same_as_source(body, "nt", source)
    for path in ("/ontology/0.0.1", "/ontology/latest", "/ontology.xyz"):
        status, _headers, body = http(served + path)
        assert status == 404 and body.startswith(b"diplograph: "), path


def test_serve_ontology_unacceptable_406_and_head(served) -> None:
    status, _headers, body = http(served + "/ontology", headers={"Accept": "image/png"})
    assert status == 406 and b"text/turtle" in body
    status, headers, body = http(
        served + "/ontology", method="HEAD", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 10_000
    status, _headers, _body = http(served + "/ontology", method="POST", body=b"x")
    assert status == 405


# --- the w3id.org rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    variable: str  # HTTP_ACCEPT, HTTP_USER_AGENT
    pattern: re.Pattern
    negated: bool
    joined_by_or: bool


@dataclass(frozen=True)
class Rule:
    conditions: tuple[Condition, ...]
    pattern: re.Pattern
    target: str
    flags: tuple[str, ...]


def _flags(text: str | None) -> tuple[str, ...]:
    return tuple(f.strip() for f in text.strip("[]").split(",")) if text else ()


def read_rules(path: Path) -> list[Rule]:
    """The RewriteCond/RewriteRule lines of ``path``, each rule with the conditions above it."""
    rules, pending = [], []
    assert re.search(r"^RewriteEngine on$", path.read_text(), re.M | re.I)
    for line in path.read_text().splitlines():
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "RewriteCond":
            variable = re.fullmatch(r"%\{(\w+)\}", parts[1]).group(1)
            flags = _flags(parts[3] if len(parts) > 3 else None)
            negated = parts[2].startswith("!")
            regex = re.compile(parts[2].lstrip("!"), re.I if "NC" in flags else 0)
            pending.append(Condition(variable, regex, negated, "OR" in flags))
        elif parts[0] == "RewriteRule":
            flags = _flags(parts[3] if len(parts) > 3 else None)
            rules.append(Rule(tuple(pending), re.compile(parts[1]), parts[2], flags))
            pending = []
    return rules


def _holds(conditions: tuple[Condition, ...], headers: dict[str, str]) -> bool:
    """mod_rewrite's reading: conditions AND-ed, except that [OR] joins one to the next."""
    result, group = True, False
    for condition in conditions:
        found = bool(condition.pattern.search(headers.get(condition.variable, "")))
        group = group or (found != condition.negated)
        if not condition.joined_by_or:
            result, group = result and group, False
    return result


def rewrite(rules: list[Rule], path: str, headers: dict[str, str]) -> tuple[int, str] | None:
    """(status, Location) the rules answer for ``path`` (relative to the w3id folder)."""
    env: dict[str, str] = {}
    for rule in rules:
        match = rule.pattern.search(path)
        if not match or not _holds(rule.conditions, headers):
            continue
        for flag in rule.flags:
            if flag.startswith("E="):
                name, _, value = flag[2:].partition(":")
                env[name] = value
        if rule.target == "-":
            continue
        target = re.sub(r"%\{ENV:(\w+)\}", lambda m: env[m.group(1)], rule.target)
        target = re.sub(r"\$(\d)", lambda m, found=match: found.group(int(m.group(1))), target)
        status = next(int(f[2:]) for f in rule.flags if f.startswith("R="))
        assert "L" in rule.flags, f"{rule.pattern.pattern}: a redirect rule ends the pass (L)"
        return status, target
    return None


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    return read_rules(HTACCESS)


def _follow(served: str, location: str, accept: str):
    """Request ``location`` on the local server in place of the deployment."""
    parts = urlsplit(location)
    assert parts.scheme == "https" and parts.netloc, location
    return http(
        served + parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Accept": accept}
    )


@pytest.mark.parametrize("accept", sorted(NEGOTIATED), ids=lambda a: a.split(",")[0])
def test_w3id_rules_send_the_ontology_iri_to_the_format_asked_for(
    rules, served, source, accept
) -> None:
    answer = rewrite(rules, "ontology", {"HTTP_ACCEPT": accept})
    assert answer is not None and answer[0] == 303
    status, headers, body = _follow(served, answer[1], accept)
    media, parser = NEGOTIATED[accept]
    assert status == 200 and headers["Content-Type"].split(";")[0] == media, answer
    if parser is not None:
        _same_as_source(body, parser, source)


def test_w3id_rules_send_a_browser_by_user_agent_to_the_page(rules) -> None:
    answer = rewrite(rules, "ontology", {"HTTP_ACCEPT": "*/*", "HTTP_USER_AGENT": "Mozilla/5.0"})
    assert answer is not None and answer[1].endswith("/ontology.html")
    answer = rewrite(rules, "ontology", {"HTTP_ACCEPT": "*/*", "HTTP_USER_AGENT": "curl/8"})
    assert answer is not None and answer[1].endswith("/ontology")


def test_w3id_rules_send_versions_and_instance_iris_to_the_deployment(rules, served) -> None:
    graph = Graph().parse(GRAPH, format="turtle")
    person = next(str(s) for s in graph.subjects() if str(s).startswith(W3ID + "id/person/"))
    answer = rewrite(rules, person[len(W3ID) :], {"HTTP_ACCEPT": "text/turtle"})
    assert answer is not None and answer[0] == 303
    status, headers, body = _follow(served, answer[1], "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert (URIRef(person), None, None) in Graph().parse(data=body, format="turtle")
    version = str(Graph().parse(ONTOLOGY).value(URIRef(ONTOLOGY_IRI), OWL.versionInfo))
    answer = rewrite(rules, f"ontology/{version}", {"HTTP_ACCEPT": "text/turtle"})
    assert answer is not None
    status, _headers, _body = _follow(served, answer[1], "text/turtle")
    assert status == 200
    assert rewrite(rules, "elsewhere", {"HTTP_ACCEPT": "text/turtle"}) is None


def test_w3id_rule_reader_is_not_vacuous(rules) -> None:
    """The interpreter honours negation and [OR]: RDF/XML before HTML is not a browser."""
    answer = rewrite(rules, "ontology", {"HTTP_ACCEPT": "application/rdf+xml, text/html"})
    assert answer is not None and answer[1].endswith("/ontology.owl")
    assert len(rules) >= 8


def test_serve_pages_link_ontology_terms_to_the_ontology_page(served) -> None:
    """An /id/ page links the classes and properties it shows to /ontology#Term, here."""
    status, _headers, body = http(served + "/id/person/zhao-leji", headers={"Accept": BROWSER})
    assert status == 200
    targets = set(re.findall(r'href="/ontology#(\w+)"', body.decode()))
    assert {"Person", "state"} <= targets
    _status, _headers, page = http(served + "/ontology", headers={"Accept": BROWSER})
    assert all(f'<section id="{name}">' in page.decode() for name in targets)
    assert 'href="https://w3id.org/diplograph/ontology#' not in body.decode()
