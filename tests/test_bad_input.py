"""Bad input of every kind, generated here: each case ends in one coded line on stderr and
the exit code of its class (2 usage, 3 input data, 4 remote service), never a traceback,
and leaves nothing half-written.

The cases are made in the tests (no fixture files): malformed and hostile JSON, lone
surrogates, out-of-range numbers and dates, binary and non-UTF-8 bytes, devices and pipes,
folders where files belong and files where folders belong, bad SPARQL and bad options.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diplograph import api
from diplograph.cli import app
from diplograph.errors import EXIT_INPUT, EXIT_REMOTE, EXIT_USAGE, DiplographError, Errors
from diplograph.ingest import read_articles
from diplograph.rdf import store as stores
from diplograph.rdf.io import atomic_output
from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"
GOOD = {"id": "good", "text": "France and Germany signed a trade agreement in Berlin."}


def line(**fields: object) -> str:
    return json.dumps({**GOOD, **fields})


# JSON Lines cases: (name, file bytes, expected error code). Each is one article's line
# unless the bytes say otherwise.
FIELDS = ("id", "text", "title", "source", "url", "published")
JSONL: list[tuple[str, bytes, str]] = [
    ("truncated object", b'{"id": "a", "text": "x"', "E004"),
    ("trailing comma", b'{"id": "a", "text": "x",}', "E004"),
    ("single quotes", b"{'id': 'a', 'text': 'x'}", "E004"),
    ("bare word", b"hello", "E004"),
    ("two objects on a line", b'{"id": "a", "text": "x"} {"id": "b", "text": "y"}', "E004"),
    ("unterminated string", b'{"id": "a", "text": "x}', "E004"),
    ("bad escape", b'{"id": "a", "text": "\\q"}', "E004"),
    ("NUL byte", b'{"id": "a", "text": "x\x00"}', "E003"),
    ("invalid UTF-8 0xff", b'{"id": "a", "text": "\xff"}', "E009"),
    ("invalid UTF-8 continuation", b'{"id": "a", "text": "\xc3\x28"}', "E009"),
    ("overlong UTF-8", b'{"id": "a", "text": "\xc0\xaf"}', "E009"),
    ("truncated UTF-8", b'{"id": "a", "text": "caf\xc3"}', "E009"),
    ("UTF-16 file", line().encode("utf-16"), "E003"),
    ("a list", b"[1, 2, 3]", "E019"),
    ("a string", b'"an article"', "E019"),
    ("a number", b"42", "E019"),
    ("null", b"null", "E019"),
    ("missing id", json.dumps({"text": "x"}).encode(), "E005"),
    ("missing text", json.dumps({"id": "a"}).encode(), "E005"),
    ("empty id", line(id="").encode(), "E014"),
    ("blank id", line(id="   ").encode(), "E014"),
    ("empty file", b"", "E002"),
    ("blank lines only", b"\n\n   \n", "E002"),
    ("byte-order mark only", b"\xef\xbb\xbf\n", "E002"),
    ("boilerplate only", line(text="Advertisement\n").encode(), "E017"),
    ("empty text", line(text="").encode(), "E017"),
    ("duplicate ids", (line() + "\n" + line()).encode(), "E015"),
    ("NaN text", b'{"id": "a", "text": NaN}', "E014"),
    ("Infinity id", b'{"id": Infinity, "text": "x"}', "E014"),
    ("good line then broken", (line() + "\n{broken").encode(), "E004"),
]
JSONL += [
    (f"nested {depth} deep", b'{"id": "a", "text": "x", "extra": ' + b"[" * depth, "E004")
    for depth in (10, 1_000)
]
JSONL += [
    (f"nested {depth} deep, closed", b"[" * depth + b"]" * depth, "E004" if depth > 900 else "E019")
    for depth in (10, 5_000, 100_000)
]
JSONL += [
    (
        f"{digits}-digit number in {field}",
        f'{{"id": "a", "text": "x", "{field}": '.encode() + b"9" * digits + b"}",
        "E004" if digits > 4300 else "E014",
    )
    for field in ("id", "extra")
    for digits in (4_301, 50_000)
]
JSONL += [
    (f"{kind} surrogate in {field}", line(**{field: f"ab{char}c"}).encode(), "E014")
    for field in FIELDS
    for kind, char in (("high", "\ud800"), ("low", "\udfff"))
]
JSONL += [
    (f"{field} is {kind}", line(**{field: value}).encode(), "E014")
    for field in FIELDS
    for kind, value in (("a number", 7), ("a list", ["x"]), ("an object", {"x": 1}), ("true", True))
]
JSONL += [
    (f"published {value!r}", line(published=value).encode(), "E006")
    for value in ("2024-13-01", "2024-02-30", "0000-01-01", "10000-01-01", "yesterday", "13/4/2024")
]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def assert_one_line(exc: DiplographError, code: str, *where: object) -> None:
    message = str(exc)
    assert exc.code == code, message
    assert message.startswith(f"{code}: ") and "\n" not in message
    for part in where:
        assert str(part) in message, message


JSON_FILES = [
    ("nested deeply", b"[" * 100_000 + b"]" * 100_000, "E004"),
    ("a long number", b'[{"id": "a", "text": "x", "n": ' + b"1" * 5_000 + b"}]", "E004"),
    ("surrogate in a list", json.dumps([GOOD, {"id": "b", "text": "\udc80"}]).encode(), "E014"),
    ("list of strings", b'["a", "b"]', "E019"),
    ("extra data", json.dumps(GOOD).encode() + b" {}", "E004"),
    ("unclosed list", b'[{"id": "a", "text": "x"}', "E004"),
    ("empty list", b"[]", "E002"),
]


ONE_DOCUMENT = [
    ("text: binary", "a.txt", b"\x7fELF\x02\x01\x00\x00", "E003"),
    ("text: Latin-1", "a.txt", "Caf\xe9 diplomacy in Paris.".encode("latin-1"), "E009"),
    ("text: empty", "a.txt", b"", "E002"),
    ("text: whitespace", "a.txt", b" \n\t\n", "E002"),
    ("html: binary", "a.html", b"<html>\x00\x01</html>", "E003"),
    ("html: only markup", "a.html", b"<html><body><script>x()</script></body></html>", "E017"),
    ("feed: not XML", "a.rss", b"<rss><channel><item>", "E016"),
    ("feed: wrong root", "a.rss", b"<?xml version='1.0'?><html></html>", "E018"),
    (
        "feed: entity expansion",
        "a.rss",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<rss><channel><item><description>&b;</description></item></channel></rss>",
        "E016",
    ),
    (
        "feed: external entity",
        "a.rss",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><description>&x;</description></item></channel></rss>",
        "E016",
    ),
]


FILES = [
    *((f"jsonl: {name}", "articles.jsonl", data, code) for name, data, code in JSONL),
    *((f"json: {name}", "articles.json", data, code) for name, data, code in JSON_FILES),
    *ONE_DOCUMENT,
]


@pytest.mark.parametrize(
    ("name", "data", "code"), [c[1:] for c in FILES], ids=[c[0] for c in FILES]
)
def test_bad_files_are_one_coded_line_naming_the_file(tmp_path, name, data, code):
    path = write(tmp_path / name, data)
    with pytest.raises(DiplographError) as info:
        list(read_articles([path]))
    assert_one_line(info.value, code, path)


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".json", ".html", ""])
def test_devices_are_refused_not_read_forever(tmp_path, suffix):
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    with pytest.raises(DiplographError) as info:
        list(read_articles([link]))
    assert_one_line(info.value, "E047", link, "character device")


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    pipe = tmp_path / "articles.jsonl"
    os.mkfifo(pipe)
    with pytest.raises(DiplographError) as info:
        list(read_articles([pipe]))  # opening it for reading would wait for a writer
    assert_one_line(info.value, "E047", pipe, "named pipe")


def test_missing_files_and_empty_folders(tmp_path):
    with pytest.raises(DiplographError) as info:
        list(read_articles([tmp_path / "nowhere.jsonl"]))
    assert_one_line(info.value, "E001", tmp_path / "nowhere.jsonl")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DiplographError) as info:
        list(read_articles([tmp_path / "empty"]))
    assert_one_line(info.value, "E010", tmp_path / "empty")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders whatever their mode")
def test_an_unreadable_sub_folder_is_named(tmp_path):
    locked = tmp_path / "corpus" / "locked"
    locked.mkdir(parents=True)
    write(locked / "a.jsonl", line().encode())
    locked.chmod(0)
    try:
        with pytest.raises(DiplographError) as info:
            list(read_articles([tmp_path / "corpus"]))
        assert_one_line(info.value, "E020", locked)
    finally:
        locked.chmod(0o755)


# The command line: each case's arguments ({graph}, {tmp} filled in), its exit class and a
# part of the message.
CLI: list[tuple[str, list[str], int, str]] = [
    (
        "query: bad SPARQL",
        ["query", "{graph}", "SELECT * WHERE { ?s ?p }"],
        EXIT_USAGE,
        "invalid SPARQL",
    ),
    ("query: unknown prefix", ["query", "{graph}", "SELECT * { ?s nope:p ?o }"], EXIT_USAGE, ""),
    ("query: unknown named", ["query", "{graph}", "--named", "nope"], EXIT_USAGE, "who-met-whom"),
    ("query: missing binding", ["query", "{graph}", "--named", "actor"], EXIT_USAGE, "--bind"),
    (
        "query: unknown binding",
        ["query", "{graph}", "--named", "actor", "--bind", "nope=x"],
        EXIT_USAGE,
        "nope",
    ),
    ("query: bind without =", ["query", "{graph}", "--bind", "x", "ASK {}"], EXIT_USAGE, "NAME"),
    ("query: no query", ["query", "{graph}"], EXIT_USAGE, "give a query"),
    ("query: missing file", ["query", "{graph}", "--file", "{tmp}/no.rq"], EXIT_INPUT, "no.rq"),
    ("query: folder as file", ["query", "{graph}", "--file", "{tmp}"], EXIT_INPUT, "{tmp}"),
    (
        "query: binary file",
        ["query", "{graph}", "--file", "{tmp}/binary.rq"],
        EXIT_INPUT,
        "not a text file",
    ),
    ("query: Latin-1 file", ["query", "{graph}", "--file", "{tmp}/latin1.rq"], EXIT_INPUT, "UTF-8"),
    ("query: empty file", ["query", "{graph}", "--file", "{tmp}/empty.rq"], EXIT_INPUT, "empty"),
    ("query: graph missing", ["query", "{tmp}/no.ttl", "ASK {}"], EXIT_INPUT, "no.ttl"),
    ("query: graph is text", ["query", "{tmp}/latin1.ttl", "ASK {}"], EXIT_INPUT, "latin1.ttl"),
    ("query: broken Turtle", ["query", "{tmp}/broken.ttl", "ASK {}"], EXIT_INPUT, "broken.ttl"),
    ("query: store missing", ["query", "--store", "{tmp}/none", "ASK {}"], EXIT_INPUT, "none"),
    ("query: store is a file", ["query", "--store", "{tmp}/empty.rq", "ASK {}"], EXIT_INPUT, ""),
    ("query: store is foreign", ["query", "--store", "{tmp}/other", "ASK {}"], EXIT_INPUT, ""),
    ("query: files and store", ["query", "{graph}", "--store", "{tmp}", "ASK {}"], EXIT_USAGE, ""),
    ("query: negative limit", ["query", "{graph}", "--named", "timeline", "--limit", "-1"], 2, ""),
    ("events: graph missing", ["events", "{tmp}/no.ttl"], EXIT_INPUT, "no.ttl"),
    ("events: store is a file", ["events", "--store", "{tmp}/empty.rq"], EXIT_INPUT, ""),
    ("entities: broken Turtle", ["entities", "{tmp}/broken.ttl"], EXIT_INPUT, "broken.ttl"),
    ("export: unknown suffix", ["export", "{graph}", "-o", "{tmp}/out.xyz"], EXIT_USAGE, ".xyz"),
    ("export: no output", ["export", "{graph}"], EXIT_USAGE, "-o FILE"),
    (
        "export: suffix and format",
        ["export", "{graph}", "-o", "{tmp}/o.ttl", "--format", "nq"],
        EXIT_USAGE,
        "agree",
    ),
    ("export: to a folder", ["export", "{graph}", "-o", "{tmp}"], EXIT_USAGE, ""),
    ("export: graph missing", ["export", "{tmp}/no.ttl", "-o", "{tmp}/o.ttl"], EXIT_INPUT, ""),
    ("remove: store missing", ["remove", "--store", "{tmp}/none", "a"], EXIT_INPUT, "none"),
    ("remove: store is a file", ["remove", "--store", "{tmp}/empty.rq", "a"], EXIT_INPUT, "file"),
    ("remove: foreign folder", ["remove", "--store", "{tmp}/other", "a"], EXIT_INPUT, "other"),
    ("build: -o and --store", ["build", "{tmp}/a.jsonl", "-o", "x.nq", "--store", "s"], 2, ""),
    ("build: input missing", ["build", "{tmp}/nowhere.jsonl", "-o", "{tmp}/o.nq"], EXIT_INPUT, ""),
    ("build: bad date", ["build", "{tmp}/a.jsonl", "--published", "2024-02-30"], 3, "2024-02-30"),
    ("build: bad output suffix", ["build", "{tmp}/a.jsonl", "-o", "{tmp}/o.doc"], 2, ".doc"),
    (
        "build: model is a file",
        ["build", "{tmp}/a.jsonl", "--model", "/etc/passwd"],
        2,
        "not installed",
    ),
    ("build: unknown model", ["build", "{tmp}/a.jsonl", "--model", "xx_nothing"], 2, "installed"),
    (
        "build: jobs and scheduler",
        ["build", "{tmp}/a.jsonl", "-j", "2", "--scheduler", "x:1"],
        2,
        "",
    ),
    ("push: not a URL", ["push", "{graph}", "--endpoint", "ftp://x"], EXIT_USAGE, "ftp://x"),
    ("push: nothing listening", ["push", "{graph}", "--endpoint", "{dead}"], EXIT_REMOTE, ""),
    (
        "push: bad graph prefix",
        ["push", "{graph}", "--endpoint", "{dead}", "--graph-prefix", "ftp://x/"],
        EXIT_USAGE,
        "ftp://x/",
    ),
    ("query: endpoint dead", ["query", "--endpoint", "{dead}", "ASK {}"], EXIT_REMOTE, ""),
    ("events: endpoint dead", ["events", "--endpoint", "{dead}"], EXIT_REMOTE, ""),
]


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("bad-cli")
    write(tmp / "binary.rq", b"\x00\x01SELECT")
    write(tmp / "latin1.rq", 'SELECT * { ?s ?p "caf\xe9" }'.encode("latin-1"))
    write(tmp / "empty.rq", b"")
    write(tmp / "latin1.ttl", "<a> <b> 'caf\xe9' .".encode("latin-1"))
    write(tmp / "broken.ttl", b"<http://a> <http://b> .")
    write(tmp / "a.jsonl", line().encode())
    (tmp / "other").mkdir()
    write(tmp / "other" / "notes.txt", b"someone else's folder")
    dead = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    return {"graph": str(GRAPH), "tmp": str(tmp), "dead": dead}


def fill(text: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize(
    ("args", "exit_code", "part"), [c[1:] for c in CLI], ids=[c[0] for c in CLI]
)
def test_cli_bad_input_is_one_line_with_the_exit_code_of_its_class(places, args, exit_code, part):
    filled = [fill(arg, places) for arg in args]
    result = CliRunner().invoke(app, filled)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == exit_code, result.output
    message = result.stderr.strip()
    assert "Traceback" not in result.output
    if message.startswith("diplograph: error:"):  # ours; typer's usage errors are boxed
        assert "\n" not in message, message
    assert fill(part, places) in result.output


def test_every_error_code_has_an_exit_class():
    codes = [name for name in vars(Errors) if name.startswith("E")]
    assert len(codes) >= 48
    classes = {DiplographError(code, "x").exit_code for code in codes}
    assert classes == {EXIT_USAGE, EXIT_INPUT, EXIT_REMOTE}


def test_docs_list_every_error_with_its_exit_code():
    listed = {}
    for row in (ROOT / "docs" / "errors.md").read_text("utf-8").splitlines():
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        if len(cells) == 3 and cells[0].startswith("E") and cells[0][1:].isdigit():
            listed[cells[0]] = (int(cells[1]), cells[2].replace("\\|", "|"))
    codes = {name: getattr(Errors, name) for name in vars(Errors) if name.startswith("E")}
    assert listed == {
        code: (DiplographError(code, "").exit_code, text) for code, text in codes.items()
    }


def test_errors_survive_a_worker_process():
    import pickle

    exc = pickle.loads(pickle.dumps(DiplographError("E048", "too long")))
    assert (exc.code, exc.message, str(exc)) == ("E048", "too long", "E048: too long")


# Stores and output files


def test_remove_of_several_ids_is_one_transaction(tmp_path, monkeypatch):
    """The removal of several articles is one update: when it fails, every article stays."""
    store = tmp_path / "store"
    stores.write_articles(store, [])  # an empty store
    import pyoxigraph as ox

    from diplograph.rdf import iris

    opened = ox.Store(str(store))
    for doc_id in ("a", "b", "c"):
        stores.write_graph(
            opened, ox.NamedNode(iris.graph_iri(doc_id)), f"<urn:{doc_id}> <urn:p> <urn:o> .\n"
        )
    del opened
    calls = []
    real_update = ox.Store.update

    def failing(self, text, *args, **kwargs):
        calls.append(text)
        raise RuntimeError("disk went away")

    monkeypatch.setattr(ox.Store, "update", failing)
    with pytest.raises(DiplographError) as info:
        stores.remove_articles(store, ["a", "b"])
    assert info.value.code == "E027"
    assert len(calls) == 1  # one transaction for both
    monkeypatch.setattr(ox.Store, "update", real_update)
    with stores.reading(store) as opened:
        assert stores.article_ids(opened) == ["a", "b", "c"]
    assert stores.remove_articles(store, ["a", "b"]) == 2
    with stores.reading(store) as opened:
        assert stores.article_ids(opened) == ["c"]
        assert len(list(opened.quads_for_pattern(None, None, None, ox.DefaultGraph()))) > 1


def test_a_store_whose_making_was_cut_short_is_made_on_the_next_run(tmp_path):
    """Killed after the ontology graph was committed, before the marker: the folder is
    finished by the next build instead of refused forever."""
    store = tmp_path / "store"
    stores.write_articles(store, [])
    (store / stores.MARKER).unlink()
    assert not stores.is_store(store)
    stores.write_articles(store, [])
    assert stores.is_store(store)
    with stores.reading(store) as opened:
        assert opened.contains_named_graph(stores.ONTOLOGY_GRAPH)


def test_a_killed_writer_leaves_no_part_file_after_the_next_run(tmp_path):
    """A process killed while writing an output leaves its temporary file; the next output
    to the same path removes it (its process is gone), and a live writer's is kept."""
    output = tmp_path / "sub" / "out.nq"
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from diplograph.rdf.io import atomic_output\n"
        "with atomic_output(Path(sys.argv[1])) as part:\n"
        "    part.write_text('half')\n"
        "    print(part, flush=True)\n"
        "    time.sleep(60)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(output)], stdout=subprocess.PIPE, text=True, env=env
    )
    left = Path(writer.stdout.readline().strip())
    live = subprocess.Popen(
        [sys.executable, "-c", code, str(output)], stdout=subprocess.PIPE, text=True, env=env
    )
    alive = Path(live.stdout.readline().strip())
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    assert left.exists() and alive.exists()
    with atomic_output(output) as part:
        part.write_text("whole")
    assert output.read_text() == "whole"
    assert not left.exists()  # its process is gone
    assert alive.exists()  # another run still writing keeps its file
    live.kill()
    live.wait()


def test_a_write_that_fails_in_the_block_is_one_coded_line(tmp_path):
    output = tmp_path / "out.nq"
    with pytest.raises(DiplographError) as info, atomic_output(output):
        raise OSError(28, "No space left on device")
    assert_one_line(info.value, "E021", output, "No space left")
    assert list(tmp_path.iterdir()) == []


# With the model: over-long texts, dates at the calendar's ends, a bad article mid-build


@pytest.mark.model
def test_over_long_text_is_refused_naming_the_limit(tmp_path, nlp):
    path = write(tmp_path / "long.txt", b"Title\n\n" + b"Talks went on. " * 70_000)
    result = CliRunner().invoke(app, ["build", str(path), "-o", str(tmp_path / "o.nq")])
    assert result.exit_code == EXIT_INPUT, result.output
    assert f"over the pipeline's limit of {nlp.max_length:,}" in result.stderr
    assert not (tmp_path / "o.nq").exists()


@pytest.mark.model
@pytest.mark.parametrize(
    ("published", "text"),
    [
        ("9999-12-31", "Biden will meet Xi tomorrow in Beijing."),
        ("9999-12-31", "Biden will visit Beijing next month and next year."),
        ("0001-01-01", "Biden met Xi yesterday in Beijing."),
        ("0001-01-01", "Biden met Xi last week, last month and last year in Beijing."),
        ("0001-01-01", "Biden met Xi in December in Beijing."),
    ],
)
def test_dates_at_the_ends_of_the_calendar_do_not_crash(tmp_path, published, text):
    path = write(tmp_path / "a.jsonl", line(text=text, published=published).encode())
    output = tmp_path / "o.nq"
    result = CliRunner().invoke(app, ["build", str(path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.stat().st_size > 0


@pytest.mark.model
def test_in_store_mode_the_good_articles_before_a_bad_one_are_kept(tmp_path):
    lines = [line(id="first"), line(id="second"), line(id="third", text="x\udc80")]
    path = write(tmp_path / "a.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["build", str(path), "--store", str(store)])
    assert result.exit_code == EXIT_INPUT and "a.jsonl:3" in result.stderr, result.output
    assert {row["doc"] for row in api.entities(store=store)} == {"first", "second"}
