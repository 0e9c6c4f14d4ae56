"""Time and memory of the property-graph exports (docs/property-graphs.md) beside the RDF
export, on stores of about ``TRIPLES`` article triples each (default 100,000 and 1,000,000):
the example graph copied under new document and event IRIs (its actors shared), bulk-loaded.

For each store, each export runs in a fresh process of its own: ``diplograph export --store S
--format F`` for ``nq`` (the RDF export, streamed by Oxigraph), ``neo4j``, ``cypher``,
``ladybug-cypher`` and ``graphml``. Its time is the wall (and CPU) seconds of the export call;
its own memory is the process's peak RSS (VmHWM, Linux) above the baseline it had before the
call, with every module the export uses imported. ``scan`` reads every quad of the store's
default graph with ``quads_for_pattern``, nothing else: the memory any full read of the store
costs (RocksDB's block cache and table readers, in the same RSS). Then, in a process of its
own too, the neo4j CSVs are loaded into LadybugDB with ``propgraph.load_ladybug`` (one COPY
FROM a table), if installed, and its who-met-whom query timed. One JSON line a store.

    PYTHONPATH=src python benchmarks/propgraph.py [TRIPLES ...] [--work DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
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
FORMATS = ("scan", "nq", "neo4j", "cypher", "ladybug-cypher", "graphml")

# the child: import what the export uses, read the baseline, export, report
_CHILD = """
import json, sys, time
from pathlib import Path
import networkx.readwrite.graphml, numpy, pyoxigraph  # GraphMLWriter imports numpy
from diplograph import api, export, propgraph
import diplograph.rdf.snapshot, diplograph.rdf.store

def peak():
    status = open("/proc/self/status").read().split("\\n")
    return int(next(l for l in status if l.startswith("VmHWM")).split()[1]) // 1024

store, fmt, output = sys.argv[1:4]
baseline = peak()
wall, cpu = time.perf_counter(), time.process_time()
extra = {}
if fmt == "scan":
    with diplograph.rdf.store.reading(store) as opened:
        sum(1 for _ in opened.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
elif fmt == "ladybug":  # store: a neo4j folder; output: the database
    import ladybug
    connection = ladybug.Connection(ladybug.Database(output))
    propgraph.load_ladybug(Path(store), connection)
    start = time.perf_counter()
    connection.execute(propgraph.cypher_queries()["who-met-whom"]).get_all()
    extra["who_met_whom_ms"] = round((time.perf_counter() - start) * 1000)
else:
    api.export(store=Path(store), output=Path(output), fmt=fmt)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"s": round(wall, 1), "cpu_s": round(cpu, 1), "own_mb": peak() - baseline,
                  "baseline_mb": baseline, **extra}))
"""


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


def export(store: Path, fmt: str, output: Path) -> dict:
    """One export (or ``scan``, or ``ladybug``: the load of a neo4j folder ``store`` into a
    LadybugDB database ``output``) in a fresh process: its seconds and own peak memory."""
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(store), fmt, str(output)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return json.loads(child.stdout.splitlines()[-1])


def measure(triples: int, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    store, loaded = large_store(triples, work)
    result: dict = {
        "article_triples": loaded,
        "store_load_s": round(time.perf_counter() - start, 1),
    }
    for fmt in FORMATS:
        output = work / f"out.{fmt}"
        result[fmt] = export(store, fmt, output)
        if fmt != "neo4j":
            output.unlink(missing_ok=True)  # the files; the neo4j folder is loaded below
    folder = work / "out.neo4j"
    if importlib.util.find_spec("ladybug") is not None:
        result["ladybug"] = export(folder, "ladybug", work / "ladybug")
    result["rows"] = {p.name: sum(1 for _ in p.open()) - 1 for p in sorted(folder.glob("*.csv"))}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("triples", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument(
        "--work", type=Path, help="Folder for the stores (default: a temporary one)."
    )
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp())
    for triples in options.triples:
        folder = work / str(triples)
        print(json.dumps(measure(triples, folder)), flush=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
