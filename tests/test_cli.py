"""The command line: bad input fails in one line and writes nothing; the happy path works.

Most tests run the typer app in-process (``CliRunner``); a few run the installed console
script in a real subprocess. Extracted events are not asserted here, only structure.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from diplograph import __version__
from diplograph.cli import app
from diplograph.export import ENTITY_COLUMNS, EVENT_COLUMNS
from diplograph.query import named_queries, named_query, open_graph, query_store, run_query
from diplograph.rdf.io import read_graphs
from diplograph.vocab import DGO

DATA = Path(__file__).parent / "data" / "cli"
TWO_ARTICLES = DATA / "two-articles.jsonl"
SUFFIXES = [".ttl", ".trig", ".nq", ".nt", ".jsonld", ".rdf"]
CONSOLE_SCRIPT = Path(sys.executable).parent / "diplograph"
GOOD_LINE = '{"id": "good", "text": "France and Germany signed a trade agreement in Berlin."}'


def cli(*args: object, input: str | None = None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def script(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    if not CONSOLE_SCRIPT.is_file():
        pytest.skip(f"console script not installed at {CONSOLE_SCRIPT}")
    return subprocess.run(
        [str(CONSOLE_SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def one_error_line(code: int, stderr: str) -> str:
    """The single ``diplograph: error: ...`` line of a failed run (exit code 2 for usage, 3
    for bad input: docs/errors.md)."""
    assert code in (2, 3), stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("diplograph: error: ")
    assert "Traceback" not in stderr
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Everything in ``folder`` (hidden ``.part`` files too), relative names."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


# --version and --help


def test_cli_version_prints_the_version():
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"diplograph {__version__}\n"


def test_cli_help_lists_the_commands():
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("build", "query", "events", "entities"):
        assert command in result.stdout


COMMANDS = sorted(typer.main.get_command(app).commands)


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_cli_help_shows_clean_metavars(command):
    args = ["--help"] if command is None else [command, "--help"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Usage:" in text
    for artifact in ("<bool>", "<str>", "<int", "<float", "<path>", "list[", "{", "}"):
        assert artifact not in text, (artifact, text)
    # arguments in capitals, with their dots: INPUT..., [GRAPH...]
    if command == "build":
        assert "build [OPTIONS] INPUT..." in text
    if command == "query":
        assert "[GRAPH...]" in text and "NAME=VALUE" in text and "--store" in text


def test_cli_remove_help_speaks_of_ids_not_files():
    result = CliRunner().invoke(app, ["remove", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "remove [OPTIONS] DOC_ID..." in result.stdout
    assert "by their ids" in result.stdout
    assert "when no file is given" not in result.stdout


def test_console_script_version_and_help():
    version = script("--version")
    assert (version.returncode, version.stdout) == (0, f"diplograph {__version__}\n")
    helped = script("--help")
    assert helped.returncode == 0
    for command in ("build", "query", "events", "entities"):
        assert command in helped.stdout


# bad input: one line on stderr, exit code 2, nothing written


def _write_inputs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty": folder / "empty.txt",
        "binary": folder / "binary.txt",
        "json": folder / "broken.jsonl",
        "date": folder / "dated.jsonl",
        "good": folder / "good.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"Envoys\x00\x01\x02met")
    files["json"].write_text(GOOD_LINE + '\n{"id": "second", "text": "x"\n', encoding="utf-8")
    files["date"].write_text(
        GOOD_LINE
        + "\n"
        + '{"id": "two", "text": "Japan and China held talks."}\n'
        + '{"id": "three", "published": "2024-13-45", "text": "Envoys met in Oslo."}\n',
        encoding="utf-8",
    )
    files["good"].write_text("France and Germany met in Paris.\n", encoding="utf-8")
    return files


#: case -> (input key or path name, extra options, output name, words the message must hold)
BAD_INPUTS = {
    "missing-file": ("missing.txt", [], "graph.ttl", ["missing.txt", "no such file"]),
    "empty-file": ("empty", [], "graph.ttl", ["empty.txt", "empty"]),
    "binary-file": ("binary", [], "graph.ttl", ["binary.txt", "not a text file"]),
    "invalid-json": ("json", [], "graph.ttl", ["broken.jsonl:2", "invalid JSON"]),
    "bad-published-line": ("date", [], "graph.ttl", ["dated.jsonl:3", "'2024-13-45'"]),
    "bad-published-line-nq": ("date", [], "graph.nq", ["dated.jsonl:3", "'2024-13-45'"]),
    "bad-published-option": (
        "good",
        ["--published", "2024-13-45"],
        "graph.ttl",
        ["--published", "'2024-13-45'", "invalid date"],
    ),
    "unknown-model": (
        "good",
        ["--model", "no_such_pipeline"],
        "graph.ttl",
        ["'no_such_pipeline'", "not installed"],
    ),
    "unsupported-suffix": ("good", [], "graph.xyz", ["graph.xyz", "'.xyz'", ".ttl", ".jsonld"]),
    "no-suffix": ("good", [], "graph", ["graph", "unsupported output format"]),
}
#: cases that read an article body, so the pipeline is loaded first
NEEDS_MODEL = {"empty-file", "binary-file", "invalid-json", "bad-published-line"}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=pytest.mark.model)
        if case.removesuffix("-nq") in NEEDS_MODEL
        else case
        for case in BAD_INPUTS
    ],
)
def test_build_bad_input_fails_in_one_line_and_writes_nothing(tmp_path, case):
    source, options, output_name, words = BAD_INPUTS[case]
    files = _write_inputs(tmp_path / "in")
    path = files.get(source, tmp_path / "in" / source)
    out = tmp_path / "out"
    result = cli("build", path, "-o", out / output_name, *options)
    line = one_error_line(result.exit_code, result.stderr)
    for word in words:
        assert word in line
    assert result.stdout == ""
    assert not out.exists(), leftovers(out)


@pytest.mark.model
@pytest.mark.parametrize("suffix", [".ttl", ".nq"])
def test_build_bad_third_line_keeps_the_old_output(tmp_path, suffix):
    files = _write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    graph = out / f"graph{suffix}"
    graph.write_text("old content\n", encoding="utf-8")
    result = cli("build", files["date"], "-o", graph)
    assert "dated.jsonl:3" in one_error_line(result.exit_code, result.stderr)
    assert graph.read_text(encoding="utf-8") == "old content\n"
    assert leftovers(out) == [graph.name]


def test_build_output_that_is_a_folder_fails_before_any_work(tmp_path):
    folder = tmp_path / "graph.ttl"
    folder.mkdir()
    good = tmp_path / "good.txt"
    good.write_text("France and Germany met in Paris.\n", encoding="utf-8")
    result = cli("build", good, "-o", folder, "--model", "no_such_pipeline")
    line = one_error_line(result.exit_code, result.stderr)
    assert "graph.ttl" in line
    assert "it is a folder" in line
    assert leftovers(tmp_path) == ["good.txt", "graph.ttl"]


@pytest.mark.model
def test_console_script_bad_third_line_writes_nothing(tmp_path):
    files = _write_inputs(tmp_path / "in")
    done = script("build", files["date"], "-o", tmp_path / "out" / "graph.nq")
    line = one_error_line(done.returncode, done.stderr)
    assert "dated.jsonl:3" in line
    assert "invalid date '2024-13-45'" in line
    assert done.stdout == ""
    assert not (tmp_path / "out").exists()


def test_console_script_missing_file_fails_in_one_line(tmp_path):
    done = script("build", "nowhere.jsonl", "-o", "graph.ttl", cwd=tmp_path)
    line = one_error_line(done.returncode, done.stderr)
    assert line == "diplograph: error: nowhere.jsonl: no such file or folder"
    assert leftovers(tmp_path) == []


# the happy path: a two-article JSON Lines file, built into every format


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("built")
    paths = {}
    for suffix in SUFFIXES:
        path = folder / f"news{suffix}"
        result = cli("build", TWO_ARTICLES, "-o", path)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"2 articles -> {path}\n"
        assert result.stdout == ""
        paths[suffix] = path
    assert leftovers(folder) == sorted(p.name for p in paths.values())
    return paths


def _triples(path: Path) -> set:
    return {(s, p, o) for s, p, o, _ in read_graphs([path]).quads((None, None, None, None))}


@pytest.mark.model
def test_build_writes_every_format_with_the_same_triples(built):
    reference = _triples(built[".trig"])
    assert len(reference) > 50
    for suffix, path in built.items():
        assert path.stat().st_size > 0
        assert _triples(path) == reference, suffix


@pytest.mark.model
def test_build_output_has_the_usual_permissions(built):
    umask = os.umask(0o022)
    os.umask(umask)
    assert built[".ttl"].stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.model
def test_build_reads_json_lines_from_stdin(tmp_path):
    out = tmp_path / "stdin.nt"
    result = cli("build", "-", "-o", out, input=GOOD_LINE + "\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"1 article -> {out}",
        'warning: 1 of 1 article has no publication date (good): their relative dates ("on'
        ' Monday") stay unresolved; give --published YYYY-MM-DD',
    ]
    assert "<https://w3id.org/diplograph/id/doc/good>" in out.read_text(encoding="utf-8")


WIRE = "Envoys Meet in Riyadh\n\nRIYADH, March 20, 2025 (Reuters) - Saudi Arabia hosted talks.\n"


@pytest.mark.model
def test_build_dates_a_text_article_from_its_dateline(tmp_path):
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    out = tmp_path / "wire.ttl"
    result = cli("build", tmp_path / "wire.txt", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"1 article -> {out}\n1 article dated from their dateline\n"
    graph = Graph().parse(out)
    doc = URIRef("https://w3id.org/diplograph/id/doc/wire")
    assert graph.value(doc, DCTERMS.issued).toPython() == dt.date(2025, 3, 20)
    assert graph.value(doc, DGO.dateline) == Literal("RIYADH, March 20, 2025 (Reuters) -")
    # --published comes first: no dateline is read, nothing is said
    given = cli("build", tmp_path / "wire.txt", "-o", out, "--published", "2025-03-01")
    assert given.stderr == f"1 article -> {out}\n"
    graph = Graph().parse(out)
    assert graph.value(doc, DCTERMS.issued).toPython() == dt.date(2025, 3, 1)
    assert graph.value(doc, DGO.dateline) is None
    # a build into a store says the same
    store = tmp_path / "store"
    stored = cli("build", tmp_path / "wire.txt", "--store", store)
    assert stored.stderr == f"1 article -> {store}\n1 article dated from their dateline\n"


@pytest.mark.model
def test_build_warns_once_counting_the_undated_articles(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a-wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "b-yearless.txt").write_text(
        "KYIV, March 3 (Reuters) - Ukraine and Poland signed a deal.\n", encoding="utf-8"
    )
    for name in ("c-plain", "d-plain", "e-plain", "f-plain"):
        (folder / f"{name}.txt").write_text("France and Germany signed a deal.\n", "utf-8")
    out = tmp_path / "news.nt"
    result = cli("build", folder, "-o", out)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:2] == [f"6 articles -> {out}", "1 article dated from their dateline"]
    assert len(lines) == 3
    assert lines[2].startswith(
        "warning: 5 of 6 articles have no publication date (b-yearless, c-plain, d-plain and 2"
        " more); 1 has a dateline without a year and no full date near it: "
    )


@pytest.mark.model
def test_console_script_builds_and_queries(tmp_path):
    graph = tmp_path / "news.ttl"
    done = script("build", TWO_ARTICLES, "-o", graph, "--published", "2024-05-01")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"2 articles -> {graph}\n"
    asked = script("query", graph, "ASK { ?s a <https://w3id.org/diplograph/ontology#Article> }")
    assert (asked.returncode, asked.stdout) == (0, "true\n")


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_query_named_who_met_whom_in_each_format(built, fmt):
    result = cli("query", built[".trig"], "--named", "who-met-whom", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    columns = ["date", "type", "source", "target", "place", "doc"]
    if fmt == "table":
        assert [c.strip() for c in result.stdout.splitlines()[0].split("|")] == columns
    elif fmt == "json":
        assert json.loads(result.stdout)["head"]["vars"] == columns
    elif fmt == "csv":
        assert next(csv.reader(io.StringIO(result.stdout))) == columns
    else:
        assert result.stdout.splitlines()[0].split("\t") == [f"?{c}" for c in columns]


@pytest.mark.model
def test_query_named_actor_with_bind(built):
    result = cli("query", built[".nq"], "--named", "actor", "--bind", "name=Japan")
    assert result.exit_code == 0, result.stderr
    header = [c.strip() for c in result.stdout.splitlines()[0].split("|")]
    assert header == ["role", "category", "label", "date", "modality", "negated", "evidence"]


@pytest.mark.model
def test_query_text_file_and_option_agree(built, tmp_path):
    text = "SELECT ?doc WHERE { ?a <http://purl.org/dc/terms/identifier> ?doc } ORDER BY ?doc"
    query_file = tmp_path / "docs.rq"
    query_file.write_text(text, encoding="utf-8")
    runs = [
        cli("query", built[".ttl"], text, "--format", "csv"),
        cli("query", built[".ttl"], "-q", text, "--format", "csv"),
        cli("query", built[".ttl"], "--query", text, "--format", "csv"),
        cli("query", built[".ttl"], "--file", query_file, "--format", "csv"),
    ]
    for result in runs:
        assert result.exit_code == 0, result.stderr
        assert result.stdout.split() == ["doc", "paris-talks", "tokyo-protest"]


@pytest.mark.model
def test_query_over_several_graph_files(built):
    text = (
        "SELECT (COUNT(DISTINCT ?a) AS ?n) "
        "WHERE { ?a a <https://w3id.org/diplograph/ontology#Article> }"
    )
    result = cli("query", built[".jsonld"], built[".rdf"], "-q", text, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split() == ["n", "2"]


@pytest.mark.model
def test_query_ask_and_construct(built):
    yes = cli("query", built[".trig"], "-q", "ASK { ?s ?p ?o }")
    no = cli("query", built[".trig"], "-q", "ASK { ?s <urn:x:none> ?o }")
    assert (yes.stdout, no.stdout) == ("true\n", "false\n")
    construct = cli(
        "query",
        built[".trig"],
        "-q",
        "CONSTRUCT { ?d a <urn:x:Doc> } WHERE { ?d <http://purl.org/dc/terms/identifier> ?i }",
    )
    assert construct.exit_code == 0, construct.stderr
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 2


@pytest.mark.model
def test_query_errors_on_the_built_graph(built):
    bad = cli("query", built[".trig"], "-q", "SELECT ?s WHERE { ?s ?p")
    assert "invalid SPARQL query" in one_error_line(bad.exit_code, bad.stderr)
    unknown = cli("query", built[".trig"], "--named", "who-met")
    line = one_error_line(unknown.exit_code, unknown.stderr)
    assert all(name in line for name in named_queries())


@pytest.mark.model
def test_events_rows_have_exactly_the_gold_keys(built):
    result = cli("events", built[".trig"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, "the two articles should give at least one event"
    for row in rows:
        assert list(row) == EVENT_COLUMNS
        assert row["doc"] in {"paris-talks", "tokyo-protest"}
        assert isinstance(row["source"], list) and isinstance(row["target_states"], list)
        assert isinstance(row["negated"], bool)
        assert isinstance(row["confidence"], float)
        assert row["modality"] in {"asserted", "reported", "alleged", "expected"}


def test_events_table_leaves_out_low_confidence_unless_asked():
    example = Path(__file__).parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"
    default, everything = cli("events", example), cli("events", example, "--min-confidence", 0)
    assert default.exit_code == everything.exit_code == 0
    kept = [json.loads(line) for line in default.stdout.splitlines()]
    listed = [json.loads(line) for line in everything.stdout.splitlines()]
    assert kept == [row for row in listed if row["confidence"] >= 0.25]
    assert len(kept) < len(listed)
    bad = cli("events", example, "--min-confidence", 2)
    assert bad.exit_code == 2


EXAMPLE_GRAPH = Path(__file__).parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"
EVIDENCE_QUERY = (
    "SELECT ?text WHERE { ?s <https://w3id.org/diplograph/ontology#text> ?text } ORDER BY ?text"
)


def _table_cells(stdout: str) -> list[list[str]]:
    """The cells of a table printed by ``--format table``: header and rows, no rule or count."""
    lines = stdout.splitlines()
    assert lines[-1].startswith("(") and set(lines[1]) <= {"-", "+"}
    spans, start = [], 0
    for rule in lines[1].split("-+-"):  # the rule gives each column's width
        spans.append((start, start + len(rule)))
        start += len(rule) + 3
    return [[line[a:b].strip() for a, b in spans] for line in [lines[0], *lines[2:-1]]]


@pytest.mark.parametrize(
    ("command", "column"),
    [
        (["events", EXAMPLE_GRAPH, "--min-confidence", 0], "evidence"),
        (["query", EXAMPLE_GRAPH, "--query", EVIDENCE_QUERY], "text"),
    ],
)
def test_tables_cut_cells_at_width_or_show_them_full(command, column):
    whole = {
        "events": lambda: [r["evidence"] for r in _jsonl(cli(*command).stdout)],
        "query": lambda: [
            b["text"]["value"]
            for b in json.loads(cli(*command, "--format", "json").stdout)["results"]["bindings"]
        ],
    }[command[0]]()
    assert max(map(len, whole)) > 60
    table = [] if command[0] == "query" else ["--format", "table"]
    for options, width in (([], 60), (["--width", 25], 25), (["--full"], None)):
        result = cli(*command, *table, *options)
        assert result.exit_code == 0, result.stderr
        header, *rows = _table_cells(result.stdout)
        cells = [row[header.index(column)] for row in rows]
        assert len(cells) == len(whole)
        for cell, text in zip(cells, whole, strict=True):
            if width is None or len(text) <= width:
                assert cell == text
            else:
                assert cell == text[: width - 1] + "\u2026"
        if width is None:
            assert max(map(len, result.stdout.splitlines())) > 60


def test_tables_entities_table_lists_the_jsonl_rows():
    rows = _jsonl(cli("entities", EXAMPLE_GRAPH).stdout)
    header, *cells = _table_cells(cli("entities", EXAMPLE_GRAPH, "--format", "table").stdout)
    assert header == ENTITY_COLUMNS
    shown = [["" if row[c] is None else str(row[c]) for c in ENTITY_COLUMNS] for row in rows]
    assert cells == shown


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--width", 20, "--full"], "give --width N or --full, not both"),
        (
            ["--full", "--format", "csv"],
            "--width and --full shape --format table, not --format csv",
        ),
        (["--width", 0, "--format", "table"], None),
    ],
)
def test_tables_width_options_fail_in_one_line(options, message):
    result = cli("events", EXAMPLE_GRAPH, *options)
    assert result.exit_code == 2
    if message:
        assert one_error_line(result.exit_code, result.stderr) == f"diplograph: error: {message}"


def _jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.model
def test_entities_rows_have_exactly_the_gold_keys(built):
    result = cli("entities", built[".nq"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert list(row) == ENTITY_COLUMNS
        assert row["type"] in {"State", "Person", "Organization", "Place"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("command", "columns"), [("events", EVENT_COLUMNS), ("entities", ENTITY_COLUMNS)]
)
def test_tables_csv_has_a_header_and_the_jsonl_rows(built, command, columns):
    as_csv = cli(command, built[".ttl"], "--format", "csv")
    as_jsonl = cli(command, built[".ttl"])
    assert as_csv.exit_code == as_jsonl.exit_code == 0
    reader = csv.DictReader(io.StringIO(as_csv.stdout))
    assert reader.fieldnames == columns
    assert len(list(reader)) == len(as_jsonl.stdout.splitlines())


@pytest.mark.model
def test_tables_are_the_same_from_every_format(built):
    reference = cli("events", built[".trig"]).stdout
    for suffix in (".nq", ".jsonld"):
        assert cli("events", built[suffix]).stdout == reference, suffix


@pytest.mark.model
def test_build_with_two_processes_gives_the_same_graph(built, tmp_path):
    out = tmp_path / "news.nq"
    result = cli("build", TWO_ARTICLES, "-o", out, "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes() == built[".nq"].read_bytes()
    files = _write_inputs(tmp_path / "in")
    failed = cli("build", files["date"], "-o", tmp_path / "out" / "bad.nq", "--jobs", "2")
    assert "dated.jsonl:3" in one_error_line(failed.exit_code, failed.stderr)
    assert not (tmp_path / "out").exists()


#: what the commands that only read a graph must not load: the language stage, and rdflib's
#: SPARQL parser (through oxrdflib) for a query on a store, which runs on Oxigraph
NOT_FOR_READING = ("spacy", "thinc", "diplograph.nlp.extract")
_MODULES_AFTER = """
import sys
from diplograph.cli import app
sys.argv = ["diplograph", *sys.argv[1:]]
try:
    app()
except SystemExit as exc:
    if exc.code:
        raise
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.fixture(scope="module")
def example_store(tmp_path_factory) -> Path:
    """A store holding the committed example graph (no spaCy needed to make it)."""
    import pyoxigraph as ox

    from diplograph.rdf.store import with_writer, write_graph

    example = Path(__file__).parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"
    name = ox.NamedNode("https://w3id.org/diplograph/id/graph/zhao-leji-pyongyang")
    lines = ox.serialize(ox.parse(path=example), format=ox.RdfFormat.N_TRIPLES).decode()
    path = tmp_path_factory.mktemp("example") / "store"
    with_writer(path, lambda store: write_graph(store, name, lines))
    return path


def _modules_loaded_by(*args: object, cwd: Path) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", _MODULES_AFTER, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert run.returncode == 0, run.stderr
    return set(run.stderr.split())


@pytest.mark.parametrize(
    "args",
    [
        ("query", "--named", "who-met-whom"),
        ("query", "--named", "actor", "--bind", "name=Zhao Leji", "--format", "json"),
        ("query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "--format", "csv"),
        ("events",),
        ("entities", "--format", "csv"),
        ("export", "--format", "nq"),
        ("--help",),
        ("serve", "--help"),
    ],
)
def test_reading_commands_do_not_load_spacy(example_store, tmp_path, args):
    store = [] if "--help" in args else ["--store", example_store]
    loaded = _modules_loaded_by(*args, *store, cwd=tmp_path)
    assert "diplograph.cli" in loaded
    assert not {m for m in loaded if m.split(".")[0] in NOT_FOR_READING or m in NOT_FOR_READING}
    if args[0] == "query" and "--format" not in args:
        # a table of a query on a store: Oxigraph answers, rdflib's SPARQL stays unloaded (its
        # result writers, for --format json or csv, load it)
        assert "rdflib.plugins.sparql.parser" not in loaded and "oxrdflib" not in loaded


@pytest.mark.parametrize(
    "text",
    [
        *(named_query(name) for name in named_queries() if name != "actor"),
        "ASK { ?s a dgo:Person }",
        "CONSTRUCT { ?s skos:prefLabel ?o } WHERE { ?s skos:prefLabel ?o }",
    ],
)
def test_query_store_answers_as_the_store_dataset(example_store, text):
    """``query --store`` runs on pyoxigraph (``query_store``): the same rows as through the
    store's rdflib Dataset, and the same prefixes known."""
    dataset = open_graph(store=example_store)
    try:
        through_rdflib = run_query(dataset, text)
    finally:
        dataset.close()
    direct = query_store(example_store, text)
    assert direct.type == through_rdflib.type
    if direct.type == "SELECT":
        assert direct.vars == through_rdflib.vars and direct.bindings == through_rdflib.bindings
        assert direct.bindings
    elif direct.type == "ASK":
        assert direct.askAnswer is through_rdflib.askAnswer is True
    else:
        assert set(direct.graph) == set(through_rdflib.graph) and len(direct.graph) > 0
