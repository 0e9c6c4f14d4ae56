"""The real-news quality sets (benchmarks/quality): verbatim articles, valid gold, a fixed split."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

QUALITY = Path(__file__).parent.parent / "benchmarks" / "quality"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quality_articles_are_in_the_corpus_format():
    articles = _rows(QUALITY / "voa-dev.jsonl")
    assert len(articles) >= 30
    assert len({a["id"] for a in articles}) == len(articles)
    for a in articles:
        assert set(a) == {"id", "title", "published", "source", "url", "text"}
        assert a["id"].startswith("voa-") and a["text"].strip()
        assert len(a["published"]) == 10 and a["source"] == "Voice of America"


def test_quality_sets_are_what_make_voa_writes(tmp_path):
    shutil.copy(QUALITY / "split.json", tmp_path / "split.json")
    _module(QUALITY / "make_voa.py").main(tmp_path)
    for name in ("voa-dev.jsonl", "voa-dev.gold.jsonl", "split.json"):
        assert (tmp_path / name).read_bytes() == (QUALITY / name).read_bytes(), name


def test_quality_split_is_a_partition_of_the_gold():
    split = json.loads((QUALITY / "split.json").read_text())
    gold_ids = [g["id"] for g in _rows(QUALITY / "voa-dev.gold.jsonl")]
    assert not set(split["tune"]) & set(split["check"])
    assert sorted(split["tune"] + split["check"]) == sorted(gold_ids)
    assert len(split["tune"]) >= 10 and len(split["check"]) >= 10


def test_quality_gold_passes_the_shared_gold_check(shared_dir):
    scorer = _module(shared_dir / "eval" / "score.py")
    problems = scorer.check_gold(
        _rows(QUALITY / "voa-dev.gold.jsonl"), _rows(QUALITY / "voa-dev.jsonl")
    )
    assert problems == []


#: measured 2026-12-07 (rounded down): a change that loses events or states on real news
#: fails here; raise them when extraction improves on the check half. Tune's actor_state
#: 0.90 -> 0.88 when commentary, requests and threats stopped being read as acts: the
#: share moved with the events matched (fewer, some matched only by chance), not with
#: any state given; check's held at 0.8193. Events 0.34 -> 0.35 (check 0.351, tune 0.361)
#: when agreements, talks and appeals stopped being read from what only names a topic;
#: actor_state raised (tune 0.97, check 0.915) when a person of no known state took the
#: state the article's lead names, unless they face that state or one of its people
REAL_NEWS_FLOORS = {
    "tune": {"events_lenient": 0.36, "entities": 0.80, "actor_state": 0.96},
    "check": {"events_lenient": 0.355, "entities": 0.83, "actor_state": 0.91},
}


@pytest.mark.model
@pytest.mark.scorer
def test_quality_real_news_scores_stay_above_their_floors(shared_dir):
    script = QUALITY / "score_sets.py"
    out = subprocess.run(
        [sys.executable, str(script), "--sets", "tune,check", "--json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    scores = json.loads(out)
    for half, floors in REAL_NEWS_FLOORS.items():
        got = scores[half]
        measured = {
            "events_lenient": got["events_lenient"]["f1"],
            "entities": got["entities"]["f1"],
            "actor_state": got["attributes_on_matched"]["actor_state"],
        }
        print(half, measured)
        assert all(measured[k] >= floor for k, floor in floors.items()), (half, measured)
