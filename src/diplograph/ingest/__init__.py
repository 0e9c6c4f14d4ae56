"""Ingest: read articles from text, JSON Lines, JSON, HTML and feeds; strip web boilerplate.

The first stage of the pipeline: ``paths -> Article[]``. Every reader streams,
checks its input as early as it can, and raises a coded
:class:`~diplograph.errors.DiplographError` naming the file (and line).
"""

from __future__ import annotations

from diplograph.ingest.boilerplate import strip_boilerplate
from diplograph.ingest.dates import parse_date
from diplograph.ingest.reader import read_articles

__all__ = ["parse_date", "read_articles", "strip_boilerplate"]
