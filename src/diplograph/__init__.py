"""diplograph: diplomacy news to a linked-data knowledge graph.

The stages follow the data: ``ingest`` (articles) -> ``nlp`` (spaCy docs, mentions,
events) -> ``rdf`` (graphs with provenance) -> ``query`` / ``export``.
"""

from __future__ import annotations

__version__ = "0.1.0"
