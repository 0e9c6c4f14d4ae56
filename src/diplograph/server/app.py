"""The server object: the standard library's threading HTTP server, one endpoint, pages."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from diplograph.guard import Limits
from diplograph.server.handlers import Handler
from diplograph.server.load import follow_folder, open_store, with_folder
from diplograph.server.pages import Pages
from diplograph.server.sparql import Endpoint, Settings

log = logging.getLogger("diplograph.server")


class DiplographServer(ThreadingHTTPServer):
    """A threading HTTP server that answers SPARQL and linked data over one store."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], store: ox.Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.endpoint = Endpoint(store, settings)
        self.pages = Pages(self.endpoint)
        super().__init__(address, Handler)

    def server_close(self) -> None:
        """Close the socket and stop the query workers."""
        super().server_close()
        self.endpoint.close()

    @property
    def url(self) -> str:
        """The server's base address, e.g. ``http://127.0.0.1:8000``."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"


def make_server(
    store: ox.Store,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: Settings | None = None,
    **options,
) -> DiplographServer:
    """A server for ``store``, bound but not yet serving (call ``serve_forever``).

    Args:
        store: what to query: a ``pyoxigraph.Store`` (see :func:`open_store`).
        host: the address to bind; the default answers this machine only.
        port: the port; 0 picks a free one (``server.url`` tells which).
        settings: limits and permissions; ``options`` (``timeout``, ``max_rows``,
            ``update_token``, ``allow_service``, ``allow_load``, ``max_running``,
            ``workers``, ``max_memory``, ``limits``) override single fields.

    >>> server = make_server(open_store([]), port=0, timeout=2)
    >>> server.url.startswith("http://127.0.0.1:")
    True
    >>> server.server_close()
    """
    settings = replace(settings or Settings(), **options)
    if settings.timeout <= 0 or settings.max_rows < 1 or settings.max_running < 1:
        raise ValueError("timeout must be positive, max_rows and max_running at least 1")
    if settings.workers < 0 or settings.max_memory < 1:
        raise ValueError("workers must be 0 or more, max_memory at least 1 (MiB)")
    return DiplographServer((host, port), store, settings)


def serve(
    graphs: Iterable[str | Path] = (),
    *,
    store: str | Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10.0,
    max_rows: int = 10000,
    update_token: str | None = None,
    allow_service: bool = False,
    allow_load: bool = False,
    workers: int = 4,
    max_memory: int = 2048,
    limits: Limits | None = None,
) -> None:
    """Serve graph files (in memory) or a store folder until interrupted.

    Queries run in ``workers`` processes, each bounded to ``max_memory`` MiB and killed
    past ``timeout``; ``limits`` bound a query's text before it is parsed.

    A store folder is read through snapshots that follow the builds and removes writing
    it meanwhile (:func:`follow_folder`), or, with an ``update_token``, opened for writing
    under its write lock for as long as the server runs (then builds wait for it).

    Raises:
        DiplographError: S001 (both or neither of graphs and store), and the errors of
            :func:`open_store`, :func:`follow_folder` and :func:`with_folder`.
        OSError: when the address cannot be bound.
    """
    from diplograph.server.errors import configuration_error

    graphs = list(graphs)
    if bool(graphs) == (store is not None):
        raise configuration_error("S001")

    def run(opened: ox.Store) -> None:
        server = make_server(
            opened,
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            update_token=update_token,
            allow_service=allow_service,
            allow_load=allow_load,
            workers=workers,
            max_memory=max_memory,
            limits=limits or Limits(),
        )
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        notes = ["updates allowed with the token"] if update_token else ["read-only"]
        notes += ["SERVICE allowed"] if allow_service else []
        notes += ["LOAD allowed"] if allow_load else []
        log.info(
            "diplograph: serving %s on %s (query page /, SPARQL /sparql); %s",
            f"store {store}" if store is not None else f"{len(graphs)} graph file(s)",
            server.url,
            ", ".join(notes),
        )
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            log.info("diplograph: stopped")
        finally:
            server.server_close()

    if store is None:
        run(open_store(graphs))
    elif update_token is not None:
        with_folder(store, run, writable=True)
    else:
        run(follow_folder(store))
