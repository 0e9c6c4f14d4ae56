"""The on-disk store: an Oxigraph database with one named graph per article.

A store is a folder (``graphs/store`` by default) holding an Oxigraph (RocksDB) database, a
``diplograph-store.json`` that marks it as a diplograph store, and two lock files. Inside the
database:

- one named graph per article, ``iris.graph_iri(article.id)``: building an article again
  replaces its graph, so a store never holds two versions of one article;
- the ontology in its own named graph, ``ONTOLOGY_IRI``, loaded when a store is opened for
  writing and replaced when the ontology source changed;
- the default graph: the RDF merge of every named graph (each triple once, however many
  articles hold it). SPARQL without ``GRAPH`` reads it, as rdflib's union of graph files does.
  It is kept here, not left to ``use_default_graph_as_union``, because pyoxigraph 0.5's union
  returns a triple once per graph that holds it (oxigraph/oxigraph#1919): the country and role
  triples every article repeats would multiply the rows of most queries.

New articles are bulk-loaded, a batch at a time (``bulk_write``): Oxigraph's bulk loader is
about twice as fast as its transactions, but is not one, so the batch's graph names are
written to ``diplograph-pending.json`` first and the file goes when the batch is complete; a
writer that finds it (after a crash) takes those graphs out before anything else. Every other
write (a changed article, a removal, the ontology) is one Oxigraph transaction: one SPARQL
Update (the old graph goes, the new one and the merge are written), or nothing is.

Locks: one process writes at a time (``diplograph-write.lock``, and RocksDB's own lock).
Readers open a read-only snapshot under a shared lock (``diplograph-read.lock``) that the
writer takes exclusively: RocksDB's read-only mode is undefined while another process writes
(queries then fail on files compaction removed, or never end), so reading and writing wait
for each other instead. A build takes the read lock only while it commits (``_readers_out``:
open the database, write a batch of about 20 articles, flush, close), so queries and a
running server interleave with it; between commits the database is closed. A writer first
takes ``diplograph-turn.lock`` exclusively, which readers pass through (shared) before the
read lock: new readers wait while a writer waits for the running ones, so a busy server
never starves a build; and before each commit a writer lets in the readers already waiting
(``diplograph-waiting.lock``, shared while a reader is on its way in, for up to half a
second), so a build's commits never starve a server. Each commit writes a new
``diplograph-generation`` first: a reader that keeps a snapshot open between queries
(``LiveStore``, the server) reopens it when that changed. The locks are ``flock`` locks:
the system drops them when a process dies, so a crash never leaves a store locked.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

import pyoxigraph as ox

from diplograph.errors import DiplographError, error
from diplograph.model import Extraction
from diplograph.rdf import index, iris
from diplograph.rdf.build import extraction_ntriples
from diplograph.rdf.io import atomic_output
from diplograph.vocab import ONTOLOGY_IRI, ontology_path

T = TypeVar("T")

#: where ``build``, ``query``, ``events``, ``entities``, ``export`` and ``remove`` look by default
DEFAULT_STORE = Path("graphs") / "store"
#: the file that marks a folder as a diplograph store
MARKER = "diplograph-store.json"
WRITE_LOCK = "diplograph-write.lock"
READ_LOCK = "diplograph-read.lock"
#: writers take it exclusively before the read lock, readers pass it (shared) on their way in
TURN_LOCK = "diplograph-turn.lock"
#: held (shared) by readers on their way in: a writer lets them in before its next commit
WAITING_LOCK = "diplograph-waiting.lock"
#: rewritten by every writer before it opens the database: snapshots older than it are stale
GENERATION = "diplograph-generation"
LOCK_FILES = frozenset({WRITE_LOCK, READ_LOCK, TURN_LOCK, WAITING_LOCK, GENERATION})
#: the layout written here; a store of another format is refused, not misread
FORMAT = 1
ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY_IRI)
#: seconds a writer waits for readers (queries are short) and a reader for a writer
WAIT_FOR_READERS = 10.0
#: (a build's commit of about 20 articles took 0.1-0.5 s on a loaded 2-core VM)
WAIT_FOR_WRITER = 5.0
#: seconds at most a writer waits, before each commit, for readers already waiting to get in
LET_READERS_IN = 0.5


def is_store(path: str | Path) -> bool:
    """Whether ``path`` is a folder holding a diplograph store.

    >>> is_store("/nowhere")
    False
    """
    return (Path(path) / MARKER).is_file()


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[ox.Store]:
    """A read-only snapshot of the store in ``path``; no process writes it during the block.

    Do not use the store after the block.

    Raises:
        DiplographError: E023 no store there, E024 the folder is not a diplograph store, E025
            a build or remove in another process is writing it, E026 it cannot be opened.
    """
    path = Path(path)
    lock = read_lock(path)
    try:
        yield _open_read_only(path)
    finally:
        lock.close()


def read_lock(path: str | Path, wait: float | None = None) -> IO[bytes]:
    """Take the shared lock of the store in ``path`` (close the returned file to let it go),
    waiting up to ``wait`` seconds (``WAIT_FOR_WRITER``) for a writer's commit.

    Raises:
        DiplographError: E023, E024 as ``reading``; E025 when a writer holds the store.
    """
    path = Path(path)
    if not path.exists():
        raise error("E023", path=path)
    _check_marker(path)
    deadline = time.monotonic() + (WAIT_FOR_WRITER if wait is None else wait)
    waiting = _flock(path / WAITING_LOCK, exclusive=False, wait=deadline - time.monotonic())
    try:
        turn = _flock(path / TURN_LOCK, exclusive=False, wait=deadline - time.monotonic())
        if turn is None:
            raise error("E025", path=path, who="a build or remove is writing it")
        try:
            lock = _flock(path / READ_LOCK, exclusive=False, wait=deadline - time.monotonic())
        finally:
            turn.close()
    finally:
        if waiting is not None:
            waiting.close()
    if lock is None:
        raise error("E025", path=path, who="a build or remove is writing it")
    if (path / PENDING).exists():  # no writer holds the store: a build died mid-batch
        lock.close()
        with_writer(path, len)  # takes the half-loaded batch out
        return read_lock(path, wait)
    return lock


def generation(path: str | Path) -> str:
    """The store's generation: it changes whenever a writer opens the database ("" before
    the first). Read it holding the read lock; a snapshot opened under another is stale."""
    try:
        return (Path(path) / GENERATION).read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


class LiveStore:
    """The store folder ``path`` for a long-running reader (the server): read-only snapshots
    that follow the builds and removes writing it meanwhile.

    Work on the store runs in ``session()``: it takes the shared lock (waiting up to
    ``wait`` seconds for a writer's commit), reopens the snapshot if a writer committed since
    it was opened (``generation``), and lends it until the block ends; a writer waits for
    running sessions, never the other way round for longer than one commit. Between sessions
    no lock is held. ``query`` and ``quads_for_pattern`` use the session of the calling
    thread; ``contains_named_graph`` and ``named_graphs`` open one of their own if there is
    none. So a reader sees each commit whole or not at all, and never a half-written article.

    Raises:
        DiplographError: as ``reading`` (E023-E026), here and from ``session``.
    """

    def __init__(self, path: str | Path, *, wait: float = WAIT_FOR_WRITER) -> None:
        self.path = Path(path)
        self.wait = wait
        self._local = threading.local()
        self._guard = threading.Lock()
        self._pid = os.getpid()
        self._store: ox.Store | None = None
        self._generation: str | None = None
        with self.session():  # a missing or broken store fails here, not at the first query
            pass

    @contextlib.contextmanager
    def session(self) -> Iterator[ox.Store]:
        """The current snapshot, held under the shared lock for the block (re-entrant)."""
        if os.getpid() != self._pid:  # a forked worker: a thread of the parent may have held
            self._guard = threading.Lock()  # the guard, and its sessions are not this one's
            self._local = threading.local()
            self._pid = os.getpid()
        pinned = getattr(self._local, "store", None)
        if pinned is not None:
            yield pinned
            return
        lock = read_lock(self.path, self.wait)
        try:
            with self._guard:  # no writer can run: every session now sees one generation
                current = generation(self.path)
                if self._store is None or current != self._generation:
                    self._store = None  # the stale snapshot closes before the new one opens
                    self._store = _open_read_only(self.path)
                    self._generation = current
                store = self._store
            self._local.store = store
            try:
                yield store
            finally:
                self._local.store = None
                del store
        finally:
            lock.close()

    def _pinned(self) -> ox.Store:
        store = getattr(self._local, "store", None)
        if store is None:
            raise RuntimeError("LiveStore: query the store inside session()")
        return store

    def query(self, query: str, **options) -> object:
        """``pyoxigraph.Store.query`` on this thread's session (iterate it in the session)."""
        return self._pinned().query(query, **options)

    def quads_for_pattern(self, *pattern) -> Iterator[ox.Quad]:
        """``pyoxigraph.Store.quads_for_pattern``; outside a session, a list read in one."""
        if getattr(self._local, "store", None) is not None:
            return self._pinned().quads_for_pattern(*pattern)
        with self.session() as store:
            return iter(list(store.quads_for_pattern(*pattern)))

    def contains_named_graph(self, graph: ox.NamedNode | ox.BlankNode) -> bool:
        """Whether the store holds the named graph ``graph`` now."""
        with self.session() as store:
            return store.contains_named_graph(graph)

    def named_graphs(self) -> list[ox.NamedNode | ox.BlankNode]:
        """The store's named graphs now."""
        with self.session() as store:
            return list(store.named_graphs())

    def close(self) -> None:
        """Drop the snapshot (a later session opens a new one)."""
        with self._guard:
            self._store = None


def _open_read_only(path: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RocksDB reports some as "Corruption"
        raise error("E026", path=path, detail=_detail(exc)) from None


def with_writer(path: str | Path, work: Callable[[ox.Store], T]) -> T:
    """Run ``work`` on the store in ``path`` opened for writing (made if missing).

    Takes the write lock (another writer: E025 at once) and waits up to ``WAIT_FOR_READERS``
    seconds for readers to finish; loads the ontology graph if it is missing or changed. The
    database is closed before this returns or raises, also on Ctrl-C: no reference to it is
    left in the frames an exception carries, so the locks never outlive it.

    Raises:
        DiplographError: E024 not a diplograph store, E025 in use by another process, E026
            cannot be opened, E027 a write failed; and whatever ``work`` raises.
    """
    path = Path(path)

    def on_the_store() -> T:
        store = open_for_writing(path)
        try:
            result = work(store)
            store.flush()
            return result
        finally:
            del store  # the last reference: RocksDB closes before the locks go (and
            # holding_write_locks drops an exception's references to it)

    return holding_write_locks(path, on_the_store)


def holding_write_locks(path: str | Path, work: Callable[[], T]) -> T:
    """Run ``work`` holding the locks of a writer of the store in ``path`` (made if missing):
    ``work`` opens it (``open_for_writing``) and closes it before it returns or raises.

    Raises:
        DiplographError: E024 not a diplograph store, E025 in use by another process, E026
            the folder cannot be made, E027 a write failed (an ``OSError`` of ``work``).
    """
    path = Path(path)
    with _write_lock(path), _readers_out(path):
        return work()


@contextlib.contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Hold the store's write lock (one writer at a time): E025 at once if another has it."""
    _check_writable(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error("E026", path=path, detail=_detail(exc)) from None
    writer = _flock(path / WRITE_LOCK, exclusive=True, wait=0)
    if writer is None:
        raise error("E025", path=path, who="a build or remove is writing it")
    try:
        yield
    finally:
        writer.close()


@contextlib.contextmanager
def _readers_out(path: Path) -> Iterator[None]:
    """Hold the read lock exclusively (readers finish first, for up to ``WAIT_FOR_READERS``
    seconds; new ones wait at the turn lock), and start a new generation. The block opens
    the database and closes it before it ends; an ``OSError`` of it is E027.
    """
    # readers waiting since the last commit go first (a build's commits follow each other
    # closely): then the turn lock keeps new ones out while the running ones finish
    waiting = _flock(path / WAITING_LOCK, exclusive=True, wait=LET_READERS_IN)
    if waiting is not None:
        waiting.close()
    deadline = time.monotonic() + WAIT_FOR_READERS
    turn = _flock(path / TURN_LOCK, exclusive=True, wait=WAIT_FOR_READERS)
    if turn is None:
        raise error("E025", path=path, who="a query, an export or a server is reading it")
    try:
        readers = _flock(path / READ_LOCK, exclusive=True, wait=deadline - time.monotonic())
        if readers is None:
            raise error("E025", path=path, who="a query, an export or a server is reading it")
        try:
            # before the database opens: a snapshot a reader opened before now is stale
            with atomic_output(path / GENERATION) as temporary:
                temporary.write_text(f"{time.time_ns()}-{os.getpid()}\n", encoding="utf-8")
            yield
        except OSError as exc:
            raise error("E027", path=path, detail=_detail(exc)) from None
        finally:
            _forget()  # the store an exception's frames hold goes before the locks
            readers.close()
    finally:
        turn.close()


def write_articles(path: str | Path, extractions: Iterable[Extraction]) -> int:
    """Write articles into the store in ``path`` (made if missing); returns how many.

    Articles are committed a batch at a time (about 20) as they come: an error (a bad
    article further on, a full disk, Ctrl-C) stops the build with every article before it
    stored and nothing of the one being written. The writes run in a thread of their own
    (Oxigraph leaves Python's lock while it loads), so parsing the next article goes on
    meanwhile. The write lock is held throughout; the read lock only while a batch is
    committed, so readers (a server) go on between commits and see each batch whole.

    Raises:
        DiplographError: the errors of ``with_writer``, and whatever reading ``extractions``
            raises.
    """

    def write_all() -> int:
        graphs = (
            (ox.NamedNode(iris.graph_iri(e.article.id)), extraction_ntriples(e))
            for e in extractions
        )
        return write_in_background(Path(path), graphs)

    with _write_lock(Path(path)):
        return write_all()


#: articles made ready while the writer thread is still busy with a bulk load: more than a
#: batch of the parser (16), so that making the next ones never waits for a load to end
#: (with 4, the build of 48 articles took 4-5 % longer); about 70 kB of N-Triples each
WRITE_AHEAD = 32
#: quads of new articles gathered for one bulk load (about 20 articles): Oxigraph's bulk
#: loader writes them about twice as fast as its transactions (benchmarks/README.md);
#: batches of 50,000 quads were no faster and made the build's memory grow with the corpus
#: (+25 % peak RSS for 4x the articles, against +3 % here). A crash loses at most the batch
#: being written
BULK_QUADS = 20_000
#: the file that names the graphs of the bulk load under way, removed when it is complete
PENDING = "diplograph-pending.json"
_DONE = object()


def write_in_background(
    path: Path,
    graphs: Iterable[tuple[ox.NamedNode, str]],
) -> int:
    """Write each (name, N-Triples) of ``graphs`` in order into the store in ``path``, in a
    writer thread, while this thread makes the next ones; returns how many were written.

    The caller holds the write lock only: the writer thread first opens the store
    (``open_for_writing``) and closes it, beside the first graphs; then it gathers the
    graphs up to ``BULK_QUADS`` quads and commits them together (``_commit``), taking the
    read lock exclusively for just that, so readers go on between commits.
    When the stream ends, or this thread fails (a bad article further on, Ctrl-C), the
    graphs gathered so far are written before this returns or raises: every article before
    the failure is stored, nothing of the one being made. A failure in the writer stops both:
    the graphs before it are committed, the rest never; then the error is raised here.
    """
    pending: queue.Queue = queue.Queue(maxsize=WRITE_AHEAD)
    outcome: dict = {"written": 0}
    # no closure: nothing but the thread's own (finished) frame refers to the store
    thread = threading.Thread(
        target=_writer,
        args=(path, pending, outcome),
        name="diplograph-store-writer",
        daemon=True,
    )
    thread.start()
    try:
        for name, ntriples in graphs:
            if "failure" in outcome:
                break
            # the index triples made here, while the writer's bulk load runs without
            # Python's lock (None: the writer asks the page queries)
            pending.put((name, ntriples, index.direct_ntriples_index(name, ntriples)))
    finally:
        pending.put(_DONE)
        thread.join()
    failure = outcome.pop("failure", None)
    if failure is not None:
        raise failure
    return outcome["written"]


def _writer(path: Path, pending: queue.Queue, outcome: dict) -> None:
    try:  # the store is made, its ontology synced, a cut-short load taken out, and closed
        with _readers_out(path):
            store = open_for_writing(path)
            try:
                store.flush()
            finally:
                del store  # RocksDB closes before the read lock goes
    except BaseException as exc:  # raised again in the producer's thread, which stops
        outcome["failure"] = exc
        while pending.get() is not _DONE:
            pass
        return
    chunk: list[tuple[ox.NamedNode, str, set[ox.Triple] | None]] = []
    quads = 0
    while True:
        item = pending.get()
        if item is not _DONE:
            if "failure" in outcome:
                continue  # drain: the producer stops at its next article
            chunk.append(item)
            quads += 2 * item[1].count("\n")  # in its graph and in the merge
            if quads < BULK_QUADS:
                continue
        if chunk and "failure" not in outcome:
            try:
                _commit(path, chunk, outcome)
            except BaseException as exc:  # raised again in the producer's thread
                outcome["failure"] = exc
        chunk, quads = [], 0
        if item is _DONE:
            return


def _commit(
    path: Path, chunk: list[tuple[ox.NamedNode, str, set[ox.Triple] | None]], outcome: dict
) -> None:
    """Write ``chunk`` (name, N-Triples, its ``index.direct_ntriples_index``) in order,
    readers kept out: the store is opened, the graphs it does not hold are bulk-loaded
    together (``bulk_write``), one it holds is replaced in one transaction
    (``replace_graph``); then it is flushed and closed."""
    with _readers_out(path):
        store = _open_primary(path)
        try:
            batch: dict[ox.NamedNode, str] = {}  # new graphs for the next bulk load, in order
            made: dict[ox.NamedNode, set[ox.Triple] | None] = {}  # their index triples
            for name, ntriples, indexed in chunk:
                if name not in batch and not store.contains_named_graph(name):
                    batch[name] = ntriples
                    made[name] = indexed
                    continue
                outcome["written"] += bulk_write(store, path, batch, made)  # the order is kept
                batch, made = {}, {}
                write_graph(store, name, ntriples, indexed)  # its index made once
                outcome["written"] += 1
            outcome["written"] += bulk_write(store, path, batch, made)
            store.flush()
        finally:
            del store  # RocksDB closes here, before the read lock goes


def bulk_write(
    store: ox.Store,
    path: Path,
    graphs: dict[ox.NamedNode, str],
    made: dict[ox.NamedNode, set[ox.Triple] | None] | None = None,
) -> int:
    """Add ``graphs`` (name: N-Triples), none of which the store holds, with Oxigraph's bulk
    loader; returns how many. ``made``: index triples already made of some of them (by
    name, ``index.direct_ntriples_index``).

    The bulk loader is not transactional, so the names go first into ``PENDING``: the named
    graphs, their triples in the merge and their index are loaded, the index's event tallies
    updated (one transaction), then ``PENDING`` goes. A crash in between leaves ``PENDING``,
    and the next writer takes those graphs out again
    (``finish_interrupted_load``). A load that fails is taken out at once, and the graphs are
    written again one by one, each in its own transaction: those before a bad one are stored,
    then its error is raised.

    Raises:
        OSError: a graph could not be written (Oxigraph rolled it back).
    """
    if not graphs:
        return 0
    journal = path / PENDING
    _write_json(journal, {"graphs": [name.value for name in graphs]})
    indexed = batch_index(store, graphs, made)
    counts = index.update(*index.tally_delta(store, set(), indexed))  # read before the load
    try:
        # one load: the quads in their graphs, then the same lines as triples (N-Quads'
        # default graph, the merge); two loads, one of each, took about 10 % more CPU
        # measured alone (96 articles, batches of 20), too little to see in a whole build
        store.bulk_load(
            "".join(in_graph(name, text) for name, text in graphs.items())
            + index.quads(indexed)
            + "\n".join(graphs.values()),
            format=ox.RdfFormat.N_QUADS,
            lenient=True,  # made of N-Triples diplograph wrote and IRIs ``iris`` made
        )
    except (RuntimeError, SyntaxError, ValueError, OSError):
        finish_interrupted_load(store, path)
        written = 0
        for name, text in graphs.items():
            write_graph(store, name, text, (made or {}).get(name))  # raises at the bad one
            written += 1
        return written
    if counts:
        _update(store, counts, "the update of the event tallies")
    journal.unlink()
    return len(graphs)


def finish_interrupted_load(store: ox.Store, path: Path) -> None:
    """Take out the graphs of a bulk load that did not finish (named in ``PENDING``), each
    with its triples in the merge that no other graph holds; then remove ``PENDING``."""
    journal = path / PENDING
    try:
        names = json.loads(journal.read_text(encoding="utf-8"))["graphs"]
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise error("E024", path=path, detail=f"unreadable {PENDING}: {_detail(exc)}") from None
    for name in names:
        replace_graph(store, ox.NamedNode(name), None)
    index.rebuild(store)  # the cut-short load may have written part of its graphs' index
    store.flush()
    journal.unlink()


def _write_json(path: Path, data: dict) -> None:
    """``data`` in ``path``, complete and on disk before this returns."""
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def remove_articles(path: str | Path, doc_ids: Iterable[str]) -> int:
    """Take the articles ``doc_ids`` out of the store in ``path``; returns how many.

    Every id is checked first: one the store does not hold (E028) removes none. All of them
    go in one transaction: a removal killed midway leaves every article in place.
    """
    path = Path(path)
    doc_ids = list(dict.fromkeys(doc_ids))
    if not is_store(path):
        raise error("E023", path=path) if not path.exists() else _not_a_store(path)

    def remove_all(store: ox.Store) -> int:
        held = article_ids(store)
        known = set(held)
        for doc_id in doc_ids:
            if doc_id not in known:
                raise _not_held(doc_id, path, held)
        names = [ox.NamedNode(iris.graph_iri(doc_id)) for doc_id in doc_ids]
        if names:
            removal = [_full_replacement(str(name), None) for name in names]
            if index.is_current(store):
                removal.append(index.update(*index.delta(store, names)))
            _update(store, " ;\n".join(part for part in removal if part), "the removal")
        return len(doc_ids)

    return with_writer(path, remove_all)


def open_for_writing(path: Path) -> ox.Store:
    """The store in ``path`` opened for writing, its ontology up to date and a bulk load a
    crash cut short taken out. The caller holds the write locks."""
    store = _open_primary(path)
    problem = None
    if not is_store(path) and not _being_made(store):
        # an Oxigraph database diplograph did not make
        problem = _not_a_store(path, "an Oxigraph database without " + MARKER)
    else:
        try:
            _sync_ontology(store, path)
            finish_interrupted_load(store, path)
            if not index.is_current(store):  # made by an older diplograph: made again
                index.rebuild(store)
        except DiplographError as exc:
            problem = exc
        except OSError as exc:
            problem = error("E027", path=path, detail=_detail(exc))
    if problem is not None:
        del store  # the lock goes with the last reference
        _forget(problem)
        raise problem
    return store


def _being_made(store: ox.Store) -> bool:
    """Whether a database without the marker is a store whose making was cut short: empty,
    or holding the ontology graph alone (the marker is written after it), or beside it an
    index graph of no article; making it again finishes it."""
    names = set(store.named_graphs())
    if not names:
        return len(store) == 0
    if ONTOLOGY_GRAPH not in names or not names <= {ONTOLOGY_GRAPH, index.INDEX_GRAPH}:
        return False
    if index.INDEX_GRAPH in names and index.held_index(store) != {index.version_triple()}:
        return False  # an index of articles: not a store being made
    ontology = {quad.triple for quad in store.quads_for_pattern(None, None, None, ONTOLOGY_GRAPH)}
    merged = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return all(quad.triple in ontology for quad in merged)


def _open_primary(path: Path) -> ox.Store:
    """The Oxigraph database in ``path`` opened for writing, as it is."""
    try:
        return ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():  # RocksDB's lock: a writer that skipped ours
            raise error("E025", path=path, who="another program is writing it") from None
        raise error("E026", path=path, detail=_detail(exc)) from None


def _forget(exc: BaseException | None = None) -> None:
    """Drop the references to the store that an exception on its way out keeps: its traceback
    (and those of the exceptions it was raised from) holds the frames it passed through, and
    their locals, until it is handled. Finished frames are cleared; the running one (the
    caller's) has dropped its own reference."""
    exc = exc if exc is not None else sys.exc_info()[1]
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__context__


def _flock(file: Path, *, exclusive: bool, wait: float) -> IO[bytes] | None:
    """``file`` opened and ``flock``-ed (shared or exclusive), or None if another process
    holds it for ``wait`` seconds. Locks of this process's forgotten readers are collected."""
    try:
        import fcntl
    except ImportError:  # not POSIX: RocksDB's own lock still keeps writers apart
        return io.BytesIO()
    try:
        handle = open(file, "a+b")  # noqa: SIM115 (the caller closes it)
    except PermissionError:  # read-only media: no writer to wait for, or a lock file to open
        if not file.exists():
            return io.BytesIO()
        handle = open(file, "rb")  # noqa: SIM115
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    deadline = time.monotonic() + wait
    collected = False
    while True:
        try:
            fcntl.flock(handle, mode)
            return handle
        except BlockingIOError:
            if not collected:  # a Dataset this process dropped may still hold a read lock
                gc.collect()
                collected = True
                continue
            if time.monotonic() >= deadline:
                handle.close()
                return None
            time.sleep(0.05)


def _check_writable(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise _not_a_store(path, "it is a file")
    if not path.exists() or is_store(path):
        if is_store(path):
            _check_marker(path)
        return
    others = [p.name for p in path.iterdir() if p.name not in LOCK_FILES]
    if others and not (path / "CURRENT").is_file():
        raise _not_a_store(path, "the folder holds other files")


def _not_a_store(path: Path, detail: str | None = None) -> DiplographError:
    if detail is None and not path.is_dir():
        detail = "it is a file"
    if detail is None:
        detail = "no " + MARKER + (" in the folder" if any(path.iterdir()) else "; it is empty")
    return error("E024", path=path, detail=detail)


def write_article(store: ox.Store, extraction: Extraction) -> ox.NamedNode:
    """Put one article into ``store`` as its own named graph, replacing an older version.

    One transaction: a failure at any point leaves the store as it was before the call.
    Returns the graph name.
    """
    name = ox.NamedNode(iris.graph_iri(extraction.article.id))
    write_graph(store, name, extraction_ntriples(extraction))
    return name


def write_graph(
    store: ox.Store,
    name: ox.NamedNode,
    ntriples: str,
    indexed: set[ox.Triple] | None = None,
) -> None:
    """Make the named graph ``name`` hold the triples of ``ntriples`` (one transaction);
    ``indexed``: its index triples if already made (``index.direct_ntriples_index``), else
    they are made here.

    A graph the store does not hold yet is loaded, with its triples, into the merge, as
    N-Quads (``insertion``): Oxigraph parses and writes it without Python's lock, and without
    checking the IRIs again (``iris`` made them); unless it changes the index's event
    tallies, which a load cannot take out. A graph it holds, and such a one, is written by a
    SPARQL Update (``replace_graph``).

    Raises:
        OSError: the write failed (Oxigraph rolled it back).
    """
    if store.contains_named_graph(name):
        replace_graph(store, name, ntriples, indexed)
        return
    indexed = new_index(store, name, ntriples, indexed)
    if any(index.tally_delta(store, set(), indexed)):
        replace_graph(store, name, ntriples, indexed)
        return
    try:
        text = insertion(name, ntriples) + index.quads(indexed)
        store.load(text, format=ox.RdfFormat.N_QUADS, lenient=True)
    except (RuntimeError, SyntaxError, ValueError) as exc:  # OSError passes as it is
        raise OSError(f"the load of {name} failed and was rolled back: {exc}") from exc


def new_index(
    store: ox.Store, name: ox.NamedNode, ntriples: str, made: set[ox.Triple] | None = None
) -> set[ox.Triple]:
    """The index triples (``diplograph.rdf.index``) of the article graph ``name`` holding
    ``ntriples``: none for the ontology's graph or the index's own, or when ``store`` keeps
    no index (a memory store of graph files that no page asked for); ``made`` when given
    (made already by ``index.direct_ntriples_index``)."""
    if name in (ONTOLOGY_GRAPH, index.INDEX_GRAPH) or not index.is_current(store):
        return set()
    return index.ntriples_index({name: ntriples}, {name: made} if made is not None else None)


def batch_index(
    store: ox.Store,
    graphs: dict[ox.NamedNode, str],
    made: dict[ox.NamedNode, set[ox.Triple] | None] | None = None,
) -> set[ox.Triple]:
    """``new_index`` of several new article graphs (name: N-Triples), made together (those
    ``made`` holds already made: ``index.ntriples_index``)."""
    if not index.is_current(store):
        return set()
    return index.ntriples_index(
        {
            name: text
            for name, text in graphs.items()
            if name not in (ONTOLOGY_GRAPH, index.INDEX_GRAPH)
        },
        made,
    )


def insertion(name: ox.NamedNode, ntriples: str) -> str:
    """The N-Quads that add a new graph ``name``: its triples in it and in the default graph
    (the merge). Made only of N-Triples lines and the graph's name, never of raw user text."""
    lines = "".join(line + "\n" for line in ntriples.splitlines() if line.strip())
    return in_graph(name, ntriples) + lines


def in_graph(name: ox.NamedNode, ntriples: str) -> str:
    """The triples of ``ntriples`` as N-Quads in the graph ``name``."""
    graph = f" {name} .\n"
    return "".join(
        line[: line.rindex(".")].rstrip() + graph for line in ntriples.splitlines() if line.strip()
    )


def replace_graph(
    store: ox.Store,
    name: ox.NamedNode,
    ntriples: str | None,
    indexed: set[ox.Triple] | None = None,
) -> None:
    """Replace the named graph ``name`` by the triples of ``ntriples`` (None: remove the graph;
    ``indexed``: its index triples, if made already).

    One SPARQL Update, so one transaction: the store has the old graph or the new, never a
    mix. The default graph (the merge) gains the new triples and loses the old ones that no
    other named graph holds. Only the difference is written: building an unchanged article
    again writes nothing. The caller must hold the store open for writing (the lock), so
    nothing changes between reading the old graph and the update.

    Raises:
        OSError: the update failed (Oxigraph rolled it back).
    """
    update = replacement(store, name, ntriples)
    indexing = ""
    if index.is_current(store):
        added = {name: new_index(store, name, ntriples, indexed)} if ntriples is not None else {}
        indexing = index.update(*index.delta(store, [name], added))
    update = " ;\n".join(part for part in (update, indexing) if part)
    if update:
        _update(store, update, f"the update of {name}")


def _update(store: ox.Store, update: str, what: str) -> None:
    """Run one SPARQL Update (one transaction); a failure is an ``OSError`` (E027 from the
    writer), the engine's own errors included."""
    try:
        store.update(update)
    except (RuntimeError, SyntaxError) as exc:  # OSError (disk, I/O) passes as it is
        raise OSError(f"{what} failed and was rolled back: {exc}") from exc


def replacement(store: ox.Store, name: ox.NamedNode, ntriples: str | None) -> str:
    """The SPARQL Update that ``replace_graph`` runs ("" when there is nothing to change).

    Its text is made only of pyoxigraph's and rdflib's serializations of RDF terms and
    N-Triples (the triples syntax of SPARQL's ``INSERT DATA``), never of raw user text.
    """
    graph = str(name)
    old = [quad.triple for quad in store.quads_for_pattern(None, None, None, name)]
    if ntriples is None:
        return _full_replacement(graph, None)
    if not old and not store.contains_named_graph(name):
        return "INSERT DATA { GRAPH " + graph + " {\n" + ntriples + "\n}\n" + ntriples + "\n}"
    new = _canonical(ntriples)
    if _has_blank_node(old) or _has_blank_node(new):
        return _full_replacement(graph, ntriples)  # blank nodes cannot be matched across
    held = set(old)
    removed = sorted(held - new, key=str)
    added = sorted(new - held, key=str)
    operations = []
    if removed:
        lines = "\n".join(f"{triple} ." for triple in removed)
        rows = "\n".join(f"({triple})" for triple in removed)
        operations.append("DELETE DATA { GRAPH " + graph + " {\n" + lines + "\n} }")
        operations.append(  # out of the merge too, unless another graph holds it
            "DELETE { ?s ?p ?o } WHERE { VALUES (?s ?p ?o) {\n"
            + rows
            + "\n} FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } } }"
        )
    if added:
        lines = "\n".join(f"{triple} ." for triple in added)
        operations.append("INSERT DATA { GRAPH " + graph + " {\n" + lines + "\n}\n" + lines + "\n}")
    return " ;\n".join(operations)


def _full_replacement(graph: str, ntriples: str | None) -> str:
    operations = [
        "DELETE { ?s ?p ?o } WHERE { GRAPH " + graph + " { ?s ?p ?o } "
        "FILTER NOT EXISTS { GRAPH ?other { ?s ?p ?o } FILTER (?other != " + graph + ") } }",
        "DROP SILENT GRAPH " + graph,
    ]
    if ntriples is not None:
        operations.append("INSERT DATA { GRAPH " + graph + " {\n" + ntriples + "\n} }")
        operations.append("ADD SILENT " + graph + " TO DEFAULT")
    return " ;\n".join(operations)


def _canonical(ntriples: str) -> set[ox.Triple]:
    """The triples as the store will hold them (Oxigraph writes typed literals canonically:
    ``"0.90"^^xsd:decimal`` is stored as ``"0.9"``)."""
    memory = ox.Store()
    memory.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {quad.triple for quad in memory}


def _has_blank_node(triples: Iterable[ox.Triple]) -> bool:
    return any(
        isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)
        for triple in triples
    )


def remove_article(store: ox.Store, doc_id: str, path: str | Path) -> None:
    """Take the article ``doc_id`` out of ``store`` (one transaction).

    Raises:
        DiplographError: E028 when the store holds no article of that id.
    """
    name = ox.NamedNode(iris.graph_iri(doc_id))
    if not store.contains_named_graph(name):
        raise _not_held(doc_id, path, article_ids(store))
    replace_graph(store, name, None)


def _not_held(doc_id: str, path: str | Path, ids: list[str]) -> DiplographError:
    """E028 for ``doc_id``, with the store's count and the ids closest to it."""
    return error("E028", id=doc_id, path=path, count=len(ids), hint=_hint(doc_id, ids))


def article_ids(store: ox.Store) -> list[str]:
    """The ids of the articles in ``store``, sorted (read from their graph names)."""
    prefix = str(iris.graph_iri(""))
    ids = []
    for name in store.named_graphs():
        if isinstance(name, ox.NamedNode) and name.value.startswith(prefix):
            ids.append(_unquote(name.value[len(prefix) :]))
    return sorted(ids)


def article_graphs(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode]:
    """Every named graph but the ontology's and the index's, sorted by name: the data the
    articles gave."""
    return sorted(
        (name for name in store.named_graphs() if name not in (ONTOLOGY_GRAPH, index.INDEX_GRAPH)),
        key=lambda name: name.value,
    )


def data_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of every article graph, graph by graph (the ontology and the merge left out)."""
    for name in article_graphs(store):
        yield from store.quads_for_pattern(None, None, None, name)


def dump_nquads(store: ox.Store, output: IO[bytes]) -> None:
    """Stream every article graph as N-Quads to ``output``; memory stays flat.

    Graphs come in name order, the quads of each in the store's index order (the same for the
    same content, not sorted like the N-Quads ``build -o`` writes).
    """
    for name in article_graphs(store):
        ox.serialize(store.quads_for_pattern(None, None, None, name), output, ox.RdfFormat.N_QUADS)


def _ontology_ntriples() -> tuple[str, str]:
    """The ontology as N-Triples (parsed by Oxigraph) and the SHA-256 of its source."""
    source = ontology_path().read_bytes()
    quads = ox.parse(source, format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY_IRI)
    text = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return text, hashlib.sha256(source).hexdigest()


def _sync_ontology(store: ox.Store, path: Path) -> None:
    marker = _read_marker(path)
    text, digest = _ontology_ntriples()
    if marker.get("ontology") == digest and store.contains_named_graph(ONTOLOGY_GRAPH):
        return
    replace_graph(store, ONTOLOGY_GRAPH, text)
    if store.contains_named_graph(index.INDEX_GRAPH):
        index.rebuild(store)  # the index's rows read categories and notations from it
    # written last: it names what is stored
    _write_json(path / MARKER, {"format": FORMAT, "ontology": digest})


def _read_marker(path: Path) -> dict:
    try:
        data = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise error("E024", path=path, detail=f"unreadable {MARKER}: {_detail(exc)}") from None
    return data if isinstance(data, dict) else {}


def _check_marker(path: Path) -> None:
    if not path.is_dir():
        raise _not_a_store(path, "it is a file")
    if not is_store(path):
        raise _not_a_store(path)
    found = _read_marker(path).get("format")
    if found != FORMAT:
        raise _not_a_store(path, f"store format {found!r}; this diplograph reads {FORMAT}")


def _unquote(part: str) -> str:
    from urllib.parse import unquote

    return unquote(part)


def _hint(doc_id: str, ids: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(doc_id, list(ids), n=3)
    return "; did you mean " + ", ".join(repr(c) for c in close) + "?" if close else ""


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


__all__ = [
    "DEFAULT_STORE",
    "MARKER",
    "ONTOLOGY_GRAPH",
    "LiveStore",
    "article_graphs",
    "article_ids",
    "data_quads",
    "dump_nquads",
    "generation",
    "is_store",
    "read_lock",
    "reading",
    "remove_article",
    "remove_articles",
    "replace_graph",
    "replacement",
    "with_writer",
    "write_article",
    "write_articles",
    "write_graph",
    "write_in_background",
]
