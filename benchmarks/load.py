"""The SPARQL endpoint under load: N concurrent clients for a while, latency and memory.

    python benchmarks/load.py [--store DIR] [--clients 20] [--seconds 600]

Starts ``diplograph serve --store DIR`` (default: the development corpus built into a
temporary store), then runs ``--clients`` threads that each send, one after another,
requests drawn at random from a fixed mix: every bundled named query that needs no binding
(``POST /sparql``), ``GET /network.json``, the linked-data page of a random actor or event
(``GET /id/...``) and an article's graph (``GET /graphs?graph=...``). Reports per kind and
overall the p50/p95/p99 latency, the answers other than 200 and the errors, and the
server's resident memory (start, peak, end: growth would be a leak). Not a test: a figure
for the notes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store to serve (default: dev corpus)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=20261207)
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def request(base: str, kind: str, target: str) -> tuple[int, float]:
    started = time.perf_counter()
    if kind.startswith("named:"):
        data = urllib.parse.urlencode({"query": target}).encode()
        call = urllib.request.Request(
            base + "/sparql",
            data=data,
            headers={"Accept": "application/sparql-results+json"},
        )
    else:
        call = urllib.request.Request(base + target)
    try:
        with urllib.request.urlopen(call, timeout=60) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = -1  # no answer at all
    return status, time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    from diplograph import api
    from diplograph.query import named_queries

    with tempfile.TemporaryDirectory(prefix="diplograph-load-") as folder:
        store = args.store
        if store is None:
            if not SHARED_CORPUS.is_file():
                sys.exit(f"{SHARED_CORPUS}: no corpus; give --store DIR")
            store = Path(folder) / "store"
            api.build([SHARED_CORPUS], store=store)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-c", "from diplograph.cli import app; app()", "serve"]
        log = (Path(folder) / "server.log").open("w")  # read it if the server dies
        server = subprocess.Popen(
            [*command, "--store", str(store), "--port", str(port)], stdout=log, stderr=log
        )
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/graphs", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.1)
            mix = [
                (f"named:{name}", text)
                for name, text in sorted(named_queries().items())
                if "(required)" not in text
            ]
            text = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?type } } LIMIT 5000"
            ids = [str(row[0]) for row in api.query(text=text, store=store)]
            pages = ["/id/" + iri.split("/id/", 1)[1] for iri in ids if "/id/" in iri]
            from diplograph.rdf import iris

            docs = sorted({row["doc"] for row in api.entities(store=store)})
            mix += [("network", "/network.json")]
            mix += [  # Graph Store GET of an article's graph
                ("graph", "/graphs?" + urllib.parse.urlencode({"graph": iris.graph_iri(doc)}))
                for doc in docs[:10]
            ]
            results: dict[str, list[tuple[int, float]]] = {}
            lock = threading.Lock()
            stop = time.perf_counter() + args.seconds
            memory = [rss_mb(server.pid)]

            def client(seed: int) -> None:
                chooser = random.Random(seed)
                while time.perf_counter() < stop:
                    if pages and chooser.random() < 0.3:
                        kind, target = "page", chooser.choice(pages)
                    else:
                        kind, target = chooser.choice(mix)
                    outcome = request(base, kind, target)
                    with lock:
                        results.setdefault(kind, []).append(outcome)

            threads = [
                threading.Thread(target=client, args=(args.seed + n,), daemon=True)
                for n in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            while any(thread.is_alive() for thread in threads):
                time.sleep(1)
                memory.append(rss_mb(server.pid))
            alive = server.poll() is None
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary: dict = {
        "clients": args.clients,
        "seconds": args.seconds,
        "server_alive": alive,
        "rss_mb": {
            "start": round(memory[0], 1),
            "peak": round(max(memory), 1),
            "end": round(memory[-1], 1),
        },
        "kinds": {},
    }
    every = []
    for kind, outcomes in sorted(results.items()):
        times = [seconds * 1000 for status, seconds in outcomes if status == 200]
        every += times
        statuses: dict[int, int] = {}
        for status, _ in outcomes:
            if status != 200:
                statuses[status] = statuses.get(status, 0) + 1
        summary["kinds"][kind] = {
            "requests": len(outcomes),
            "not_200": statuses,
            "p50_ms": round(percentile(times, 0.5), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1),
        }
    total = sum(len(outcomes) for outcomes in results.values())
    summary["requests"] = total
    summary["per_second"] = round(total / args.seconds, 1)
    summary["errors"] = sum(
        count for kind in summary["kinds"].values() for count in kind["not_200"].values()
    )
    summary["p50_ms"] = round(statistics.median(every), 1) if every else 0.0
    summary["p95_ms"] = round(percentile(every, 0.95), 1)
    summary["p99_ms"] = round(percentile(every, 0.99), 1)
    for kind, row in summary["kinds"].items():
        print(
            f"{kind:28s} {row['requests']:6d} req  p50 {row['p50_ms']:8.1f}  "
            f"p95 {row['p95_ms']:8.1f}  p99 {row['p99_ms']:8.1f} ms  not 200: {row['not_200']}"
        )
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
