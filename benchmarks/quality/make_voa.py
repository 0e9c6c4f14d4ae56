"""Make the real-news quality sets from verbatim Voice of America source lines.

Input: ``parts/r*.raw.jsonl``, each line copied verbatim from
``ahalterman/NGEC-2025`` ``data/voa_benchmark/voa_stories.jsonl`` (commit
``e724678a26faf5ad6760dd2010878944242c0b3e``), only stories that begin at
character offset 200,000 or later (the part before is reserved for evaluation
and never read), and ``parts/r*.gold.jsonl``, their blind gold annotations.

Output (committed): ``voa-dev.jsonl`` (the articles in the GOLD_FORMAT article
format, text unchanged), ``voa-dev.gold.jsonl`` (gold, in article order) and
``split.json`` (which gold articles are *tune* and which are *check*).

The split is fixed once, by a hash of the article id, and then kept: re-running
this script never moves an article that is already in ``split.json``.

    python benchmarks/quality/make_voa.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = "Voice of America"


def article(raw: dict) -> dict:
    """One source story as a corpus article (GOLD_FORMAT), its text unchanged."""
    return {
        "id": f"voa-{raw['id']}",
        "title": raw["title"],
        "published": raw["published"][:10],
        "source": SOURCE,
        "url": raw["url"],
        "text": raw["text"],
    }


def half(doc_id: str) -> str:
    """The half a new article goes to: a stable hash of its id."""
    return "tune" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "check"


def main(out: Path = HERE) -> None:
    """Write the sets into ``out`` from ``parts/`` (and ``out/split.json`` if it exists)."""
    articles, gold = [], {}
    for part in sorted((HERE / "parts").glob("r*.raw.jsonl")):
        articles += [article(json.loads(line)) for line in part.read_text().splitlines() if line]
        gold_file = part.with_name(part.name.replace(".raw.", ".gold."))
        if gold_file.exists():
            for line in gold_file.read_text().splitlines():
                if line.strip():
                    row = json.loads(line)
                    gold[row["id"]] = row
    ids = [a["id"] for a in articles]
    assert len(ids) == len(set(ids)), "an article is copied twice"
    with open(out / "voa-dev.jsonl", "w", encoding="utf-8") as file:
        for a in articles:
            file.write(json.dumps(a, ensure_ascii=False) + "\n")
    with open(out / "voa-dev.gold.jsonl", "w", encoding="utf-8") as file:
        for doc_id in ids:
            if doc_id in gold:
                file.write(json.dumps(gold[doc_id], ensure_ascii=False) + "\n")
    split_file = out / "split.json"
    split = json.loads(split_file.read_text()) if split_file.exists() else {"tune": [], "check": []}
    placed = set(split["tune"]) | set(split["check"])
    for doc_id in ids:
        if doc_id in gold and doc_id not in placed:
            split[half(doc_id)].append(doc_id)
    split_file.write_text(json.dumps(split, indent=1) + "\n")
    print(
        f"{len(articles)} articles, {len(gold)} annotated: "
        f"{len(split['tune'])} tune, {len(split['check'])} check"
    )


if __name__ == "__main__":
    main()
