"""The example article's graph answers, by SPARQL, what the article says (real model)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

pytestmark = pytest.mark.model

PREFIXES = """
PREFIX dgo: <https://w3id.org/diplograph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def ask(dataset, body: str, **bindings) -> bool:
    """ASK the body; keyword values are bound to variables, never pasted into the text."""
    result = dataset.query(PREFIXES + "ASK {" + body + "}", initBindings=bindings)
    return bool(result.askAnswer)


def test_example_graph_zhao_met_kim_in_pyongyang_on_the_day(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event a dgo:Consult ; dgo:source ?zhao ; dgo:target ?kim ;
               dgo:location/skos:prefLabel "Pyongyang"@en ;
               dgo:date "2024-04-13"^^xsd:date ; dgo:negated false .
        ?zhao skos:prefLabel "Zhao Leji"@en ; dgo:state/dgo:isoAlpha3 "CHN" .
        ?kim skos:prefLabel "Kim Jong-un"@en ; dgo:state/dgo:isoAlpha3 "PRK" .
        """,
    )


def test_example_graph_zhao_also_met_choe(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event a dgo:Consult ; dgo:source|dgo:target ?zhao , ?choe .
        ?zhao skos:prefLabel "Zhao Leji"@en .
        ?choe skos:prefLabel "Choe Ryong-hae"@en .
        """,
    )


def test_example_graph_kim_summit_with_putin_in_russia_last_september(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event a dgo:Summit ; dgo:source|dgo:target ?kim , ?putin ;
               dgo:location/dgo:isoAlpha3 "RUS" ;
               dgo:date "2023-09"^^xsd:gYearMonth .
        ?kim skos:prefLabel "Kim Jong-un"@en .
        ?putin skos:prefLabel "Vladimir Putin"@en .
        """,
    )


def test_example_graph_china_accused_united_states_and_nato(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event a dgo:Accuse ; dgo:source/dgo:isoAlpha3 "CHN" ;
               dgo:target/dgo:isoAlpha3 "USA" ;
               dgo:target/(skos:prefLabel|skos:altLabel) "NATO"@en ;
               dgo:modality dgo:Asserted .
        """,
    )


def test_example_graph_north_korea_alleged_to_supply_weapons_to_russia(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event a dgo:MilitaryAid ; dgo:source/dgo:isoAlpha3 "PRK" ;
               dgo:target/dgo:isoAlpha3 "RUS" ; dgo:modality dgo:Alleged .
        """,
    )


def test_example_graph_china_not_providing_military_support_is_negated(example_dataset):
    assert ask(
        example_dataset,
        """
        ?event dgo:source/dgo:isoAlpha3 "CHN" ; dgo:target/dgo:isoAlpha3 "RUS" ;
               dgo:negated true ; dgo:evidence/dgo:text ?text .
        FILTER CONTAINS(?text, "not providing direct military support")
        """,
    )


def test_example_graph_kim_holds_post_of_leader_of_north_korea(example_dataset):
    assert ask(
        example_dataset,
        """
        ?post a org:Membership ; org:member/skos:prefLabel "Kim Jong-un"@en ;
              org:organization/dgo:isoAlpha3 "PRK" ;
              org:role/skos:prefLabel "leader"@en ;
              prov:wasDerivedFrom ?article .
        """,
    )


def test_example_graph_every_event_has_provenance(example_dataset):
    rows = example_dataset.query(
        PREFIXES
        + """
        SELECT ?event WHERE {
          ?event a dgo:Event .
          FILTER NOT EXISTS {
            ?event prov:wasDerivedFrom ?article ; dgo:confidence ?confidence ;
                   dgo:evidence [ dgo:text ?text ; dgo:startOffset ?start ; dgo:endOffset ?end ] .
          }
        }"""
    )
    assert list(rows) == []
    count = example_dataset.query(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?e a dgo:Event }")
    assert int(next(iter(count))[0]) >= 10


def test_example_graph_evidence_offsets_quote_the_article(example_extraction):
    text = example_extraction.article.text
    for event in example_extraction.events:
        for evidence in event.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize(
    ("person", "state", "role"),
    [
        ("Zhao Leji", "CHN", "head of parliament"),
        ("Kim Jong-un", "PRK", "leader"),
        ("Choe Ryong-hae", "PRK", "head of parliament"),
        ("Vladimir Putin", "RUS", "president"),
    ],
)
def test_example_graph_people_hold_posts_in_their_states(example_dataset, person, state, role):
    assert ask(
        example_dataset,
        """
        ?person skos:prefLabel ?name ; dgo:state/dgo:isoAlpha3 ?code .
        ?post org:member ?person ; org:organization/dgo:isoAlpha3 ?code ;
              org:role/skos:prefLabel ?role .
        """,
        name=Literal(person, lang="en"),
        code=Literal(state),
        role=Literal(role, lang="en"),
    )


@pytest.mark.parametrize(
    ("label", "geonames"),
    [
        ("China", "https://sws.geonames.org/1814991/"),
        ("North Korea", "https://sws.geonames.org/1873107/"),
        ("Russia", "https://sws.geonames.org/2017370/"),
        ("Pyongyang", "https://sws.geonames.org/1871859/"),
    ],
)
def test_example_graph_places_link_to_geonames(example_dataset, label, geonames):
    assert ask(
        example_dataset,
        "?actor skos:prefLabel ?label ; <http://www.w3.org/2002/07/owl#sameAs> ?geonames .",
        label=Literal(label, lang="en"),
        geonames=URIRef(geonames),
    )
