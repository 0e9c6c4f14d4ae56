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
    "entities": 0.88,
    "events_lenient": 0.46,
    "events_strict": 0.37,
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
    print(json.dumps({k: scores[k] for k in FLOORS}, indent=1))
    return scores


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_dev_score_stays_above_floor(dev_scores, measure):
    assert dev_scores[measure]["f1"] >= FLOORS[measure], dev_scores[measure]


def test_dev_score_every_exported_document_is_in_gold(dev_scores):
    assert dev_scores["docs_not_in_gold"] == []
