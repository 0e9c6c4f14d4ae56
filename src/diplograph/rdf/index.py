"""The index graph: what the bundled listings read a page from instead of sorting the store.

A store (and the memory store of graph files) keeps, beside its article graphs, the named
graph ``https://w3id.org/diplograph/index`` (``INDEX_GRAPH``), in the ``dgx:`` namespace
``https://w3id.org/diplograph/index#`` (docs/store.md). It is derived from the article graphs
and the ontology alone: triple for triple the union, over every article graph G, of
``graph_index(G)``; the store's merge (its default graph) leaves it out.

Each listing (``timeline``, ``who-met-whom``, ``accusations``, ``posts``, and one per actor
for ``actor``) orders its entries as the bundled queries do: by ``when`` (the date as text,
newest first, "" for undated last), then ``tie`` (the first 15 hex digits of the MD5 of the
entry's IRI, as the queries' ``SUBSTR(MD5(STR(?event)), 1, 15)``), then the actor's role.
The index cuts that order into pieces an exact (subject) or (predicate, object) lookup reads:

- a day node per listing and ``when``: ``?day dgx:list ?listing`` (an actor's listing is the
  actor's IRI; the day node's name ends in the quoted ``when``: ``.../day/2024-04-13``);
- sixteen buckets per day node, one per first hex digit of the tie (``.../day/2024-04-13/a``),
  each holding its entries: ``?bucket dgx:entry "{...}"``, a JSON literal with the entry's
  IRI, its role and its rows, as the listing's ``_page-NAME.rq`` reads them from the entry's
  article graph and the ontology (computed when the article is written);
- ``?actor dgx:name "kim jong-un"``: each skos:prefLabel and skos:altLabel in lower case,
  which the actor query looks up instead of scanning every label;
- ``?event dgx:category "CONSULT"``: each PLOVER category an article graph gives an event
  (its ``rdf:type``'s ``dgo:ploverCategory`` in the ontology);
- a tally node per category that some event has (``.../events/CONSULT``):
  ``?tally dgx:tallies "CONSULT" ; dgx:events 12``, how many events have it (the
  ``dgx:category`` triples of the category): what ``event-counts`` reads instead of counting;
- ``<https://w3id.org/diplograph/index> dgx:version 2``: what a reader checks before it
  trusts the graph (without it the named queries sort, as they always did).

A page (``seek``) reads the listing's day nodes, then the next buckets, a few at a time,
until it has one more entry than the page: its cost follows the page, not the store. Writers
keep the graph exact in the transaction that writes the article (``delta``): what an article
adds, and what its removal leaves unjustified (an entry or a name no other graph gives, a
day node left without entries), and each tally changed by the ``dgx:category`` triples
that go or come (``tally_delta``).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, unquote

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, ORG, PROV, RDFS, SKOS, XSD

from diplograph.vocab import DGO, ONTOLOGY_IRI, ontology_path

INDEX_IRI = "https://w3id.org/diplograph/index"
INDEX_GRAPH = ox.NamedNode(INDEX_IRI)
DGX = INDEX_IRI + "#"
#: the layout written here; a graph of another version is rebuilt by the next writer
VERSION = 2
ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY_IRI)

_DGO = ONTOLOGY_IRI + "#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_DATE = ox.NamedNode(_DGO + "date")
_SOURCE = ox.NamedNode(_DGO + "source")
_TARGET = ox.NamedNode(_DGO + "target")
_CONSULT = ox.NamedNode(_DGO + "Consult")
_ACCUSE = ox.NamedNode(_DGO + "Accuse")
_MEMBERSHIP = ox.NamedNode("http://www.w3.org/ns/org#Membership")
_POST_DATE = ox.NamedNode("http://purl.org/dc/terms/date")
_PLOVER = ox.NamedNode(_DGO + "ploverCategory")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_LABELS = (
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
)
#: the article predicates that make an entry or a name
_KEYS = frozenset({_RDF_TYPE, _DATE, _SOURCE, _TARGET, _POST_DATE, *_LABELS})

LIST = ox.NamedNode(DGX + "list")
ENTRY = ox.NamedNode(DGX + "entry")
NAME = ox.NamedNode(DGX + "name")
VERSION_OF = ox.NamedNode(DGX + "version")
CATEGORY = ox.NamedNode(DGX + "category")
TALLIES = ox.NamedNode(DGX + "tallies")
EVENTS = ox.NamedNode(DGX + "events")
#: a bucket per day node and first hex digit of the tie
DIGITS = "0123456789abcdef"

#: the listings of the bundled queries, by query name (``actor``'s are the actors)
LISTINGS = {
    name: ox.NamedNode(f"{INDEX_IRI}/{name}")
    for name in ("timeline", "who-met-whom", "accusations", "posts")
}
_NOT_INDEXED = frozenset({INDEX_GRAPH, ONTOLOGY_GRAPH})


def version_triple() -> ox.Triple:
    return ox.Triple(INDEX_GRAPH, VERSION_OF, ox.Literal(str(VERSION)))


def tie(node: ox.NamedNode) -> str:
    """The order among entries of one ``when``: as SPARQL's ``SUBSTR(MD5(STR(?x)), 1, 15)``.

    >>> tie(ox.NamedNode("https://w3id.org/diplograph/id/event/a/1"))
    'dd01ff4ff4e7ee5'
    """
    return hashlib.md5(node.value.encode("utf-8")).hexdigest()[:15]


@functools.lru_cache(maxsize=4096)
def day_node(listing: ox.NamedNode, when: str) -> ox.NamedNode:
    """The day node of ``listing`` for ``when``: its name ends in the quoted ``when``."""
    if listing.value.startswith(INDEX_IRI + "/"):
        base = listing.value
    else:  # an actor's listing: its IRI, hashed into the index's own names
        base = f"{INDEX_IRI}/actor/{hashlib.md5(listing.value.encode('utf-8')).hexdigest()}"
    return ox.NamedNode(f"{base}/day/{quote(when, safe='')}")


def when_of(day: ox.NamedNode) -> str:
    """The ``when`` of a ``day_node``."""
    return unquote(day.value.rsplit("/", 1)[1])


def buckets_of(day: ox.NamedNode) -> list[ox.NamedNode]:
    """The (possible) buckets of a day node, in order."""
    return [ox.NamedNode(f"{day.value}/{digit}") for digit in DIGITS]


@dataclass(frozen=True)
class Key:
    """Where an entry stands in its listing; ``actor`` is the actor's listing, or None."""

    node: ox.NamedNode
    when: str
    role: str = ""
    actor: ox.NamedNode | None = None
    graph: ox.NamedNode | None = None  # the article graph that gives it


def subject_keys(
    subject, pairs: Iterable[tuple], graph: ox.NamedNode | None = None
) -> tuple[dict[str, list[Key]], set[str]]:
    """The entries (by listing name) and lower-case names that one subject's (predicate,
    object) pairs in the article graph ``graph`` give."""
    keys: dict[str, list[Key]] = {}
    if not isinstance(subject, ox.NamedNode):
        return keys, set()
    types, dates, post_dates, names = set(), [], [], set()
    roles: list[tuple[ox.NamedNode, str]] = []
    for predicate, value in pairs:
        if predicate == _RDF_TYPE:
            types.add(value)
        elif predicate == _DATE and isinstance(value, ox.Literal):
            dates.append(value.value)
        elif predicate == _POST_DATE and isinstance(value, ox.Literal):
            post_dates.append(value.value)
        elif predicate in _LABELS and isinstance(value, ox.Literal):
            names.add(value.value.lower())
        elif predicate == _SOURCE and isinstance(value, ox.NamedNode):
            roles.append((value, "source"))
        elif predicate == _TARGET and isinstance(value, ox.NamedNode):
            roles.append((value, "target"))
    whens = sorted(set(dates)) or [""]
    if dates:
        keys["timeline"] = [Key(subject, when, graph=graph) for when in sorted(set(dates))]
    if _CONSULT in types:
        keys["who-met-whom"] = [Key(subject, when, graph=graph) for when in whens]
    if _ACCUSE in types:
        keys["accusations"] = [Key(subject, when, graph=graph) for when in whens]
    if _MEMBERSHIP in types:
        posted = sorted(set(post_dates)) or [""]
        keys["posts"] = [Key(subject, when, graph=graph) for when in posted]
    if roles:
        keys["actor"] = [
            Key(subject, when, role, actor, graph)
            for actor, role in sorted(set(roles))
            for when in whens
        ]
    return keys, names


def graph_index(triples: Iterable[ox.Triple], graph: ox.NamedNode | None = None) -> set[ox.Triple]:
    """The index triples of one article graph's ``triples`` (``graph``: its name)."""
    return graphs_index([(graph or ox.NamedNode(INDEX_IRI + "/scratch"), list(triples))])


def graphs_index(graphs: list[tuple[ox.NamedNode, list[ox.Triple]]]) -> set[ox.Triple]:
    """The union of ``graph_index`` over article graphs (name, triples): each made in Python
    (``direct_index``), or, where that cannot be sure of the engine's answer, by the
    listings' page queries (``sparql_graphs_index``), all such graphs at once."""
    out: set[ox.Triple] = set()
    rest = []
    for graph, triples in graphs:
        made = direct_index(graph, triples)
        if made is None:
            rest.append((graph, triples))
        else:
            out |= made
    return out | sparql_graphs_index(rest) if rest else out


def sparql_graphs_index(graphs: list[tuple[ox.NamedNode, list[ox.Triple]]]) -> set[ox.Triple]:
    """``graphs_index`` as the page queries ``_page-NAME.rq`` give it: the article graphs
    (name, triples) in a scratch store, their rows read by one query a listing (the
    reference ``direct_index`` is tested against, and what it leaves to the engine)."""

    def fill(scratch: ox.Store) -> None:
        for graph, triples in graphs:
            scratch.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)

    with _filled(fill, [graph for graph, _ in graphs]) as scratch:
        return _index(graphs, scratch)


@contextmanager
def _filled(fill: Callable[[ox.Store], None], names: list[ox.NamedNode]) -> Iterator[ox.Store]:
    """This thread's scratch store (``_scratch``) with the article graphs ``names`` that
    ``fill`` puts in it, taken out again after."""
    scratch = _scratch()
    try:
        fill(scratch)
        yield scratch
    finally:
        for graph in names:
            scratch.remove_graph(graph)


def _index(graphs: Iterable[tuple[ox.NamedNode, Iterable[ox.Triple]]], scratch: ox.Store) -> set:
    """The index of article graphs: entries, names and categories from the triples of
    ``graphs`` (those of the predicates that make them suffice), rows from the same graphs
    in ``scratch`` (``_filled``)."""
    keys: dict[str, list[Key]] = {}
    out: set[ox.Triple] = set()
    for graph, triples in graphs:
        by_subject: dict = {}
        for triple in triples:
            if triple.predicate in _KEYS:
                by_subject.setdefault(triple.subject, []).append((triple.predicate, triple.object))
        for subject, pairs in by_subject.items():
            out |= _subject_index(subject, pairs, graph, keys)
    if keys:
        out |= _entries_of(scratch, keys)
    return out


def _entries_of(scratch: ox.Store, keys: dict[str, list[Key]]) -> set[ox.Triple]:
    """The day nodes and entries of ``keys``, their rows read by the listings' page queries
    from each entry's article graph (with the ontology) in ``scratch``."""
    from diplograph.query import index_rows

    rows = {name: index_rows(scratch, name, entries) for name, entries in keys.items()}
    return _entry_triples(keys, rows)


def _entry_triples(keys: dict[str, list[Key]], rows: dict[str, dict]) -> set[ox.Triple]:
    """The day nodes and entries of ``keys`` (by listing name), given each entry's rows
    (``rows[name][key]``: a list of rows, or its JSON text; none: no rows)."""
    out: set[ox.Triple] = set()
    for name, entries in keys.items():
        found = rows[name]
        for key in entries:
            listing = key.actor if key.actor is not None else LISTINGS[name]
            day = day_node(listing, key.when)
            key_tie = tie(key.node)
            held = found.get(key, "[]")
            body = f"[{_json(key.node.value)},{held if isinstance(held, str) else _json(held)}]"
            text = f"{key_tie} {key.role} {body}"  # tie and role first: read without JSON
            bucket = ox.NamedNode(f"{day.value}/{key_tie[0]}")
            out.add(ox.Triple(day, LIST, listing))
            out.add(ox.Triple(bucket, ENTRY, ox.Literal(text)))
    return out


#: an entry's JSON: as ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@functools.cache
def _categories() -> dict[ox.NamedNode, tuple[ox.Literal, ...]]:
    """The PLOVER categories of the ontology's classes (``dgo:ploverCategory``)."""
    out: dict[ox.NamedNode, tuple[ox.Literal, ...]] = {}
    for quad in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        if quad.predicate == _PLOVER and isinstance(quad.object, ox.Literal):
            out[quad.subject] = (*out.get(quad.subject, ()), quad.object)
    return out


def tally_node(category: ox.Literal) -> ox.NamedNode:
    """The tally node of a PLOVER category: its name ends in the quoted category."""
    return ox.NamedNode(f"{INDEX_IRI}/events/{quote(category.value, safe='')}")


def tally(category: ox.Literal, count: int) -> set[ox.Triple]:
    """The triples of the tally of ``category`` at ``count`` events (none at 0)."""
    if count <= 0:
        return set()
    node = tally_node(category)
    return {
        ox.Triple(node, TALLIES, category),
        ox.Triple(node, EVENTS, ox.Literal(str(count), datatype=_INTEGER)),
    }


def _counted(triples: Iterable[ox.Triple]) -> Counter:
    """How many ``dgx:category`` triples of each category are among ``triples``."""
    return Counter(t.object for t in triples if t.predicate == CATEGORY)


def tallies(triples: Iterable[ox.Triple]) -> set[ox.Triple]:
    """The tallies of the ``dgx:category`` triples among ``triples`` (a set: each once)."""
    return set().union(*(tally(category, n) for category, n in _counted(triples).items()))


def tally_delta(
    store: ox.Store, deleted: set[ox.Triple], added: set[ox.Triple]
) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """The tally triples the index graph of ``store`` loses and gains when ``deleted`` (held)
    go and ``added`` come: one event less for each ``dgx:category`` triple deleted, one more
    for each added that the graph does not hold yet (read before the write)."""
    categorised = (t for t in added if t.predicate == CATEGORY)
    change = _counted(t for t in categorised if ox.Quad(*t, INDEX_GRAPH) not in store)
    change.subtract(_counted(deleted))
    gone: set[ox.Triple] = set()
    came: set[ox.Triple] = set()
    for category, step in change.items():
        if step == 0:
            continue
        held = held_tally(store, category)
        old, new = tally(category, held), tally(category, held + step)
        gone |= old - new
        came |= new - old
    return gone, came


def held_tally(store: ox.Store, category: ox.Literal) -> int:
    """How many events the index graph of ``store`` tallies for ``category`` (0: none)."""
    for quad in store.quads_for_pattern(tally_node(category), EVENTS, None, INDEX_GRAPH):
        return int(quad.object.value)
    return 0


_local = threading.local()


def _scratch() -> ox.Store:
    """This thread's memory store holding the ontology graph, for ``_entries_of``."""
    store = getattr(_local, "store", None)
    if store is None:
        store = ox.Store()
        ontology = ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
        store.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object, ONTOLOGY_GRAPH) for q in ontology
        )
        _local.store = store
    return store


def ntriples_index(
    graphs: dict[ox.NamedNode, str], made: dict[ox.NamedNode, set[ox.Triple] | None] | None = None
) -> set[ox.Triple]:
    """``graphs_index`` of articles' N-Triples (graph name: N-Triples): each made in Python
    (``direct_ntriples_index``; ``made`` holds those already made so, by name); those it
    leaves to the engine go through ``sparql_ntriples_index``, together."""
    out: set[ox.Triple] = set()
    rest: dict[ox.NamedNode, str] = {}
    for graph, text in graphs.items():
        found = made[graph] if made and graph in made else direct_ntriples_index(graph, text)
        if found is None:
            rest[graph] = text
        else:
            out |= found
    return out | sparql_ntriples_index(rest) if rest else out


def direct_ntriples_index(graph: ox.NamedNode, text: str) -> set[ox.Triple] | None:
    """``direct_index`` of the article graph ``graph`` holding the N-Triples ``text``
    (Oxigraph parses them); None where the page queries must make it, text Oxigraph's
    parser refuses included (their scratch store's load raises the error)."""
    try:
        return direct_index(graph, ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))
    except SyntaxError:
        return None


def sparql_ntriples_index(graphs: dict[ox.NamedNode, str]) -> set[ox.Triple]:
    """``sparql_graphs_index`` of articles' N-Triples (graph name: N-Triples). Oxigraph
    parses and loads them into the scratch store, each into its graph; Python reads back
    only the triples of the predicates that make entries, names and categories."""

    def fill(scratch: ox.Store) -> None:
        for graph, text in graphs.items():
            scratch.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=graph, lenient=True)

    with _filled(fill, list(graphs)) as scratch:
        keyed = [
            (
                graph,
                [q.triple for p in _KEYS for q in scratch.quads_for_pattern(None, p, None, graph)],
            )
            for graph in graphs
        ]
        return _index(keyed, scratch)


def stored_index(store: ox.Store, graph: ox.NamedNode) -> set[ox.Triple]:
    """``graph_index`` of the graph ``graph`` as ``store`` holds it."""
    return stored_indexes(store, [graph])


def stored_indexes(store: ox.Store, graphs: Iterable[ox.NamedNode]) -> set[ox.Triple]:
    """``graphs_index`` of the graphs ``graphs`` as ``store`` holds them."""
    return graphs_index(
        [
            (graph, [q.triple for q in store.quads_for_pattern(None, None, None, graph)])
            for graph in graphs
            if graph not in _NOT_INDEXED
        ]
    )


def index_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The graphs of ``store`` the index is made of: every named graph but the ontology's and
    the index's own."""
    return [
        graph
        for graph in store.named_graphs()
        if isinstance(graph, ox.NamedNode) and graph not in _NOT_INDEXED
    ]


def full_index(store: ox.Store) -> set[ox.Triple]:
    """The index of every article graph of ``store``, made from scratch (with its version)."""
    out = {version_triple()}
    graphs = index_graphs(store)
    for start in range(0, len(graphs), BATCH):
        out |= stored_indexes(store, graphs[start : start + BATCH])
    return out | tallies(out)


def held_index(store: ox.Store) -> set[ox.Triple]:
    """The triples of ``store``'s index graph."""
    return {quad.triple for quad in store.quads_for_pattern(None, None, None, INDEX_GRAPH)}


def is_current(store: ox.Store) -> bool:
    """Whether ``store`` holds an index graph of this version (readers may seek in it)."""
    triple = version_triple()
    return ox.Quad(triple.subject, triple.predicate, triple.object, INDEX_GRAPH) in store


def rebuild(store: ox.Store) -> int:
    """Make ``store``'s index graph again from its article graphs (for a store written by an
    older diplograph, or loaded around the writer); returns how many triples it wrote (a
    day node two batches give counted twice). Not one transaction:
    the version triple goes in last, so a reader never trusts a half-made index."""
    store.update(f"DROP SILENT GRAPH {INDEX_GRAPH}")
    size, pending = 1, []
    graphs = index_graphs(store)
    for start in range(0, len(graphs), BATCH):
        pending.extend(stored_indexes(store, graphs[start : start + BATCH]))
        if len(pending) >= REBUILD_CHUNK:
            size += _bulk_add(store, pending)
            pending = []
    size += _bulk_add(store, pending)
    # the tallies: the category triples counted where they now are, each once
    text = f"SELECT ?c (COUNT(*) AS ?n) WHERE {{ {_IN} {{ ?e {CATEGORY} ?c }} }} GROUP BY ?c"
    counted = [tally(c, int(n.value)) for c, n in store.query(text)]
    size += _bulk_add(store, list(set().union(*counted)))
    version = version_triple()
    store.add(ox.Quad(version.subject, version.predicate, version.object, INDEX_GRAPH))
    return size


#: article graphs whose index is made together (one query a listing for all of them)
BATCH = 20
#: index triples gathered before each bulk load of ``rebuild`` (each load writes files)
REBUILD_CHUNK = 200_000


def _bulk_add(store: ox.Store, triples: list[ox.Triple]) -> int:
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, INDEX_GRAPH) for t in triples)
    return len(triples)


def quads(triples: Iterable[ox.Triple]) -> str:
    """Index triples as N-Quads in the index graph."""
    return "".join(f"{t} {INDEX_GRAPH} .\n" for t in triples)


def _origin(triple: ox.Triple) -> ox.NamedNode:
    """The article subject an entry or a name comes from."""
    if triple.predicate == ENTRY:
        return ox.NamedNode(entry_record(triple.object.value)[0])
    return triple.subject


def entry_record(text: str) -> list:
    """The [IRI, rows] of an entry literal (``"TIE ROLE [IRI, rows]"``)."""
    return json.loads(text.split(" ", 2)[2])


def delta(
    store: ox.Store,
    removed: Iterable[ox.NamedNode],
    added: dict[ox.NamedNode, set[ox.Triple]] | None = None,
) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """What the index graph of ``store`` loses and gains when the article graphs ``removed``
    go and ``added`` (graph: its ``graph_index``) come in their place: (to delete, to add).

    An entry or a name is kept while another graph still gives it (read again from each
    other graph that says anything of its subject); a day node goes when none of its
    buckets keeps an entry.
    """
    removed = [graph for graph in removed if graph not in _NOT_INDEXED]
    added = {g: triples for g, triples in (added or {}).items() if g not in _NOT_INDEXED}
    old = stored_indexes(store, [g for g in removed if store.contains_named_graph(g)])
    new: set[ox.Triple] = set().union(*added.values()) if added else set()
    gone = old - new
    if not gone:
        return _tallied(store, set(), new - old)
    skipped = _NOT_INDEXED | set(removed) | set(added)

    def elsewhere(subject, predicate=None) -> Iterator[ox.Quad]:
        for quad in store.quads_for_pattern(subject, predicate, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name not in skipped:
                yield quad

    kept: set[ox.Triple] = set()
    others: set = set()
    for triple in gone:
        if triple.predicate == NAME:  # a name many articles give: their labels decide
            if any(
                isinstance(quad.object, ox.Literal)
                and quad.object.value.lower() == triple.object.value
                for predicate in _LABELS
                for quad in elsewhere(triple.subject, predicate)
            ):
                kept.add(triple)
        elif triple.predicate in (ENTRY, CATEGORY):  # rare: its subject in another graph too
            others |= {quad.graph_name for quad in elsewhere(_origin(triple))}
    kept |= stored_indexes(store, sorted(others, key=str))
    deleted = {t for t in gone if t.predicate != LIST and t not in kept}
    entered = {t.subject for t in new | kept if t.predicate == ENTRY}
    for day_triple in (t for t in gone if t.predicate == LIST and t not in kept):
        buckets = buckets_of(day_triple.subject)
        if not any(_holds(store, bucket, deleted, entered) for bucket in buckets):
            deleted.add(day_triple)
    return _tallied(store, deleted, new - old)


def _tallied(
    store: ox.Store, deleted: set[ox.Triple], added: set[ox.Triple]
) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """``deleted`` and ``added`` with the tally triples they change (``tally_delta``)."""
    gone, came = tally_delta(store, deleted, added)
    return deleted | gone, added | came


def _holds(store: ox.Store, bucket: ox.NamedNode, deleted: set, entered: set) -> bool:
    """Whether ``bucket`` keeps an entry once ``deleted`` goes (``entered``: the buckets that
    the added graphs, or others, give entries)."""
    if bucket in entered:
        return True
    return any(
        quad.triple not in deleted
        for quad in store.quads_for_pattern(bucket, ENTRY, None, INDEX_GRAPH)
    )


def update(deleted: set[ox.Triple], added: set[ox.Triple]) -> str:
    """The SPARQL Update operations that apply a ``delta`` ("" when there is none)."""
    operations = []
    if deleted:
        lines = "\n".join(f"{t} ." for t in sorted(deleted, key=str))
        operations.append(f"DELETE DATA {{ GRAPH {INDEX_GRAPH} {{\n{lines}\n}} }}")
    if added:
        lines = "\n".join(f"{t} ." for t in sorted(added, key=str))
        operations.append(f"INSERT DATA {{ GRAPH {INDEX_GRAPH} {{\n{lines}\n}} }}")
    return " ;\n".join(operations)


# --- the entries' rows in Python -----------------------------------------------------------
#
# What the page queries ``_page-NAME.rq`` read of one entry, evaluated over the article's own
# triples and the ontology's: the same joins (an OPTIONAL with no match a row with the
# variable unbound), the same FILTERs, the same order. Where the engine's answer could
# differ from these loops, ``direct_index`` returns None and the graph goes to the queries:
# a blank node (the store names them anew), a typed literal the store would write in another
# form (it keeps "1"^^xsd:boolean as "true"), a sort column whose values do not sort as
# plain strings do, rows tied on every sort column but not equal (the engine's order among
# them is its own), or a sentence text two of an event's sentences share (a path's
# duplicates).

_XSD = str(XSD)
_XSD_STRING = ox.NamedNode(_XSD + "string")
#: the lexical forms the store gives back as they are, by datatype (any other typed literal
#: of a predicate the rows read sends the graph to the queries)
_CANONICAL = {
    ox.NamedNode(_XSD + kind): re.compile(pattern)
    for kind, pattern in (
        ("boolean", "true|false"),
        ("integer", "0|-?[1-9][0-9]*"),
        ("date", "[0-9]{4}-[0-9]{2}-[0-9]{2}"),
        ("gYearMonth", "[0-9]{4}-[0-9]{2}"),
        ("gYear", "[0-9]{4}"),
    )
}
_LABEL = ox.NamedNode(str(RDFS.label))
_PREF_LABEL = ox.NamedNode(str(SKOS.prefLabel))
_MODALITY = ox.NamedNode(str(DGO.modality))
_NEGATED = ox.NamedNode(str(DGO.negated))
_EVIDENCE = ox.NamedNode(str(DGO.evidence))
_TEXT = ox.NamedNode(str(DGO.text))
_LOCATION = ox.NamedNode(str(DGO.location))
_DERIVED = ox.NamedNode(str(PROV.wasDerivedFrom))
_IDENTIFIER = ox.NamedNode(str(DCTERMS.identifier))
_MEMBER = ox.NamedNode(str(ORG.member))
_POST_ROLE = ox.NamedNode(str(ORG.role))
_ORGANIZATION = ox.NamedNode(str(ORG.organization))
#: the article predicates the rows, the entries, the names and the categories read
_READ = _KEYS | {
    _LABEL,
    _MODALITY,
    _NEGATED,
    _EVIDENCE,
    _TEXT,
    _LOCATION,
    _DERIVED,
    _IDENTIFIER,
    _MEMBER,
    _POST_ROLE,
    _ORGANIZATION,
}
_ROLES = {"source": _SOURCE, "target": _TARGET}


class _Unsure(Exception):
    """The engine's answer for an entry could differ from the Python rows."""


@functools.cache
def _ontology_values() -> dict[str, dict]:
    """The ontology terms the rows read (skos:notation, dgo:ploverCategory,
    dgo:subtypeKey), subject: objects, as the scratch store holds them."""
    scratch = _scratch()
    out: dict[str, dict] = {}
    for name, predicate in (
        ("notation", SKOS.notation),
        ("category", DGO.ploverCategory),
        ("subtype", DGO.subtypeKey),
    ):
        values: dict = {}
        for quad in scratch.quads_for_pattern(
            None, ox.NamedNode(str(predicate)), None, ONTOLOGY_GRAPH
        ):
            values.setdefault(quad.subject, []).append(quad.object)
        out[name] = values
    return out


def _view(triples: Iterable) -> dict | None:
    """The triples of the predicates ``_READ`` as subject: predicate: objects (each once,
    in order), or None when one of them is something the loops cannot be sure of."""
    view: dict = {}
    for triple in triples:
        predicate = triple.predicate
        if predicate not in _READ:
            continue
        subject, value = triple.subject, triple.object
        if isinstance(subject, ox.BlankNode) or isinstance(value, ox.BlankNode):
            return None
        if isinstance(value, ox.Literal) and not value.language:
            datatype = value.datatype
            if datatype != _XSD_STRING:
                pattern = _CANONICAL.get(datatype)
                if pattern is None or not pattern.fullmatch(value.value):
                    return None
        objects = view.setdefault(subject, {}).setdefault(predicate, [])
        if value not in objects:
            objects.append(value)
    return view


def _subject_index(
    subject: ox.NamedNode | ox.BlankNode,
    pairs: list[tuple[ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]],
    graph: ox.NamedNode,
    keys: dict[str, list[Key]],
) -> set[ox.Triple]:
    """The name and category triples of one subject of ``graph`` (``pairs``: its
    (predicate, object) of the predicates in ``_KEYS``); its entries' keys go into ``keys``."""
    found, labels = subject_keys(subject, pairs, graph)
    for listing, entries in found.items():
        keys.setdefault(listing, []).extend(entries)
    out = {ox.Triple(subject, NAME, ox.Literal(label)) for label in labels}
    if isinstance(subject, ox.NamedNode):
        out |= {
            ox.Triple(subject, CATEGORY, category)
            for predicate, value in pairs
            if predicate == _RDF_TYPE
            for category in _categories().get(value, ())
        }
    return out


def direct_index(graph: ox.NamedNode, triples: Iterable) -> set[ox.Triple] | None:
    """``graph_index`` of the article graph ``graph`` (its ``triples``: triples or quads)
    made in Python, the entries' rows those ``_page-NAME.rq`` reads; None when the engine's
    answer could differ (see above): the caller then asks the queries."""
    view = _view(triples)
    if view is None:
        return None
    keys: dict[str, list[Key]] = {}
    out: set[ox.Triple] = set()
    for subject, predicates in view.items():
        pairs = [(p, o) for p, objects in predicates.items() if p in _KEYS for o in objects]
        out |= _subject_index(subject, pairs, graph, keys)
    ontology = _ontology_values()
    cells: dict = {None: "null"}  # each term's JSON cell, made once

    def text(row: tuple) -> str:
        for term in row:
            if term not in cells:
                cells[term] = _json(_cell(term))
        return "[" + ",".join([cells[term] for term in row]) + "]"

    try:
        rows = {
            name: {
                key: "["
                + ",".join([text(row) for row in _rows_of(name, key, view, ontology)])
                + "]"
                for key in entries
            }
            for name, entries in keys.items()
        }
    except _Unsure:
        return None
    return out | _entry_triples(keys, rows)


def _rows_of(name: str, key: Key, view: dict, ontology: dict) -> list:
    """The rows of the entry ``key`` of the listing ``name``, as its page query gives them."""
    event = key.node
    about = view.get(event, {})

    def objects(subject, predicate) -> list:
        return view.get(subject, {}).get(predicate, [])

    def through(first, then, values: dict | None = None) -> list:
        """The values at the end of ``first`` then ``then`` (an ontology table) from the
        entry's event: one per path, as a join gives them."""
        found = []
        for middle in about.get(first, ()):
            found += values.get(middle, ()) if values is not None else objects(middle, then)
        return found

    types = about.get(_RDF_TYPE, [])
    dates = [
        d for d in about.get(_POST_DATE if name == "posts" else _DATE, ()) if d.value == key.when
    ]
    notations = ontology["notation"]
    if name == "timeline":
        if not dates:
            return []
        sorted_by = (1, 2)
        found = [
            (date, category, label, modality, negated, doc)
            for date in dates
            for label in about.get(_LABEL, ())
            for mode in about.get(_MODALITY, ())
            for negated in about.get(_NEGATED, ())
            for article in about.get(_DERIVED, ())
            for kind in types
            for doc in objects(article, _IDENTIFIER)
            for modality in notations.get(mode, ())
            for category in ontology["category"].get(kind, ())
        ]
    elif name == "who-met-whom":
        if _CONSULT not in types:
            return []
        sorted_by = (2, 3, 1, 4)
        found = [
            (date, kind, source, target, place, doc)
            for date in dates or [None]
            for doc in through(_DERIVED, _IDENTIFIER)
            for source in through(_SOURCE, _PREF_LABEL) or [None]
            for target in through(_TARGET, _PREF_LABEL) or [None]
            for kind in [t for sub in types for t in ontology["subtype"].get(sub, ())] or [None]
            for place in through(_LOCATION, _PREF_LABEL) or [None]
        ]
    elif name == "accusations":
        if _ACCUSE not in types:
            return []
        sorted_by = (0, 1, 5)
        found = [
            (source, target, modality, negated, date, evidence)
            for date in dates or [None]
            for mode in about.get(_MODALITY, ())
            for negated in about.get(_NEGATED, ())
            for source in through(_SOURCE, _PREF_LABEL) or [None]
            for target in through(_TARGET, _PREF_LABEL) or [None]
            for evidence in through(_EVIDENCE, _TEXT) or [None]
            for modality in notations.get(mode, ())  # FILTER (BOUND(?modality))
        ]
    elif name == "actor":
        prop = _ROLES.get(key.role)
        if prop is None or key.actor not in about.get(prop, ()):
            return []
        texts = through(_EVIDENCE, _TEXT)  # a path (dgo:evidence/dgo:text)
        if len(set(texts)) < len(texts):
            raise _Unsure
        role = ox.Literal(key.role)
        sorted_by = (0, 1, 2, 6)
        found = [
            (role, category, label, date, modality, negated, evidence)
            for date in dates or [None]
            for label in about.get(_LABEL, ())
            for modality in through(_MODALITY, None, notations)
            for negated in about.get(_NEGATED, ())
            for category in through(_RDF_TYPE, None, ontology["category"])
            for evidence in texts or [None]
        ]
    else:  # posts: SELECT DISTINCT
        if _MEMBERSHIP not in types:
            return []
        sorted_by = (0, 1, 2, 4)
        found = [
            (person, role, organization, date, doc)
            for date in dates or [None]
            for person in through(_MEMBER, _PREF_LABEL)
            for role in through(_POST_ROLE, _PREF_LABEL)
            for organization in through(_ORGANIZATION, _PREF_LABEL)
            for doc in through(_DERIVED, _IDENTIFIER)
        ]
        found = list(dict.fromkeys(found))
    return _in_order(found, sorted_by)


def _in_order(rows: list[tuple], columns: tuple[int, ...]) -> list[tuple]:
    """``rows`` in the order of the query's ``ORDER BY`` on ``columns`` (unbound first, then
    by the value as a string); raises ``_Unsure`` where the engine's order could differ."""
    if len(rows) < 2:
        return rows
    for column in columns:
        values = {row[column] for row in rows} - {None}
        kinds = {_kind(value) for value in values}
        if len(values) > 1 and (len(kinds) > 1 or None in kinds):
            raise _Unsure  # IRIs beside literals, several languages, numbers or dates, ...
    keyed = sorted(
        (
            (tuple((0, "") if row[c] is None else (1, row[c].value) for c in columns), row)
            for row in rows
        ),
        key=lambda pair: pair[0],
    )
    for (before, first), (after, second) in itertools.pairwise(keyed):
        if before == after and first != second:
            raise _Unsure  # tied on every sort column: the engine's order is its own
    return [row for _, row in keyed]


def _kind(term) -> str | None:
    """How ``term`` sorts among others of its kind: IRIs and plain or same-language
    strings as their text (the kind's name); other literals by value (None)."""
    if isinstance(term, ox.NamedNode):
        return "<"
    if term.language:
        return "@" + term.language
    return "" if term.datatype == _XSD_STRING else None


def _cell(term) -> list[str] | None:
    """A term as ``diplograph.query.index_rows`` writes it: [lexical form, tag]."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return [term.value, "<"]
    if term.language:
        return [term.value, "@" + term.language]
    datatype = term.datatype
    return [term.value, "" if datatype == _XSD_STRING else "^" + datatype.value]


# --- reading: a page of a listing ----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One entry of a listing as a page reads it: its place (``sort``, ascending in the
    listing's order), date text, tie, role, and its literal (``entry_record``)."""

    sort: tuple
    when: str
    tie: str
    role: str
    text: str

    @property
    def key(self) -> str:
        """The key a user passes to ``--after`` for the rows after this one."""
        return f"{self.when}~{self.tie}" + (f"~{self.role}" if self.role else "")

    @property
    def rows(self) -> list:
        """The entry's rows: lists of cells (``diplograph.query.index_rows``)."""
        return entry_record(self.text)[1]


def sort_key(when: str, tie_: str, role: str) -> tuple:
    """Ascending in the listing's order: ``when`` descending ("" last), then tie, role."""
    return ((*(-ord(c) for c in when), 1), tie_, role)


_IN = f"GRAPH {INDEX_GRAPH}"


def _rows(store: ox.Store, text: str, texts: list[str] | None) -> Iterator:
    if texts is not None:
        texts.append(text)
    return iter(store.query(text))


def seek(
    store: ox.Store,
    listings: list[ox.NamedNode],
    after: tuple[str, str, str] | None,
    count: int,
    texts: list[str] | None = None,
) -> list[Entry]:
    """The first ``count`` entries of ``listings`` (merged) after the key ``after``
    ((when, tie, role); None: from the start), in the listing's order; the query texts run
    are appended to ``texts`` when given.

    Two kinds of exact lookups: the listings' day nodes (one query), then the entries of the
    next buckets in order (4 buckets first, then as many as the entries still wanted need at
    the rate seen, at most 64), until ``count`` entries are found: a page reads about its own rows.
    """
    if not listings or count < 1:
        return []
    values = " ".join(str(listing) for listing in listings)
    text = f"SELECT ?d WHERE {{ VALUES ?l {{ {values} }} {_IN} {{ ?d {LIST} ?l }} }}"
    days: dict[str, list[ox.NamedNode]] = {}
    for (day,) in _rows(store, text, texts):
        days.setdefault(when_of(day), []).append(day)
    inverted = {when: sort_key(when, "", "")[0] for when in days}
    bound = sort_key(*after) if after is not None else None
    # every possible bucket, in the listing's order: by when (newest first), then digit
    queue = [
        (when, inverted[when], digit, day)
        for when in sorted(days, key=inverted.__getitem__)
        if bound is None or inverted[when] >= bound[0]
        for digit in DIGITS
        if bound is None or inverted[when] > bound[0] or digit >= after[1][:1]
        for day in days[when]
    ]
    found: list[Entry] = []
    step, start, read = 4, 0, 0
    while start < len(queue) and len(found) < count:
        batch = queue[start : start + step]
        start += len(batch)
        entries = sorted(_entries(store, batch, texts), key=lambda e: e.sort)
        read += len(entries)
        if after is not None:
            entries = [e for e in entries if e.sort > bound]
        found.extend(entries)
        # as many buckets next as the entries still wanted need, at the rate seen so far
        rate = max(read / start, 0.25)
        step = min(max(math.ceil((count - len(found)) / rate), 1), 64)
    return found[:count]


def _entries(store: ox.Store, batch: list[tuple], texts: list[str] | None) -> list[Entry]:
    """The entries of the buckets ``batch`` ((when, inverted when, digit, day node) each)."""
    where = {
        ox.NamedNode(f"{day.value}/{digit}"): (when, inverted)
        for when, inverted, digit, day in batch
    }
    values = " ".join(str(bucket) for bucket in where)
    text = f"SELECT ?b ?e WHERE {{ VALUES ?b {{ {values} }} {_IN} {{ ?b {ENTRY} ?e }} }}"
    out = []
    for bucket, literal in _rows(store, text, texts):
        when, inverted = where[bucket]
        value = literal.value
        key, role, _ = value.split(" ", 2)
        out.append(Entry((inverted, key, role), when, key, role, value))
    return out


def actors_named(store: ox.Store, name: str, texts: list[str] | None = None) -> list[ox.NamedNode]:
    """The actors one of whose labels is ``name`` in any case (``dgx:name``)."""
    text = f"SELECT DISTINCT ?a WHERE {{ {_IN} {{ ?a {NAME} {ox.Literal(name.lower())} }} }}"
    return sorted((row[0] for row in _rows(store, text, texts)), key=lambda node: node.value)
