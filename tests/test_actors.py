"""Actor resolution on hand-built parses (no model): each Doc spells its words, heads,
dependency labels and entities, so what the table makes of them is known."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from diplograph.gazetteer import Gazetteer
from diplograph.nlp.actors import ActorTable
from diplograph.nlp.lexicon import load_lexicon


@pytest.fixture(scope="module")
def vocab() -> Vocab:
    return spacy.blank("en").vocab  # with English lexical attributes (lower case, shape)


def kinds(vocab: Vocab, parse: str) -> dict[str, str]:
    """Label -> kind of the actors of a Doc written one token a line as
    ``word head dep pos [entity label]`` (head: a token index; a label that the token before
    carries too continues its entity)."""
    words, heads, deps, pos, ents = [], [], [], [], []
    for line in parse.strip().splitlines():
        word, head, dep, tag, *label = line.split()
        words.append(word)
        heads.append(int(head))
        deps.append(dep)
        pos.append(tag)
        inside = bool(label) and bool(ents) and ents[-1][2:] == label[0]
        ents.append(("I-" if inside else "B-") + label[0] if label else "O")
    spaces = [w not in {".", ","} for w in words[1:]] + [False]
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        heads=heads,
        deps=deps,
        pos=pos,
        lemmas=[w.lower() for w in words],
        ents=ents,
    )
    table = ActorTable(doc, Gazetteer.load(), load_lexicon().cues, "Test Wire", doc.text)
    table.resolve()
    return {record.label: record.kind for record in table.records.values()}


def test_actors_a_title_read_into_a_name_is_not_part_of_it(vocab):
    parse = """
        Congressman 2 compound PROPN PERSON
        Walt 2 compound PROPN PERSON
        Hemming 3 nsubj PROPN PERSON
        criticised 3 ROOT VERB
        Canada 3 dobj PROPN GPE
        . 3 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Walt Hemming": "Person", "Canada": "State"}


def test_actors_a_name_used_as_a_place_is_a_place(vocab):
    parse = """
        Aid 1 nsubj NOUN
        reached 1 ROOT VERB
        Lutanga 3 compound PROPN PERSON
        camp 1 dobj NOUN
        and 1 cc CCONJ
        clashes 6 nsubj NOUN
        erupted 1 conj VERB
        in 6 prep ADP
        Lutanga 7 pobj PROPN PERSON
        . 6 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Lutanga": "Place"}


def test_actors_a_name_that_acts_stays_a_person(vocab):
    parse = """
        Halden 1 nsubj PROPN PERSON
        spoke 1 ROOT VERB
        in 1 prep ADP
        Oslo 2 pobj PROPN GPE
        . 1 punct PUNCT
        Trust 6 nsubj NOUN
        fell 6 ROOT VERB
        in 5 prep ADP
        Halden 7 pobj PROPN PERSON
        . 6 punct PUNCT
    """
    assert kinds(vocab, parse)["Halden"] == "Person"
