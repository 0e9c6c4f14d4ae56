"""How fast diplograph builds and answers, next to the engines it stands on.

    python benchmarks/run.py [--quick] [--corpus FILE.jsonl] [--articles N] [--repeats R]
    python benchmarks/run.py --serving-only [--repeats R] [--triples N | --large]

(``--quick``: 96 articles, 3 repeats, about 2 minutes; else 160 articles, 5 repeats.)

Measures, pair by pair and each as the median of ``--repeats`` runs (every run of a build or
a parse in a fresh process, the two sides of a pair run back to back, their order alternating):

- ``build_vs_spacy``: ``diplograph build --store`` throughput (words/s) over bare ``nlp.pipe``
  with the same model, components and process count on the same texts (``--jobs 1``;
  ``build_vs_spacy_jobs2`` is the same at ``--jobs 2``; ``build_vs_spacy_lemma_sets``
  against bare spaCy given the lemma index diplograph loads, ``index_lemmas_by_set``);
- ``jobs2_speedup``: the build with ``--jobs 2`` over ``--jobs 1``;
- ``memory_growth``: peak RSS of a build of 4x the corpus over a build of 1x;
- ``store_load_ratio``: diplograph's store ingest (quads/s, from extractions to committed
  articles) over pyoxigraph's ``bulk_load`` of the very quads it wrote;
- ``query_p50_ms``: each bundled named query on a store of at least 1,000,000 triples
  (``--triples N``; ``--large``: 10,000,000), the graphs of the corpus's articles replicated
  under new document and event IRIs: the lists answer their first page as ``diplograph
  query --named`` does, from the store's index graph (``query.index_page``). In the details
  (``queries``): the page after ten pages by its key (``--after``), the query as written
  (its own sort: first page and every row, ``--all``), and beside each the raw engine's
  time for the very texts it ran.

Beside them, on the same store (``details.serving``, and ``--serving-only`` measures just
these and the queries, without the build measurements):

- ``cli_wall_ms``: the wall time of ``diplograph --help`` and of
  ``diplograph query --store S --named who-met-whom`` in a fresh process, next to the
  engine's time for the same query text on pyoxigraph (``engine_ms``) and a bare
  ``python -c pass`` (``python_ms``): what the command adds is start-up;
- ``network_ms``: ``GET /network.json``'s work (``server.network.network``) for all of time
  and for a three-month window, next to the engine's time for its counting query.

It prints a table, then one JSON line with those keys. Not a test: numbers on a shared
machine move; read them as benchmarks/README.md says.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"
EXAMPLE = ROOT / "src" / "diplograph" / "resources" / "examples" / "zhao-leji-pyongyang.txt"
#: values for the named queries that take bindings
BINDINGS = {"actor": {"name": "Kim Jong-un"}}
QUERY_TRIPLES = 1_000_000
LARGE_TRIPLES = 10_000_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller run (under 3 minutes)")
    parser.add_argument("--corpus", type=Path, help="JSON Lines articles (default: dev corpus)")
    parser.add_argument("--articles", type=int, help="articles in the measured corpus")
    parser.add_argument("--repeats", type=int, help="runs per measurement (median taken)")
    parser.add_argument("--model", help="spaCy pipeline (default: diplograph's)")
    parser.add_argument(
        "--query-triples",
        "--triples",
        type=int,
        default=QUERY_TRIPLES,
        help="article triples of the store the queries run on (default 1,000,000)",
    )
    parser.add_argument(
        "--large",
        action="store_const",
        const=LARGE_TRIPLES,
        dest="query_triples",
        help="the queries on 10,000,000 triples (with --serving-only: about an hour here)",
    )
    parser.add_argument(
        "--serving-only",
        action="store_true",
        help="only the store's figures: named queries, CLI start-up, /network.json",
    )
    parser.add_argument("--child", choices=["spacy", "spacy-sets", "build"], help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.articles is None:
        args.articles = 96 if args.quick else 160
    if args.repeats is None:
        args.repeats = 3 if args.quick else 5
    return args


# --- the corpus ---------------------------------------------------------------------------


def source_articles(corpus: Path | None) -> list[dict]:
    """The articles the benchmark corpus is made of: ``corpus``, else the shared development
    corpus, else the bundled example article."""
    path = corpus or (SHARED_CORPUS if SHARED_CORPUS.is_file() else None)
    if path is None:
        text = EXAMPLE.read_text("utf-8")
        return [{"id": EXAMPLE.stem, "text": text, "published": "2024-04-13"}]
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_corpus(articles: list[dict], count: int, path: Path) -> int:
    """``count`` articles cycled from ``articles`` (ids made unique) as JSON Lines; the word
    count (whitespace-separated) of their texts."""
    words = 0
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            article = dict(articles[index % len(articles)])
            article["id"] = f"{article['id']}--{index // len(articles)}"
            words += len(article["text"].split())
            handle.write(json.dumps(article, ensure_ascii=False) + "\n")
    return words


# --- children: one measurement each, in a fresh process --------------------------------------


def child(args: argparse.Namespace) -> None:
    """Run one measurement and print its JSON: seconds, peak RSS (kB) of this process and of
    its largest child. The model is loaded before the clock starts, on both sides."""
    from diplograph.nlp.pipeline import load_pipeline

    nlp = load_pipeline(args.model)
    if args.child in ("spacy", "spacy-sets"):
        import spacy

        from diplograph.nlp.pipeline import UNUSED_COMPONENTS, index_lemmas_by_set

        bare = spacy.load(args.model, exclude=list(UNUSED_COMPONENTS))
        if args.child == "spacy-sets":  # with diplograph's faster lemma index
            index_lemmas_by_set(bare)
        assert [n for n in nlp.pipe_names if n in bare.pipe_names] == bare.pipe_names

        def texts():
            with args.corpus.open(encoding="utf-8") as handle:
                for line in handle:
                    yield json.loads(line)["text"]

        start = time.perf_counter()
        for _doc in bare.pipe(texts(), batch_size=16, n_process=args.jobs):
            pass
        seconds = time.perf_counter() - start
    else:
        from diplograph import api
        from diplograph.gazetteer import Gazetteer
        from diplograph.nlp.lexicon import load_lexicon
        from diplograph.rdf.store import with_writer

        # start-up, like the model's load on both sides, is left out: the resources read once
        # per process, and a store that exists (its ontology loaded)
        Gazetteer.load(), load_lexicon()
        with_writer(args.store, lambda store: None)
        start = time.perf_counter()
        api.build([args.corpus], store=args.store, model=args.model, jobs=args.jobs)
        seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_kb": own, "child_rss_kb": children}))


def measure(kind: str, corpus: Path, jobs: int, model: str, work: Path) -> dict:
    store = work / f"store-{kind}-{jobs}-{time.monotonic_ns()}"
    command = [sys.executable, __file__, "--child", kind, "--corpus", str(corpus)]
    command += ["--jobs", str(jobs), "--model", model, "--store", str(store)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    shutil.rmtree(store, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} --jobs {jobs} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _burn(count: int = 30_000_000) -> None:
    total = 0
    for number in range(count):
        total += number


def machine_parallelism(repeats: int) -> float:
    """How much faster two CPU-bound processes get through twice the work than one process
    through once: 2.0 on two free cores, less on a shared or throttled machine. It bounds
    what any ``--jobs 2`` can reach here."""
    import multiprocessing

    ratios = []
    for _ in range(repeats):
        start = time.perf_counter()
        _burn()
        one = time.perf_counter() - start
        workers = [multiprocessing.Process(target=_burn) for _ in range(2)]
        start = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        ratios.append(2 * one / (time.perf_counter() - start))
    return statistics.median(ratios)


# --- the store: ingest, and queries on a large one ---------------------------------------------


def extractions_of(articles: list[dict], model: str):
    """The extractions of the source articles (parsed once, in this process)."""
    from diplograph import api

    lines = "".join(json.dumps(article, ensure_ascii=False) + "\n" for article in articles)
    path = Path(tempfile.mkdtemp()) / "source.jsonl"
    path.write_text(lines, encoding="utf-8")
    try:
        return list(api.extract([path], model=model))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


def renamed(extraction, suffix: str):
    """The same extraction as if read from another article (new document and event IRIs)."""
    from dataclasses import replace

    article = replace(extraction.article, id=extraction.article.id + suffix)
    events = tuple(replace(event, doc=article.id) for event in extraction.events)
    evidence = {id(post): replace(post.evidence, doc=article.id) for post in extraction.posts}
    posts = tuple(replace(post, evidence=evidence[id(post)]) for post in extraction.posts)
    return replace(extraction, article=article, events=events, posts=posts, ntriples=None)


def store_ingest(extractions, copies: int, work: Path) -> tuple[float, float, int]:
    """Seconds for diplograph to write ``copies`` renamed copies of ``extractions`` into a
    store that exists (its ontology loaded), seconds for pyoxigraph to bulk-load the same quads
    into a new store (it loads the ontology's too: its time is prorated), and how many."""
    import pyoxigraph as ox

    from diplograph.rdf.store import with_writer, write_articles

    batch = [renamed(e, f"--{k}") for k in range(copies) for e in extractions]
    ours = work / f"ingest-{time.monotonic_ns()}"
    before = with_writer(ours, len)  # a store that exists, its ontology loaded
    start = time.perf_counter()
    write_articles(ours, batch)
    diplograph_seconds = time.perf_counter() - start
    dump = work / "ingest.nq"
    reader = ox.Store.read_only(str(ours))
    quads = len(reader) - before  # what diplograph wrote; bulk_load gets all (and the ontology)
    with dump.open("wb") as handle:
        reader.dump(handle, ox.RdfFormat.N_QUADS)
    del reader
    theirs = work / f"bulk-{time.monotonic_ns()}"
    start = time.perf_counter()
    bulk = ox.Store(str(theirs))
    bulk.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    bulk.flush()
    bulk_seconds = time.perf_counter() - start
    del bulk
    for path in (ours, theirs, dump):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
    return diplograph_seconds, bulk_seconds * quads / (quads + before), quads


def large_store(extractions, triples: int, work: Path) -> tuple[Path, int, int]:
    """A diplograph store holding at least ``triples`` article triples: the graphs of
    ``extractions`` replicated under new document and event IRIs, bulk-loaded."""
    import pyoxigraph as ox

    from diplograph.rdf import index
    from diplograph.rdf.store import with_writer, write_articles

    sample = work / "sample-store"
    write_articles(sample, extractions)
    reader = ox.Store.read_only(str(sample))
    named = [quad for quad in reader if not isinstance(quad.graph_name, ox.DefaultGraph)]
    from diplograph.rdf.store import ONTOLOGY_GRAPH

    named = [quad for quad in named if quad.graph_name != ONTOLOGY_GRAPH]
    del reader
    text = ox.serialize(named, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    # the store's default graph is the merge of its named graphs
    text += "".join(line.rsplit(" <", 1)[0] + " .\n" for line in text.splitlines())
    ids = sorted({e.article.id for e in extractions}, key=len, reverse=True)
    # the text cut where a copy's IRIs and ids differ: an article's document, graph and event
    # IRIs and its id literal; every other piece is the same in every copy
    where = re.compile(
        r"(?<=/doc/)(?P<doc>{0})(?=[>/])|(?<=/graph/)(?P<graph>{0})(?=>)"
        r'|(?<=/event/)(?P<event>{0})(?=/)|(?<=")(?P<id>{0})(?=" [<.])'.format(
            "|".join(map(re.escape, ids))
        )
    )
    pieces = where.split(text)  # text, then the four groups of each match (one set), ...
    copies = -(-triples // len(named))
    path = work / "large-store"
    data = work / "large.nq"
    with data.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            suffix = f"~{copy}"
            handle.write(
                "".join(
                    piece if index % 5 == 0 else piece + suffix
                    for index, piece in enumerate(pieces)
                    if piece is not None
                )
            )

    def load(store):
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        # loaded around the writer: the index graph is made again from the article graphs,
        # as the next writer of an older diplograph's store does
        start = time.perf_counter()
        index.rebuild(store)
        seconds = time.perf_counter() - start
        print(f"  index graph of {copies * len(named)} triples: {seconds:.0f} s", file=sys.stderr)
        return len(store)

    total = with_writer(path, load)
    data.unlink()
    shutil.rmtree(sample, ignore_errors=True)
    return path, copies * len(named), total


#: how many pages in the deep page is: the page after this many of 100 rows
DEEP_PAGES = 10


def query_times(store: Path, repeats: int) -> dict[str, float]:
    """Median milliseconds of each bundled named query on ``store``, rows read to the end.

    A bundled listing (``query.KEYED``) answers its first page as ``diplograph query
    --named`` does, from the index graph (``query.index_page``: ``NAME``), and the page
    after ``DEEP_PAGES`` pages by its key (``--after``: ``NAME:deep``); beside each, the
    raw engine's time for the very texts the page ran (``NAME:engine``,
    ``NAME:deep:engine``). Then the query as written, which sorts every row: its first page
    (``NAME:sort``) and every row (``--all``: ``NAME:all``). Any other query runs as
    bundled (``NAME``). Rows: ``NAME:rows``, ``NAME:all:rows``.
    """
    from diplograph.query import (
        KEYED,
        _prefixes,
        _run_on_store,
        index_page,
        named_queries,
        page_of,
        with_page,
        with_values,
    )
    from diplograph.rdf.store import reading

    def timed(work) -> tuple[float, object]:
        runs = []
        for _ in range(repeats + 1):  # the first run warms the caches
            start = time.perf_counter()
            answer = work()
            runs.append((time.perf_counter() - start) * 1000)
        return statistics.median(runs[1:]), answer

    def as_written(snapshot, text: str, bindings) -> int:
        result = _run_on_store(snapshot, text, bindings or {}, _prefixes())
        return len(list(result))

    times: dict[str, float] = {}
    with reading(store) as snapshot:
        for name, text in named_queries().items():
            bindings = BINDINGS.get(name)
            if name in KEYED:
                deep = None
                for _ in range(DEEP_PAGES):
                    page = index_page(snapshot, name, bindings, after=deep)
                    if page.after is None:
                        break
                    deep = page.after
                for key, after in ((name, None), (f"{name}:deep", deep)):
                    ms, page = timed(
                        lambda n=name, b=bindings, a=after: index_page(snapshot, n, b, after=a)
                    )
                    texts: list[str] = []
                    index_page(snapshot, name, bindings, after=after, texts=texts)
                    times[key], times[f"{key}:rows"] = ms, len(page.result.bindings)
                    times[f"{key}:engine"] = sum(_engine_ms(snapshot, t, repeats) for t in texts)
                variants = {f"{name}:sort": text, f"{name}:all": with_page(text, all_rows=True)}
            else:
                variants = {name: text}
                if page_of(text):
                    variants[f"{name}:all"] = with_page(text, all_rows=True)
            for key, variant in variants.items():
                ms, rows = timed(lambda v=variant, b=bindings: as_written(snapshot, v, b))
                times[key], times[f"{key}:rows"] = ms, rows
                bound = with_values(variant, bindings) if bindings else variant
                times[f"{key}:engine"] = _engine_ms(snapshot, bound, repeats)
    return times


#: the CLI start-up measured: what ``diplograph query --store S --named NAME`` runs
CLI_QUERY = "who-met-whom"
#: the window of the windowed /network.json figure
NETWORK_WINDOW = ("2024-01-01", "2024-03-31")


def _wall_ms(command: list[str], repeats: int) -> float:
    """Median wall milliseconds of ``command`` in a fresh process (one warm-up run first)."""
    runs = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs[1:])


def _engine_ms(store, text: str, repeats: int) -> float:
    """Median milliseconds for pyoxigraph to answer ``text`` on ``store``, rows read."""
    from diplograph.query import _prefixes

    prefixes = _prefixes()
    runs = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        for _row in store.query(text, prefixes=prefixes):
            pass
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs[1:])


def serving_times(store: Path, repeats: int) -> dict:
    """CLI start-up and ``/network.json`` on ``store``, each beside the raw engine's time for
    the same query text, in the same run (medians of ``repeats``, milliseconds)."""
    from diplograph.query import named_query
    from diplograph.server import Settings, with_folder
    from diplograph.server.network import counting_query, network, window
    from diplograph.server.sparql import Endpoint

    cli = [sys.executable, "-c", "from diplograph.cli import app; app()"]
    walls = {
        "python": _wall_ms([sys.executable, "-c", "pass"], repeats),
        "help": _wall_ms([*cli, "--help"], repeats),
        "query": _wall_ms([*cli, "query", "--store", str(store), "--named", CLI_QUERY], repeats),
    }
    windows = {"all": window(), "window": window(*NETWORK_WINDOW)}

    def measure(opened) -> dict:
        endpoint = Endpoint(opened, Settings(timeout=60.0))
        times = {"engine_query": _engine_ms(opened, named_query(CLI_QUERY), repeats)}
        for name, period in windows.items():
            runs = []
            for _ in range(repeats + 1):
                start = time.perf_counter()
                answer = network(endpoint, period)
                runs.append((time.perf_counter() - start) * 1000)
            times[f"network_{name}"] = statistics.median(runs[1:])
            times[f"network_{name}:nodes"] = len(answer["nodes"])
            times[f"network_{name}:edges"] = len(answer["edges"])
            text = counting_query(period)
            times[f"engine_network_{name}"] = _engine_ms(opened, text, repeats)
        return times

    times = with_folder(store, measure)
    return {
        "cli_wall_ms": {name: round(ms, 1) for name, ms in walls.items()},
        "cli_engine_ms": round(times["engine_query"], 1),
        "network_ms": {name: round(times[f"network_{name}"], 1) for name in windows},
        "network_engine_ms": {name: round(times[f"engine_network_{name}"], 1) for name in windows},
        "network_size": {
            name: [times[f"network_{name}:nodes"], times[f"network_{name}:edges"]]
            for name in windows
        },
    }


def query_rows(queries: dict, triples: int) -> list[tuple]:
    """The table rows of ``query_times``: each page beside the engine's time for its texts,
    and the query as written (its own sort) beside it."""
    target = "< 10" if triples < 5_000_000 else "< 100"
    rows = []
    for name in (key for key in queries if ":" not in key):
        ms, engine, count = queries[name], queries[f"{name}:engine"], queries[f"{name}:rows"]
        if f"{name}:deep" not in queries:
            how = f"as written: {count} rows; engine {engine:.1f} ms, {triples} triples"
            rows.append((f"query_p50_ms {name}", round(ms, 1), "", how))
            continue
        how = f"first page, {count} rows; engine {engine:.1f} ms for its texts"
        rows.append((f"query_p50_ms {name}", round(ms, 1), target, how))
        deep = queries[f"{name}:deep"]
        how = (
            f"--after the key of page {DEEP_PAGES}, {queries[f'{name}:deep:rows']} rows; "
            f"engine {queries[f'{name}:deep:engine']:.1f} ms"
        )
        rows.append(("  deep page", round(deep, 1), target, how))
        how = (
            f"as written (its own sort): first page {queries[f'{name}:sort']:.1f} ms "
            f"(engine {queries[f'{name}:sort:engine']:.1f}); all rows here"
        )
        rows.append(
            (
                "  all rows (--all)",
                round(queries[f"{name}:all"], 1),
                "",
                how + f", {queries[f'{name}:all:rows']} rows, engine "
                f"{queries[f'{name}:all:engine']:.1f} ms",
            )
        )
    return rows


def serving_rows(serving: dict, triples: int) -> list[tuple]:
    """The table rows of ``serving_times``: each figure beside the engine's."""
    walls, engine = serving["cli_wall_ms"], serving["cli_engine_ms"]
    rows = [
        (
            "cli_wall_ms --help",
            walls["help"],
            "",
            f"fresh process; bare python -c pass {walls['python']} ms",
        ),
        (
            f"cli_wall_ms query {CLI_QUERY}",
            walls["query"],
            "< 500",
            f"engine {engine} ms for the same text ({walls['query'] / max(engine, 0.1):.1f}x), "
            f"{triples} triples",
        ),
    ]
    for name, ms in serving["network_ms"].items():
        raw = serving["network_engine_ms"][name]
        nodes, edges = serving["network_size"][name]
        period = "all of time" if name == "all" else "..".join(NETWORK_WINDOW)
        rows.append(
            (
                f"network_ms {name}",
                ms,
                "< 1000",
                f"{period}: {nodes} actors, {edges} edges; engine {raw} ms for its count "
                f"({ms / max(raw, 0.1):.2f}x)",
            )
        )
    return rows


# --- the run -----------------------------------------------------------------------------------


def median(values) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if args.child:
        child(args)
        return {}
    from diplograph.nlp.pipeline import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    began = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="diplograph-bench-"))
    if args.serving_only:
        try:
            return serve_only(args, model, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    try:
        results = run(args, model, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["seconds"] = round(time.perf_counter() - began, 1)
    print_table(results)
    print(json.dumps({key: results[key] for key in KEYS} | {"details": results["details"]}))
    return results


def serve_only(args: argparse.Namespace, model: str, work: Path) -> dict:
    """``--serving-only``: the large store's named queries, CLI start-up and network."""
    extractions = extractions_of(source_articles(args.corpus), model)
    store, triples, _ = large_store(extractions, args.query_triples, work)
    repeats = max(3, args.repeats)
    queries = query_times(store, repeats)
    serving = serving_times(store, repeats)
    rows = query_rows(queries, triples)
    rows += serving_rows(serving, triples)
    print(f"diplograph serving benchmarks, {triples} triples, median of {repeats}")
    for name, value, target, how in rows:
        print(f"{name:<34} {value:>9}  {target:<8} {how}")
    results = {"query_p50_ms": {k: round(v, 1) for k, v in queries.items() if ":" not in k}}
    results |= {"queries": {k: round(v, 2) for k, v in queries.items()}}
    results |= {"serving": serving, "article_triples": triples}
    print(json.dumps(results))
    return results


KEYS = ("build_vs_spacy", "jobs2_speedup", "memory_growth", "store_load_ratio", "query_p50_ms")


def run(args: argparse.Namespace, model: str, work: Path) -> dict:
    articles = source_articles(args.corpus)
    corpus = work / "corpus.jsonl"
    words = write_corpus(articles, args.articles, corpus)
    big = work / "corpus-4x.jsonl"
    write_corpus(articles, 4 * args.articles, big)
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    log(f"corpus: {args.articles} articles, {words} words; {args.repeats} repeats")
    parallelism = machine_parallelism(args.repeats)
    log(f"machine: two processes do {parallelism:.2f}x the work of one")

    pairs: dict[int, list[tuple[dict, dict]]] = {1: [], 2: []}
    sets = []  # bare spaCy with the lemma index diplograph uses, one process
    for repeat in range(args.repeats):
        for jobs in (1, 2):
            kinds = ("spacy", "build", "spacy-sets") if jobs == 1 else ("spacy", "build")
            order = kinds if repeat % 2 == 0 else kinds[::-1]
            got = {kind: measure(kind, corpus, jobs, model, work) for kind in order}
            pairs[jobs].append((got["spacy"], got["build"]))
            if jobs == 1:
                sets.append(got["spacy-sets"]["seconds"] / got["build"]["seconds"])
            log(
                f"  repeat {repeat + 1} jobs {jobs}: spaCy {words / got['spacy']['seconds']:.0f}"
                f" words/s, build {words / got['build']['seconds']:.0f} words/s"
            )
    ratio = {j: [s["seconds"] / b["seconds"] for s, b in pairs[j]] for j in pairs}
    speedup = [
        b1["seconds"] / b2["seconds"] for (_, b1), (_, b2) in zip(pairs[1], pairs[2], strict=True)
    ]

    # peak RSS of the --jobs 1 builds above (1x), and of builds of 4x the corpus
    small = median(b["rss_kb"] for _, b in pairs[1])
    memory = []
    for repeat in range(max(1, args.repeats // 3)):
        large = measure("build", big, 1, model, work)["rss_kb"]
        memory.append((small, large))
        log(f"  memory {repeat + 1}: 1x {small / 1024:.0f} MB, 4x {large / 1024:.0f} MB")

    log("store: parsing the source articles once")
    extractions = extractions_of(articles, model)
    copies = max(1, (args.articles * 3) // len(extractions))
    ingest = []
    for _ in range(args.repeats):
        ours, bulk, quads = store_ingest(extractions, copies, work)
        ingest.append((ours, bulk, quads))
        log(f"  ingest {quads} quads: diplograph {quads / ours:.0f}/s, bulk {quads / bulk:.0f}/s")

    log(f"queries: a store of at least {args.query_triples} triples")
    store, article_triples, store_quads = large_store(extractions, args.query_triples, work)
    queries = query_times(store, max(3, args.repeats))
    serving = serving_times(store, max(3, args.repeats))

    spacy1 = median(words / s["seconds"] for s, _ in pairs[1])
    spacy2 = median(words / s["seconds"] for s, _ in pairs[2])
    build1 = median(words / b["seconds"] for _, b in pairs[1])
    build2 = median(words / b["seconds"] for _, b in pairs[2])
    return {
        "build_vs_spacy": round(median(ratio[1]), 3),
        "jobs2_speedup": round(median(speedup), 3),
        "memory_growth": round(median(large / small for small, large in memory), 3),
        "store_load_ratio": round(median(b / o for o, b, _ in ingest), 3),
        "query_p50_ms": {k: round(v, 1) for k, v in queries.items() if ":" not in k},
        "details": {
            "date": dt.date.today().isoformat(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
            + platform.python_version(),
            "model": model,
            "articles": args.articles,
            "words": words,
            "repeats": args.repeats,
            "machine_2proc_speedup": round(parallelism, 3),
            "spacy_jobs2_speedup": round(
                median(
                    s1["seconds"] / s2["seconds"]
                    for (s1, _), (s2, _) in zip(*pairs.values(), strict=True)
                ),
                3,
            ),
            "build_vs_spacy_jobs2": round(median(ratio[2]), 3),
            # the same, against bare spaCy with the rule lemmatizer's index made sets as
            # diplograph's pipeline has it (pipeline.index_lemmas_by_set): only what
            # diplograph adds, without what it saves in spaCy
            "build_vs_spacy_lemma_sets": round(median(sets), 3),
            "words_per_s": {
                "spacy_jobs1": round(spacy1),
                "build_jobs1": round(build1),
                "spacy_jobs2": round(spacy2),
                "build_jobs2": round(build2),
            },
            "peak_rss_mb": {
                "1x": round(median(s for s, _ in memory) / 1024),
                "4x": round(median(large for _, large in memory) / 1024),
            },
            "ingest_quads": ingest[0][2],
            "ingest_quads_per_s": {
                "diplograph": round(median(q / o for o, _, q in ingest)),
                "bulk_load": round(median(q / b for _, b, q in ingest)),
            },
            "query_store": {"article_triples": article_triples, "quads": store_quads},
            "query_rows": {k: queries[f"{k}:rows"] for k in queries if ":" not in k},
            # every figure of query_times: pages, deep pages, the queries as written, and
            # the raw engine's time for each
            "queries": {k: round(v, 2) for k, v in queries.items()},
            # the paged lists with every row (--all): what a page saves
            "query_all_ms": {k[:-4]: round(v, 1) for k, v in queries.items() if k.endswith(":all")},
            "query_all_rows": {k[:-9]: v for k, v in queries.items() if k.endswith(":all:rows")},
            # CLI start-up and /network.json, each beside the engine's time (serving_times)
            "serving": serving,
        },
    }


def print_table(results: dict) -> None:
    details = results["details"]
    rate = details["words_per_s"]
    rows = [
        (
            "build_vs_spacy",
            results["build_vs_spacy"],
            ">= 0.85",
            f"jobs 1: build {rate['build_jobs1']} / spaCy {rate['spacy_jobs1']} words/s",
        ),
        (
            "  (spaCy's lemma index as sets)",
            details["build_vs_spacy_lemma_sets"],
            "",
            "jobs 1, against bare spaCy with the lemma index diplograph loads",
        ),
        (
            "  (jobs 2)",
            details["build_vs_spacy_jobs2"],
            "",
            f"jobs 2: build {rate['build_jobs2']} / spaCy {rate['spacy_jobs2']} words/s",
        ),
        (
            "jobs2_speedup",
            results["jobs2_speedup"],
            ">= 1.6",
            f"build {rate['build_jobs2']} / {rate['build_jobs1']} words/s",
        ),
        (
            "  (spaCy alone; machine)",
            details["spacy_jobs2_speedup"],
            "",
            f"bare spaCy jobs 2 / jobs 1; two busy processes here: "
            f"{details['machine_2proc_speedup']}x one",
        ),
        (
            "memory_growth",
            results["memory_growth"],
            "<= 1.15",
            f"peak RSS {details['peak_rss_mb']['4x']} / {details['peak_rss_mb']['1x']} MB",
        ),
        (
            "store_load_ratio",
            results["store_load_ratio"],
            ">= 0.5",
            f"{details['ingest_quads_per_s']['diplograph']} / "
            f"{details['ingest_quads_per_s']['bulk_load']} quads/s",
        ),
    ]
    store = details["query_store"]
    rows += query_rows(details["queries"], store["article_triples"])
    rows += serving_rows(details["serving"], store["article_triples"])
    print(
        f"diplograph benchmarks, {details['date']}, {details['machine']}, "
        f"{details['articles']} articles ({details['words']} words), "
        f"median of {details['repeats']}, {results['seconds']} s"
    )
    print(f"{'measure':<30} {'value':>9}  {'target':<8} how")
    for name, value, target, how in rows:
        print(f"{name:<30} {value:>9}  {target:<8} {how}")


if __name__ == "__main__":
    main()
