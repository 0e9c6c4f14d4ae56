"""Actor resolution on hand-built parses (no model): each Doc spells its words, heads,
dependency labels and entities, so what the table makes of them is known."""

from __future__ import annotations

import itertools

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from diplograph.gazetteer import Gazetteer
from diplograph.model import Event, Evidence, Post
from diplograph.nlp.actors import ActorTable
from diplograph.nlp.extract import _states_from_lead
from diplograph.nlp.lexicon import load_lexicon


@pytest.fixture(scope="module")
def vocab() -> Vocab:
    return spacy.blank("en").vocab  # with English lexical attributes (lower case, shape)


def resolved(vocab: Vocab, parse: str) -> ActorTable:
    """The resolved actor table of a Doc written one token a line as
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
    glued = {".", ",", "-"}  # no space before these, nor after a hyphen
    spaces = [w not in glued and v != "-" for v, w in itertools.pairwise(words)] + [False]
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
    return table


def kinds(vocab: Vocab, parse: str) -> dict[str, str]:
    """Label -> kind of the actors of a Doc written as ``resolved`` reads it."""
    return {record.label: record.kind for record in resolved(vocab, parse).records.values()}


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


def test_actors_a_hyphenated_description_is_not_a_name(vocab):
    parse = """
        A 4 det DET
        Pakistan 3 npadvmod PROPN GPE
        - 3 punct PUNCT
        based 4 amod VERB
        group 5 nsubj NOUN
        attacked 5 ROOT VERB
        India 5 dobj PROPN GPE
        . 5 punct PUNCT
    """
    assert kinds(vocab, parse) == {"India": "State"}


def test_actors_two_states_joined_by_a_hyphen_are_a_pair_not_a_place(vocab):
    parse = """
        The 4 det DET
        Vietnam 4 compound PROPN GPE
        - 4 punct PUNCT GPE
        Laos 4 compound PROPN GPE
        alliance 5 nsubj NOUN
        worried 5 ROOT VERB
        China 5 dobj PROPN GPE
        . 5 punct PUNCT
    """
    assert kinds(vocab, parse) == {"China": "State"}


def test_actors_a_known_name_the_recogniser_saw_part_of(vocab):
    parse = """
        Islamic 1 compound PROPN NORP
        State 2 nsubj PROPN
        fighters 3 nsubj NOUN
        attacked 3 ROOT VERB
        Syria 3 dobj PROPN GPE
        . 3 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Islamic State": "Organization", "Syria": "State"}


def test_actors_a_surname_alone_is_the_first_named_of_that_surname(vocab):
    parse = """
        Ana 1 compound PROPN PERSON
        Ruiz 2 nsubj PROPN PERSON
        met 2 ROOT VERB
        Luis 4 compound PROPN PERSON
        Ruiz 2 dobj PROPN PERSON
        . 2 punct PUNCT
        Ruiz 7 nsubj PROPN PERSON
        left 7 ROOT VERB
        . 7 punct PUNCT
    """
    table = resolved(vocab, parse)
    assert {r.label for r in table.records.values()} == {"Ana Ruiz", "Luis Ruiz"}
    assert table.by_token[6].key == "person/ana-ruiz"


def test_actors_a_body_or_person_named_like_a_place_is_a_place(vocab):
    parse = """
        Troops 1 nsubj NOUN
        left 1 ROOT VERB
        Marvo 3 compound PROPN ORG
        province 1 dobj NOUN ORG
        for 1 prep ADP
        Kessel 6 compound PROPN PERSON
        Reef 4 pobj PROPN PERSON
        . 1 punct PUNCT
    """
    assert kinds(vocab, parse) == {"Marvo province": "Place", "Kessel Reef": "Place"}


def test_actors_a_capital_and_a_state_joined_by_a_hyphen_are_a_pair(vocab):
    parse = """
        The 2 det DET
        Washington 2 compound PROPN GPE
        - 2 punct PUNCT GPE
        Seoul 3 nsubj PROPN GPE
        alliance 3 ROOT NOUN
        . 3 punct PUNCT
    """
    assert kinds(vocab, parse) == {}


LEAD_PARSE = """
    Cambodia 1 nsubj PROPN GPE
    freed 1 ROOT VERB
    Sok 3 compound PROPN PERSON
    Varin 1 dobj PROPN PERSON
    . 1 punct PUNCT
    Tep 6 compound PROPN PERSON
    Rotha 7 nsubj PROPN PERSON
    spoke 7 ROOT VERB
    . 7 punct PUNCT
"""


def _lead_event(source: str, target: str) -> Event:
    return Event("doc", "COERCE", None, "Act", (source,), (target,), (), "freed", 1, confidence=0.5)


def test_actors_a_person_of_no_state_is_of_the_state_the_lead_names(vocab):
    table = resolved(vocab, LEAD_PARSE)
    _states_from_lead(table, [], [])
    assert table.records["person/tep-rotha"].state == "KHM"
    assert table.records["person/sok-varin"].state == "KHM"


def test_actors_one_who_acts_on_the_lead_state_is_not_of_it(vocab):
    table = resolved(vocab, LEAD_PARSE)
    _states_from_lead(table, [], [_lead_event("state/KHM", "person/sok-varin")])
    assert table.records["person/sok-varin"].state is None  # freed by Cambodia
    assert table.records["person/tep-rotha"].state == "KHM"


def test_actors_one_with_a_post_in_a_body_takes_no_lead_state(vocab):
    table = resolved(vocab, LEAD_PARSE)
    post = Post("person/tep-rotha", "spokesman", "org/un", Evidence("doc", "x", 0, 4))
    _states_from_lead(table, [post], [])
    assert table.records["person/tep-rotha"].state is None


POST_HOLDER = """
U.N. 1 compound PROPN ORG
envoy 3 compound NOUN
Maria 3 compound PROPN PERSON
Lopez 4 nsubj PROPN PERSON
arrived 4 ROOT VERB
. 4 punct PUNCT
Ivo 7 compound PROPN PERSON
Petrov 8 nsubj PROPN PERSON
accused 8 ROOT VERB
the 11 det DET
U.N. 11 compound PROPN ORG
envoy 8 dobj NOUN
. 8 punct PUNCT
"""


def test_actors_a_titled_reference_is_the_post_holder_named_before(vocab):
    """ "the U.N. envoy" after "U.N. envoy Maria Lopez" is Lopez, not the U.N."""
    table = resolved(vocab, POST_HOLDER)
    lopez = table.by_token[3].key
    assert table.records[lopez].label == "Maria Lopez"
    assert table.coref.get(11) == (lopez,)


def test_actors_a_titled_reference_needs_the_same_body_beside_the_name(vocab):
    """ "the Chinese envoy" is not the U.N. envoy named before: no one the article names."""
    parse = POST_HOLDER.replace("U.N. 11 compound PROPN ORG", "Chinese 11 amod ADJ NORP")
    table = resolved(vocab, parse)
    assert 11 not in table.coref
