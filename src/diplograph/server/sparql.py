"""The SPARQL 1.1 Protocol and the Graph Store Protocol over a pyoxigraph store.

Each function here takes what the HTTP request said (already decoded) and returns a
:class:`Response` or raises :class:`Refusal`; the handler only moves bytes.
"""

from __future__ import annotations

import contextlib
import hmac
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox

from diplograph import guard
from diplograph.errors import DiplographError
from diplograph.server import formats
from diplograph.server.errors import Refusal
from diplograph.server.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from diplograph.server.response import Response
from diplograph.server.runner import Answer, Job, Pool, Runner
from diplograph.vocab import PREFIXES

TRUNCATED = "X-Diplograph-Truncated"
_PREFIXES = {name: str(iri) for name, iri in PREFIXES.items()}


@dataclass(frozen=True)
class Settings:
    """How the server behaves; every limit and permission in one place.

    Attributes:
        timeout: seconds a query may run before it is answered with 503.
        max_rows: the most solutions (or triples) a result holds; past it the result is
            cut there and says so in the ``X-Diplograph-Truncated: true`` header.
        update_token: the bearer token that allows SPARQL Update and graph writes;
            None (the default) keeps the server read-only.
        allow_service: let queries use SERVICE (they reach other addresses).
        allow_load: let updates use LOAD (they read files and addresses).
        max_running: updates and graph reads running at once (in threads), abandoned
            ones included.
        workers: worker processes that run queries (each one query at a time); 0 runs
            them in threads instead, which cannot be stopped (see :mod:`runner`).
        max_memory: MiB a worker may allocate past its size when forked.
        limits: how big a query may be (:class:`guard.Limits`), checked before parsing.
    """

    timeout: float = 10.0
    max_rows: int = 10000
    update_token: str | None = None
    allow_service: bool = False
    allow_load: bool = False
    max_running: int = 4
    workers: int = 4
    max_memory: int = 2048
    limits: guard.Limits = field(default_factory=guard.Limits)


def internal_query(name: str) -> str:
    """A query the pages run (``server/queries/NAME.rq``)."""
    return (resources.files("diplograph.server") / "queries" / f"{name}.rq").read_text("utf-8")


def _detail(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:500]


class Endpoint:
    """SPARQL over one store, with the server's limits and permissions."""

    def __init__(self, store: ox.Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.runner = Runner(
            timeout=settings.timeout,
            max_rows=settings.max_rows,
            max_running=settings.max_running,
        )
        self._writing = threading.Lock()
        # a LiveStore (a store folder served read-only) lends a snapshot per session (in the
        # worker that runs it); a pyoxigraph Store needs none
        self._session = getattr(store, "session", contextlib.nullcontext)
        self.pool = None
        if settings.workers:
            self.pool = Pool(
                self,
                workers=settings.workers,
                timeout=settings.timeout,
                max_memory=settings.max_memory,
            )

    def close(self) -> None:
        """Stop the worker processes."""
        if self.pool is not None:
            self.pool.close()

    def _call(self, name: str, **kwargs):
        """``self.name(**kwargs)`` in a worker process, or in a thread without workers."""
        if self.pool is not None:
            return self.pool.call(name, **kwargs)
        return self.runner.call(lambda job: getattr(self, name)(**kwargs))

    def _written(self) -> None:
        """After a write: workers forked before it are replaced, so queries see it."""
        if self.pool is not None:
            self.pool.refresh()

    # --- queries ------------------------------------------------------------------------

    @staticmethod
    def _dataset(default_graphs: Sequence[str], named: Sequence[str]) -> dict:
        """Query arguments for the protocol's ``default-graph-uri`` and ``named-graph-uri``.

        Without them the query reads the store's default graph (the merge of all graphs)
        and may name any graph; with them the dataset is exactly the graphs given.
        """
        if not (default_graphs or named):
            return {}
        return {
            "default_graph": [ox.NamedNode(iri) for iri in default_graphs],
            "named_graphs": [ox.NamedNode(iri) for iri in named],
        }

    def _limit(self, text: str) -> None:
        try:
            guard.check(text, self.settings.limits)
        except guard.TooLarge as exc:
            raise Refusal(400, "S024", detail=str(exc)) from None

    def _check(self, inspection: guard.Inspection) -> None:
        if inspection.service and not self.settings.allow_service:
            raise Refusal(403, "S003")
        if inspection.load and not self.settings.allow_load:
            raise Refusal(403, "S004")

    def evaluate(
        self,
        job: Job,
        text: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        substitutions: dict | None = None,
    ) -> Answer:
        """Check and run a query inside a runner job; the answer is cut at the cap."""
        self._limit(text)
        inspection = guard.inspect(text)
        self._check(inspection)
        for iri in (*default_graphs, *named_graphs):
            _named_node(iri, "graph")
        arguments = self._dataset(default_graphs, named_graphs)
        # The result is made and dropped in a frame of its own: the parser above may keep
        # this frame alive, and Oxigraph's result objects must die on this thread.
        return self._execute(job, text, substitutions, arguments)

    def _execute(self, job: Job, text: str, substitutions: dict | None, arguments: dict):
        try:
            with self._session():  # a store folder that builds write: one snapshot per job
                result = self.store.query(
                    text, prefixes=_PREFIXES, substitutions=substitutions, **arguments
                )
                try:
                    return self.runner.take(job, result)
                finally:
                    del result
        except SyntaxError as exc:
            raise Refusal(400, "S002", kind="query", detail=_detail(exc)) from None
        except OSError as exc:
            raise Refusal(500, "S018", detail=_detail(exc)) from None
        except DiplographError as exc:  # a served store folder: see _unreadable
            raise _unreadable(exc) from None

    def select(self, text: str, substitutions: dict | None = None) -> Answer:
        """Run one of the server's own queries (pages, network) under the same limits."""
        return self._call("answer", text=text, substitutions=substitutions)

    def answer(self, text: str, substitutions: dict | None = None) -> Answer:
        """:meth:`select`, where it runs (a worker, or a thread)."""
        return self.evaluate(Job(), text, substitutions=substitutions)

    def query(
        self,
        text: str,
        *,
        accept: str | None,
        wanted: Sequence[str] = (),
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> Response:
        """A SPARQL Protocol query: the result in the negotiated format."""
        self._limit(text)  # before a worker is taken: a huge text costs none
        return self._call(
            "respond",
            text=text,
            accept=accept,
            wanted=list(wanted),
            default_graphs=list(default_graphs),
            named_graphs=list(named_graphs),
        )

    def respond(
        self,
        text: str,
        *,
        accept: str | None,
        wanted: Sequence[str],
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
    ) -> Response:
        """:meth:`query`, where it runs (a worker, or a thread)."""
        answer = self.evaluate(
            Job(), text, default_graphs=default_graphs, named_graphs=named_graphs
        )
        offers = GRAPH_FORMATS if answer.kind == "triples" else RESULT_FORMATS
        fmt = formats.negotiate(offers, accept, wanted)
        if fmt is None:
            raise _not_acceptable(offers, accept, f"{answer.kind} results")
        return self._answer(answer, fmt)

    def _answer(self, answer: Answer, fmt: Format) -> Response:
        if answer.kind == "boolean":
            body = formats.write_boolean(fmt, answer.boolean)
        elif answer.kind == "solutions":
            body = formats.write_solutions(fmt, answer.variables, answer.rows)
        else:
            body = formats.write_triples(fmt, answer.triples)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers[TRUNCATED] = "true"
        return Response(200, body, formats.content_type(fmt), headers)

    # --- updates and writes -------------------------------------------------------------

    def authorize(self, authorization: str | None) -> None:
        """Allow a write only with the server's bearer token (403 otherwise)."""
        token = self.settings.update_token
        if not token:
            raise Refusal(403, "S005")
        scheme, _, sent = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            sent.strip().encode(), token.encode()
        ):
            raise Refusal(403, "S006")

    def update(self, text: str, *, authorization: str | None) -> Response:
        """A SPARQL Update, with the token; LOAD and SERVICE only where allowed."""
        self.authorize(authorization)

        self._limit(text)

        def work(job: Job) -> Response:
            self._check(guard.inspect(text, update=True))
            try:
                self.store.update(text, prefixes=_PREFIXES)
            except SyntaxError as exc:
                raise Refusal(400, "S002", kind="update", detail=_detail(exc)) from None
            except OSError as exc:
                raise Refusal(403, "S017", detail=_detail(exc)) from None
            finally:
                self._written()
            return Response(204, b"", None)

        return self.runner.call(work)

    # --- Graph Store Protocol -----------------------------------------------------------

    def get_graph(self, iri: str | None, *, accept: str | None, wanted: Sequence[str]) -> Response:
        """GSP GET: a named graph (``iri``), or with None the default graph (the merge).

        A graph is answered whole or not at all: one of more than ``max_rows`` triples is
        refused with 413 (S020, naming the limit and how to raise it), never cut.
        """
        fmt = formats.negotiate(GRAPH_FORMATS, accept, wanted)
        if fmt is None:
            raise _not_acceptable(GRAPH_FORMATS, accept, "a graph")
        graph = _named_node(iri, "graph") if iri is not None else ox.DefaultGraph()
        if iri is not None and not self.store.contains_named_graph(graph):
            raise Refusal(404, "S015", iri=iri)

        def work(job: Job) -> Response:
            triples = []
            limit = self.settings.max_rows
            try:
                with self._session():
                    for quad in self.store.quads_for_pattern(None, None, None, graph):
                        job.check()
                        if len(triples) == limit:
                            what = f"the graph <{iri}>" if iri is not None else "the default graph"
                            raise Refusal(413, "S020", what=what, limit=limit)
                        triples.append(quad.triple)
            except DiplographError as exc:
                raise _unreadable(exc) from None
            return self._answer(Answer("triples", triples=triples), fmt)

        return self.runner.call(work)

    def write_graph(
        self,
        method: str,
        iri: str | None,
        body: bytes,
        content_type: str | None,
        *,
        authorization: str | None,
    ) -> Response:
        """GSP PUT (replace), POST (add to) and DELETE (drop) a named graph, with the token.

        Each write is one transaction that also keeps the default graph the merge of the
        named graphs (:func:`diplograph.rdf.store.replace_graph`).
        """
        from diplograph.rdf.store import replace_graph

        self.authorize(authorization)
        if iri is None:
            raise Refusal(
                400,
                "S013",
                detail="this server's default graph is the merge of its named graphs; "
                "write to a named graph: ?graph=IRI",
            )
        graph = _named_node(iri, "graph")
        triples: list[ox.Triple] = []
        if method != "DELETE":
            media = (content_type or "").split(";")[0].strip().lower()
            if media not in formats.BODY_FORMATS:
                raise Refusal(
                    415,
                    "S010",
                    type=media or "(none)",
                    method=method,
                    path="/graphs",
                    expected=", ".join(formats.BODY_FORMATS),
                )
            try:
                parsed = ox.parse(body, format=formats.BODY_FORMATS[media], base_iri=iri)
                triples = [quad.triple for quad in parsed]
            except (SyntaxError, ValueError) as exc:
                raise Refusal(400, "S013", detail=f"cannot read the body: {_detail(exc)}") from None
        with self._writing:  # replace_graph reads the old graph, then writes: one at a time
            existed = self.store.contains_named_graph(graph)
            if method == "DELETE" and not existed:
                raise Refusal(404, "S015", iri=iri)
            if method == "POST" and existed:
                old = [q.triple for q in self.store.quads_for_pattern(None, None, None, graph)]
                triples = list(dict.fromkeys(old + triples))
            text = None
            if method != "DELETE":
                text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            try:
                replace_graph(self.store, graph, text)
            except OSError as exc:
                raise Refusal(403, "S017", detail=_detail(exc)) from None
            finally:
                self._written()
        return Response(201 if method != "DELETE" and not existed else 204, b"", None)

    # --- service description ------------------------------------------------------------

    def description(self, endpoint: str, *, accept: str | None, wanted: Sequence[str]) -> Response:
        """The SPARQL 1.1 Service Description of this endpoint."""
        fmt = formats.negotiate(GRAPH_FORMATS, accept, wanted)
        if fmt is None:
            raise _not_acceptable(GRAPH_FORMATS, accept, "the service description")
        sd = "http://www.w3.org/ns/sparql-service-description#"
        formats_ns = "http://www.w3.org/ns/formats/"
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

        def n(local: str, base: str = sd) -> ox.NamedNode:
            return ox.NamedNode(base + local)

        service, dataset = ox.BlankNode("service"), ox.BlankNode("dataset")
        default = ox.BlankNode("default")
        triples = [
            ox.Triple(service, rdf_type, n("Service")),
            ox.Triple(service, n("endpoint"), ox.NamedNode(endpoint)),
            ox.Triple(service, n("supportedLanguage"), n("SPARQL11Query")),
            ox.Triple(service, n("feature"), n("UnionDefaultGraph")),  # the merge, kept in store
            ox.Triple(service, n("defaultDataset"), dataset),
            ox.Triple(dataset, rdf_type, n("Dataset")),
            ox.Triple(dataset, n("defaultGraph"), default),
            ox.Triple(default, rdf_type, n("Graph")),
        ]
        if self.settings.update_token:
            triples.append(ox.Triple(service, n("supportedLanguage"), n("SPARQL11Update")))
        if self.settings.allow_service:
            triples.append(ox.Triple(service, n("feature"), n("BasicFederatedQuery")))
        for name in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        ):
            triples.append(ox.Triple(service, n("resultFormat"), n(name, formats_ns)))
        for index, graph in enumerate(sorted(self.store.named_graphs(), key=str)):
            if index == self.settings.max_rows:
                break
            node = ox.BlankNode(f"g{index}")
            triples.append(ox.Triple(dataset, n("namedGraph"), node))
            triples.append(ox.Triple(node, rdf_type, n("NamedGraph")))
            triples.append(ox.Triple(node, n("name"), graph))
        body = formats.write_triples(fmt, triples)
        return Response(200, body, formats.content_type(fmt), {"Vary": "Accept"})


def _unreadable(exc: DiplographError) -> Refusal:
    """503 with Retry-After when a build's commit held the store folder past the wait (E025),
    else 500: a refusal, so that it comes back whole from a worker process."""
    busy = exc.code == "E025"
    headers = {"Retry-After": "2"} if busy else {}
    return Refusal(503 if busy else 500, "S025", headers, detail=exc.message)


def _named_node(iri: str, what: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise Refusal(400, "S013", detail=f"{what} {iri!r} is not an IRI ({exc})") from None


def _not_acceptable(offers: Sequence[Format], accept: str | None, what: str) -> Refusal:
    media = ", ".join(offer.media_type for offer in offers)
    return Refusal(406, "S009", what=what, accept=accept or "", offers=media)
