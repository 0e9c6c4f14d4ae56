"""What the server queries: graph files in a memory store (:mod:`diplograph.rdf.memory`),
or a store folder (:mod:`diplograph.rdf.store`).

The server needs only an object it can run SPARQL on: a ``pyoxigraph.Store``, passed
around as it is (no wrapper). Both kinds have the layout of a store folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from diplograph.errors import error
from diplograph.rdf.memory import FORMATS, load_file, open_store

__all__ = ["FORMATS", "follow_folder", "load_file", "open_store", "with_folder"]

T = TypeVar("T")


def with_folder(path: str | Path, work: Callable[[ox.Store], T], *, writable: bool = False) -> T:
    """Run ``work`` on the store folder ``path`` (made by ``diplograph build --store``).

    Read-only, ``work`` gets a snapshot and the folder's shared lock is held until it
    returns (a build waits for the server to stop); ``writable``, it gets the store opened
    for writing and holds the write lock (for SPARQL Update with a token).

    Raises:
        DiplographError: E023 (no store there) and the store's other errors (E024-E026).
    """
    from diplograph.rdf import store as folders

    path = _served_folder(path)
    if writable:
        return folders.with_writer(path, work)
    with folders.reading(path) as snapshot:
        return work(snapshot)


def follow_folder(path: str | Path):
    """The store folder ``path`` for serving while builds and removes write it: a
    :class:`diplograph.rdf.store.LiveStore`, which the server queries like a
    ``pyoxigraph.Store``, one snapshot per request, reopened after each commit.

    Raises:
        DiplographError: E023 (no store there) and the store's other errors (E024-E026).
    """
    from diplograph.rdf import store as folders

    return folders.LiveStore(_served_folder(path))


def _served_folder(path: str | Path) -> Path:
    """``path``, a store folder that exists (serving never makes a store)."""
    from diplograph.rdf import store as folders

    path = Path(path)
    if not path.exists():
        raise error("E023", path=path)
    if not folders.is_store(path):
        raise error("E024", path=path, detail=f"no {folders.MARKER} in it")
    return path
