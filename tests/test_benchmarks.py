"""benchmarks/run.py loads and reads its options (it is never run as a test: no timings here)."""

from __future__ import annotations

import importlib.util
import json

from conftest import ROOT


def _load():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmarks_run_parses_options():
    run = _load()
    quick = run.parse_args(["--quick"])
    assert quick.quick and quick.articles < run.parse_args([]).articles
    assert run.parse_args(["--articles", "8", "--repeats", "1"]).repeats == 1
    assert set(run.KEYS) == {
        "build_vs_spacy",
        "jobs2_speedup",
        "memory_growth",
        "store_load_ratio",
        "query_p50_ms",
    }


def test_benchmarks_corpus_has_unique_ids(tmp_path):
    run = _load()
    articles = [{"id": "a", "text": "One two."}, {"id": "b", "text": "Three."}]
    words = run.write_corpus(articles, 5, tmp_path / "c.jsonl")
    lines = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert words == 8 and len({line["id"] for line in lines}) == 5
