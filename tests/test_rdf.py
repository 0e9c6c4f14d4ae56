"""Extractions to RDF: stable IRIs, graph structure, reading and writing graph files.

Fast tests use records built by hand; the ``model`` tests build the bundled example with
the real pipeline and check determinism across processes (different hash seeds).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from conftest import EXAMPLE, EXAMPLE_PUBLISHED
from diplograph import api
from diplograph.errors import DiplographError
from diplograph.model import Actor, Article, Event, Evidence, Extraction, Post
from diplograph.rdf import iris
from diplograph.rdf.build import add_extraction, build_dataset, date_literal, extraction_graph
from diplograph.rdf.io import (
    FORMATS,
    atomic_output,
    output_format,
    read_graphs,
    serialize,
    union_graph,
    write_dataset,
)
from diplograph.vocab import DGO, DGR

SUFFIXES = [".ttl", ".trig", ".nq", ".nt", ".jsonld", ".rdf"]
TEXT = "Envoys of Aldoria and Bremia met in Geneva. Aldoria's envoy Ana Lind praised Bremia."


def _extraction(doc_id: str = "talks-1", confidence: float = 0.8) -> Extraction:
    first = TEXT.split(". ")[0] + "."
    second = TEXT[len(first) + 1 :]
    aldoria = Actor("state/ALD", "State", "Aldoria", aliases=("Aldorian",), state="ALD")
    bremia = Actor("state/BRE", "State", "Bremia", state="BRE")
    geneva = Actor("place/geneva", "Place", "Geneva", geonames_id=2660646)
    lind = Actor("person/ana-lind", "Person", "Ana Lind", aliases=("Lind",), state="ALD")
    meeting = Event(
        doc=doc_id,
        category="CONSULT",
        subtype="meeting",
        event_class="Meeting",
        source=("state/BRE", "state/ALD"),
        target=(),
        evidence=(Evidence(doc_id, first, 0, len(first)),),
        trigger="met",
        trigger_start=TEXT.index("met"),
        location="place/geneva",
        date="2024-03-01",
        confidence=confidence,
    )
    praise = Event(
        doc=doc_id,
        category="SUPPORT",
        subtype="praise",
        event_class="Praise",
        source=("person/ana-lind",),
        target=("state/BRE",),
        evidence=(Evidence(doc_id, second, len(first) + 1, len(TEXT)),),
        trigger="praised",
        trigger_start=TEXT.index("praised"),
        modality="reported",
        attributed_to="state/ALD",
    )
    post = Post("person/ana-lind", "envoy", "state/ALD", praise.evidence[0])
    article = Article(doc_id, TEXT, title="Envoys meet", published=dt.date(2024, 3, 1))
    actors = (aldoria, bremia, geneva, lind)
    mentions = {actor.key: 1 for actor in actors}
    return Extraction(article, actors, (meeting, praise), (post,), mentions)


# iris


def test_iris_come_from_keys_not_from_run_order():
    assert iris.document_iri("talks-1") == DGR["doc/talks-1"]
    assert iris.graph_iri("talks-1") == DGR["graph/talks-1"]
    assert iris.actor_iri("state/CHN") == DGR["state/CHN"]
    assert iris.actor_iri("person/kim-jong-un") == DGR["person/kim-jong-un"]
    assert iris.evidence_iri("talks-1", 3, 40) == DGR["doc/talks-1/sentence/3-40"]
    assert iris.role_iri("Foreign Minister") == iris.role_iri("Foreign Minister")


def test_iris_percent_encode_unsafe_characters():
    assert iris.document_iri("a b/é?") == DGR["doc/a%20b%2F%C3%A9%3F"]
    assert iris.actor_iri("person/josé maría") == DGR["person/jos%C3%A9%20mar%C3%ADa"]


def test_event_iri_ignores_source_order_and_confidence():
    meeting = _extraction().events[0]
    again = _extraction(confidence=0.3).events[0]
    reordered = Event(**{**meeting.__dict__, "source": tuple(reversed(meeting.source))})
    assert iris.event_iri(meeting) == iris.event_iri(again) == iris.event_iri(reordered)
    assert str(iris.event_iri(meeting)).startswith(str(DGR["event/talks-1/"]))


def test_event_iri_differs_by_trigger_and_class():
    meeting = _extraction().events[0]
    moved = Event(**{**meeting.__dict__, "trigger_start": meeting.trigger_start + 1})
    summit = Event(**{**meeting.__dict__, "event_class": "Summit", "subtype": "summit"})
    assert len({iris.event_iri(e) for e in (meeting, moved, summit)}) == 3


def test_membership_iri_is_stable_per_document():
    one = iris.membership_iri("a", "person/x", "envoy", "state/ALD")
    assert one == iris.membership_iri("a", "person/x", "envoy", "state/ALD")
    assert one != iris.membership_iri("b", "person/x", "envoy", "state/ALD")


# build


@pytest.mark.parametrize(
    ("value", "datatype"),
    [("2024-04-13", XSD.date), ("2024-04", XSD.gYearMonth), ("2024", XSD.gYear)],
)
def test_date_literal_picks_the_datatype_by_precision(value, datatype):
    assert date_literal(value) == Literal(value, datatype=datatype)


def test_extraction_graph_describes_the_article():
    graph = extraction_graph(_extraction())
    doc = iris.document_iri("talks-1")
    assert (doc, RDF.type, DGO.Article) in graph
    assert graph.value(doc, DCTERMS.identifier) == Literal("talks-1")
    assert graph.value(doc, DCTERMS.issued) == Literal("2024-03-01", datatype=XSD.date)


def test_extraction_graph_types_events_with_class_and_category():
    graph = extraction_graph(_extraction())
    meeting = iris.event_iri(_extraction().events[0])
    assert {DGO.Meeting, DGO.Consult} <= set(graph.objects(meeting, RDF.type))
    assert set(graph.objects(meeting, DGO.source)) == {DGR["state/ALD"], DGR["state/BRE"]}
    assert graph.value(meeting, DGO.location) == DGR["place/geneva"]
    assert graph.value(meeting, DGO.date) == Literal("2024-03-01", datatype=XSD.date)
    assert graph.value(meeting, DGO.modality) == DGO.Asserted
    assert graph.value(meeting, DGO.negated) == Literal(False)
    assert graph.value(meeting, PROV.wasDerivedFrom) == iris.document_iri("talks-1")


def test_extraction_graph_keeps_attribution_and_posts():
    graph = extraction_graph(_extraction())
    praise = iris.event_iri(_extraction().events[1])
    assert graph.value(praise, DGO.modality) == DGO.Reported
    assert graph.value(praise, PROV.wasAttributedTo) == DGR["state/ALD"]
    memberships = list(graph.subjects(RDF.type, URIRef("http://www.w3.org/ns/org#Membership")))
    assert len(memberships) == 1


def _check_structure(graph: Graph, text_of: dict[URIRef, str]) -> None:
    """Every claim carries its evidence; every actor it names is described."""
    for node in set(graph.subjects(DGO.evidence, None)):
        assert graph.value(node, PROV.wasDerivedFrom) in text_of, node
        for sentence in graph.objects(node, DGO.evidence):
            doc = graph.value(sentence, DGO.inDocument)
            start = graph.value(sentence, DGO.startOffset).toPython()
            end = graph.value(sentence, DGO.endOffset).toPython()
            assert str(graph.value(sentence, DGO.text)) == text_of[doc][start:end], sentence
    for predicate in (DGO.source, DGO.target, DGO.location, PROV.wasAttributedTo):
        for actor in graph.objects(None, predicate):
            assert graph.value(actor, RDF.type) is not None, actor
            assert graph.value(actor, SKOS.prefLabel) is not None, actor
    for event in graph.subjects(DGO.negated, None):
        assert graph.value(event, DGO.modality) is not None
        assert graph.value(event, DGO.confidence).datatype == XSD.decimal


def test_extraction_graph_evidence_spans_the_article_text():
    extraction = _extraction()
    _check_structure(extraction_graph(extraction), {iris.document_iri("talks-1"): TEXT})


def test_build_dataset_puts_each_article_in_its_own_graph():
    dataset = build_dataset([_extraction("one"), _extraction("two")])
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {iris.graph_iri("one"), iris.graph_iri("two")}
    # a state both articles name is described in each graph, and once in the union
    union = union_graph(dataset)
    assert len(list(union.triples((DGR["state/ALD"], SKOS.prefLabel, None)))) == 1


def test_add_extraction_replaces_the_older_graph_of_an_article():
    dataset = build_dataset([_extraction(confidence=0.8)])
    add_extraction(dataset, _extraction(confidence=0.3))
    meeting = iris.event_iri(_extraction().events[0])
    assert set(dataset.objects(meeting, DGO.confidence)) == {Literal("0.30", datatype=XSD.decimal)}


# reading and writing graph files


def test_output_format_rejects_unknown_suffix_listing_choices(tmp_path):
    with pytest.raises(DiplographError) as caught:
        output_format(tmp_path / "graph.csv")
    assert caught.value.code == "E008"
    assert all(suffix in caught.value.message for suffix in SUFFIXES)


@pytest.fixture(scope="module")
def hand_built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hand")
    dataset = build_dataset([_extraction("one"), _extraction("two")])
    paths = {}
    for suffix in SUFFIXES:
        paths[suffix] = folder / f"graph{suffix}"
        write_dataset(dataset, paths[suffix])
    return paths


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_serialize_is_byte_identical_for_the_same_input(hand_built, suffix):
    again = build_dataset([_extraction("two"), _extraction("one")])  # other order
    assert serialize(again, hand_built[suffix]) == hand_built[suffix].read_bytes()


def _union(path: Path) -> Graph:
    return union_graph(read_graphs([path]))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_read_graphs_reads_back_every_format(hand_built, suffix):
    expected = union_graph(build_dataset([_extraction("one"), _extraction("two")]))
    got = _union(hand_built[suffix])
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            f"{suffix}: read back differs\nonly read:\n{only_got.serialize(format='nt')}\n"
            f"only built:\n{only_expected.serialize(format='nt')}"
        )


def test_read_graphs_keeps_named_graphs_and_names_others_by_file(hand_built):
    trig = read_graphs([hand_built[".trig"]])
    assert {iris.graph_iri("one"), iris.graph_iri("two")} <= {g.identifier for g in trig.graphs()}
    turtle = read_graphs([hand_built[".ttl"]])
    named = {g.identifier for g in turtle.graphs() if len(g)}
    assert named == {URIRef(hand_built[".ttl"].resolve().as_uri())}


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("absent.ttl", None, "E001"),
        ("graph.csv", "a,b\n", "E008"),
        ("broken.ttl", "<a> <b> .\n", "E011"),
        ("broken.nq", "not n-quads\n", "E011"),
        ("broken.jsonld", "{", "E011"),
    ],
)
def test_read_graphs_bad_file_names_it(tmp_path, name, content, code):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DiplographError) as caught:
        read_graphs([path])
    assert caught.value.code == code
    assert name in caught.value.message
    assert "\n" not in caught.value.message


def test_atomic_output_replaces_only_on_success(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    with atomic_output(target) as temporary:
        temporary.write_text("new\n", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_atomic_output_removes_folders_it_made_when_it_fails(tmp_path):
    target = tmp_path / "a" / "b" / "graph.nq"
    with pytest.raises(RuntimeError), atomic_output(target):
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_gives_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    target = tmp_path / "graph.nt"
    with atomic_output(target) as temporary:
        temporary.write_text("", encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_atomic_output_unwritable_place_raises_e021(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    for target in (blocker / "graph.ttl", tmp_path):
        with pytest.raises(DiplographError) as caught, atomic_output(target):
            pass
        assert caught.value.code == "E021"
        assert str(target) in caught.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_formats_cover_the_cli_suffixes():
    assert set(SUFFIXES) <= set(FORMATS)
    named = {suffix for suffix, (_, keeps_graphs) in FORMATS.items() if keeps_graphs}
    assert named == {".trig", ".nq", ".jsonld"}


# the real example: structure, isomorphism, determinism across processes


BUILD_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from diplograph import api
    out, example = Path(sys.argv[1]), sys.argv[2]
    for suffix in sys.argv[3:]:
        api.build([example], out / f"example{suffix}", published=dt.date(2024, 4, 13))
    """
)


@pytest.fixture(scope="module")
def example_builds(tmp_path_factory) -> tuple[dict[str, Path], dict[str, Path]]:
    """The example built in this process and, at the same time, in another process
    with another hash seed."""
    here = tmp_path_factory.mktemp("here")
    there = tmp_path_factory.mktemp("there")
    seed = os.environ.get("PYTHONHASHSEED", "")
    other = str(int(seed) + 1) if seed.isdigit() else "12345"
    process = subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(there), str(EXAMPLE), *SUFFIXES],
        env={**os.environ, "PYTHONHASHSEED": other},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for suffix in SUFFIXES:
            api.build([EXAMPLE], here / f"example{suffix}", published=EXAMPLE_PUBLISHED)
        _, stderr = process.communicate(timeout=180)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    return (
        {s: here / f"example{s}" for s in SUFFIXES},
        {s: there / f"example{s}" for s in SUFFIXES},
    )


@pytest.mark.model
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_build_is_byte_identical_across_processes(example_builds, suffix):
    here, there = example_builds
    assert here[suffix].read_bytes() == there[suffix].read_bytes()


@pytest.mark.model
def test_build_iris_are_stable_across_processes(example_builds):
    here, there = example_builds

    def subjects(path: Path, prefix: str) -> set[URIRef]:
        union = _union(path)
        return {s for s in union.subjects() if str(s).startswith(str(DGR[prefix]))}

    for prefix in ("doc/", "event/", "state/", "person/"):
        ours = subjects(here[".nt"], prefix)
        assert ours, prefix
        assert ours == subjects(there[".nq"], prefix), prefix


@pytest.mark.model
def test_build_trig_union_is_isomorphic_to_turtle(example_builds):
    here, _ = example_builds
    trig, turtle = _union(here[".trig"]), _union(here[".ttl"])
    if not isomorphic(trig, turtle):
        _, only_trig, only_turtle = graph_diff(to_isomorphic(trig), to_isomorphic(turtle))
        pytest.fail(
            f"only in TriG:\n{only_trig.serialize(format='nt')}\n"
            f"only in Turtle:\n{only_turtle.serialize(format='nt')}"
        )


@pytest.mark.model
def test_build_example_has_one_graph_and_carries_its_evidence(example_builds):
    here, _ = example_builds
    dataset = Dataset()
    dataset.parse(here[".nq"], format="nquads")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == {iris.graph_iri("zhao-leji-pyongyang")}
    doc = iris.document_iri("zhao-leji-pyongyang")
    from diplograph.ingest import read_articles

    (article,) = read_articles([EXAMPLE], published=EXAMPLE_PUBLISHED)
    _check_structure(dataset.graph(iris.graph_iri("zhao-leji-pyongyang")), {doc: article.text})


@pytest.mark.model
def test_trig_with_several_graphs_is_identical_across_hash_seeds(tmp_path):
    """Named graphs come out in IRI order, not in the process's hash order."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    source = Path(__file__).parent / "data" / "cli" / "two-articles.jsonl"
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}.trig"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "diplograph.cli", "build", str(source), "-o", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
