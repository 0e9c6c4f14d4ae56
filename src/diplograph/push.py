"""Push graphs into a remote triple store: SPARQL 1.1 Graph Store Protocol or SPARQL Update.

Every graph goes whole into its own named graph on the server, replacing what that graph held:

- ``gsp``: one ``PUT`` per graph (the graph as N-Triples, which is Turtle too);
- ``update``: ``DROP SILENT GRAPH`` and the first ``INSERT DATA`` batch in one request, then
  the rest of the triples in ``INSERT DATA`` batches of ``batch_size`` triples. Triples that
  share a blank node always travel in the same batch (a blank node label names one node only
  inside one request); diplograph's own graphs have no blank nodes.

Resuming: the server keeps a small manifest graph, ``MANIFEST_GRAPH``, with one entry per
pushed graph: its SHA-256 content hash (``dcterms:identifier "sha256:..."``) and triple count
(``void:triples``). An entry is written only after its graph is complete, and the entries of
the graphs about to be replaced are taken out before anything is sent. So a run skips the
graphs whose hash the manifest already holds, and sends (replaces) every other one, including
a graph a failed run left half-written: a run after a failure ends as one clean push would.
With ``gsp`` the manifest is written whole (one ``PUT``) after each graph while that is cheap,
and at most about every tenth of the run's time when it grows: entries lost to a crash only
mean their graphs are sent again, replacing themselves.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL, RDF, VOID, XSD

from diplograph.errors import DiplographError, error
from diplograph.rdf import iris
from diplograph.remote import RESULTS_JSON, SparqlClient
from diplograph.vocab import DGO, DGR, ONTOLOGY_IRI, ontology_path

#: article graphs are named under this prefix; ``graph_prefix`` replaces it on the server
DEFAULT_GRAPH_PREFIX = str(iris.graph_iri(""))
#: the graph on the server that records what was pushed (see the module's notes)
MANIFEST_GRAPH = str(DGR["push-manifest"])
DEFAULT_BATCH_SIZE = 5000
#: file suffix -> Oxigraph parser; the formats with named graphs keep them
_PARSERS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
_HASH = ox.NamedNode(str(DCTERMS.identifier))
_TRIPLES = ox.NamedNode(str(VOID.triples))
_INTEGER = ox.NamedNode(str(XSD.integer))


class Protocol(str, Enum):
    """How graphs are written: the Graph Store HTTP Protocol, or SPARQL 1.1 Update."""

    gsp = "gsp"
    update = "update"


@dataclass(frozen=True)
class Remote:
    """Where to push: the service URL (graph store or update service), the query service that
    reads the manifest back (``update`` only; default the same URL), and credentials."""

    endpoint: str
    protocol: Protocol = Protocol.gsp
    query_endpoint: str | None = None
    user: str | None = None
    password: str | None = None
    timeout: float = 60.0


@dataclass(frozen=True)
class Planned:
    """One graph to push: its name in the local source, its name on the server, what it is
    (for messages), its content hash and size, and whether the server already has it."""

    source: ox.NamedNode
    target: str
    label: str
    digest: str
    triples: int
    unchanged: bool


@dataclass(frozen=True)
class PushReport:
    """What a push did (or, with ``dry_run``, would do)."""

    graphs: tuple[Planned, ...]
    sent: int
    skipped: int
    triples_sent: int
    requests: int
    seconds: float
    dry_run: bool = False


#: called after each graph: (the graph, how many are done, how many in all, "sent"/"skipped")
Progress = Callable[[Planned, int, int, str], None]


def push(
    remote: Remote,
    *,
    graphs: Sequence[str | Path] = (),
    store: str | Path | None = None,
    graph_prefix: str = DEFAULT_GRAPH_PREFIX,
    ontology: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> PushReport:
    """Push graph files, or every graph of a store, to ``remote``; returns what was done.

    Graph files: each named graph of a TriG, N-Quads or JSON-LD file is one graph; the triples
    of a Turtle, N-Triples or RDF/XML file (and a default graph) make one graph, named after
    the ontology the file declares or the one article it holds, else after the file.
    ``ontology`` adds the ontology in its own graph (``ONTOLOGY_IRI``), so the server can
    answer class-hierarchy queries and the analyst tables. Article graphs are named
    ``graph_prefix`` + the article id. ``force`` sends every graph, whatever the manifest
    says; ``dry_run`` reads the manifest and sends nothing.

    Raises:
        DiplographError: E034 a bad ``graph_prefix``; E031, E032, E033, E035, E036 before
            anything was sent; E037 when the push stopped part-way (the message names the graph
            and the server's answer; run again to resume); the errors of reading the graphs.
    """
    _check_prefix(graph_prefix)
    started = time.monotonic()
    target = _Target(remote)
    with _source(graphs, store, ontology) as (local, names):
        manifest = {} if force and dry_run else target.read_manifest()
        plan = tuple(_plan(local, names, graph_prefix, {} if force else manifest))
        if dry_run:
            skipped = sum(p.unchanged for p in plan)
            return PushReport(plan, 0, skipped, 0, target.requests, _since(started), True)
        sent = skipped = triples = 0
        stale = [p.target for p in plan if not p.unchanged and p.target in manifest]
        target.forget(manifest, stale)
        for index, planned in enumerate(plan, 1):
            if planned.unchanged:
                skipped += 1
                state = "skipped"
            else:
                try:
                    target.send(planned, _ntriples(local, planned.source), batch_size)
                    target.record(manifest, planned)
                except DiplographError as exc:
                    target.save_quietly(manifest)
                    done = index - 1
                    raise error("E037", detail=exc.message, done=done, total=len(plan)) from None
                sent += 1
                triples += planned.triples
                state = "sent"
            if progress is not None:
                progress(planned, index, len(plan), state)
        target.save(manifest)
    return PushReport(plan, sent, skipped, triples, target.requests, _since(started))


def _since(started: float) -> float:
    return time.monotonic() - started


def _check_prefix(prefix: str) -> None:
    parts = urlsplit(prefix)
    if parts.scheme not in {"http", "https", "urn"} or any(c in prefix for c in ' <>"{}|\\^`'):
        raise error("E034", value=prefix)
    if parts.scheme != "urn" and not parts.netloc:
        raise error("E034", value=prefix)


@contextlib.contextmanager
def _source(
    graphs: Sequence[str | Path], store: str | Path | None, ontology: bool
) -> Iterator[tuple[ox.Store, list[tuple[ox.NamedNode, str]]]]:
    """The graphs to push as an Oxigraph store and its graph names with a label each: a store
    read-only under its read lock, or graph files loaded into memory."""
    if graphs and store is not None:
        raise error("E029")
    if graphs:
        local = ox.Store()
        for path in graphs:
            _load_file(local, Path(path))
        if ontology and not local.contains_named_graph(ox.NamedNode(ONTOLOGY_IRI)):
            _load_file(local, ontology_path(), ontology=True)
        yield local, _names(local, ontology)
        return
    from diplograph.rdf.store import DEFAULT_STORE, reading

    with reading(store or DEFAULT_STORE) as opened:
        yield opened, _names(opened, ontology)


def _names(local: ox.Store, ontology: bool) -> list[tuple[ox.NamedNode, str]]:
    """The graphs of ``local`` to push, in name order (the ontology last), with labels."""
    names = sorted(
        (g for g in local.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value
    )
    from diplograph.rdf.index import INDEX_GRAPH  # the store's own, never pushed

    ontology_graph = ox.NamedNode(ONTOLOGY_IRI)
    labelled = [(g, _label(g)) for g in names if g not in (ontology_graph, INDEX_GRAPH)]
    if ontology and ontology_graph in names:
        labelled.append((ontology_graph, "the ontology"))
    return labelled


def _label(name: ox.NamedNode) -> str:
    from urllib.parse import unquote

    if name.value.startswith(DEFAULT_GRAPH_PREFIX):
        return f"article {unquote(name.value[len(DEFAULT_GRAPH_PREFIX) :])!r}"
    return f"graph <{name.value}>"


def _load_file(local: ox.Store, path: Path, *, ontology: bool = False) -> None:
    """Add the graphs of ``path`` to ``local``: named graphs as they are, the default graph
    as one graph named by ``_file_graph``."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise error("E001", path=path)
    if suffix not in _PARSERS:
        raise error("E008", path=path, suffix=suffix or "(none)", choices=", ".join(_PARSERS))
    try:
        quads = list(
            ox.parse(path=str(path), format=_PARSERS[suffix], base_iri=path.resolve().as_uri())
        )
    except (SyntaxError, ValueError, OSError) as exc:
        raise error("E011", path=path, detail=" ".join(str(exc).split())[:300]) from None
    plain = [q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    if plain:
        name = ox.NamedNode(ONTOLOGY_IRI) if ontology else _file_graph(plain, path)
        local.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in plain)
    local.extend(q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))


def _file_graph(triples: list[ox.Triple], path: Path) -> ox.NamedNode:
    """The graph name for the triples of a file without named graphs: the ontology's IRI if
    it declares the diplograph ontology, the article's graph if it holds one article, else a
    graph under the article prefix named after the file."""
    kind = ox.NamedNode(str(RDF.type))
    typed = [t for t in triples if t.predicate == kind]
    if any(t.subject.value == ONTOLOGY_IRI and t.object.value == str(OWL.Ontology) for t in typed):
        return ox.NamedNode(ONTOLOGY_IRI)
    articles = {t.subject for t in typed if t.object.value == str(DGO.Article)}
    identifier = ox.NamedNode(str(DCTERMS.identifier))
    ids = {t.object.value for t in triples if t.subject in articles and t.predicate == identifier}
    if len(ids) == 1:
        return ox.NamedNode(str(iris.graph_iri(ids.pop())))
    return ox.NamedNode(DEFAULT_GRAPH_PREFIX + quote(path.stem, safe="-_.~"))


def _ntriples(local: ox.Store, name: ox.NamedNode) -> list[str]:
    """The graph ``name`` as sorted N-Triples lines: the same text for the same content, blank
    nodes included (renamed canonically; Oxigraph's algorithm may change between versions,
    which only means such a graph is sent once more)."""
    triples = [quad.triple for quad in local.quads_for_pattern(None, None, None, name)]
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        # blank node labels are the parser's: canonical ones give the same text (and hash)
        canonical = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        canonical.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        triples = [quad.triple for quad in canonical]
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    return sorted(line for line in text.splitlines() if line.strip())


def _plan(
    local: ox.Store,
    names: Iterable[tuple[ox.NamedNode, str]],
    prefix: str,
    manifest: dict[str, str],
) -> Iterator[Planned]:
    for name, label in names:
        lines = _ntriples(local, name)
        digest = "sha256:" + hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        target = name.value
        if target.startswith(DEFAULT_GRAPH_PREFIX):
            target = prefix + target[len(DEFAULT_GRAPH_PREFIX) :]
        yield Planned(name, target, label, digest, len(lines), manifest.get(target) == digest)


def batches(lines: Sequence[str], size: int) -> list[list[str]]:
    """N-Triples ``lines`` cut into batches of at most ``size`` triples, in order, except that
    the triples sharing a blank node stay together (in one batch, however many they are).

    >>> lines = ["<x:a> <x:b> <x:c> .", "_:n <x:b> <x:c> .", "<x:a> <x:b> _:n ."]
    >>> batches(lines, 2)
    [['<x:a> <x:b> <x:c> .'], ['_:n <x:b> <x:c> .', '<x:a> <x:b> _:n .']]
    """
    units: list[list[str]] = []
    group_of: dict[str, list[str]] = {}
    for line in lines:
        labels = _blank_labels(line)
        if not labels:
            units.append([line])
            continue
        groups = {id(group_of[label]): group_of[label] for label in labels if label in group_of}
        if not groups:
            unit = [line]
            units.append(unit)
        else:
            unit, *others = groups.values()
            for other in others:  # a line that joins two groups: merge them
                unit.extend(other)
                other.clear()
            unit.append(line)
        for member in unit:
            for label in _blank_labels(member):
                group_of[label] = unit
    result: list[list[str]] = []
    for unit in (u for u in units if u):
        if result and len(result[-1]) + len(unit) <= size:
            result[-1].extend(unit)
        else:
            result.append(list(unit))
    return result


def _blank_labels(line: str) -> list[str]:
    if "_:" not in line:
        return []
    triple = next(iter(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


@dataclass
class _Target:
    """The server side of a push: sends graphs, reads and writes the manifest."""

    remote: Remote
    requests: int = 0
    _last_save: float = field(default=0.0)
    _save_cost: float = field(default=0.0)
    _dirty: dict[str, Planned | None] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)  # triples per graph (gsp manifest)

    def __post_init__(self) -> None:
        remote = self.remote
        credentials = {"user": remote.user, "password": remote.password}
        self.client = SparqlClient(remote.endpoint, timeout=remote.timeout, **credentials)
        self.query_client = self.client
        if remote.protocol is Protocol.update and remote.query_endpoint:
            self.query_client = SparqlClient(
                remote.query_endpoint, timeout=remote.timeout, **credentials
            )
        self._last_save = time.monotonic()

    # the manifest: graph IRI -> content hash
    def read_manifest(self) -> dict[str, str]:
        self.requests += 1
        if self.remote.protocol is Protocol.gsp:
            body = self.client.get_graph(MANIFEST_GRAPH)
            if body is None:
                return {}
            return self._parse_manifest(body)
        query = (
            "SELECT ?g ?hash WHERE { GRAPH <" + MANIFEST_GRAPH + "> { ?g <" + _HASH.value + "> "
            "?hash } }"
        )
        answer = self.query_client.query(query, accept=RESULTS_JSON)
        import json

        try:
            rows = json.loads(answer.body)["results"]["bindings"]
            entries = [(row["g"]["value"], row["hash"]["value"]) for row in rows]
        except (ValueError, KeyError, TypeError) as exc:
            raise error(
                "E036", url=self.query_client.url, action="reading the push manifest", detail=exc
            ) from None
        return _unique(entries)

    def _parse_manifest(self, body: bytes) -> dict[str, str]:
        try:
            triples = list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            url = self.client.url
            raise error("E036", url=url, action="reading the push manifest", detail=exc) from None
        for t in triples:
            if t.predicate == _TRIPLES and t.object.value.isdigit():
                self._counts[t.subject.value] = int(t.object.value)
        return _unique((t.subject.value, t.object.value) for t in triples if t.predicate == _HASH)

    def forget(self, manifest: dict[str, str], graphs: list[str]) -> None:
        """Take the entries of ``graphs`` out of the manifest, on the server too, before any
        of them is replaced."""
        if not graphs:
            return
        for graph in graphs:
            manifest.pop(graph, None)
            self._dirty[graph] = None
        self.save(manifest)

    def record(self, manifest: dict[str, str], planned: Planned) -> None:
        """Note a graph complete; saved at once with ``update``, when due with ``gsp``."""
        manifest[planned.target] = planned.digest
        self._dirty[planned.target] = planned
        self._counts[planned.target] = planned.triples
        due = time.monotonic() - self._last_save >= 9 * self._save_cost
        if self.remote.protocol is Protocol.update or due:
            self.save(manifest)

    def save(self, manifest: dict[str, str]) -> None:
        if not self._dirty:
            return
        started = time.monotonic()
        if self.remote.protocol is Protocol.gsp:
            body = _manifest_ntriples(manifest, self._counts)
            self.client.put_graph(MANIFEST_GRAPH, body, action="writing the push manifest")
        else:
            self.client.update(_manifest_update(self._dirty), action="writing the push manifest")
        self.requests += 1
        self._dirty.clear()
        self._last_save = time.monotonic()
        self._save_cost = self._last_save - started

    def save_quietly(self, manifest: dict[str, str]) -> None:
        """Save what is pending after a failure, if the server still answers."""
        with contextlib.suppress(DiplographError):
            self.save(manifest)

    def send(self, planned: Planned, lines: list[str], batch_size: int) -> None:
        action = f"writing graph <{planned.target}> ({planned.label})"
        if self.remote.protocol is Protocol.gsp:
            body = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
            self.client.put_graph(planned.target, body, action=action)
            self.requests += 1
            return
        graph = "<" + planned.target + ">"
        chunks = batches(lines, batch_size) or [[]]
        for number, chunk in enumerate(chunks):
            insert = _insert(graph, chunk)
            text = ("DROP SILENT GRAPH " + graph + " ;\n" + insert) if number == 0 else insert
            if not chunk:
                text = "DROP SILENT GRAPH " + graph
            part = f", batch {number + 1} of {len(chunks)}" if len(chunks) > 1 else ""
            self.client.update(text, action=action[:-1] + part + ")")
            self.requests += 1


def _insert(graph: str, lines: list[str]) -> str:
    """``INSERT DATA`` for ``lines`` into ``graph``; with blank nodes ``INSERT {...} WHERE {}``,
    which means the same (fresh blank nodes, shared within the request) and which Virtuoso
    accepts (its ``INSERT DATA`` refuses blank nodes)."""
    body = " {\n" + "\n".join(lines) + "\n} }"
    if any("_:" in line and _blank_labels(line) for line in lines):
        return "INSERT { GRAPH " + graph + body + " WHERE {}"
    return "INSERT DATA { GRAPH " + graph + body


def _unique(entries: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Manifest entries; a graph with two hashes (two writers at once) counts as unknown."""
    found: dict[str, str] = {}
    doubtful: set[str] = set()
    for graph, digest in entries:
        if graph in found and found[graph] != digest:
            doubtful.add(graph)
        found[graph] = digest
    return {g: d for g, d in found.items() if g not in doubtful}


def _manifest_ntriples(manifest: dict[str, str], counts: dict[str, int]) -> bytes:
    triples = []
    for graph in sorted(manifest):
        subject = ox.NamedNode(graph)
        triples.append(ox.Triple(subject, _HASH, ox.Literal(manifest[graph])))
        if graph in counts:
            count = ox.Literal(str(counts[graph]), datatype=_INTEGER)
            triples.append(ox.Triple(subject, _TRIPLES, count))
    buffer = io.BytesIO()
    ox.serialize(triples, buffer, ox.RdfFormat.N_TRIPLES)
    return buffer.getvalue()


def _manifest_update(changes: dict[str, Planned | None]) -> str:
    manifest = "<" + MANIFEST_GRAPH + ">"
    operations = []
    for graph in sorted(changes):
        node = str(ox.NamedNode(graph))
        operations.append(
            "DELETE { GRAPH " + manifest + " { " + node + " ?p ?o } } "
            "WHERE { GRAPH " + manifest + " { " + node + " ?p ?o } }"
        )
    added = [p for p in changes.values() if p is not None]
    if added:
        lines = "\n".join(
            f"{ox.NamedNode(p.target)} {_HASH} {ox.Literal(p.digest)} .\n"
            f"{ox.NamedNode(p.target)} {_TRIPLES} {p.triples} ."
            for p in sorted(added, key=lambda p: p.target)
        )
        operations.append("INSERT DATA { GRAPH " + manifest + " {\n" + lines + "\n} }")
    return " ;\n".join(operations)


__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_GRAPH_PREFIX",
    "MANIFEST_GRAPH",
    "Planned",
    "Progress",
    "Protocol",
    "PushReport",
    "Remote",
    "batches",
    "push",
]
