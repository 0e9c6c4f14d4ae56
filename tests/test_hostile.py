"""Hostile SPARQL against the real server (``diplograph serve`` in its own process), the
CLI and the library: each is refused, stopped or bounded, and the server answers a normal
query during and after each one.

The server runs as a child process, as an operator starts it, with a short timeout and a
small memory bound so the hostile queries meet them quickly.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import _stop, _wait_for_url
from diplograph import api
from diplograph.errors import DiplographError
from diplograph.guard import Limits, TooLarge, check, measure
from test_server import GRAPH, PERSONS, get_query, http, still_answers

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 2
WORKERS = 2
PRODUCT3 = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SORTED_PRODUCT = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
ANY_PATH = "SELECT (COUNT(*) AS ?n) { ?s (<urn:x:p>|!<urn:x:p>)* ?o }"
ANY_PATH_TWICE = (
    "SELECT (COUNT(*) AS ?n) { ?s (<urn:x:p>|!<urn:x:p>)* ?o . ?x (<urn:x:p>|!<urn:x:p>)* ?y }"
)


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def unions(count: int) -> str:
    return "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * (count + 1)) + " }"


HUGE_TEXT = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 200_000
#: (query, status, words its message holds) for queries the guard refuses before parsing
REFUSED = [
    (nested(3000), 400, "levels of nesting"),
    (nested(31), 400, "--max-query-depth"),
    (HUGE_TEXT, 400, "characters"),
    (unions(60), 400, "--max-unions"),
    ("SELECT * {" + " ?s ?p ?o ." * 300 + "}", 400, "--max-triple-patterns"),
    ("SELECT * {" + " { SELECT * { ?s ?p ?o } }" * 12 + "}", 400, "--max-subqueries"),
    ("SELECT * { ?s " + "/".join(["<urn:x:p>*"] * 9) + " ?o }", 400, "--max-path-closures"),
    # unnested chains that overflow Oxigraph's stack (measured: 9000 terms kill the process)
    ("SELECT * { BIND(" + "+".join(["1"] * 9000) + " AS ?x) }", 400, "--max-operators"),
    ("SELECT * { ?s " + "/".join(["a"] * 3000) + " ?o }", 400, "--max-operators"),
    ("SELECT * { ?s ?p ?o " + "MINUS { ?s ?p ?o } " * 4000 + "}", 400, "--max-query-chars"),
    ("SELECT * { " + "OPTIONAL{?s ?p ?o}" * 1000 + "}", 400, "--max-triple-patterns"),
    ("LOAD <file:///etc/passwd>", 403, "--allow-load"),  # sent as a query
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", 403, "--allow-service"),
]


class Listener:
    """A TCP socket on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections: list[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, address = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(address)
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()


@pytest.fixture
def listener():
    opened = Listener()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def served():
    """``diplograph serve`` on the example graph, in its own process: (url, process)."""
    command = [
        *(sys.executable, "-m", "diplograph.cli", "serve", str(GRAPH), "--port", "0"),
        *("--timeout", str(TIMEOUT), "--workers", str(WORKERS), "--max-memory", "256"),
        *("--max-negated-closures", "2"),
    ]
    # the test's own limits: ANY_PATH passes them and meets the timeout instead
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        yield _wait_for_url(process), process
    finally:
        _stop(process)


def make_store(folder: Path) -> Path:
    """A store folder holding the example graph as one named graph."""
    import pyoxigraph as ox
    from rdflib import Graph

    from diplograph.rdf.store import replace_graph, with_writer

    nt = Graph().parse(GRAPH).serialize(format="nt")
    with_writer(folder, lambda store: replace_graph(store, ox.NamedNode("urn:x:g"), nt))
    return folder


def workers_of(process) -> dict[int, float]:
    """The server's child processes and the CPU seconds each has used."""
    found = {}
    for task in Path(f"/proc/{process.pid}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            if fields[0] != "Z":
                found[int(pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return found


def answers_normally(url: str) -> None:
    started = time.monotonic()
    status, _, body = get_query(url, PERSONS, "text/csv")
    assert status == 200 and b"Zhao Leji" in body
    assert time.monotonic() - started < 3


# --- the server ---------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "status", "words"), REFUSED, ids=range(len(REFUSED)))
def test_hostile_server_refuses_with_a_reason(served, query, status, words):
    url, _ = served
    sent, _, body = http(
        f"{url}/sparql",
        method="POST",
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    message = body.decode()
    assert sent == status and words in message and message.count("\n") == 1, message
    still_answers(url)


@pytest.mark.parametrize("query", [PRODUCT3, ANY_PATH_TWICE, SORTED_PRODUCT])
def test_hostile_server_stops_a_runaway_query(served, query):
    """Past the timeout (503) or the memory bound (500), the worker is gone: no CPU goes
    on, the pool is whole again, and a normal query answers during and after."""
    url, process = served
    with ThreadPoolExecutor(2) as pool:
        hostile = pool.submit(get_query, url, query)
        time.sleep(0.3)
        answers_normally(url)  # the other worker answers meanwhile
        status, _, body = hostile.result()
    assert status in {500, 503}, body
    assert b"--timeout" in body or b"--max-memory" in body
    answers_normally(url)
    before = workers_of(process)
    time.sleep(1.0)
    after = workers_of(process)
    assert len(after) == WORKERS and set(after) == set(before)
    assert sum(after.values()) - sum(before.values()) < 0.2  # nothing runs on


def test_hostile_server_four_abandoned_products_lock_no_one_out(served):
    """Four 3-way COUNTs at once (twice the workers): each answered 503, then all is well."""
    url, process = served
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: get_query(url, PRODUCT3)[0], range(4)))
    assert set(answers) <= {503} and answers
    answers_normally(url)
    assert len(workers_of(process)) == WORKERS


def test_hostile_server_sorted_product_stays_in_its_memory_bound(served):
    url, process = served
    assert get_query(url, SORTED_PRODUCT)[0] in {500, 503}
    rss = int(
        next(
            line.split()[1]
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
            if line.startswith("VmRSS:")
        )
    )
    assert rss < 512 * 1024  # KiB: the server itself did not grow
    answers_normally(url)


def test_hostile_server_service_and_load_reach_nothing(served, listener):
    url, _ = served
    service = f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    assert get_query(url, service)[0] == 403
    load = f"LOAD <{listener.url}>"
    form = urllib.parse.urlencode({"update": load}).encode()
    status, _, _ = http(
        f"{url}/sparql",
        method="POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403
    time.sleep(0.3)
    assert listener.connections == []
    still_answers(url)


# --- the library and the CLI --------------------------------------------------------------


def outbound(listener_url: str) -> list[str]:
    return [
        f"SELECT * {{ SERVICE <{listener_url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT <{listener_url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{listener_url}> {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{listener_url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }",
        "SELECT * { \\u0053ERVICE <" + listener_url + "> { ?s ?p ?o } }",
    ]


def test_hostile_api_refuses_outbound_on_files(listener):
    """Files are queried on Oxigraph, as stores are: SERVICE is refused; FROM only picks
    graphs by name (a file's, the ontology's) and fetches nothing."""
    for query in [q for q in outbound(listener.url) if "SERVICE" in q or "\\u0053" in q]:
        with pytest.raises(DiplographError, match="E050") as refused:
            api.query([GRAPH], query)
        assert "--allow-outbound" in str(refused.value) and "\n" not in str(refused.value)
    for query in [q for q in outbound(listener.url) if "FROM" in q]:
        assert list(api.query([GRAPH], query)) == []
    time.sleep(0.3)
    assert listener.connections == []


def test_hostile_api_allow_outbound_reaches_out(listener):
    """The opt-in works (so the refusal above is the policy, not a failing query)."""
    query = f"SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    with pytest.raises(DiplographError):  # the listener answers nothing Oxigraph can read
        api.query([GRAPH], query, allow_outbound=True)
    time.sleep(0.3)
    assert listener.connections


def test_hostile_api_refuses_outbound_on_a_store(tmp_path, listener):
    folder = make_store(tmp_path / "store")
    for query in outbound(listener.url)[:2]:
        with pytest.raises(DiplographError, match="E050"):
            api.query(store=folder, text=query)
    # on a store FROM picks the store's own graphs: allowed, and it fetches nothing
    result = api.query(store=folder, text=f"ASK FROM <{listener.url}> {{ ?s ?p ?o }}")
    assert result.askAnswer is False
    time.sleep(0.3)
    assert listener.connections == []


@pytest.mark.parametrize(
    "query", [nested(3000), HUGE_TEXT, unions(60), ANY_PATH], ids=["deep", "huge", "unions", "path"]
)
def test_hostile_api_refuses_too_large(query):
    with pytest.raises(DiplographError, match="E049") as refused:
        api.query([GRAPH], query)
    assert "the limit is" in str(refused.value)


def test_hostile_api_limits_can_be_raised():
    result = api.query([GRAPH], ANY_PATH, limits=Limits(max_negated_closures=1))
    assert int(next(iter(result))[0]) > 0


def test_hostile_cli_one_line_errors(tmp_path, listener):
    """``diplograph query`` on a file and on a store: exit 2 and one line, never a crash."""
    folder = make_store(tmp_path / "store")
    cases = [
        (["--store", str(folder)], nested(3000), "levels of nesting"),
        ([str(GRAPH)], nested(3000), "levels of nesting"),
        ([str(GRAPH)], outbound(listener.url)[0], "SERVICE"),
        ([str(GRAPH)], "LOAD <file:///etc/passwd>", "LOAD"),
        (["--store", str(folder)], outbound(listener.url)[0], "SERVICE"),
    ]
    for where, query, words in cases:
        query_file = tmp_path / "q.rq"
        query_file.write_text(query)
        done = subprocess.run(
            [sys.executable, "-m", "diplograph.cli", "query", *where, "--file", str(query_file)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert listener.connections == []


# --- units: the guard's counts ------------------------------------------------------------


def test_hostile_guard_counts_ignore_strings_comments_and_iris():
    text = 'SELECT * { ?s <urn:x:UNION> "{{{ UNION SELECT" } # {{{ UNION\n'
    counted = measure(text)
    assert (counted.depth, counted.unions, counted.subqueries) == (1, 0, 0)


def test_hostile_guard_closures():
    assert measure("SELECT * { ?s rdfs:subClassOf* ?c }").closures == 1
    assert measure("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").closures == 0
    assert measure("SELECT * { ?s !rdf:type+ ?o }").negated_closures == 1
    assert measure("SELECT * { ?s (rdf:type|^rdf:type)* ?o }").negated_closures == 0
    assert measure("SELECT * { ?s ?p ?o FILTER(!BOUND(?x)) }").negated_closures == 0


def test_hostile_guard_names_the_first_limit_passed():
    with pytest.raises(TooLarge) as refused:
        check(nested(10), Limits(max_depth=5))
    assert refused.value.field == "max_depth" and "10 levels" in str(refused.value)
    assert check(nested(5), Limits(max_depth=5)).depth == 5


def test_hostile_bundled_queries_pass_the_default_limits():
    for path in sorted((ROOT / "src" / "diplograph").rglob("*.rq")):
        check(path.read_text("utf-8"), Limits())


def test_hostile_server_answers_json_after_all(served):
    url, _ = served
    status, _, body = get_query(url, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_hostile_workers_see_an_update():
    """A worker forked before an update is replaced, so the next query sees the write."""
    from conftest import running
    from diplograph.server import open_store
    from test_server import TOKEN, post_update

    def asked(url: str) -> bool:
        ask = "ASK { <urn:x:s> <urn:x:p> <urn:x:o> }"
        return json.loads(get_query(url, ask, "application/sparql-results+json")[2])["boolean"]

    with running(open_store([]), workers=1, update_token=TOKEN) as url:
        assert asked(url) is False
        insert = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
        assert post_update(url, insert, token=TOKEN)[0] == 204
        assert asked(url) is True
