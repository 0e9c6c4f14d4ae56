"""Score extraction on the three quality sets: dev (shared), VOA tune and VOA check.

Builds each corpus with the installed diplograph (the CLI path: build, events,
entities), restricts the gold to the set's articles and runs the shared scorer
(``../shared/eval/score.py``). Prints each set's scorer output; with ``--json``
one JSON object of all three. The *check* half is scored, never read for errors:
the script prints only the scorer's totals, per category and attributes.

    python benchmarks/quality/score_sets.py [--sets dev,tune,check] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SHARED = ROOT.parent / "shared"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def set_files(name: str, work: Path) -> tuple[Path, Path]:
    """The corpus and gold of one set, written into ``work`` when they are a subset."""
    if name == "dev":
        return SHARED / "corpus" / "dev.jsonl", SHARED / "eval" / "dev.gold.jsonl"
    ids = set(json.loads((HERE / "split.json").read_text())[name])
    corpus, gold = work / f"{name}.jsonl", work / f"{name}.gold.jsonl"
    _write(corpus, [a for a in _read(HERE / "voa-dev.jsonl") if a["id"] in ids])
    _write(gold, [g for g in _read(HERE / "voa-dev.gold.jsonl") if g["id"] in ids])
    return corpus, gold


def score_set(name: str, work: Path, as_json: bool) -> str:
    """The shared scorer's output for one set (text, or JSON text)."""
    corpus, gold = set_files(name, work)
    cli = [sys.executable, "-m", "diplograph.cli"]
    graph = work / f"{name}.trig"
    subprocess.run([*cli, "build", str(corpus), "-o", str(graph)], check=True, capture_output=True)
    tables = {}
    for table in ("events", "entities"):
        tables[table] = work / f"{name}.{table}.jsonl"
        out = subprocess.run(
            [*cli, table, str(graph), "--format", "jsonl"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        tables[table].write_text(out, encoding="utf-8")
    command = [
        sys.executable,
        str(SHARED / "eval" / "score.py"),
        "--gold",
        str(gold),
        "--events",
        str(tables["events"]),
        "--entities",
        str(tables["entities"]),
    ]
    return subprocess.run(
        [*command, *(["--json"] if as_json else [])], check=True, capture_output=True, text=True
    ).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,tune,check")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (SHARED / "eval" / "score.py").exists():
        print(f"no scorer at {SHARED / 'eval' / 'score.py'}", file=sys.stderr)
        return 2
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            results[name] = score_set(name, Path(tmp), args.json)
    if args.json:
        print(json.dumps({k: json.loads(v) for k, v in results.items()}, indent=1))
    else:
        for name, text in results.items():
            print(f"== {name}\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
