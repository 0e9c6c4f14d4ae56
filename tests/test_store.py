"""The on-disk store: same answers as the files, replace and remove by article, atomic writes,
locks, and the CLI over it.

Most tests build tiny stores from hand-made extractions (no spaCy model); the bundled example,
the two-article CLI fixture and the development corpus are marked ``model``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal
from typer.testing import CliRunner

from conftest import serving
from diplograph import api
from diplograph.cli import app
from diplograph.errors import DiplographError
from diplograph.export import entity_rows, event_rows
from diplograph.model import Actor, Article, Event, Evidence, Extraction, Post
from diplograph.query import (
    KEYED,
    format_result,
    named_queries,
    named_query,
    open_graph,
    page_of,
    query_store,
    run_query,
    with_page,
    with_values,
)
from diplograph.rdf import build, index, iris, store
from diplograph.rdf.build import build_dataset
from diplograph.rdf.index import EVENTS, INDEX_GRAPH, full_index, held_index, is_current
from diplograph.rdf.io import read_graphs, write_dataset

DATA = Path(__file__).parent / "data" / "cli"
TWO_ARTICLES = DATA / "two-articles.jsonl"
DGO = "https://w3id.org/diplograph/ontology#"
MEETING = ("CONSULT", "meeting", "Meeting", "FRA", "DEU")


# hand-made extractions


def _state(code: str, label: str) -> Actor:
    return Actor(key=f"state/{code}", kind="State", label=label, state=code)


def _article(doc: str, text: str, *pairs: tuple[str, str, str, str, str]) -> Extraction:
    """An article whose events are (category, subtype, class, source code, target code)."""
    states = {"FRA": "France", "DEU": "Germany", "JPN": "Japan", "CHN": "China"}
    events = []
    for number, (category, subtype, event_class, source, target) in enumerate(pairs):
        start = number * 10
        events.append(
            Event(
                doc=doc,
                category=category,
                subtype=subtype,
                event_class=event_class,
                source=(f"state/{source}",),
                target=(f"state/{target}",),
                evidence=(Evidence(doc, text, start, start + 5),),
                trigger="met",
                trigger_start=start,
                date="2024-05-06",
                confidence=0.75,
            )
        )
    codes = sorted({c for _, _, _, s, t in pairs for c in (s, t)})
    return Extraction(
        Article(doc, text, title=doc.title(), published=dt.date(2024, 5, 6)),
        tuple(_state(code, states[code]) for code in codes),
        tuple(events),
        mentions={f"state/{code}": 1 for code in codes},
    )


def _extractions() -> list[Extraction]:
    return [
        _article(
            "paris-talks",
            "France and Germany met in Paris.",
            MEETING,
        ),
        _article(
            "tokyo-protest",
            "Japan accused China. Japan and China later held a phone call.",
            ("ACCUSE", "accusation", "Accusation", "JPN", "CHN"),
            ("CONSULT", "call", "PhoneCall", "JPN", "CHN"),
        ),
        _article(
            "berlin-call",
            "Germany and Japan held a call.",
            ("CONSULT", "call", "PhoneCall", "DEU", "JPN"),
        ),
    ]


def _quads(path: Path) -> set[tuple]:
    """Every quad of a store, the merged default graph's too, as N-Quads terms."""
    with store.reading(path) as opened:
        return {
            (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name)) for q in opened
        }


def _graph(path: Path, doc_id: str) -> set[tuple]:
    name = str(ox.NamedNode(iris.graph_iri(doc_id)))
    return {q[:3] for q in _quads(path) if q[3] == name}


def assert_merge_is_the_union(path: Path) -> None:
    """The store's default graph holds each triple of its named graphs once (the index graph
    left out: diplograph.rdf.index), and nothing else; and the index graph is exact."""
    quads = _quads(path)
    named = {q[:3] for q in quads if q[3] not in ("DEFAULT", str(INDEX_GRAPH))}
    default = {q[:3] for q in quads if q[3] == "DEFAULT"}
    assert default == named
    assert_index_is_exact(path)


def assert_index_is_exact(path: Path) -> None:
    """The store's index graph is the one made from scratch over its article graphs."""
    with store.reading(path) as opened:
        held, made = held_index(opened), full_index(opened)
    assert held == made, (sorted(map(str, held - made))[:5], sorted(map(str, made - held))[:5])


@pytest.fixture
def built(tmp_path) -> Path:
    path = tmp_path / "store"
    assert store.write_articles(path, _extractions()) == 3
    return path


def cli(*args: object, input: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def one_error_line(result) -> str:
    assert result.exit_code in (2, 3), (result.stdout, result.stderr)  # usage, input
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("diplograph: error: ")
    return lines[0]


# the store answers as the files do


def _rows(dataset, text: str, bindings=None) -> list[tuple]:
    return [tuple(row) for row in run_query(dataset, text, bindings)]


def assert_same_answers(files: list[Path], path: Path) -> None:
    on_files, on_store = open_graph(files), open_graph(store=path)
    try:
        assert event_rows(on_store) == event_rows(on_files)
        assert entity_rows(on_store) == entity_rows(on_files)
        for name, text in named_queries().items():
            expected = _rows(on_files, text, {"name": "China"})
            assert _rows(on_store, text, {"name": "China"}) == expected, name
    finally:
        on_store.close()


def test_store_answers_the_tables_and_named_queries_like_the_files(tmp_path, built):
    trig = tmp_path / "news.trig"
    write_dataset(build_dataset(_extractions()), trig)
    assert_same_answers([trig], built)
    assert_merge_is_the_union(built)


def _copies(count: int) -> list[Extraction]:
    """The hand-made articles ``count`` times under new ids, each with a post and an undated
    event: many rows of the bundled lists share their date, as in a real corpus."""
    lind = Actor("person/ana-lind", "Person", "Ana Lind", state="FRA")
    copies = []
    for number in range(count):
        for extraction in _extractions():
            doc = f"{extraction.article.id}-{number}"
            evidence = dataclasses.replace(extraction.events[0].evidence[0], doc=doc)
            events = tuple(
                dataclasses.replace(event, doc=doc, evidence=(evidence,))
                for event in extraction.events
            )
            undated = dataclasses.replace(events[0], date=None, trigger_start=1)
            copies.append(
                dataclasses.replace(
                    extraction,
                    article=dataclasses.replace(extraction.article, id=doc),
                    actors=(*extraction.actors, lind, _state("FRA", "France")),
                    events=(*events, undated),
                    posts=(Post(lind.key, "envoy", "state/FRA", evidence),),
                    mentions={**extraction.mentions, lind.key: 1, "state/FRA": 1},
                )
            )
    return copies


def test_store_pages_the_bundled_lists_like_the_files(tmp_path):
    """Pages of one row, on Oxigraph and on rdflib: the same rows, each once, in the order of
    the whole list; ties on the date are broken the same way by both engines."""
    extractions = _copies(4)
    trig, path = tmp_path / "news.trig", tmp_path / "store"
    write_dataset(build_dataset(extractions), trig)
    store.write_articles(path, extractions)
    on_files, on_store = open_graph([trig]), open_graph(store=path)
    try:
        for name, text in named_queries().items():
            if page_of(text) is None:
                continue
            every = _rows(on_store, with_page(text, all_rows=True), {"name": "France"})
            assert len(every) >= 8, name
            assert _rows(on_files, with_page(text, all_rows=True), {"name": "France"}) == every
            for limit in (1, 3):
                pages = []
                for offset in range(0, len(every) + 1, limit):  # a page per event or three
                    paged = with_page(text, offset=offset, limit=limit)
                    pages.append(_rows(on_store, paged, {"name": "France"}))
                    assert pages[-1] == _rows(on_files, paged, {"name": "France"}), (name, offset)
                assert [row for page in pages for row in page] == every, (name, limit)
    finally:
        on_store.close()


def test_store_result_formats_match_the_files(tmp_path, built):
    trig = tmp_path / "news.trig"
    write_dataset(build_dataset(_extractions()), trig)
    text = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?state ?label WHERE { ?state skos:prefLabel ?label ; ?p ?code "
        "FILTER (isLiteral(?code) && datatype(?code) = <http://www.w3.org/2001/XMLSchema#string>)"
        " } ORDER BY ?state ?label"
    )
    for fmt in ("table", "json", "csv", "tsv"):
        on_files = format_result(api.query([trig], text), fmt)
        assert format_result(api.query(text=text, store=built), fmt) == on_files, fmt


def test_store_ask_and_construct(built):
    assert api.query(text=f"ASK {{ ?e a <{DGO}Consult> }}", store=built).askAnswer is True
    construct = api.query(
        text="CONSTRUCT { ?d a <urn:x:Doc> } WHERE { ?d <http://purl.org/dc/terms/identifier> ?i }",
        store=built,
    )
    assert len(construct.graph) == 3


def test_store_rebuild_keeps_the_quad_count(built):
    before = _quads(built)
    assert store.write_articles(built, _extractions()) == 3
    assert _quads(built) == before


def test_store_rebuild_of_an_unchanged_article_writes_nothing(built):
    from diplograph.rdf.build import extraction_graph

    first = _extractions()[0]
    name = ox.NamedNode(iris.graph_iri(first.article.id))
    ntriples = extraction_graph(first).serialize(format="nt")
    assert store.with_writer(built, lambda opened: store.replacement(opened, name, ntriples)) == ""
    assert store.with_writer(built, lambda opened: store.replacement(opened, name, None))


def test_store_changed_article_replaces_its_old_version(built):
    old_events = {q[0] for q in _graph(built, "tokyo-protest") if q[1] == "<" + DGO + "source>"}
    changed = _article(
        "tokyo-protest",
        "Japan and China signed an agreement.",
        ("AGREE", "agreement", "Agreement", "JPN", "CHN"),
    )
    store.write_articles(built, [changed])
    graph = _graph(built, "tokyo-protest")
    new_events = {q[0] for q in graph if q[1] == "<" + DGO + "source>"}
    assert len(new_events) == 1
    assert not old_events & new_events
    assert not any(e in {q[0] for q in _quads(built)} for e in old_events)  # not in the merge
    rows = api.events(store=built)
    assert [(r["type"], r["evidence"]) for r in rows if r["doc"] == "tokyo-protest"] == [
        ("AGREE", "Japan and China signed an agreement.")
    ]
    assert sorted({r["doc"] for r in rows}) == ["berlin-call", "paris-talks", "tokyo-protest"]
    assert_merge_is_the_union(built)


def test_store_remove_takes_out_exactly_that_graph(built):
    before = _quads(built)
    gone = str(ox.NamedNode(iris.graph_iri("tokyo-protest")))
    assert api.remove(["tokyo-protest"], store=built) == 1
    after = _quads(built)
    kept = {gone, "DEFAULT", str(INDEX_GRAPH)}
    assert {q for q in before if q[3] not in kept} == {q for q in after if q[3] not in kept}
    assert_merge_is_the_union(built)  # and the index graph exact
    with store.reading(built) as opened:
        assert store.article_ids(opened) == ["berlin-call", "paris-talks"]
    # Japan is still named by berlin-call, China by no article any more
    labels = {q[2] for q in after if q[3] == "DEFAULT"}
    assert '"Japan"@en' in labels
    assert '"China"@en' not in labels


def test_store_remove_unknown_id_names_it_and_removes_nothing(built):
    before = _quads(built)
    with pytest.raises(DiplographError) as caught:
        api.remove(["paris-talks", "tokyo-protests"], store=built)
    assert caught.value.code == "E028"
    assert "'tokyo-protests'" in caught.value.message
    assert "did you mean 'tokyo-protest'?" in caught.value.message
    assert _quads(built) == before


# failures leave the store as it was before the article


def test_store_failure_inside_the_transaction_rolls_the_article_back(built, monkeypatch):
    before = _quads(built)
    real = store.replacement

    def failing(opened, name, ntriples):
        # the real update, then an operation that fails once the update has run: CREATE GRAPH
        # of the graph the update has just written
        return real(opened, name, ntriples) + f" ;\nCREATE GRAPH {name}"

    monkeypatch.setattr(store, "replacement", failing)
    real_in_graph = store.in_graph

    def failing_in_graph(name, ntriples):
        # every quad of the new graph, then a triple with no object: the load fails at its end
        return real_in_graph(name, ntriples) + "<http://example.org/s> <http://example.org/p> .\n"

    monkeypatch.setattr(store, "in_graph", failing_in_graph)
    changed = _article("paris-talks", "France and Germany fell out.", *[])
    new = _article(
        "rome-visit", "France met Germany in Rome.", ("CONSULT", "visit", "Visit", "FRA", "DEU")
    )
    for extraction in (changed, new):
        with pytest.raises(DiplographError) as caught:
            store.write_articles(built, [extraction])
        assert caught.value.code == "E027"
        assert "rolled back" in caught.value.message
        assert _quads(built) == before
        assert_merge_is_the_union(built)


def test_store_failure_while_an_article_is_built_keeps_the_articles_before(built, monkeypatch):
    from diplograph.rdf import build

    before = _quads(built)
    real = build.extraction_ntriples

    def half_then_fail(extraction):
        if extraction.article.id == "second":
            real(extraction)
            raise KeyboardInterrupt  # Ctrl-C with half an article in hand
        return real(extraction)

    monkeypatch.setattr(store, "extraction_ntriples", half_then_fail)
    first = _article("first", "France met Germany.", MEETING)
    second = _article("second", "Japan met China.", ("CONSULT", "meeting", "Meeting", "JPN", "CHN"))
    with pytest.raises(KeyboardInterrupt):
        store.write_articles(built, [first, second])
    after = _quads(built)
    tallied = str(EVENTS)  # the index's event tallies count the first article's events too
    assert {q for q in before if q[1] != tallied} < {q for q in after if q[1] != tallied}
    assert _graph(built, "first")
    assert not _graph(built, "second")
    assert_merge_is_the_union(built)
    # the lock went with the failed build: this process can write again at once
    monkeypatch.undo()
    assert store.write_articles(built, [second]) == 1


def test_store_bad_third_line_keeps_the_first_two(tmp_path, monkeypatch):
    """Reading stops at the bad line; the two articles the pipeline already has are stored."""
    from diplograph import api as api_module

    def fake_extract(articles, nlp, n_process=1):
        for article in articles:
            yield _article(article.id, article.text, MEETING)

    monkeypatch.setattr(api_module, "load_pipeline", lambda model: None)
    from diplograph.nlp import extract as extract_module  # api imports it when it parses

    monkeypatch.setattr(extract_module, "extract_articles", fake_extract)
    lines = tmp_path / "news.jsonl"
    lines.write_text(
        '{"id": "one", "text": "France met Germany."}\n'
        '{"id": "two", "text": "Germany met France."}\n'
        '{"id": "three", "published": "2024-13-45", "text": "Envoys met."}\n',
        encoding="utf-8",
    )
    path = tmp_path / "store"
    result = cli("build", lines, "--store", path)
    line = one_error_line(result)
    assert "news.jsonl:3" in line and "'2024-13-45'" in line
    with store.reading(path) as opened:
        assert store.article_ids(opened) == ["one", "two"]


# bulk loads: batches, and a load a crash cut short


def _many(count: int) -> list[Extraction]:
    pairs = [MEETING, ("CONSULT", "call", "PhoneCall", "JPN", "CHN")]
    return [
        _article(f"article-{n:03d}", f"Article {n}: France met Germany.", *pairs[: 1 + n % 2])
        for n in range(count)
    ]


@pytest.mark.parametrize("batch_quads", [1, 200, 10**9])
def test_store_bulk_batches_give_the_same_store_as_transactions(tmp_path, monkeypatch, batch_quads):
    articles = _many(12)
    one_by_one = tmp_path / "one-by-one"

    def each_in_a_transaction(opened):
        for extraction in articles:
            store.write_article(opened, extraction)

    store.with_writer(one_by_one, each_in_a_transaction)
    monkeypatch.setattr(store, "BULK_QUADS", batch_quads)
    bulk = tmp_path / "bulk"
    assert store.write_articles(bulk, articles) == 12
    assert _named_quads(bulk) == _named_quads(one_by_one)
    assert not (bulk / store.PENDING).exists()
    assert_merge_is_the_union(bulk)


def test_store_same_article_twice_in_one_stream_keeps_the_second(tmp_path):
    first = _article("paris-talks", "France met Germany.", MEETING)
    second = _article(
        "paris-talks", "Japan met China.", ("CONSULT", "call", "PhoneCall", "JPN", "CHN")
    )
    path = tmp_path / "store"
    assert store.write_articles(path, [first, second]) == 2
    only = tmp_path / "only"
    store.write_articles(only, [second])
    assert _named_quads(path) == _named_quads(only)


def test_store_a_replaced_article_is_indexed_once(built, monkeypatch):
    """A build that replaces articles the store holds makes each one's index triples once
    (in the producer, ``write_in_background``), not again in the writer's transaction; the
    index stays exact."""
    changed = [
        _article(e.article.id, "Japan met China.", ("CONSULT", "call", "PhoneCall", "JPN", "CHN"))
        for e in _extractions()
    ]
    made = []
    real = index.direct_ntriples_index  # the index of a graph's new N-Triples
    monkeypatch.setattr(
        index, "direct_ntriples_index", lambda graph, text: made.append(graph) or real(graph, text)
    )
    assert store.write_articles(built, changed) == 3
    assert sorted(g.value for g in made) == sorted(
        str(iris.graph_iri(e.article.id)) for e in changed
    )
    assert_merge_is_the_union(built)


def _named_quads(path: Path) -> set[tuple]:
    """The quads of a store without blank nodes (the ontology's differ from store to store)."""
    return {q for q in _quads(path) if not any(term.startswith("_:") for term in q)}


@pytest.mark.parametrize("reader_first", [False, True])
@pytest.mark.parametrize("loaded", ["part of the graphs", "the graphs, part of the merge"])
def test_store_a_bulk_load_cut_short_is_taken_out_by_the_next_writer(built, loaded, reader_first):
    """The state a crash leaves in the middle of ``bulk_write``: ``PENDING`` names the batch,
    part of it is in the store. The next writer takes the whole batch out, nothing else."""
    before = _quads(built)
    batch = {
        ox.NamedNode(iris.graph_iri(e.article.id)): build.extraction_ntriples(e) for e in _many(3)
    }

    def crash_midway(opened):
        store._write_json(built / store.PENDING, {"graphs": [n.value for n in batch]})
        quads = "".join(store.in_graph(name, text) for name, text in batch.items())
        if loaded == "part of the graphs":
            opened.bulk_load(
                quads[: len(quads) // 2].rsplit("\n", 1)[0], format=ox.RdfFormat.N_QUADS
            )
        else:
            opened.bulk_load(quads, format=ox.RdfFormat.N_QUADS)
            triples = "".join(batch.values())
            opened.bulk_load(
                triples[: len(triples) // 2].rsplit("\n", 1)[0], format=ox.RdfFormat.N_TRIPLES
            )

    with pytest.raises(KeyboardInterrupt):
        store.with_writer(built, lambda opened: (crash_midway(opened), _raise(KeyboardInterrupt)))
    assert (built / store.PENDING).exists()
    assert len(ox.Store.read_only(str(built))) > len(before)
    if reader_first:
        assert _quads(built) == before  # a reader finds no writer: it has the batch taken out
    store.with_writer(built, len)  # the next writer: a build, a remove, an ontology update
    assert _quads(built) == before
    assert not (built / store.PENDING).exists()
    assert_merge_is_the_union(built)


def _raise(kind: type[BaseException]) -> None:
    raise kind


def test_store_build_killed_during_bulk_loads_keeps_whole_articles(tmp_path):
    """A real crash: a process bulk-loading batch after batch is killed; the next writer finds
    whole articles only, and the merge is their union."""
    path = tmp_path / "store"
    store.with_writer(path, len)
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from diplograph.rdf import store
        from test_store import _many
        store.BULK_QUADS = 400
        store.write_articles({str(path)!r}, _many(400))
        """
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(12_000):  # until a bulk load is under way, at most a minute
            if (path / store.PENDING).exists() or process.poll() is not None:
                break
            time.sleep(0.005)
        process.kill()
    finally:
        process.wait()
    assert process.returncode == -9  # killed, not finished
    store.with_writer(path, len)
    assert not (path / store.PENDING).exists()
    with store.reading(path) as opened:
        ids = store.article_ids(opened)
    wanted = {e.article.id: e for e in _many(400)}
    for doc_id in ids:
        expected = _canonical_triples(build.extraction_ntriples(wanted[doc_id]))
        assert _graph(path, doc_id) == expected, doc_id
    assert_merge_is_the_union(path)


def _canonical_triples(ntriples: str) -> set[tuple]:
    return {(str(t.subject), str(t.predicate), str(t.object)) for t in store._canonical(ntriples)}


# folders that are not stores, and locks


def test_store_folder_that_is_not_a_store_is_refused(tmp_path):
    other = tmp_path / "notes"
    other.mkdir()
    (other / "todo.txt").write_text("x", encoding="utf-8")
    for call in (
        lambda: api.events(store=other),
        lambda: store.write_articles(other, []),
        lambda: api.remove(["a"], store=other),
    ):
        with pytest.raises(DiplographError) as caught:
            call()
        assert caught.value.code == "E024"
        assert str(other) in caught.value.message
    assert sorted(p.name for p in other.iterdir()) == ["todo.txt"]
    with pytest.raises(DiplographError) as caught:
        api.events(store=tmp_path / "missing")
    assert caught.value.code == "E023"
    assert "diplograph build INPUT... --store" in caught.value.message
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(DiplographError) as caught:
        store.write_articles(a_file, [])
    assert (caught.value.code, "it is a file" in caught.value.message) == ("E024", True)


def test_store_plain_oxigraph_database_is_not_taken_for_a_store(tmp_path):
    path = tmp_path / "oxigraph"
    database = ox.Store(str(path))
    database.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    del database
    with pytest.raises(DiplographError) as caught:
        store.write_articles(path, [])
    assert caught.value.code == "E024"
    with pytest.raises(DiplographError):
        api.events(store=path)


def test_store_the_writer_cannot_open_stops_an_endless_stream(tmp_path):
    """The writer thread opens the store while the first articles are made: when it cannot,
    its error ends the build at the next article, however long the stream."""
    path = tmp_path / "oxigraph"
    database = ox.Store(str(path))
    database.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
    del database
    with pytest.raises(DiplographError) as caught:
        store.write_articles(path, itertools.repeat(_many(1)[0]))
    assert caught.value.code == "E024"
    assert len(ox.Store.read_only(str(path))) == 1


HOLDER = textwrap.dedent(
    """
    import sys
    from diplograph.rdf.store import write_articles

    def wait():
        print("holding", flush=True)
        sys.stdin.readline()
        return
        yield

    write_articles(sys.argv[1], wait())
    """
)


def test_store_two_writers_the_second_gets_a_clear_error(built, monkeypatch):
    monkeypatch.setattr(store, "WAIT_FOR_WRITER", 0.1)
    before = _quads(built)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(built)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        line = one_error_line(cli("remove", "paris-talks", "--store", built))
        assert f"store {built} is in use by another process" in line
        # readers are kept out only while a build commits, not while it reads its input
        assert cli("events", "--store", built).exit_code == 0
        assert cli("export", "-o", built.parent / "x.nq", "--store", built).exit_code == 0
        with pytest.raises(DiplographError) as caught:
            store.write_articles(built, _extractions())
        assert caught.value.code == "E025"
        assert "a build or remove is writing it" in caught.value.message
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    assert _quads(built) == before


def test_store_writer_waits_for_readers_then_gives_up(built, monkeypatch):
    monkeypatch.setattr(store, "WAIT_FOR_READERS", 0.2)
    reader = open_graph(store=built)  # holds the read lock until closed
    try:
        with pytest.raises(DiplographError) as caught:
            store.write_articles(built, _extractions())
        assert caught.value.code == "E025"
        assert "is reading it" in caught.value.message
    finally:
        reader.close()
    assert store.write_articles(built, _extractions()) == 3


# the ontology graph


def test_store_holds_the_ontology_and_replaces_it_when_it_changed(tmp_path, monkeypatch):
    from diplograph.vocab import ONTOLOGY_IRI, ontology_path

    path = tmp_path / "store"
    store.write_articles(path, [])
    ask = f"ASK {{ GRAPH <{ONTOLOGY_IRI}> {{ <{DGO}Consult> ?p ?o }} }}"
    assert api.query(text=ask, store=path).askAnswer is True
    changed = tmp_path / "diplomacy.ttl"
    changed.write_text(
        ontology_path().read_text(encoding="utf-8")
        + "\n<urn:x:new> a <http://www.w3.org/2002/07/owl#Class> .\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(store, "ontology_path", lambda: changed)
    store.write_articles(path, [])
    new = f"ASK {{ GRAPH <{ONTOLOGY_IRI}> {{ <urn:x:new> ?p ?o }} }}"
    assert api.query(text=new, store=path).askAnswer is True
    marker = json.loads((path / store.MARKER).read_text(encoding="utf-8"))
    import hashlib

    assert marker["ontology"] == hashlib.sha256(changed.read_bytes()).hexdigest()
    assert_merge_is_the_union(path)


# bindings on Oxigraph


def test_with_values_opens_the_where_groups():
    assert with_values("SELECT ?x WHERE { ?x ?p ?n }", {"n": "a"}) == (
        'SELECT ?x WHERE { VALUES (?n) { ("a") } ?x ?p ?n }'
    )
    construct = with_values('CONSTRUCT { ?x ?p "}" } WHERE { ?x ?p ?n }', {"n": "a"})
    assert construct.endswith('WHERE { VALUES (?n) { ("a") } ?x ?p ?n }')
    tricky = "PREFIX ex: <urn:x:{}> # { a comment\nASK { ?x ex:p '''{''' }"
    assert with_values(tricky, {"n": "a"}).endswith(
        "ASK { VALUES (?n) { (\"a\") } ?x ex:p '''{''' }"
    )
    # subqueries see the values too, as with rdflib's initBindings
    nested = (
        "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?n } } OPTIONAL { SELECT * { ?x ?q ?n } } }"
    )
    assert with_values(nested, {"n": "a"}) == (
        'SELECT ?x WHERE { VALUES (?n) { ("a") } { SELECT ?x WHERE { VALUES (?n) { ("a") } '
        '?x ?p ?n } } OPTIONAL { SELECT * { VALUES (?n) { ("a") } ?x ?q ?n } } }'
    )
    with pytest.raises(DiplographError) as caught:
        with_values("SELECT ?x WHERE { ?x ?p ?o }", {"not a name": "a"})
    assert caught.value.code == "E013"
    with pytest.raises(DiplographError):
        with_values("DESCRIBE <urn:x>", {"n": "a"})


def test_store_binding_is_a_literal_not_query_text(built):
    hostile = 'China")) } UNION { ?actor ?p ?o . FILTER(true'
    assert list(api.query(named="actor", bindings={"name": hostile}, store=built)) == []
    rows = list(api.query(named="actor", bindings={"name": "china"}, store=built))
    assert {(str(r.role), str(r.category)) for r in rows} == {
        ("target", "ACCUSE"),
        ("target", "CONSULT"),
    }


def test_store_query_errors(built):
    with pytest.raises(DiplographError) as caught:
        api.query(text="SELEC ?s WHERE { ?s ?p ?o }", store=built)
    assert caught.value.code == "E013"
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"
    with pytest.raises(DiplographError) as caught:
        api.query(text=service, store=built)
    assert caught.value.code == "E050"  # the no-outbound policy
    with pytest.raises(DiplographError) as caught:
        api.query(text=service, store=built, allow_outbound=True)
    assert caught.value.code == "E022"  # allowed: nothing listens there
    with pytest.raises(DiplographError) as caught:
        api.query([built.parent / "x.trig"], "ASK {}", store=built)
    assert caught.value.code == "E029"


# exports


def _values(quads) -> set[tuple]:
    """Quads with literals compared by value (Oxigraph stores "0.90"^^xsd:decimal as "0.9")."""
    return {
        tuple((t.toPython(), t.datatype, t.language) if isinstance(t, Literal) else t for t in q)
        for q in quads
    }


@pytest.mark.parametrize("suffix", [".nq", ".trig", ".jsonld"])
def test_store_export_gives_the_article_graphs(tmp_path, built, suffix):
    reference = tmp_path / "files.trig"
    write_dataset(build_dataset(_extractions()), reference)
    out = tmp_path / f"export{suffix}"
    assert api.export(output=out, store=built) == out
    exported = read_graphs([out]).quads((None, None, None, None))
    expected = read_graphs([reference]).quads((None, None, None, None))
    assert _values(exported) == _values(expected)


def test_store_export_nq_is_the_same_for_the_same_content(tmp_path, built):
    again = tmp_path / "again"
    store.write_articles(again, reversed(_extractions()))
    first, second = tmp_path / "first.nq", tmp_path / "second.nq"
    api.export(output=first, store=built)
    api.export(output=second, store=again)
    assert first.read_bytes() == second.read_bytes()


# the command line


def test_cli_over_a_store(tmp_path, built):
    query = cli("query", "--store", built, "--named", "who-met-whom", "--format", "csv")
    assert query.exit_code == 0, query.stderr
    assert query.stdout.splitlines()[0] == "date,type,source,target,place,doc"
    assert len(query.stdout.splitlines()) == 4
    text = cli(
        "query",
        "--store",
        built,
        "SELECT ?d WHERE { ?a <http://purl.org/dc/terms/identifier> ?d } ORDER BY ?d",
        "--format",
        "csv",
    )
    assert text.stdout.split() == ["d", "berlin-call", "paris-talks", "tokyo-protest"]
    bound = cli("query", "--store", built, "--named", "actor", "--bind", "name=Japan")
    assert bound.exit_code == 0, bound.stderr
    assert bound.stdout.splitlines()[-1] == "(3 rows)"
    events = cli("events", "--store", built)
    assert [json.loads(line)["doc"] for line in events.stdout.splitlines()] == [
        "berlin-call",
        "paris-talks",
        "tokyo-protest",
        "tokyo-protest",
    ]
    entities = cli("entities", "--store", built, "--format", "csv")
    assert entities.stdout.splitlines()[0] == "doc,name,type,code"
    out = tmp_path / "out" / "news.nq"
    exported = cli("export", "--store", built, "-o", out)
    assert exported.exit_code == 0, exported.stderr
    assert exported.stderr == f"{built} -> {out}\n"
    others = {"DEFAULT", str(store.ONTOLOGY_GRAPH), str(INDEX_GRAPH)}  # not exported
    articles = {q for q in _quads(built) if q[3] not in others}
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(articles)
    removed = cli("remove", "--store", built, "paris-talks")
    assert (removed.exit_code, removed.stderr) == (0, f"1 article removed from {built}\n")
    unknown = cli("remove", "--store", built, "paris-talks")
    assert "article 'paris-talks' is not in store" in one_error_line(unknown)


def test_cli_files_and_store_together_is_an_error(tmp_path, built):
    trig = tmp_path / "news.trig"
    write_dataset(build_dataset(_extractions()), trig)
    for command in ("events", "entities", "query"):
        args = [command, trig, "--store", built] + (["-q", "ASK {}"] if command == "query" else [])
        assert "not both" in one_error_line(cli(*args))
    assert "not both" in one_error_line(
        cli("export", trig, "--store", built, "-o", tmp_path / "x.nq")
    )
    assert "not both" in one_error_line(
        cli("build", trig, "--store", built, "-o", tmp_path / "x.nq")
    )


def test_cli_default_store_is_graphs_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = one_error_line(cli("events"))
    assert "graphs/store: no such store" in missing
    store.write_articles(Path("graphs/store"), _extractions())
    assert cli("events").exit_code == 0
    assert cli("query", "ASK { ?s ?p ?o }").stdout == "true\n"
    assert cli("export", "-o", "all.trig").exit_code == 0
    assert cli("remove", "paris-talks").exit_code == 0


def test_cli_export_from_files(tmp_path):
    trig = tmp_path / "news.trig"
    write_dataset(build_dataset(_extractions()), trig)
    out = tmp_path / "news.ttl"
    result = cli("export", trig, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert _values(q[:3] for q in read_graphs([out]).quads((None, None, None, None))) == _values(
        q[:3] for q in read_graphs([trig]).quads((None, None, None, None))
    )
    bad = cli("export", trig, "-o", tmp_path / "news.xyz")
    assert "unsupported output format" in one_error_line(bad)


# with the spaCy pipeline: the bundled example, the CLI build, the development corpus


@pytest.mark.model
def test_store_of_the_bundled_example_answers_like_its_graph(tmp_path, example_extraction):
    trig = tmp_path / "example.trig"
    write_dataset(build_dataset([example_extraction]), trig)
    path = tmp_path / "store"
    store.write_articles(path, [example_extraction])
    assert_same_answers([trig], path)


@pytest.mark.model
def test_cli_build_into_a_store_replaces_and_fails_cleanly(tmp_path):
    path = tmp_path / "store"
    result = cli("build", TWO_ARTICLES, "--store", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"2 articles -> {path}\n"
    before = _quads(path)
    again = cli("build", TWO_ARTICLES, "--store", path)
    assert again.exit_code == 0, again.stderr
    assert _quads(path) == before
    changed = tmp_path / "changed.jsonl"
    lines = TWO_ARTICLES.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["text"] = "Japan and China signed a fisheries agreement in Beijing on Monday."
    changed.write_text(json.dumps(first) + "\n", encoding="utf-8")
    assert cli("build", changed, "--store", path).exit_code == 0
    rows = [r for r in api.events(store=path) if r["doc"] == first["id"]]
    assert rows and all("fisheries" in r["evidence"] for r in rows)


@pytest.mark.model
def test_cli_build_while_another_process_writes_fails_cleanly(tmp_path):
    path = tmp_path / "store"
    store.write_articles(path, _extractions())
    before = _quads(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        result = cli("build", TWO_ARTICLES, "--store", path)
        line = one_error_line(result)
        assert f"store {path} is in use by another process" in line
    finally:
        holder.communicate("\n", timeout=60)
    assert _quads(path) == before


@pytest.fixture(scope="module")
def dev_corpus(dev_extractions, tmp_path_factory):
    """The development corpus (read once per session) built into a TriG file and a store."""
    folder = tmp_path_factory.mktemp("dev-store")
    extractions = dev_extractions
    trig = folder / "dev.trig"
    write_dataset(build_dataset(extractions), trig)
    path = folder / "store"
    assert store.write_articles(path, extractions) == len(extractions)
    return extractions, trig, path


@pytest.mark.model
def test_store_of_the_dev_corpus_answers_like_its_graph(dev_corpus):
    _, trig, path = dev_corpus
    on_files, on_store = open_graph([trig]), open_graph(store=path)
    try:
        events = event_rows(on_store)
        assert len(events) > 100
        assert events == event_rows(on_files)
        assert entity_rows(on_store) == entity_rows(on_files)
        for name in ("who-met-whom", "event-counts", "timeline", "accusations"):
            text = named_query(name)
            assert _rows(on_store, text) == _rows(on_files, text), name
    finally:
        on_store.close()


@pytest.mark.model
def test_store_rebuilding_the_dev_corpus_keeps_the_quad_count(dev_corpus):
    extractions, _, path = dev_corpus
    before = _quads(path)
    assert store.write_articles(path, extractions) == len(extractions)
    assert _quads(path) == before
    assert_merge_is_the_union(path)


def test_store_articles_keep_their_ids(tmp_path):
    odd = dataclasses.replace(_extractions()[0], article=Article("a b/ü?", "France met Germany."))
    path = tmp_path / "store"
    store.write_articles(path, [odd])
    with store.reading(path) as opened:
        assert store.article_ids(opened) == ["a b/ü?"]
    assert api.remove(["a b/ü?"], store=path) == 1


# a served store that builds and removes write meanwhile

#: one snapshot: the events of each article in its named graph and in the merged default
#: graph (by the document each was derived from)
EVENTS_BOTH_WAYS = """
SELECT ?where ?doc (COUNT(DISTINCT ?e) AS ?n) WHERE {
  { GRAPH ?g { ?e a dgo:Event ; prov:wasDerivedFrom ?doc } BIND ("named" AS ?where) }
  UNION
  { ?e a dgo:Event ; prov:wasDerivedFrom ?doc BIND ("default" AS ?where) }
} GROUP BY ?where ?doc
"""
#: triples of the default graph that no named graph holds, and the other way round
OUT_OF_STEP = """
SELECT (COUNT(*) AS ?n) WHERE {
  { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }
  UNION
  { GRAPH ?g { ?s ?p ?o } FILTER (?g != <https://w3id.org/diplograph/index>)
    FILTER NOT EXISTS { ?s ?p ?o } }
}
"""


def _ask_server(url: str, query: str) -> tuple[int, list[dict]]:
    import urllib.error
    import urllib.parse
    import urllib.request

    address = url + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(address, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())["results"]["bindings"]
    except urllib.error.HTTPError as exc:
        return exc.code, [{"error": exc.read().decode()}]


def _events_per_article(rows: list[dict]) -> dict[str, dict[str, int]]:
    """{"named": {doc id: events}, "default": {...}} from EVENTS_BOTH_WAYS."""
    seen: dict[str, dict[str, int]] = {"named": {}, "default": {}}
    for row in rows:
        doc = row["doc"]["value"].rsplit("/", 1)[-1]
        seen[row["where"]["value"]][doc] = int(row["n"]["value"])
    return seen


class _Watcher:
    """Threads that query a server without pause and keep every answer, timed."""

    def __init__(self, url: str, threads: int = 2) -> None:
        self.url = url
        self.answers: list[tuple[float, str, int, list[dict]]] = []  # (asked at, ...)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._watch, daemon=True) for _ in range(threads)]

    def _watch(self) -> None:
        while not self.stop.is_set():
            for name, query in (("events", EVENTS_BOTH_WAYS), ("out-of-step", OUT_OF_STEP)):
                asked = time.monotonic()
                status, rows = _ask_server(self.url, query)
                self.answers.append((asked, name, status, rows))

    def __enter__(self) -> _Watcher:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def _assert_whole_articles(answers, expected: dict[str, int]) -> list[int]:
    """Every answer is 200 and consistent: each article's events the same in its graph and
    in the merge, and as many as it has. Returns the article counts seen, in order."""
    counts = []
    for _, name, status, rows in sorted(answers, key=lambda answer: answer[0]):
        assert status == 200, rows
        if name == "out-of-step":
            assert rows == [{"n": {**rows[0]["n"], "value": "0"}}], rows
            continue
        seen = _events_per_article(rows)
        assert seen["named"] == seen["default"]
        for doc, events in seen["named"].items():
            assert events == expected[doc], (doc, events)
        counts.append(len(seen["named"]))
    return counts


def test_store_a_served_store_follows_builds_and_removes(tmp_path, monkeypatch):
    """``diplograph serve --store`` answers while articles are written and removed; every
    answer holds whole articles (graph and merge together), and the new ones show at once."""
    monkeypatch.setattr(store, "BULK_QUADS", 400)  # commits of a few articles: many of them
    articles = _many(60)
    expected = {a.article.id: len(a.events) for a in articles}
    path = tmp_path / "store"
    assert store.write_articles(path, articles[:4]) == 4
    with serving("--store", str(path)) as url, _Watcher(url) as watcher:
        while len(watcher.answers) < 4:  # the server answers before the build starts
            time.sleep(0.05)
        started = time.monotonic()

        def parsed():  # as slow as a parse: the server answers between the commits
            for article in articles[4:]:
                time.sleep(0.03)
                yield article

        assert store.write_articles(path, parsed()) == 56  # the writer of build --store
        built = time.monotonic()
        status, rows = _ask_server(url, EVENTS_BOTH_WAYS)
        assert status == 200 and _events_per_article(rows)["named"] == expected
        gone = [a.article.id for a in articles[10:20]]
        removal = subprocess.run(
            [sys.executable, "-m", "diplograph.cli", "remove", *gone, "--store", str(path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert removal.returncode == 0, removal.stderr
        status, rows = _ask_server(url, EVENTS_BOTH_WAYS)
        left = {doc: n for doc, n in expected.items() if doc not in gone}
        assert status == 200 and _events_per_article(rows)["named"] == left
        time.sleep(0.3)
    counts = _assert_whole_articles(watcher.answers, expected)
    during = [a for a in watcher.answers if started <= a[0] <= built and a[1] == "events"]
    assert during, "no query ran while the build wrote"
    middle = {len(_events_per_article(a[3])["named"]) for a in during}
    assert middle - {4, 60}, f"no commit seen between the first and the last: {middle}"
    assert counts[0] == 4 and counts[-1] == 50
    assert_merge_is_the_union(path)


@pytest.mark.model
def test_store_diplograph_build_while_serving(tmp_path):
    """The real ``diplograph build --store`` (spaCy) exits 0 while ``serve`` answers, and
    its articles are served at once, without a restart (here they replace older versions)."""
    path = tmp_path / "store"
    assert store.write_articles(path, _extractions()) == 3
    with serving("--store", str(path)) as url, _Watcher(url) as watcher:
        command = ["build", str(TWO_ARTICLES), "--store", str(path)]
        build = subprocess.run(
            [sys.executable, "-m", "diplograph.cli", *command],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert build.returncode == 0, build.stderr
        status, rows = _ask_server(url, EVENTS_BOTH_WAYS)
        assert status == 200
        seen = _events_per_article(rows)
        # its two articles replace the hand-made ones of the same ids; berlin-call stays
        assert seen["named"] == seen["default"] and len(seen["named"]) == 3
        assert seen["named"]["berlin-call"] == 1 and seen["named"]["tokyo-protest"] >= 2
    for _, name, status, rows in watcher.answers:
        assert status == 200, rows
        if name == "events":
            seen = _events_per_article(rows)
            assert seen["named"] == seen["default"]


# keyset paging through the index graph (diplograph.rdf.index)

#: the actors whose listings the dev-corpus tests page through
DEV_ACTORS = ("Kim Jong-un", "china", "United States")


def _all_rows(path: Path, name: str, bindings=None) -> list[tuple]:
    """Every row of the bundled query ``name`` as written (its own sort, no index)."""
    text = with_page(named_query(name), all_rows=True)
    result = query_store(path, text, bindings)
    return [tuple(row.get(v) for v in result.vars) for row in result.bindings]


def _paged_rows(name: str, bindings=None, limit: int = 7, **where) -> tuple[list[tuple], int]:
    """Every row of ``name`` read page by page through ``api.page``; and how many pages."""
    rows, after, pages = [], None, 0
    while True:
        page = api.page(named=name, bindings=bindings, after=after, limit=limit, **where)
        rows += [tuple(row.get(v) for v in page.result.vars) for row in page.result.bindings]
        pages += 1
        if page.after is None:
            return rows, pages
        after = page.after


def _counts(path: Path, indexed: bool) -> list[tuple]:
    """The rows of event-counts on the store: read from its index graph (``api.query``), or
    the query as written (its own count of the store's events)."""
    if indexed:
        result = api.query(named="event-counts", store=path)
    else:
        result = query_store(path, named_query("event-counts"))
    return [tuple(row.get(v) for v in result.vars) for row in result.bindings]


def assert_counts_are_the_counted(path: Path) -> list[tuple]:
    """event-counts from the store's index graph is event-counts as written; its rows."""
    with store.reading(path) as opened:
        assert is_current(opened)  # the index answers, not the query as written
    indexed = _counts(path, indexed=True)
    assert indexed == _counts(path, indexed=False)
    return indexed


def _listings(path: Path):
    for name in KEYED:
        for actor in DEV_ACTORS if name == "actor" else (None,):
            yield name, {"name": actor} if actor else None


@pytest.mark.model
@pytest.mark.parametrize("source", ["store", "files"])
def test_store_pages_by_key_give_every_row_of_the_dev_corpus_in_order(dev_corpus, source):
    _, trig, path = dev_corpus
    where = {"store": path} if source == "store" else {"graphs": [trig]}
    for name, bindings in _listings(path):
        expected = _all_rows(path, name, bindings)
        assert expected, (name, bindings)
        # graph files are read again for each page: fewer, larger pages there
        for limit in (1, 7, 100) if source == "store" else (25,):
            rows, pages = _paged_rows(name, bindings, limit, **where)
            assert rows == expected, (name, bindings, limit)
            if limit == 1:
                assert pages > (5 if name == "actor" else 10), name  # each after the last key
    if source == "store":
        assert len(assert_counts_are_the_counted(path)) > 5


@pytest.mark.model
def test_store_index_stays_exact_after_remove_and_rebuild(dev_corpus, tmp_path):
    extractions, _, source = dev_corpus
    path = tmp_path / "store"
    assert store.write_articles(path, extractions) == len(extractions)
    gone = [e.article.id for e in extractions[:3]]
    changed = extractions[3]
    assert changed.events
    assert api.remove(gone, store=path) == 3
    fewer = dataclasses.replace(changed, events=changed.events[1:], ntriples=None)
    assert store.write_articles(path, [fewer, extractions[4]]) == 2  # one changed, one not
    assert_index_is_exact(path)
    with store.reading(path) as opened:
        held = held_index(opened)
    removed_iris = {str(iris.event_iri(e)) for x in extractions[:3] for e in x.events}
    removed_iris.add(str(iris.event_iri(changed.events[0])))
    for triple in held:
        terms = {triple.subject.value, triple.object.value}
        if triple.predicate.value.endswith("#entry"):
            terms.add(json.loads(triple.object.value.split(" ", 2)[2])[0])
        assert not terms & removed_iris, triple
    # and the pages still give what the queries give, the event counts too
    for name, bindings in _listings(path):
        assert _paged_rows(name, bindings, 5, store=path)[0] == _all_rows(path, name, bindings)
    assert assert_counts_are_the_counted(path) != assert_counts_are_the_counted(source)
    # the store the pages were read from is as it was
    assert_index_is_exact(source)


def test_store_pages_chain_by_the_key_the_cli_prints(built):
    expected = cli("query", "--store", built, "--named", "timeline", "--all", "--format", "csv")
    assert expected.exit_code == 0, expected.stderr
    header, *rows = expected.stdout.splitlines()
    assert len(rows) == 4
    seen, after = [], []
    for _ in range(len(rows)):
        page = cli(
            "query",
            "--store",
            built,
            "--named",
            "timeline",
            "--limit",
            "1",
            "--format",
            "csv",
            *after,
        )
        assert page.exit_code == 0, page.stderr
        assert page.stdout.splitlines()[0] == header
        seen += page.stdout.splitlines()[1:]
        if not page.stderr:
            break
        (line,) = page.stderr.splitlines()
        assert line.startswith("next page: --after ")
        after = ["--after", line.removeprefix("next page: --after ")]
    assert seen == rows and not page.stderr
    # api.query takes the key too (the rows alone); --after and --offset do not mix
    first = api.page(named="timeline", store=built, limit=2)
    rest = api.query(named="timeline", store=built, after=first.after)
    assert len(first.result) + len(rest) == len(rows)
    mixed = cli(
        "query", "--store", built, "--named", "timeline", "--offset", "1", "--after", first.after
    )
    assert mixed.exit_code == 2 and "not both" in one_error_line(mixed)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("timeline", "bad"),
        ("timeline", "2024-05-06~0123"),
        ("timeline", "2024-05-06~0123456789abcde~source"),  # a role outside actor
        ("actor", "2024-05-06~0123456789abcde"),  # actor's keys carry the role
        ("posts", "May 6~0123456789abcde"),
    ],
)
def test_cli_bad_after_key_is_one_usage_error_line(built, name, key):
    bindings = ["--bind", "name=Japan"] if name == "actor" else []
    result = cli("query", "--store", built, "--named", name, *bindings, "--after", key)
    assert result.exit_code == 2
    assert "E052" not in one_error_line(result)  # the message, not the code, is shown
    assert f"--after {key!r} is not a page key of the named query {name!r}" in result.stderr
    with pytest.raises(DiplographError) as raised:
        api.page(
            named=name, bindings={"name": "Japan"} if bindings else None, store=built, after=key
        )
    assert raised.value.code == "E052" and raised.value.exit_code == 2


def test_store_without_an_index_answers_then_the_next_writer_makes_it(built):
    expected = _all_rows(built, "who-met-whom")
    store.with_writer(built, lambda opened: opened.update(f"DROP GRAPH {INDEX_GRAPH}"))
    # an older diplograph's store: the query as written, and no key to page by
    page = api.page(named="who-met-whom", store=built)
    assert page.after is None
    assert [tuple(r.get(v) for v in page.result.vars) for r in page.result.bindings] == expected
    result = cli(
        "query",
        "--store",
        built,
        "--named",
        "who-met-whom",
        "--after",
        "2024-05-06~0123456789abcde",
    )
    assert result.exit_code == 2 and "any build or remove adds it" in one_error_line(result)
    assert store.with_writer(built, len) > 0  # any writer makes the index again
    assert_index_is_exact(built)
    assert _paged_rows("who-met-whom", limit=1, store=built)[0] == expected


def test_store_event_counts_from_the_index_stay_exact_through_writes(built):
    counts = assert_counts_are_the_counted(built)
    assert counts == [(Literal("CONSULT"), Literal(3)), (Literal("ACCUSE"), Literal(1))]
    assert store.write_articles(built, _extractions()) == 3  # the same again: no double count
    assert assert_counts_are_the_counted(built) == counts
    # an event another graph gives as well (a Graph Store write) is counted once, and stays
    # counted while one of its graphs remains
    paris = iris.graph_iri("paris-talks")
    with store.reading(built) as opened:
        typed = [
            q.triple
            for q in opened.quads_for_pattern(None, None, None, ox.NamedNode(paris))
            if q.predicate.value.endswith("#type") and "/event/" in q.subject.value
        ]
    assert typed
    other = ox.NamedNode("https://example.org/graph/copy")
    text = "".join(f"{t} .\n" for t in typed)
    store.with_writer(built, lambda opened: store.replace_graph(opened, other, text))
    assert assert_counts_are_the_counted(built) == counts
    assert_index_is_exact(built)
    assert api.remove(["paris-talks", "berlin-call"], store=built) == 2
    assert assert_counts_are_the_counted(built)[0] == (Literal("CONSULT"), Literal(2))
    assert_index_is_exact(built)
    store.with_writer(built, lambda opened: store.replace_graph(opened, other, None))
    assert assert_counts_are_the_counted(built) == [
        (Literal("ACCUSE"), Literal(1)),
        (Literal("CONSULT"), Literal(1)),
    ]
    assert_index_is_exact(built)
    assert api.remove(["tokyo-protest"], store=built) == 1
    assert assert_counts_are_the_counted(built) == []
    with store.reading(built) as opened:  # no tally left at zero
        assert not list(opened.quads_for_pattern(None, EVENTS, None, INDEX_GRAPH))
    assert store.write_articles(built, _extractions()[::-1]) == 3
    assert assert_counts_are_the_counted(built) == counts
    assert_index_is_exact(built)


def test_store_event_counts_read_the_tallies_of_the_index(built):
    node = "<https://w3id.org/diplograph/index/events/CONSULT>"
    xsd = "http://www.w3.org/2001/XMLSchema#integer"
    tampered = (
        f"DELETE {{ GRAPH {INDEX_GRAPH} {{ {node} {EVENTS} ?n }} }} "
        f'INSERT {{ GRAPH {INDEX_GRAPH} {{ {node} {EVENTS} "99"^^<{xsd}> }} }} '
        f"WHERE {{ GRAPH {INDEX_GRAPH} {{ {node} {EVENTS} ?n }} }}"
    )
    store.with_writer(built, lambda opened: opened.update(tampered))
    assert _counts(built, indexed=True)[0] == (Literal("CONSULT"), Literal(99))
    assert _counts(built, indexed=False)[0] == (Literal("CONSULT"), Literal(3))


def test_store_event_counts_without_an_index_run_as_written(built):
    counts = _counts(built, indexed=False)
    store.with_writer(built, lambda opened: opened.update(f"DROP GRAPH {INDEX_GRAPH}"))
    assert _counts(built, indexed=True) == counts  # an older diplograph's store
    assert store.with_writer(built, len) > 0  # the next writer makes the index, tallies too
    assert_index_is_exact(built)
    assert assert_counts_are_the_counted(built) == counts


def test_index_doctests():
    import doctest

    from diplograph.rdf import index

    failures, tried = doctest.testmod(index)
    assert (failures, tried > 0) == (0, True)


def _direct_and_sparql(extractions: list[Extraction]) -> tuple[set, set, int]:
    """The index of ``extractions`` made in Python and by the page queries, and how many
    graphs Python left to the engine."""
    graphs = [
        (ox.NamedNode(iris.graph_iri(e.article.id)), build.extraction_ntriples(e))
        for e in extractions
    ]
    direct, left = set(), 0
    for name, text in graphs:
        made = index.direct_ntriples_index(name, text)
        left += made is None
        direct |= made or set()
    parsed = [(name, list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))) for name, text in graphs]
    return direct, index.sparql_graphs_index(parsed), left


def test_index_made_in_python_is_the_page_queries_answer():
    direct, sparql, left = _direct_and_sparql(_extractions() + _copies(40))
    assert left == 0 and direct and direct == sparql


@pytest.mark.model
def test_index_made_in_python_is_the_page_queries_answer_on_the_dev_corpus(dev_corpus):
    direct, sparql, left = _direct_and_sparql(dev_corpus[0])
    assert left == 0 and len(direct) > 1000 and direct == sparql
