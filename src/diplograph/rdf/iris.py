"""Stable IRIs: from canonical keys and content hashes, never from run order."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from diplograph.model import Event
from diplograph.vocab import DGR, GEONAMES


def slug(text: str) -> str:
    """A stable IRI-safe key part: ASCII, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@lru_cache(maxsize=8192)
def _part(text: str) -> str:
    return quote(text, safe="-_.~")


def document_iri(doc_id: str) -> URIRef:
    return DGR[f"doc/{_part(doc_id)}"]


def graph_iri(doc_id: str) -> URIRef:
    """The named graph that holds everything read from one article."""
    return DGR[f"graph/{_part(doc_id)}"]


@lru_cache(maxsize=8192)  # an article names its actors again and again
def actor_iri(key: str) -> URIRef:
    return DGR["/".join(_part(part) for part in key.split("/"))]


def geonames_iri(geonames_id: int) -> URIRef:
    return GEONAMES[f"{geonames_id}/"]


def event_iri(event: Event) -> URIRef:
    basis = "|".join(
        [
            event.event_class,
            ",".join(sorted(event.source)),
            ",".join(sorted(event.target)),
            str(min(e.start for e in event.evidence)),
            str(event.trigger_start),
        ]
    )
    digest = hashlib.sha256(basis.encode()).hexdigest()[:12]
    return DGR[f"event/{_part(event.doc)}/{digest}"]


def evidence_iri(doc_id: str, start: int, end: int) -> URIRef:
    return DGR[f"doc/{_part(doc_id)}/sentence/{start}-{end}"]


def mention_iri(doc_id: str, key: str) -> URIRef:
    return DGR[f"doc/{_part(doc_id)}/mention/{slug(key)}"]


def membership_iri(doc_id: str, person: str, role: str, organization: str | None) -> URIRef:
    digest = hashlib.sha256(f"{person}|{role}|{organization}".encode()).hexdigest()[:12]
    return DGR[f"doc/{_part(doc_id)}/post/{digest}"]


def role_iri(role: str) -> URIRef:
    return DGR[f"role/{slug(role)}"]
