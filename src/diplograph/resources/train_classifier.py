"""Train ``event_classifier.json``: the logistic model that sets candidate events' confidence.

Inputs (a development checkout; none is read at run time):

- the development corpus and its gold, ``../shared/corpus/dev.jsonl`` and
  ``../shared/eval/dev.gold.jsonl``;
- the Voice of America *tune* half, ``benchmarks/quality/voa-dev.jsonl`` and
  ``voa-dev.gold.jsonl`` restricted to ``split.json``'s ``tune`` ids (never the check ids);
- the NGEC synthetic stories, ``../shared/reference/ngec/synthetic_events.csv.zip`` (4,500
  stories with document-level PLOVER labels, noisy; MIT licence, Andrew Halterman's NGEC
  project): from them, how strongly a trigger lemma goes with each category (pointwise
  mutual information of the lemma's presence in a story and the story's label).

The rule extractor itself (``read_doc`` with ``classify=False``, the pinned spaCy pipeline)
reads every training article; each candidate event is labelled right when the shared
scorer's lenient matching (``../shared/eval/score.py``: same type, a named side agreeing,
pairs one-to-one, best first) pairs it with a gold event, else wrong. A feature kept must
occur in at least two articles. The L2 strength and the decision threshold are chosen by
five-fold cross-validation over articles (micro F1 of the candidates kept, against all gold
events of the held-out articles; a candidate is kept when the rules keep it, confidence 0.25
or more, and the model does not veto it); the model is then fitted on all of them by Newton's method
(a unique optimum, so the rounded weights do not depend on the path to it).

    python -m diplograph.resources.train_classifier [--check]

``--check`` exits 1 when the committed model differs from what the inputs give.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import math
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from diplograph.errors import error

HERE = Path(__file__).parent
OUTPUT = HERE / "event_classifier.json"
ROOT = HERE.parents[2]
SHARED = ROOT.parent / "shared"
QUALITY = ROOT / "benchmarks" / "quality"
SYNTHETIC = SHARED / "reference" / "ngec" / "synthetic_events.csv.zip"
VERSION = "2"
CATEGORIES = (
    *("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"),
    *("ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"),
)
STRENGTHS = (1.0, 3.0, 10.0, 30.0, 100.0)
THRESHOLDS = tuple(round(0.1 + 0.025 * i, 3) for i in range(17))  # 0.1 .. 0.5
FOLDS = 5
MIN_ARTICLES = 2
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        raise error("E001", path=path)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _scorer(shared: Path):
    path = shared / "eval" / "score.py"
    if not path.is_file():
        raise error("E001", path=path)
    spec = importlib.util.spec_from_file_location("diplograph_gold_scorer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def training_sets(shared: Path = SHARED, quality: Path = QUALITY) -> list[tuple[Path, dict]]:
    """(corpus file, gold by article id) of the dev corpus and the VOA tune half."""
    dev = {g["id"]: g for g in _read(shared / "eval" / "dev.gold.jsonl")}
    split = quality / "split.json"
    if not split.is_file():
        raise error("E001", path=split)
    tune_ids = set(json.loads(split.read_text(encoding="utf-8"))["tune"])
    tune = {g["id"]: g for g in _read(quality / "voa-dev.gold.jsonl") if g["id"] in tune_ids}
    return [(shared / "corpus" / "dev.jsonl", dev), (quality / "voa-dev.jsonl", tune)]


def trigger_forms() -> dict[str, str]:
    """Word form -> lemma for the lemmas of the ontology's and the CAMEO lexicon's triggers:
    their regular inflections and the pipeline lemmatizer's irregular ones ("met": "meet")."""
    from diplograph.nlp.lexicon import load_lexicon
    from diplograph.nlp.pipeline import load_pipeline

    lexicon = load_lexicon()
    lemmas = {*lexicon.verbs, *lexicon.dictionary_verbs, *(v for v, _ in lexicon.phrases)}
    lemmas |= {words[-1] for words in lexicon.nouns}
    lemmas = {lemma for lemma in lemmas if _WORD.fullmatch(lemma)}
    forms: dict[str, str] = {}
    for lemma in sorted(lemmas):
        stem = lemma[:-1] if lemma[-1] in "ey" else lemma
        for form in (lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"):
            forms.setdefault(form, lemma)
        forms.setdefault(stem + "ing", lemma)
        if lemma.endswith("y"):
            forms.setdefault(stem + "ies", lemma)
            forms.setdefault(stem + "ied", lemma)
        forms.setdefault(lemma + lemma[-1] + "ed", lemma)
        forms.setdefault(lemma + lemma[-1] + "ing", lemma)
    lookups = load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    for pos in ("verb", "noun"):
        for form, (lemma, *_) in sorted(lookups.get(pos, {}).items()):
            if lemma in lemmas:
                forms[form] = lemma
    return forms


def synthetic_associations(path: Path, forms: dict[str, str], min_stories: int = 5) -> dict:
    """Lemma -> {category: PMI of the lemma in a story and the story's label} over the NGEC
    synthetic stories (``forms`` maps the word forms counted to their lemma), rounded, in
    [-2, 2], kept when |PMI| >= 0.1, for lemmas in at least ``min_stories`` stories."""
    if not path.is_file():
        raise error("E001", path=path)
    with zipfile.ZipFile(path) as archive:
        name = sorted(archive.namelist())[0]
        with archive.open(name) as handle:
            rows = list(csv.DictReader(io.TextIOWrapper(handle, "utf-8")))
    by_label: Counter[str] = Counter()
    with_lemma: Counter[str] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    for row in rows:
        label = row["label"].strip().upper()
        if label not in CATEGORIES:
            continue
        by_label[label] += 1
        present = {forms[w] for w in _WORD.findall(row["text"].lower()) if w in forms}
        for lemma in present:
            with_lemma[lemma] += 1
            joint[lemma, label] += 1
    total, k = sum(by_label.values()), len(CATEGORIES)
    table: dict[str, dict[str, float]] = {}
    for lemma in sorted(with_lemma):
        if with_lemma[lemma] < min_stories:
            continue
        scores = {}
        for c in CATEGORIES:
            given = (joint[lemma, c] + 1) / (with_lemma[lemma] + k)
            prior = (by_label[c] + 1) / (total + k)
            value = round(max(-2.0, min(2.0, math.log(given / prior))), 2)
            if abs(value) >= 0.1:
                scores[c] = value
        if scores:
            table[lemma] = scores
    return table


def candidates(sets: list[tuple[Path, dict]], synthetic: dict, shared: Path = SHARED) -> list:
    """(article id, features, right?) of every candidate the rules read from the training
    articles, in article order; and the number of gold events per article."""
    from diplograph.gazetteer import Gazetteer
    from diplograph.ingest import read_articles
    from diplograph.nlp.chrome import mask_chrome
    from diplograph.nlp.classify import candidate_features
    from diplograph.nlp.extract import read_doc
    from diplograph.nlp.lexicon import load_lexicon
    from diplograph.nlp.pipeline import load_pipeline

    scorer = _scorer(shared)
    nlp, lexicon, gazetteer = load_pipeline(), load_lexicon(), Gazetteer.load()
    rows: list[tuple[str, dict[str, float], int]] = []
    golds: dict[str, int] = {}
    for corpus, gold in sets:
        articles = sorted((a for a in read_articles([corpus]) if a.id in gold), key=lambda a: a.id)
        stream = ((mask_chrome(a.text), a) for a in articles)
        for doc, article in nlp.pipe(stream, as_tuples=True):
            extraction = read_doc(doc, article, lexicon, gazetteer, classify=False)
            kinds = {actor.key: actor.kind for actor in extraction.actors}
            labels = {actor.key: actor.label for actor in extraction.actors}
            events = list(extraction.events)
            preds = [
                {
                    "index": i,
                    "type": e.category,
                    "source": [labels.get(k, k) for k in e.source],
                    "target": [labels.get(k, k) for k in e.target],
                }
                for i, e in enumerate(events)
            ]
            reference = scorer.Article(gold[article.id])
            right = {p["index"] for p, _ in scorer.match_events(reference, preds, False)}
            golds[article.id] = len(reference.events)
            for i, event in enumerate(events):
                features = candidate_features(doc, event, events[:i], kinds, synthetic)
                rows.append((article.id, features, int(i in right)))
    return rows, golds


def _matrix(rows: list, names: list[str]) -> np.ndarray:
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, (_, features, _) in enumerate(rows):
        for name, value in features.items():
            if name in index:
                x[r, index[name]] = value
    return x


def fit(x: np.ndarray, y: np.ndarray, strength: float, bias: int) -> np.ndarray:
    """L2-regularised logistic regression by Newton's method (the bias column unpenalised)."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], strength)
    penalty[bias] = 1e-6
    for _ in range(100):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w


def _vocabulary(rows: list) -> list[str]:
    articles: dict[str, set[str]] = {}
    for doc, features, _ in rows:
        for name in features:
            articles.setdefault(name, set()).add(doc)
    return sorted(name for name, docs in articles.items() if len(docs) >= MIN_ARTICLES)


def _f1(kept: np.ndarray, y: np.ndarray, gold: int) -> float:
    tp = float(y[kept].sum())
    return 2 * tp / (kept.sum() + gold) if kept.sum() + gold else 0.0


def cross_validate(rows: list, golds: dict[str, int]) -> dict:
    """Held-out probabilities for each L2 strength over five folds of articles, the best
    strength and threshold by micro F1 of the candidates the rules keep (their 0.25 cut)
    and the model does not veto, and the rules' own figures beside them."""
    docs = sorted(golds)
    fold_of = {doc: i % FOLDS for i, doc in enumerate(docs)}
    folds = np.array([fold_of[doc] for doc, _, _ in rows])
    y = np.array([label for _, _, label in rows], dtype=float)
    gold = sum(golds.values())
    rules = np.array([features["rules"] >= math.log(0.25 / 0.75) for _, features, _ in rows])
    results = {}
    for strength in STRENGTHS:
        held = np.zeros(len(rows))
        for k in range(FOLDS):
            train = [row for row, f in zip(rows, folds, strict=True) if f != k]
            names = _vocabulary(train)
            w = fit(_matrix(train, names), y[folds != k], strength, names.index("bias"))
            held[folds == k] = 1 / (1 + np.exp(-_matrix(rows, names)[folds == k] @ w))
        for t in THRESHOLDS:
            kept = rules & (held >= t)
            results[strength, t] = (_f1(kept, y, gold), float(y[kept].sum()), int(kept.sum()))
    (strength, threshold), (best, right, kept) = max(
        results.items(), key=lambda kv: (round(kv[1][0], 6), kv[0])
    )
    return {
        "strength": strength,
        "threshold": threshold,
        "cv_f1": round(best, 4),
        "cv_precision": round(right / kept, 4) if kept else 0.0,
        "vetoed": int(rules.sum()) - kept,
        "rules_f1": round(_f1(rules, y, gold), 4),
        "rules_precision": round(float(y[rules].mean()), 4) if rules.any() else 0.0,
        "candidates": len(rows),
        "right": int(y.sum()),
        "gold_events": gold,
        "articles": len(docs),
    }


def train(shared: Path = SHARED, quality: Path = QUALITY, synthetic: Path = SYNTHETIC) -> dict:
    """The model file's content: weights, threshold, synthetic associations, provenance."""
    table = synthetic_associations(synthetic, trigger_forms())
    rows, golds = candidates(training_sets(shared, quality), table, shared)
    chosen = cross_validate(rows, golds)
    names = _vocabulary(rows)
    y = np.array([label for _, _, label in rows], dtype=float)
    w = fit(_matrix(rows, names), y, chosen["strength"], names.index("bias"))
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) >= 5e-5}
    return {
        "version": VERSION,
        "trained_on": (
            "dev corpus gold (../shared/eval/dev.gold.jsonl) and the VOA tune half "
            "(benchmarks/quality, split.json tune ids); candidates from the rule extractor"
        ),
        "synthetic_source": (
            "NGEC synthetic_events.csv.zip (Andrew Halterman, NGEC project, MIT licence): "
            "lemma-category PMI"
        ),
        "cross_validation": chosen,
        "threshold": chosen["threshold"],
        "weights": weights,
        "synthetic": table,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    built = train(args.shared, QUALITY, args.shared / "reference" / "ngec" / SYNTHETIC.name)
    text = json.dumps(built, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        return 0 if OUTPUT.is_file() and OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    cv = built["cross_validation"]
    print(
        f"{OUTPUT}: {len(built['weights'])} weights, threshold {built['threshold']}, "
        f"cross-validated F1 {cv['cv_f1']} P {cv['cv_precision']} (rules {cv['rules_f1']} / "
        f"{cv['rules_precision']}), {cv['vetoed']} vetoed of {cv['candidates']} candidates "
        f"of {cv['articles']} articles"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
