"""Event precision on invented sentences: what is no act, or no act of its category (real
model). Each test fails with its mechanism removed."""

from __future__ import annotations

import pytest

from diplograph.api import DEFAULT_MIN_CONFIDENCE
from test_nlp import events, read

pytestmark = pytest.mark.model


def test_events_a_doerless_event_noun_falls_below_the_table_cut(nlp):
    (sanctions,) = events(read(nlp, "Sanctions against Kenya enjoy wide support."), "SANCTION")
    assert sanctions.source == () and sanctions.confidence < DEFAULT_MIN_CONFIDENCE
    (named,) = events(read(nlp, "Uganda's sanctions against Kenya took effect."), "SANCTION")
    assert named.confidence >= DEFAULT_MIN_CONFIDENCE


def test_events_an_arrival_is_no_visit(nlp):
    assert not events(read(nlp, "Thousands of Somalis arrived in Kenya in 2011."), "CONSULT")
    assert events(read(nlp, "The Somali president visited Kenya in 2011."), "CONSULT")


def test_events_backing_what_the_dictionary_does_not_list_is_no_support(nlp):
    assert not events(read(nlp, "Kenya supported the new bridge."), "SUPPORT")
    assert events(read(nlp, "Kenya supported Uganda's peace plan."), "SUPPORT")
    assert events(read(nlp, "Kenya supported Uganda."), "SUPPORT")


def test_events_what_should_or_could_be_done_is_no_act(nlp):
    assert not events(read(nlp, "Kenya must stop threatening Uganda."), "THREATEN")
    assert not events(read(nlp, "Kenya could attack Uganda next year."), "ASSAULT")
    assert events(read(nlp, "Kenya will visit Uganda next year."), "CONSULT")
    assert events(read(nlp, "Kenya urged Uganda to withdraw its troops."), "REQUEST")


def test_events_a_participle_on_an_object_is_done_by_the_verbs_subject(nlp):
    """ "signed a deal supplying weapons to X": the one who signed supplies them."""
    text = "Kenya signed a deal supplying weapons to Uganda."
    (aid,) = events(read(nlp, text), "AID")
    assert aid.source == ("state/KEN",) and aid.target == ("state/UGA",)


def test_events_saying_an_act_noun_tells_that_act(nlp):
    """ "tweeted its condemnation of X": a speech verb's object noun is the act it says."""
    (condemnation,) = events(read(nlp, "Kenya tweeted its condemnation of Uganda."), "ACCUSE")
    assert condemnation.source == ("state/KEN",) and condemnation.target == ("state/UGA",)
    assert not events(read(nlp, "Kenya studied the condemnation of Uganda."), "ACCUSE")
