"""Crash safety, measured: ``kill -9`` at random moments of ``build --store``, ``remove``
and ``push``.

    python benchmarks/crash.py [--trials N] [--articles K] [--seed S] [--corpus FILE.jsonl]

Each trial starts a child that loads the spaCy pipeline and says so (the delay counts from
then, so the kills land in reading, parsing and writing, not in start-up), lets it run
``api.build(..., store=S)`` or ``api.remove(ids, store=S)``, and sends it SIGKILL after a
random delay drawn from the operation's own clean duration. Then it checks the store as a
user would find it:

- it opens (or, killed before the marker was written, is not yet a store, and the next
  build finishes it);
- every article graph it holds equals that article's graph in a clean build (no partial
  article), and the default graph (the merge) equals the union of the article graphs;
- ``remove`` of several ids took all of them or none;
- the same command run again leaves a store identical, quad for quad, to a clean one;
- a push (to an ``oxigraph serve`` started here, when the ``oxigraph`` binary is installed)
  killed midway and run again leaves every article graph on the server equal to the store's.

Prints one line per trial and a JSON summary. Not a test: a figure for the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=60, help="kills in all (build and remove)")
    parser.add_argument("--articles", type=int, default=24, help="articles built per trial")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPUS)
    return parser.parse_args(argv)


def _lines(quads) -> frozenset[str]:
    """The triples as N-Triples lines, blank-node labels blanked (the ontology's blank nodes
    get new labels in every store; the articles have none)."""
    return frozenset(_BLANK.sub("_:", str(quad.triple)) for quad in quads)


_BLANK = re.compile(r"_:[A-Za-z0-9]+")


def snapshot(path: Path) -> dict:
    """The store's article graphs ({graph: triples}), its merge and its ontology graph, or
    ``{"store": False}`` when the folder is not (yet) a store."""
    import pyoxigraph as ox

    from diplograph.rdf import store as stores

    if not stores.is_store(path):
        return {"store": False}
    with stores.reading(path) as opened:
        graphs = {
            name.value: _lines(opened.quads_for_pattern(None, None, None, name))
            for name in stores.article_graphs(opened)
        }
        merge = _lines(opened.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        ontology = _lines(opened.quads_for_pattern(None, None, None, stores.ONTOLOGY_GRAPH))
    return {"store": True, "graphs": graphs, "merge": merge, "ontology": ontology}


def problems(found: dict, clean: dict) -> list[str]:
    """What is wrong with a store left by a kill, against a clean build of the same input."""
    if not found["store"]:
        return []
    wrong = []
    for name, triples in found["graphs"].items():
        if name not in clean["graphs"]:
            wrong.append(f"unknown graph {name}")
        elif triples != clean["graphs"][name]:
            wrong.append(f"partial graph {name}: {len(triples)} of {len(clean['graphs'][name])}")
    union = set().union(found["ontology"], *found["graphs"].values())
    if found["merge"] != union:
        wrong.append(
            f"merge differs from the union: {len(found['merge'] - union)} extra, "
            f"{len(union - found['merge'])} missing"
        )
    return wrong


#: the child: loads the pipeline, says so, then runs one operation
CHILD = """
import sys
from pathlib import Path
from diplograph import api
from diplograph.nlp.pipeline import load_pipeline
kind, store, *rest = sys.argv[1:]
if kind == "build":
    load_pipeline()
print("ready", flush=True)
if kind == "build":
    api.build([Path(rest[0])], store=store)
elif kind == "push":
    api.push(store=store, remote=api.Remote(rest[0]), batch_size=500)
elif rest:
    api.remove(rest, store=store)
"""


def run_killed(command: list[str], delay: float) -> tuple[bool, float]:
    """Run the operation ``command`` in a child, SIGKILL it ``delay`` s after it is ready
    (its pipeline loaded); (killed, seconds from ready to the end)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONWARNINGS": "ignore"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *command], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    try:
        child.wait(timeout=delay)
        return False, time.perf_counter() - started
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return True, time.perf_counter() - started


def timed(command: list[str]) -> float:
    killed, seconds = run_killed(command, 3600)
    assert not killed
    return seconds


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if not args.corpus.is_file():
        sys.exit(f"{args.corpus}: no corpus (give --corpus FILE.jsonl)")
    lines = [line for line in args.corpus.read_text("utf-8").splitlines() if line.strip()]
    lines = lines[: args.articles]
    ids = [json.loads(line)["id"] for line in lines]
    random.seed(args.seed)
    with tempfile.TemporaryDirectory(prefix="diplograph-crash-") as folder:
        work = Path(folder)
        corpus = work / "corpus.jsonl"
        corpus.write_text("\n".join(lines) + "\n", "utf-8")
        reference = work / "reference"
        build_seconds = timed(["build", str(reference), str(corpus)])
        clean = snapshot(reference)
        doomed = ids[1 : 1 + min(3, len(ids) - 1)]
        removed_ref = work / "removed"
        shutil.copytree(reference, removed_ref)
        remove_seconds = timed(["remove", str(removed_ref), *doomed])
        clean_removed = snapshot(removed_ref)
        summary = {
            "articles": len(ids),
            "build_s": round(build_seconds, 2),
            "remove_s": round(remove_seconds, 2),
            "trials": 0,
            "killed": 0,
            "bad_after_kill": 0,
            "bad_after_rerun": 0,
            "partial_remove": 0,
            "not_yet_a_store": 0,
        }
        server = start_oxigraph(work / "oxigraph")
        if server is not None:
            summary["push_s"] = round(timed(["push", str(reference), server.gsp]), 2)
        kinds = ["build", "build", "remove"] + (["push"] if server is not None else [])
        for trial in range(args.trials):
            kind = kinds[trial % len(kinds)]
            target = work / f"trial-{trial}"
            if kind == "push":
                delay = random.uniform(0, summary["push_s"])
                server.wipe()
                killed, _ = run_killed(["push", str(reference), server.gsp], delay)
                timed(["push", str(reference), server.gsp])
                rerun_wrong = server.differences(clean)
                summary["trials"] += 1
                summary["killed"] += killed
                summary["bad_after_rerun"] += bool(rerun_wrong)
                print(
                    f"{trial:3d} push   kill at {delay:6.3f} s "
                    f"({'killed' if killed else 'done'}): {'; '.join(rerun_wrong) or 'ok'}",
                    flush=True,
                )
                continue
            if kind == "build":
                delay = random.uniform(0, build_seconds)
                operation = ["build", str(target), str(corpus)]
                expected = clean
            else:
                shutil.copytree(reference, target)
                delay = random.uniform(0, remove_seconds)
                operation = ["remove", str(target), *doomed]
                expected = clean_removed
            killed, _ = run_killed(operation, delay)
            found = snapshot(target)
            wrong = problems(found, clean)
            if kind == "remove" and found["store"]:
                gone = [i for i in doomed if api_graph(i) not in found["graphs"]]
                if gone and len(gone) != len(doomed):
                    wrong.append(f"partial remove: {len(gone)} of {len(doomed)} ids gone")
                    summary["partial_remove"] += 1
            if kind == "build" and not found["store"]:
                summary["not_yet_a_store"] += 1
            held = len(found.get("graphs", {}))
            rerun = kind == "build" or held > len(ids) - len(doomed)
            timed(operation if rerun else ["remove", str(target)])
            again = snapshot(target)
            rerun_wrong = [] if again == expected else ["differs from a clean store after a re-run"]
            summary["trials"] += 1
            summary["killed"] += killed
            summary["bad_after_kill"] += bool(wrong)
            summary["bad_after_rerun"] += bool(rerun_wrong)
            print(
                f"{trial:3d} {kind:6s} kill at {delay:6.3f} s ({'killed' if killed else 'done'}): "
                f"{held} article graphs; {'; '.join(wrong + rerun_wrong) or 'ok'}",
                flush=True,
            )
            shutil.rmtree(target, ignore_errors=True)
        if server is not None:
            server.stop()
    print(json.dumps(summary))
    return summary


class Oxigraph:
    """An ``oxigraph serve`` process to push to (its Graph Store at ``/store``)."""

    def __init__(self, binary: str, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.gsp = self.base + "/store"
        command = [binary, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not start")

    def wipe(self) -> None:
        data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
        urllib.request.urlopen(self.base + "/update", data=data, timeout=60).read()

    def graph(self, name: str) -> frozenset[str]:
        import pyoxigraph as ox

        url = self.gsp + "?" + urllib.parse.urlencode({"graph": name})
        call = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(call, timeout=60) as answer:
            body = answer.read()
        return _lines(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))

    def differences(self, clean: dict) -> list[str]:
        """How the server's article graphs differ from a clean store's."""
        wrong = []
        for name, triples in clean["graphs"].items():
            try:
                held = self.graph(name)
            except urllib.error.HTTPError as exc:
                wrong.append(f"{name}: HTTP {exc.code}")
                continue
            if held != triples:
                wrong.append(f"{name}: {len(held)} triples of {len(triples)}")
        return wrong

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def start_oxigraph(folder: Path) -> Oxigraph | None:
    """An Oxigraph server for the push trials, or None (no push trials) without the binary."""
    binary = shutil.which("oxigraph") or shutil.which(
        "oxigraph", path=str(Path(sys.executable).parent)
    )
    return Oxigraph(binary, folder) if binary else None


def api_graph(doc_id: str) -> str:
    from diplograph.rdf import iris

    return str(iris.graph_iri(doc_id))


if __name__ == "__main__":
    main()
