"""Entity boundaries and kinds (nlp/spans.py and their use in nlp/actors.py), on hand-built
Docs of made-up sentences (see ``test_actors.resolved`` for the one-token-a-line format)."""

from __future__ import annotations

from diplograph.nlp.spans import name_words
from test_actors import kinds, resolved, vocab  # noqa: F401  (vocab: the fixture)


def test_spans_name_words_take_a_hyphenated_surname_alone():
    assert name_words("Abdel Karim el-Tazi") == ["Abdel", "Karim", "Tazi"]
    assert name_words("Jean-Luc Marrot") == ["Jean-Luc", "Luc", "Marrot"]


def test_spans_a_hyphenated_surname_alone_is_the_person(vocab):  # noqa: F811
    parse = """
        Abdel 2 compound PROPN PERSON
        Karim 2 compound PROPN PERSON
        el-Tazi 3 nsubj PROPN PERSON
        spoke 3 ROOT VERB
        . 3 punct PUNCT
        Tazi 6 nsubj PROPN ORG
        left 6 ROOT VERB
        . 6 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Abdel Karim el-Tazi": "Person"}


def test_spans_the_stem_of_a_place_name_is_that_place(vocab):  # noqa: F811
    parse = """
        Clashes 1 nsubj NOUN
        erupted 1 ROOT VERB
        in 1 prep ADP
        Vornak 4 compound PROPN GPE
        province 2 pobj NOUN GPE
        . 1 punct PUNCT
        Vornak 8 compound PROPN ORG
        elders 8 nsubj NOUN
        fled 8 ROOT VERB
        . 8 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Vornak province": "Place", "Vornak": "Place"}


def test_spans_a_name_in_lower_case_is_no_entity(vocab):  # noqa: F811
    parse = """
        Ships 1 nsubj NOUN
        sailed 1 ROOT VERB
        into 1 prep ADP
        the 5 det DET
        disputed 5 amod ADJ LOC
        sea 2 pobj NOUN LOC
        . 1 punct PUNCT
    """
    assert kinds(vocab, parse) == {}


def test_spans_a_place_ending_in_a_lone_surname_is_a_person(vocab):  # noqa: F811
    parse = """
        Orla 1 compound PROPN GPE
        Brenk 2 nsubj PROPN GPE
        arrived 2 ROOT VERB
        . 2 punct PUNCT
        Brenk 5 nsubj PROPN PERSON
        smiled 5 ROOT VERB
        . 5 punct PUNCT
    """
    table = resolved(vocab, parse)
    assert {r.label: r.kind for r in table.records.values()} == {"Orla Brenk": "Person"}
    assert table.by_token[4].key == table.by_token[0].key


def test_spans_a_title_ending_in_adviser_is_no_body(vocab):  # noqa: F811
    parse = """
        Varnish 2 amod ADJ ORG
        Presidential 2 compound PROPN ORG
        Advisor 4 compound PROPN ORG
        Ede 4 compound PROPN PERSON
        Morrak 5 nsubj PROPN PERSON
        spoke 5 ROOT VERB
        . 5 punct PUNCT
        Border 8 compound PROPN ORG
        Security 9 compound PROPN ORG
        Adviser 11 compound PROPN
        Ana 11 compound PROPN PERSON
        Lind 12 nsubj PROPN PERSON
        left 12 ROOT VERB
        . 12 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Ede Morrak": "Person", "Ana Lind": "Person"}
