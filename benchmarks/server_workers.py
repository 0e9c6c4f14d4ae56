"""What running queries in worker processes costs the server, per query.

    python benchmarks/server_workers.py [QUERIES]

Serves the example graph in this process twice, with ``workers=0`` (queries in threads) and
``workers=4`` (queries in forked worker processes, ``server/runner.py``), and times
``QUERIES`` (default 300) sequential requests of two queries over HTTP after 20 warm-up
ones; then the time to fork a replacement worker and run a query on it. Prints the medians
and 95th percentiles in milliseconds, then one JSON line. Not a test: read the numbers as
benchmarks/README.md says.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from diplograph.server import make_server, open_store
from diplograph.server.sparql import Endpoint, Settings

GRAPH = Path(__file__).resolve().parents[1] / "graphs" / "zhao-leji-pyongyang.ttl"
QUERIES = {
    "ask": "ASK { ?s ?p ?o }",
    "persons": "PREFIX dgo: <https://w3id.org/diplograph/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?p ?n { ?p a dgo:Person ; skos:prefLabel ?n }",
}


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def main(count: int = 300) -> dict:
    store = open_store([GRAPH])
    results: dict = {}
    for workers in (0, 4):
        server = make_server(store, port=0, workers=workers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name, text in QUERIES.items():
                url = f"{server.url}/sparql?" + urllib.parse.urlencode({"query": text})
                for _ in range(20):
                    urllib.request.urlopen(url).read()
                times = []
                for _ in range(count):
                    started = time.perf_counter()
                    urllib.request.urlopen(url).read()
                    times.append(time.perf_counter() - started)
                results[f"workers{workers}_{name}"] = _percentiles(times)
        finally:
            server.shutdown()
            server.server_close()
    endpoint = Endpoint(store, Settings(workers=1))
    times = []
    try:
        for _ in range(20):
            started = time.perf_counter()
            worker = endpoint.pool._spawn()
            endpoint.pool.call("answer", text=QUERIES["ask"])
            worker.kill()
            times.append(time.perf_counter() - started)
    finally:
        endpoint.close()
    results["replace_worker"] = _percentiles(times)
    for key, value in results.items():
        print(f"{key:22} p50 {value['p50_ms']:8.2f} ms   p95 {value['p95_ms']:8.2f} ms")
    print(json.dumps(results))
    return results


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
