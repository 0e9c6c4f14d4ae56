"""What following a served store folder costs (``LiveStore``, ``serve --store``), per query,
and how long a build's commit keeps readers out.

    python benchmarks/live_store.py [ARTICLES]

Writes ARTICLES (default 200) small hand-made articles (the ones of tests/test_store.py, no
spaCy) into a new store and serves it in this process twice, on a snapshot held throughout
(``with_folder``) and through ``LiveStore`` (the shared lock, the generation check, one
snapshot per query), with the default worker processes; times 200 sequential requests of one
small query over HTTP after 20 warm-up ones. Then writes as many articles again and reports
each commit's time (the time readers wait at most). Prints one JSON line. Not a test: read
the numbers as benchmarks/README.md says.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

QUERY = "SELECT (COUNT(*) AS ?n) { ?e a <https://w3id.org/diplograph/ontology#Event> }"


def median_ms(opened) -> float:
    from diplograph.server import make_server

    server = make_server(opened, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = server.url + "/sparql?" + urllib.parse.urlencode({"query": QUERY})
        times = []
        for _ in range(220):
            started = time.perf_counter()
            with urllib.request.urlopen(address) as response:
                response.read()
            times.append(time.perf_counter() - started)
        return round(statistics.median(times[20:]) * 1000, 2)
    finally:
        server.shutdown()
        server.server_close()


def main(count: int) -> None:
    from diplograph.rdf import store
    from diplograph.server import with_folder
    from test_store import _many

    path = Path(tempfile.mkdtemp()) / "store"
    articles = _many(2 * count)
    store.write_articles(path, articles[:count])
    held = with_folder(path, median_ms)
    live = median_ms(store.LiveStore(path))
    commits = []
    commit = store._commit

    def timed(*args) -> None:
        started = time.perf_counter()
        commit(*args)
        commits.append((round(time.perf_counter() - started, 3), len(args[1])))

    store._commit = timed
    started = time.perf_counter()
    store.write_articles(path, articles[count:])
    seconds = round(time.perf_counter() - started, 2)
    print(
        json.dumps(
            {
                "query_ms_held_snapshot": held,
                "query_ms_live_store": live,
                "build_seconds": seconds,
                "commits_seconds_articles": commits,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
