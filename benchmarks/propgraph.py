"""Time and peak memory of ``diplograph export --store S --format neo4j`` (the property-graph
view, docs/property-graphs.md) on a store of about ``TRIPLES`` article triples: the example
graph copied under new document and event IRIs (its actors shared), bulk-loaded; then the
CSVs loaded into LadybugDB with ``propgraph.load_ladybug`` (one COPY FROM a table) and its
who-met-whom query timed.

    PYTHONPATH=src python benchmarks/propgraph.py [TRIPLES] [WORKDIR]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "graphs" / "zhao-leji-pyongyang.ttl"


def large_store(triples: int, work: Path) -> tuple[Path, int]:
    import pyoxigraph as ox
    from rdflib import Graph

    from diplograph.rdf.store import with_writer

    lines = Graph().parse(EXAMPLE).serialize(format="nt").splitlines()
    lines = [line for line in lines if line.strip()]
    copies = -(-triples // len(lines))
    data = work / "large.nq"
    with data.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            doc = f"zhao-leji-pyongyang~{copy}"
            graph = f" <https://w3id.org/diplograph/id/graph/{doc}> .\n"
            for line in lines:
                line = line.replace("zhao-leji-pyongyang", doc)[:-2]  # drop " ."
                handle.write(line + graph)
                handle.write(line + " .\n")  # the default graph: the merge

    def load(store):
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        return len(store)

    with_writer(work / "store", load)
    data.unlink()
    return work / "store", copies * len(lines)


def main() -> None:
    triples = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp())
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    store, loaded = large_store(triples, work)
    load_seconds = time.perf_counter() - start
    # the export in a process of its own, so its peak memory (VmHWM, Linux) is its own, not
    # the load's
    code = (
        "import sys; from pathlib import Path; from diplograph import api; "
        "api.export(store=Path(sys.argv[1]), output=Path(sys.argv[2]), fmt='neo4j'); "
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])"
    )
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-c", code, str(store), str(work / "neo4j")],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    export_seconds = time.perf_counter() - start
    peak = int(child.stdout.split()[-1]) // 1024  # VmHWM of the export's own process, in MB
    load_ladybug_seconds = None
    try:
        import ladybug
    except ImportError:
        ladybug = None
    if ladybug is not None:
        from diplograph.propgraph import cypher_queries, load_ladybug

        start = time.perf_counter()
        connection = ladybug.Connection(ladybug.Database(str(work / "ladybug")))
        load_ladybug(work / "neo4j", connection)
        load_ladybug_seconds = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        connection.execute(cypher_queries()["who-met-whom"]).get_all()
        who_met_whom_ms = round((time.perf_counter() - start) * 1000)
    sizes = {p.name: sum(1 for _ in p.open()) - 1 for p in (work / "neo4j").glob("*.csv")}
    print(
        json.dumps(
            {
                "article_triples": loaded,
                "store_load_s": round(load_seconds, 1),
                "export_neo4j_s": round(export_seconds, 1),
                "export_peak_rss_mb": peak,
                "load_ladybug_s": load_ladybug_seconds,
                "who_met_whom_ladybug_ms": who_met_whom_ms if ladybug else None,
                "rows": sizes,
            }
        )
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
