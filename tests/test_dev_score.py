"""Quality on the hand-annotated development corpus, scored by the shared scorer.

The floors are the measured scores of the current version (rounded down): a change that
makes extraction worse fails here. Raise them when extraction improves.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.model, pytest.mark.scorer]

FLOORS = {
    "entities": 0.93,
    "events_lenient": 0.67,
    "events_strict": 0.59,
}
#: how often location, date, negation and modality are right on matched events (the issue:
#: at least 0.80 each); the date is measured at 0.805, 165 of 205 (2026-12-03)
ATTRIBUTE_FLOORS = {
    "location": 0.80,
    "date": 0.80,
    "negated": 0.95,
    "modality": 0.88,
}


def _diplograph() -> list[str]:
    return [sys.executable, "-m", "diplograph.cli"]


@pytest.fixture(scope="module")
def dev_scores(shared_dir: Path, tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("dev")
    graph = work / "dev.trig"
    corpus = shared_dir / "corpus" / "dev.jsonl"
    subprocess.run([*_diplograph(), "build", str(corpus), "-o", str(graph)], check=True)
    events = work / "events.jsonl"
    entities = work / "entities.jsonl"
    for command, path in (("events", events), ("entities", entities)):
        out = subprocess.run(
            [*_diplograph(), command, str(graph), "--format", "jsonl"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        path.write_text(out, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            str(shared_dir / "eval" / "score.py"),
            "--gold",
            str(shared_dir / "eval" / "dev.gold.jsonl"),
            "--events",
            str(events),
            "--entities",
            str(entities),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(result.stdout)
    scores["_events_path"] = events
    print(json.dumps({k: scores[k] for k in FLOORS}, indent=1))
    return scores


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_dev_score_stays_above_floor(dev_scores, measure):
    assert dev_scores[measure]["f1"] >= FLOORS[measure], dev_scores[measure]


@pytest.mark.parametrize("attribute", sorted(ATTRIBUTE_FLOORS))
def test_dev_score_attribute_stays_above_floor(dev_scores, attribute):
    accuracy = dev_scores["attributes_on_matched"][attribute]
    assert accuracy >= ATTRIBUTE_FLOORS[attribute], accuracy


def test_dev_score_every_category_is_found(dev_scores):
    found = {t for t, r in dev_scores["per_type"].items() if r["tp"] > 0}
    assert len(found) == 16, sorted(found)


def test_dev_score_every_exported_document_is_in_gold(dev_scores):
    assert dev_scores["docs_not_in_gold"] == []


def test_dev_score_confidence_separates_right_from_wrong(dev_scores, shared_dir, tmp_path_factory):
    """Events above 0.8 confidence are right more often than those at or below it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score", shared_dir / "eval" / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = scorer.read_jsonl(shared_dir / "eval" / "dev.gold.jsonl")
    events = scorer.read_jsonl(dev_scores["_events_path"])
    right = {"high": [0, 0], "low": [0, 0]}
    for row in gold:
        article = scorer.Article(row)
        predicted = [e for e in events if e["doc"] == row["id"]]
        matched = {id(p) for p, _ in scorer.match_events(article, predicted, strict=False)}
        for event in predicted:
            band = right["high" if event["confidence"] > 0.8 else "low"]
            band[0] += id(event) in matched
            band[1] += 1
    high, low = (band[0] / band[1] for band in (right["high"], right["low"]))
    print({"above 0.8": right["high"], "at or below": right["low"]})
    assert right["high"][1] > 0 and high > low
