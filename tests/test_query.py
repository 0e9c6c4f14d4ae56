"""SPARQL over graph files: named queries, bindings, result formats, the analyst tables.

The graph is built by hand from invented records (no spaCy model), so the rows are known.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal
from rdflib.query import Result
from typer.testing import CliRunner

from diplograph import api
from diplograph.cli import app
from diplograph.errors import DiplographError
from diplograph.export import ENTITY_COLUMNS, EVENT_COLUMNS
from diplograph.model import Actor, Article, Event, Evidence, Extraction
from diplograph.query import (
    declared_bindings,
    format_result,
    named_queries,
    named_query,
    open_dataset,
    page_of,
    rows_to_csv,
    rows_to_jsonl,
    run_query,
    with_page,
)
from diplograph.rdf.build import build_dataset
from diplograph.rdf.io import write_dataset

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
PARIS = "The foreign ministers of France and Germany met in Paris on Monday."
TOKYO = (
    "Japan accused China of sending coast guard ships near its islands. "
    "China did not reject the complaint, state media said. "
    "Japan and China later held a phone call."
)
PREFIXES = "PREFIX dgo: <https://w3id.org/diplograph/ontology#>\n"

STATES = {
    "FRA": ("France", "FR"),
    "DEU": ("Germany", "DE"),
    "JPN": ("Japan", "JP"),
    "CHN": ("China", "CN"),
}


def _state(code: str) -> Actor:
    label, iso2 = STATES[code]
    return Actor(key=f"state/{code}", kind="State", label=label, state=code, iso2=iso2)


def _extractions() -> list[Extraction]:
    paris = Article("paris-talks", PARIS, title="Ministers meet", published=dt.date(2024, 5, 6))
    place = Actor("place/geonames-2988507", "Place", "Paris", state="FRA", geonames_id=2988507)
    meeting = Event(
        doc="paris-talks",
        category="CONSULT",
        subtype="meeting",
        event_class="Meeting",
        source=("state/FRA",),
        target=("state/DEU",),
        evidence=(Evidence("paris-talks", PARIS, 0, len(PARIS)),),
        trigger="met",
        trigger_start=PARIS.index("met"),
        location=place.key,
        date="2024-05-06",
        confidence=0.75,
    )
    first, second, third = (part.rstrip(".") + "." for part in TOKYO.split(". "))
    second_start = len(first) + 1
    third_start = TOKYO.index(third)
    accusation = Event(
        doc="tokyo-protest",
        category="ACCUSE",
        subtype="accusation",
        event_class="Accusation",
        source=("state/JPN",),
        target=("state/CHN",),
        evidence=(Evidence("tokyo-protest", first, 0, len(first)),),
        trigger="accused",
        trigger_start=TOKYO.index("accused"),
        confidence=0.9,
    )
    rejection = Event(
        doc="tokyo-protest",
        category="REJECT",
        subtype="rejection",
        event_class="Rejection",
        source=("state/CHN",),
        target=("state/JPN",),
        evidence=(Evidence("tokyo-protest", second, second_start, second_start + len(second)),),
        trigger="reject",
        trigger_start=TOKYO.index("reject"),
        date="2024-05",
        negated=True,
        modality="reported",
        confidence=0.6,
    )
    call = Event(  # undated, beside the dated meeting: who-met-whom must sort both
        doc="tokyo-protest",
        category="CONSULT",
        subtype="call",
        event_class="PhoneCall",
        source=("state/JPN",),
        target=("state/CHN",),
        evidence=(Evidence("tokyo-protest", third, third_start, len(TOKYO)),),
        trigger="call",
        trigger_start=TOKYO.index("call"),
        confidence=0.7,
    )
    tokyo = Article("tokyo-protest", TOKYO, published=dt.date(2024, 5, 8))
    return [
        Extraction(
            paris,
            (_state("DEU"), _state("FRA"), place),
            (meeting,),
            mentions={"state/FRA": 1, "state/DEU": 1, place.key: 1},
        ),
        Extraction(
            tokyo,
            (_state("CHN"), _state("JPN")),
            (accusation, rejection, call),
            mentions={"state/JPN": 1, "state/CHN": 2},
        ),
    ]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "news.trig"
    write_dataset(build_dataset(_extractions()), path)
    return path


@pytest.fixture(scope="module")
def dataset(graph_file):
    return open_dataset([graph_file])


def cli(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def one_error_line(result) -> str:
    assert result.exit_code in (2, 3), (result.stdout, result.stderr)  # usage, input
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("diplograph: error: ")
    return lines[0]


# named queries


def test_named_queries_lists_bundled_files_without_internal_ones():
    names = named_queries()
    assert {"who-met-whom", "actor", "accusations", "timeline", "event-counts"} <= set(names)
    assert not any(name.startswith("_") for name in names)
    assert all("SELECT" in text or "ASK" in text for text in names.values())


def test_named_query_unknown_name_lists_choices():
    with pytest.raises(DiplographError) as caught:
        named_query("no-such-query")
    assert caught.value.code == "E012"
    assert "'no-such-query'" in caught.value.message
    for name in named_queries():
        assert name in caught.value.message


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_runs_on_a_graph(dataset, name):
    result = run_query(dataset, named_query(name), {"name": "China"})
    assert result.type == "SELECT"
    last = format_result(result, "table").splitlines()[-1]
    assert last.startswith("(") and last.endswith(("row)", "rows)"))


def test_named_query_who_met_whom_finds_the_meeting(dataset):
    # newest first, the undated call last
    rows = list(run_query(dataset, named_query("who-met-whom")))
    paris, monday = Literal("Paris", lang="en"), Literal("2024-05-06", datatype=XSD.date)
    assert [(str(r.type), str(r.source), str(r.target), r.place, r.date) for r in rows] == [
        ("meeting", "France", "Germany", paris, monday),
        ("call", "Japan", "China", None, None),
    ]


def test_named_query_actor_binds_the_name_case_blind(dataset):
    # China has two undated events and a dated one: the dated one first, the undated after
    rows = [
        (str(r.role), str(r.category), r.date)
        for r in run_query(dataset, named_query("actor"), {"name": "china"})
    ]
    assert rows[0] == ("source", "REJECT", Literal("2024-05", datatype=XSD.gYearMonth))
    assert set(rows[1:]) == {
        ("target", "ACCUSE", None),
        ("target", "CONSULT", None),
    }


def test_named_query_timeline_orders_mixed_date_precisions(dataset):
    rows = list(run_query(dataset, named_query("timeline")))
    dates = [str(r.date) for r in rows]
    assert dates == ["2024-05-06", "2024-05"]  # newest first: the day, then its month


# pages


PAGED = sorted(name for name, text in named_queries().items() if page_of(text))


def test_named_queries_list_in_pages_of_100():
    assert PAGED == ["accusations", "actor", "posts", "timeline", "who-met-whom"]
    for name in PAGED:
        text = named_query(name)
        assert page_of(text) == (0, 100), name
        # the ?cut subquery reads the key of the page's last row: row 100 (not in actor: one
        # actor's events are few, and a cut would look the actor up twice)
        assert text.count("OFFSET 99 LIMIT 1") == (name != "actor"), name


@pytest.fixture(scope="module")
def example_graph():
    """The committed graph of the bundled example article (it has posts; ``dataset`` not)."""
    return open_dataset([EXAMPLE_GRAPH])


def _page_rows(dataset, name: str, **page) -> list[tuple]:
    text = with_page(named_query(name), **page)
    return [tuple(row) for row in run_query(dataset, text, {"name": "North Korea"})]


@pytest.mark.parametrize("name", PAGED)
def test_named_query_pages_of_one_row_give_every_row_once_in_order(example_graph, name):
    every = _page_rows(example_graph, name, all_rows=True)
    assert len(every) >= 3, name
    assert _page_rows(example_graph, name) == every[:100]
    pages = [_page_rows(example_graph, name, offset=k, limit=1) for k in range(len(every) + 1)]
    assert [row for page in pages for row in page] == every  # the last page is empty
    # a page counts events, and an event told in several sentences has a row for each
    rest = _page_rows(example_graph, name, offset=1, all_rows=True)
    assert rest == [row for page in pages[1:] for row in page] and len(rest) < len(every)


def test_with_page_sets_the_page_and_the_cut():
    text = named_query("timeline")
    paged = with_page(text, offset=200, limit=50)
    assert page_of(paged) == (200, 50)
    assert "OFFSET 249 LIMIT 1" in paged and "OFFSET 99 LIMIT 1" not in paged
    assert page_of(with_page(text, limit=10)) == (0, 10)
    every = with_page(text, offset=5, all_rows=True)
    assert "LIMIT 100" not in every and "LIMIT 0" in every and page_of(every) is None
    commented = "# OFFSET 1 LIMIT 2\nSELECT ?x WHERE { ?x ?p 'OFFSET 3 LIMIT 4' } OFFSET 5 LIMIT 6"
    assert with_page(commented, offset=0).endswith("'OFFSET 3 LIMIT 4' } OFFSET 0 LIMIT 6")


PAGE_OF_5 = "SELECT ?x WHERE { ?x ?p ?o } OFFSET 0 LIMIT 5"


@pytest.mark.parametrize(
    ("text", "page", "detail"),
    [
        ("SELECT ?x WHERE { ?x ?p ?o }", {"limit": 5}, "no such clause"),
        ("SELECT ?x WHERE { ?x ?p ?o } LIMIT 5", {"offset": 5}, "no such clause"),
        (PAGE_OF_5, {"limit": 0}, "--limit 0"),
        (PAGE_OF_5, {"offset": -1}, "--offset -1"),
        (PAGE_OF_5, {"limit": 5, "all_rows": True}, "not both"),
    ],
)
def test_with_page_errors(text, page, detail):
    with pytest.raises(DiplographError) as caught:
        with_page(text, **page)
    assert caught.value.code == "E044"
    assert detail in caught.value.message


def test_run_query_binding_is_a_literal_not_query_text(dataset):
    hostile = 'China")) } UNION { ?actor ?p ?o . FILTER(true'
    rows = list(run_query(dataset, named_query("actor"), {"name": hostile}))
    assert rows == []


# run_query errors


def test_run_query_malformed_raises_e013(dataset):
    with pytest.raises(DiplographError) as caught:
        run_query(dataset, "SELEC ?s WHERE { ?s ?p ?o }")
    assert caught.value.code == "E013"
    assert "\n" not in caught.value.message


def test_run_query_failure_while_running_raises_e022(dataset):
    # a SERVICE call to a closed local port (allowed: outbound is refused by default)
    # fails at evaluation time, not at parse time
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    with pytest.raises(DiplographError) as caught:
        run_query(dataset, text, allow_outbound=True)
    assert caught.value.code == "E022"
    with pytest.raises(DiplographError) as refused:
        run_query(dataset, text)
    assert refused.value.code == "E050"


# result formats


SELECT_STATES = PREFIXES + "SELECT ?code ?state WHERE { ?state dgo:isoAlpha3 ?code } ORDER BY ?code"


def test_format_result_table_aligns_columns_and_counts_rows(dataset):
    text = format_result(run_query(dataset, SELECT_STATES), "table")
    lines = text.splitlines()
    assert lines[0].split(" | ")[0].strip() == "code"
    assert set(lines[1]) <= {"-", "+"}
    assert [line.split(" | ")[0].strip() for line in lines[2:-1]] == ["CHN", "DEU", "FRA", "JPN"]
    assert lines[-1] == "(4 rows)"


def test_format_result_json_is_sparql_results_json(dataset):
    data = json.loads(format_result(run_query(dataset, SELECT_STATES), "json"))
    assert data["head"]["vars"] == ["code", "state"]
    bindings = data["results"]["bindings"]
    assert [b["code"]["value"] for b in bindings] == ["CHN", "DEU", "FRA", "JPN"]
    assert bindings[0]["state"]["type"] == "uri"


def test_format_result_csv_has_a_header(dataset):
    rows = list(csv.reader(io.StringIO(format_result(run_query(dataset, SELECT_STATES), "csv"))))
    assert rows[0] == ["code", "state"]
    assert [r[0] for r in rows[1:]] == ["CHN", "DEU", "FRA", "JPN"]


def test_format_result_tsv_writes_terms_in_turtle_syntax(dataset):
    text = format_result(run_query(dataset, SELECT_STATES), "tsv")
    lines = text.splitlines()
    assert lines[0] == "?code\t?state"
    assert lines[1] == '"CHN"\t<https://w3id.org/diplograph/id/state/CHN>'
    assert len(lines) == 5


def test_format_result_tsv_escapes_tabs_and_leaves_unbound_empty(dataset):
    text = format_result(
        run_query(dataset, 'SELECT ?a ?b WHERE { BIND("x\\ty" AS ?a) }', None), "tsv"
    )
    assert text.splitlines() == ["?a\t?b", '"x\\ty"\t']


def _ask_label(label: str) -> str:
    return (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f'ASK {{ ?s skos:prefLabel "{label}"@en }}'
    )


ASKED = [("France", True), ("Atlantis", False)]


@pytest.mark.parametrize(("label", "answer"), ASKED)
def test_format_result_ask_table_prints_true_or_false(dataset, label, answer):
    text = format_result(run_query(dataset, _ask_label(label)), "table")
    assert text == ("true" if answer else "false") + "\n"


@pytest.mark.parametrize(("label", "answer"), ASKED)
def test_format_result_ask_json_is_sparql_results_json(dataset, label, answer):
    text = format_result(run_query(dataset, _ask_label(label)), "json")
    assert json.loads(text) == {"head": {}, "boolean": answer}
    parsed = Result.parse(io.BytesIO(text.encode()), format="json")
    assert (parsed.type, parsed.askAnswer) == ("ASK", answer)


@pytest.mark.parametrize(("label", "answer"), ASKED)
def test_format_result_ask_csv_and_tsv_are_one_askresult_column(dataset, label, answer):
    word = "true" if answer else "false"
    result = run_query(dataset, _ask_label(label))
    assert list(csv.reader(io.StringIO(format_result(result, "csv")))) == [["_askResult"], [word]]
    assert format_result(result, "csv") == f"_askResult\r\n{word}\r\n"  # as SELECT's CSV
    assert format_result(result, "tsv").splitlines() == ["?_askResult", word]


def test_format_result_construct_prints_turtle(dataset):
    text = PREFIXES + "CONSTRUCT { ?s dgo:isoAlpha3 ?c } WHERE { ?s dgo:isoAlpha3 ?c }"
    graph = Graph().parse(data=format_result(run_query(dataset, text)), format="turtle")
    assert len(graph) == 4


# tables


def test_event_rows_have_the_gold_keys(graph_file):
    rows = api.events([graph_file])
    assert len(rows) == 4
    for row in rows:
        assert list(row) == EVENT_COLUMNS
        assert isinstance(row["negated"], bool)
        assert isinstance(row["confidence"], float)
        assert isinstance(row["source"], list)
    by_type = {row["type"]: row for row in rows if row["subtype"] != "call"}
    assert by_type["CONSULT"]["source_states"] == ["FRA"]
    assert by_type["CONSULT"]["location"] == "Paris"
    assert by_type["REJECT"]["negated"] is True
    assert by_type["REJECT"]["modality"] == "reported"
    assert by_type["ACCUSE"]["date"] is None


def test_event_rows_states_run_parallel_to_the_actors(tmp_path):
    text = "Lena Ostrova and Tomas Brel met envoys of France in Lyon."
    people = (
        Actor("person/lena-ostrova", "Person", "Lena Ostrova", state="DEU"),
        Actor("person/tomas-brel", "Person", "Tomas Brel"),  # state unknown
    )
    meeting = Event(
        doc="lyon-talks",
        category="CONSULT",
        subtype="meeting",
        event_class="Meeting",
        source=(*(p.key for p in people), "state/FRA"),
        target=(),
        evidence=(Evidence("lyon-talks", text, 0, len(text)),),
        trigger="met",
        trigger_start=text.index("met"),
        confidence=0.75,
    )
    article = Article("lyon-talks", text, published=dt.date(2024, 5, 6))
    actors = (*people, _state("DEU"), _state("FRA"))
    mentions = {p.key: 1 for p in people} | {"state/FRA": 1}
    path = tmp_path / "lyon.trig"
    write_dataset(build_dataset([Extraction(article, actors, (meeting,), mentions=mentions)]), path)
    (row,) = api.events([path])
    assert row["source"] == ["France", "Lena Ostrova", "Tomas Brel"]
    assert row["source_states"] == ["FRA", "DEU", None]  # one per actor, same order
    assert rows_to_csv([row], EVENT_COLUMNS).splitlines()[1].split(",")[5] == "FRA|DEU|"


def test_entity_rows_have_the_gold_keys(graph_file):
    rows = api.entities([graph_file])
    assert all(list(row) == ENTITY_COLUMNS for row in rows)
    assert {(r["doc"], r["name"], r["type"], r["code"]) for r in rows} == {
        ("paris-talks", "France", "State", "FRA"),
        ("paris-talks", "Germany", "State", "DEU"),
        ("paris-talks", "Paris", "Place", None),
        ("tokyo-protest", "Japan", "State", "JPN"),
        ("tokyo-protest", "China", "State", "CHN"),
    }


def test_rows_to_csv_joins_lists_and_writes_json_booleans():
    rows = [{"a": ["x", "y"], "b": True, "c": None, "d": 0.5}]
    assert rows_to_csv(rows, ["a", "b", "c", "d"]) == "a,b,c,d\nx|y,true,,0.5\n"


def test_rows_to_jsonl_writes_one_object_a_line():
    text = rows_to_jsonl([{"a": "Genève"}, {"a": None}])
    assert text == '{"a": "Genève"}\n{"a": null}\n'


# the query command


def test_cli_query_takes_positional_text(graph_file):
    # the IRI's "//" must survive (positional text once went through pathlib.Path)
    text = "SELECT ?c WHERE { ?s <https://w3id.org/diplograph/ontology#isoAlpha3> ?c }"
    result = cli("query", graph_file, text, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert sorted(result.stdout.split()[1:]) == ["CHN", "DEU", "FRA", "JPN"]


def test_cli_query_takes_query_option(graph_file):
    result = cli("query", graph_file, "-q", SELECT_STATES)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(4 rows)"


def test_cli_query_takes_a_query_file(graph_file, tmp_path):
    query_file = tmp_path / "states.rq"
    query_file.write_text(SELECT_STATES, encoding="utf-8")
    result = cli("query", graph_file, "--file", query_file, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 4


def test_cli_query_named_who_met_whom(graph_file):
    result = cli("query", graph_file, "--named", "who-met-whom", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["source"], r["target"], r["date"]) for r in rows] == [
        ("France", "Germany", "2024-05-06"),
        ("Japan", "China", ""),
    ]


def _readme_block(after: str, fence: str = "```\n") -> str:
    """The text of the first ``fence`` block of README.md after the words ``after``."""
    readme = (ROOT / "README.md").read_text("utf-8")
    start = readme.index(fence, readme.index(after) + len(after)) + len(fence)
    return readme[start : readme.index("```", start)]


def test_readme_example_outputs_are_the_example_graphs():
    result = cli("query", EXAMPLE_GRAPH, "--named", "who-met-whom")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == _readme_block("The `who-met-whom` query above prints")
    text = _readme_block("A SPARQL query for", "```sparql\n")
    result = cli("query", EXAMPLE_GRAPH, "--query", text)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == _readme_block(text + "```")


def test_cli_query_pages_a_named_query(graph_file):
    def rows(*options: str) -> list[tuple[str, str]]:
        result = cli("query", graph_file, "--named", "who-met-whom", "--format", "csv", *options)
        assert result.exit_code == 0, result.stderr
        return [(r["source"], r["date"]) for r in csv.DictReader(io.StringIO(result.stdout))]

    assert rows("--limit", "1") == [("France", "2024-05-06")]
    assert rows("--offset", "1") == [("Japan", "")]
    assert rows("--offset", "1", "--limit", "1") == [("Japan", "")]
    assert rows("--offset", "2") == []
    assert rows("--all") == rows()


def test_cli_query_page_options_need_a_paged_query(graph_file):
    line = one_error_line(cli("query", graph_file, "--named", "event-counts", "--limit", "5"))
    assert "E044" not in line and "--limit pages a paged query" in line
    line = one_error_line(cli("query", graph_file, "--named", "posts", "--all", "--limit", "5"))
    assert "--limit N or --all, not both" in line


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_cli_query_named_actor_with_bind_in_each_format(graph_file, fmt):
    result = cli("query", graph_file, "--named", "actor", "--bind", "name=Japan", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "ACCUSE" in result.stdout
    assert "REJECT" in result.stdout
    assert result.stderr == ""


def test_cli_query_ask_prints_true(graph_file):
    result = cli("query", graph_file, "-q", "ASK { ?s ?p ?o }")
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_cli_query_ask_prints_false(graph_file):
    result = cli("query", graph_file, "-q", "ASK { ?s <urn:x:nothing> ?o }")
    assert (result.exit_code, result.stdout) == (0, "false\n")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", '{"head": {}, "boolean": true}\n'),
        ("csv", "_askResult\r\ntrue\r\n"),
        ("tsv", "?_askResult\ntrue\n"),
        ("table", "true\n"),
    ],
)
def test_cli_query_ask_in_each_format(graph_file, fmt, expected):
    result = cli("query", graph_file, "-q", "ASK { ?s ?p ?o }", "--format", fmt)
    # stdout_bytes: CliRunner's stdout turns CRLF (CSV's line ends) into LF
    assert (result.exit_code, result.stdout_bytes.decode()) == (0, expected), result.stderr


def test_cli_query_ask_json_reads_back_with_rdflib(graph_file):
    result = cli("query", graph_file, "-q", "ASK { ?s <urn:x:nothing> ?o }", "--format", "json")
    parsed = Result.parse(io.BytesIO(result.stdout.encode()), format="json")
    assert (parsed.type, parsed.askAnswer) == ("ASK", False)


def test_cli_query_construct_prints_turtle(graph_file):
    text = PREFIXES + "CONSTRUCT { ?s dgo:isoAlpha3 ?c } WHERE { ?s dgo:isoAlpha3 ?c }"
    result = cli("query", graph_file, "-q", text)
    assert result.exit_code == 0, result.stderr
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 4


def test_cli_query_malformed_sparql_fails_in_one_line(graph_file):
    line = one_error_line(cli("query", graph_file, "-q", "SELECT ?s WHERE { ?s ?p "))
    assert "invalid SPARQL query" in line


def test_cli_query_unknown_named_lists_the_choices(graph_file):
    line = one_error_line(cli("query", graph_file, "--named", "who-met"))
    assert "'who-met'" in line
    for name in named_queries():
        assert name in line


def test_named_queries_declare_their_bindings():
    for name, text in named_queries().items():
        declared = declared_bindings(text)
        assert declared == ({"name": (True, declared["name"][1])} if name == "actor" else {})
    assert "label" in declared_bindings(named_query("actor"))["name"][1]


def test_declared_bindings_read_the_header_only():
    text = "# bind: a (required) - one\n#bind: ?b\n\nSELECT * { ?s ?p ?o }\n# bind: c (required)"
    assert declared_bindings(text) == {"a": (True, "one"), "b": (False, "")}


@pytest.mark.parametrize(
    ("name", "bindings", "code", "says"),
    [
        ("actor", {}, "E045", "needs a value for 'name'"),
        ("actor", {"nme": "Japan"}, "E046", "has no binding 'nme'"),
        ("actor", {"name": "Japan", "x": "1"}, "E046", "has no binding 'x'"),
        ("posts", {"name": "Japan"}, "E046", "it takes no bindings"),
    ],
)
def test_api_query_checks_a_named_querys_bindings(graph_file, name, bindings, code, says):
    with pytest.raises(DiplographError) as caught:
        api.query([graph_file], named=name, bindings=bindings)
    assert caught.value.code == code
    assert says in caught.value.message
    if name == "actor":
        assert "its bindings: name (required" in caught.value.message


def test_api_query_named_accepts_its_declared_bindings(graph_file):
    rows = list(api.query([graph_file], named="actor", bindings={"?name": "Japan"}))
    assert rows
    assert list(api.query([graph_file], named="event-counts"))


def test_cli_query_named_actor_without_bind_fails_listing_the_bindings(graph_file):
    line = one_error_line(cli("query", graph_file, "--named", "actor"))
    assert "needs a value for 'name'" in line
    assert "--bind NAME=VALUE" in line
    assert "its bindings: name (required" in line


def test_cli_query_named_with_an_unknown_bind_fails_listing_the_bindings(graph_file):
    line = one_error_line(cli("query", graph_file, "--named", "actor", "--bind", "nmae=Japan"))
    assert "has no binding 'nmae'" in line
    assert "its bindings: name" in line
    line = one_error_line(cli("query", graph_file, "--named", "timeline", "--bind", "name=Japan"))
    assert "it takes no bindings" in line


def test_cli_query_text_takes_any_bind(graph_file):
    text = PREFIXES + "SELECT ?s WHERE { ?s dgo:isoAlpha3 ?code }"
    result = cli("query", graph_file, "-q", text, "--bind", "code=JPN")
    assert result.exit_code == 0, result.stderr


def test_cli_query_bind_without_equals_fails(graph_file):
    line = one_error_line(cli("query", graph_file, "--named", "actor", "--bind", "name"))
    assert "NAME=VALUE" in line


def test_cli_query_without_a_query_fails(graph_file):
    line = one_error_line(cli("query", graph_file))
    assert "--named" in line


@pytest.mark.parametrize("missing", ["nowhere.ttl", "nowhere.trig"])
def test_cli_query_missing_graph_names_the_file(graph_file, tmp_path, missing):
    line = one_error_line(cli("query", graph_file, tmp_path / missing, "-q", "ASK {}"))
    assert missing in line
    assert "no such file" in line


def test_cli_query_unreadable_graph_names_the_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle\n", encoding="utf-8")
    line = one_error_line(cli("query", bad, "-q", "ASK {}"))
    assert "broken.ttl" in line
    assert "cannot read RDF" in line


def test_cli_query_unknown_graph_suffix_fails(tmp_path):
    odd = tmp_path / "graph.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    line = one_error_line(cli("query", odd, "-q", "ASK {}"))
    assert "graph.csv" in line
    assert ".trig" in line


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_cli_tables_write_the_gold_columns(graph_file, fmt):
    for command, columns, count in (("events", EVENT_COLUMNS, 4), ("entities", ENTITY_COLUMNS, 5)):
        result = cli(command, graph_file, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        if fmt == "jsonl":
            rows = [json.loads(line) for line in result.stdout.splitlines()]
            assert all(list(row) == columns for row in rows)
        else:
            reader = csv.DictReader(io.StringIO(result.stdout))
            rows = list(reader)
            assert reader.fieldnames == columns
        assert len(rows) == count


def test_cli_tables_missing_graph_fails(tmp_path):
    for command in ("events", "entities"):
        line = one_error_line(cli(command, tmp_path / "absent.trig"))
        assert "absent.trig" in line


def test_query_doctests():
    import doctest

    from diplograph import query

    failures, tried = doctest.testmod(query)
    assert (failures, tried > 0) == (0, True)


def test_queries_over_files_run_on_oxigraph_with_the_store_graph_names():
    """Files are queried on the same engine as stores (issue 15): SPARQL that rdflib's
    engine refused runs, and a file of one article is the graph ``graph/ID``."""
    construct = "CONSTRUCT WHERE { ?event a dgo:Meeting } LIMIT 1"
    assert len(api.query([EXAMPLE_GRAPH], text=construct)) == 1
    names = {str(row[0]) for row in api.query([EXAMPLE_GRAPH], text="SELECT ?g { GRAPH ?g { } }")}
    assert names == {
        "https://w3id.org/diplograph/id/graph/zhao-leji-pyongyang",
        "https://w3id.org/diplograph/ontology",
    }
