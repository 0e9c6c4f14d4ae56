"""SPARQL 1.1 endpoint, Graph Store Protocol, linked-data pages and a query page.

``serve`` is what ``diplograph serve`` runs; ``make_server`` builds the server object
(tests start it on port 0 in a thread) over a ``pyoxigraph.Store``: graph files loaded by
``open_store``, or a store folder lent by ``with_folder``. See docs/server.md.
"""

from __future__ import annotations

from diplograph.server.app import DiplographServer, make_server, serve
from diplograph.server.load import open_store, with_folder
from diplograph.server.sparql import Settings

__all__ = ["DiplographServer", "Settings", "make_server", "open_store", "serve", "with_folder"]
