"""A store read through rdflib: the ``Dataset`` the tables and exports read (``query.open_graph``).

Its own module because oxrdflib imports rdflib's SPARQL parser, a tenth of a second at start;
``diplograph query --store`` runs on Oxigraph without it (``query.query_store``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore

from diplograph.rdf.store import _open_read_only, read_lock


class MemoryStore(OxigraphStore):
    """rdflib's ``Oxigraph`` store plugin on graph files loaded into a memory store (with the
    layout of a store folder: ``diplograph.rdf.memory.open_store``), so queries over files
    run on the same engine, with the same graph names, as over a store."""

    def __init__(self, memory: ox.Store) -> None:
        super().__init__(store=memory)

    @property
    def oxigraph(self) -> ox.Store:
        """The pyoxigraph store underneath, for Oxigraph's own API (SPARQL, dumps)."""
        return self._inner


class SnapshotStore(MemoryStore):
    """rdflib's ``Oxigraph`` store plugin (oxrdflib) on a read-only snapshot of a store.

    It holds the store's read lock until ``close()`` (``Dataset.close()``) or until it is
    garbage-collected: close it when done, so a build need not wait.

    Raises:
        DiplographError: as ``reading``.
    """

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        self._lock = read_lock(path)
        try:
            super().__init__(_open_read_only(path))
        except BaseException:
            self._lock.close()
            raise

    def close(self, commit_pending_transaction: bool = False) -> None:
        with contextlib.suppress(AttributeError):  # closed twice
            super().close(commit_pending_transaction)
        self._lock.close()
