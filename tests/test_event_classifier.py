"""The trained event classifier: its features, its confidence, its model file and its training."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from diplograph.errors import DiplographError
from diplograph.model import Event, Evidence
from diplograph.nlp.classify import (
    SWITCH,
    TABLE_CUT,
    EventClassifier,
    applied,
    candidate_features,
    classify_events,
    load_classifier,
)
from diplograph.resources import train_classifier as train

VOCAB = Vocab()


def _doc() -> Doc:
    """ "Experts said Russia attacked Ukraine." parsed by hand."""
    words = ["Experts", "said", "Russia", "attacked", "Ukraine", "."]
    return Doc(
        VOCAB,
        words=words,
        spaces=[True, True, True, True, False, False],
        heads=[1, 1, 3, 1, 3, 1],
        deps=["nsubj", "ROOT", "nsubj", "ccomp", "dobj", "punct"],
        pos=["NOUN", "VERB", "PROPN", "VERB", "PROPN", "PUNCT"],
        tags=["NNS", "VBD", "NNP", "VBD", "NNP", "."],
        lemmas=["expert", "say", "Russia", "attack", "Ukraine", "."],
        ents=["O", "O", "B-GPE", "O", "B-GPE", "O"],
    )


def _event(doc: Doc, source=("state/RUS",), target=("state/UKR",), confidence=0.7) -> Event:
    sentence = doc[:]
    return Event(
        doc="t",
        category="ASSAULT",
        subtype="attack",
        event_class="Attack",
        source=tuple(source),
        target=tuple(target),
        evidence=(Evidence("t", sentence.text, 0, len(sentence.text)),),
        trigger="attacked",
        trigger_start=doc[3].idx,
        confidence=confidence,
    )


KINDS = {"state/RUS": "State", "state/UKR": "State"}
SYNTHETIC = {"attack": {"ASSAULT": 1.0, "CONSULT": -1.2}}


def test_candidate_features_read_the_trigger_its_parse_and_its_actors():
    doc = _doc()
    features = candidate_features(doc, _event(doc), [], KINDS, SYNTHETIC)
    assert features["c=ASSAULT"] == 1.0 and features["bias"] == 1.0
    assert {"lem=attack", "dep=ccomp", "pos=VERB", "ch=dobj:ENT:GPE"} <= set(features)
    assert {"up0=ccomp:say", "anc=say", "speaker=expert", "speaker=ENT:GPE"} <= set(features)
    assert {"src=State", "tgt=State", "mod=asserted", "lead", "syn=best"} <= set(features)
    assert features["syn"] == 1.0
    assert features["rules"] == pytest.approx(np.log(0.7 / 0.3))
    assert "told=same" not in features and "self" not in features


def test_candidate_features_hold_no_names():
    doc = _doc()
    features = candidate_features(doc, _event(doc), [], KINDS, SYNTHETIC)
    assert not [name for name in features if "russia" in name.lower() or "ukraine" in name.lower()]


def test_candidate_features_see_an_act_told_before_and_one_done_to_oneself():
    doc = _doc()
    first = _event(doc)
    again = candidate_features(doc, _event(doc), [first], KINDS, {})
    assert "told=same" in again and "syn=unknown" in again
    own = candidate_features(doc, _event(doc, target=("state/RUS",)), [], KINDS, {})
    assert "self" in own
    unnamed = candidate_features(doc, _event(doc, source=()), [], KINDS, {})
    assert "src=none" in unnamed


def test_confidence_puts_the_threshold_on_the_table_cut_and_keeps_order():
    model = EventClassifier(weights={}, threshold=0.4, synthetic={}, version="t")
    assert model.confidence(0.4) == TABLE_CUT
    assert model.confidence(0.39) < TABLE_CUT <= model.confidence(0.41)
    values = [model.confidence(p / 20) for p in range(21)]
    assert values == sorted(values) and values[0] >= 0.05 and values[-1] <= 0.95


def test_confidence_only_vetoes_what_the_rules_keep():
    model = EventClassifier(weights={}, threshold=0.4, synthetic={}, version="t")
    assert model.confidence(0.9, rules=0.15) == 0.15  # the rules cut it: it stays cut
    assert model.confidence(0.1, rules=0.7) < TABLE_CUT <= model.confidence(0.9, rules=0.7)


def test_the_build_applies_the_classifier_only_when_switched_on(monkeypatch):
    monkeypatch.delenv(SWITCH, raising=False)
    assert not applied()
    monkeypatch.setenv(SWITCH, "1")
    assert applied()


def test_classify_events_replaces_only_the_confidence():
    doc = _doc()
    event = _event(doc)
    strong = EventClassifier(weights={"lem=attack": 5.0}, threshold=0.5, synthetic={}, version="t")
    weak = EventClassifier(
        weights={"speaker=expert": -5.0}, threshold=0.5, synthetic={}, version="t"
    )
    (up,) = classify_events(doc, [event], KINDS, strong)
    (down,) = classify_events(doc, [event], KINDS, weak)
    assert up.confidence > TABLE_CUT > down.confidence
    assert up == Event(**{**event.__dict__, "confidence": up.confidence})


def test_the_shipped_model_loads_and_says_where_it_came_from():
    model = load_classifier()
    assert 0 < model.threshold < 1 and model.weights and model.synthetic
    data = json.loads(train.OUTPUT.read_text(encoding="utf-8"))
    assert "NGEC" in data["synthetic_source"] and "MIT" in data["synthetic_source"]
    assert data["cross_validation"]["articles"] >= 40
    lexical = [  # lexical features hold lower-case lemmas or entity labels, never a name
        name.split("=", 1)[1]
        for name in model.weights
        if name.split("=")[0] in {"lem", "ch", "up0", "up1", "up2", "anc", "subj", "speaker"}
    ]
    word = re.compile(r"([a-z]+:)?(ENT:[A-Z_]+|PROPN|NUM|[^A-Z]+)")
    assert lexical and all(word.fullmatch(value) for value in lexical)


def test_a_broken_model_file_is_named(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"weights": {}}', encoding="utf-8")
    with pytest.raises(DiplographError, match=r"E054.*model\.json.*train_classifier"):
        load_classifier(path)


def test_fit_finds_the_regularised_optimum():
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(200), rng.normal(size=(200, 3))])
    y = (x @ np.array([0.2, 2.0, -1.0, 0.0]) + rng.logistic(size=200) > 0).astype(float)
    w = train.fit(x, y, 1.0, 0)
    p = 1 / (1 + np.exp(-x @ w))
    gradient = x.T @ (p - y) + np.array([1e-6, 1.0, 1.0, 1.0]) * w
    assert np.max(np.abs(gradient)) < 1e-6
    assert w[1] > 1 and w[2] < -0.5 and abs(w[3]) < 0.5


def test_synthetic_associations_tie_a_word_to_the_label_of_its_stories(tmp_path):
    rows = [("PROTEST", "Crowds protested in the capital."), ("ASSAULT", "Troops shelled it.")]
    rows = rows * 6 + [("PROTEST", "Thousands marched.")]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "label"])
    writer.writerows((text, label) for label, text in rows)
    path = tmp_path / "synthetic.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("stories.csv", buffer.getvalue())
    forms = {"protested": "protest", "shelled": "shell", "marched": "march"}
    table = train.synthetic_associations(path, forms)
    assert table["protest"]["PROTEST"] > 0 > table["protest"]["ASSAULT"]
    assert table["shell"]["ASSAULT"] > 0
    assert "march" not in table  # in fewer than five stories
    with pytest.raises(DiplographError, match="E001"):
        train.synthetic_associations(tmp_path / "missing.zip", forms)


@pytest.mark.model
def test_the_classifier_sets_confidence_in_read_doc(nlp, monkeypatch):
    from diplograph.model import Article
    from diplograph.nlp.extract import read_doc

    text = "Sweden accused Norway on Tuesday of violating the fishing treaty."
    doc = nlp(text)
    ruled = read_doc(doc, Article("t", text, "t"), classify=False)
    trained = read_doc(doc, Article("t", text, "t"), classify=True).events
    monkeypatch.delenv(SWITCH, raising=False)
    assert read_doc(doc, Article("t", text, "t")).events == ruled.events  # off by default
    events = list(ruled.events)
    assert [e.category for e in events] == [e.category for e in trained] and trained
    model = load_classifier()
    kinds = {actor.key: actor.kind for actor in ruled.actors}
    assert [e.confidence for e in trained] == [
        model.confidence(
            model.probability(candidate_features(doc, e, events[:i], kinds, model.synthetic)),
            e.confidence,
        )
        for i, e in enumerate(events)
    ]


@pytest.mark.model
def test_event_classifier_file_is_what_the_training_command_makes(shared_dir):
    if not (shared_dir / "reference" / "ngec" / train.SYNTHETIC.name).is_file():
        pytest.skip("../shared/reference/ngec/synthetic_events.csv.zip is not here")
    # in a process of its own, as the command runs: what the pipeline reads can depend on
    # what the process read before (another test's articles)
    done = subprocess.run(
        [sys.executable, "-m", train.__name__, "--shared", str(shared_dir), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(train.__file__).parents[2])},
    )
    assert done.returncode == 0, (
        "event_classifier.json is out of date; retrain it with "
        f"`python -m diplograph.resources.train_classifier`\n{done.stderr}"
    )
