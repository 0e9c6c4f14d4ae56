"""The gazetteer: its generated data file is current, and lookups resolve what news writes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import pytest

from diplograph.gazetteer import ORGANIZATION_KINDS, Gazetteer, fold, is_acronym, name_key
from diplograph.resources.build_gazetteer import (
    DATA_FILE,
    EXTRA_FILE,
    build_gazetteer,
    index_key,
    load_extra,
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def fresh_build():
    return build_gazetteer()


# -- the build ---------------------------------------------------------------------------


def test_build_gazetteer_file_is_current(fresh_build):
    committed = DATA_FILE.read_text("utf-8")
    assert committed == fresh_build.text, (
        "gazetteer.json is out of date; regenerate it with "
        "`python -m diplograph.resources.build_gazetteer`"
    )


def test_build_gazetteer_check_exits_1_on_a_stale_file(tmp_path, monkeypatch):
    from diplograph.resources import build_gazetteer as module

    stale = tmp_path / "gazetteer.json"
    stale.write_text("{}\n", "utf-8")
    monkeypatch.setattr(module, "DATA_FILE", stale)
    assert module.main(["--check", "--quiet"]) == 1
    assert module.main(["--quiet"]) == 0
    assert stale.read_text("utf-8") == DATA_FILE.read_text("utf-8")
    assert module.main(["--check", "--quiet"]) == 0


def test_build_gazetteer_output_is_valid_json_one_record_per_line(fresh_build):
    data = json.loads(fresh_build.text)
    assert set(data) == {"meta", "ambiguous", "states", "places"}
    lines = fresh_build.text.splitlines()
    assert len(lines) == len(data["states"]) + len(data["places"]) + 8
    assert len(fresh_build.text.encode()) < 2_000_000


def test_build_gazetteer_extras_are_all_needed(fresh_build):
    flagged = [n for n in fresh_build.notes if n.startswith(("extra redundant", "extra conflict"))]
    assert flagged == []
    assert not [n for n in fresh_build.notes if n.startswith("extra:")]


def test_build_gazetteer_reports_redundant_and_conflicting_extras():
    extra = copy.deepcopy(load_extra())
    extra["states"]["GBR"]["names"].append("Great Britain")  # countryinfo has it
    extra["states"]["TWN"] = {"names": ["China"]}  # China's name
    notes = build_gazetteer(extra).notes
    assert "extra redundant: GBR name 'Great Britain' is in the package data" in notes
    assert "extra conflict: TWN name 'China' names ['CHN']" in notes


def test_build_gazetteer_extra_file_is_small_and_documented():
    extra = load_extra(EXTRA_FILE)
    assert extra["_comment"]
    entries = sum(len(values) for entry in extra["states"].values() for values in entry.values())
    assert entries <= 80
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in extra["states"])


def test_build_gazetteer_names_are_unique_across_states(gazetteer):
    owners: dict[str, str] = {}
    for state in gazetteer.states():
        for name in state.names:
            key = index_key(name)
            assert owners.setdefault(key, state.code) == state.code, (name, owners[key])


# -- normalisation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("the U.S.", "US"),
        ("United States'", "United States"),
        ("Russia’s", "Russia"),
        ("Côte d’Ivoire", "Cote d'Ivoire"),
        ("Guinea-Bissau", "Guinea Bissau"),
        ("  The   Gambia ", "Gambia"),
    ],
)
def test_fold_normalises_case_preserving(text, folded):
    assert fold(text) == folded


def test_name_key_ignores_case_accents_and_hyphens():
    assert name_key("TÜRKIYE") == name_key("Turkiye") == "turkiye"
    assert name_key("Timor-Leste") == name_key("Timor Leste")


def test_is_acronym_needs_every_letter_upper_case():
    assert is_acronym("DPRK") and is_acronym("U.K.") and is_acronym("OPEC+")
    assert not is_acronym("us") and not is_acronym("Nato") and not is_acronym("DR Congo")


# -- states ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("North Korea", "PRK"),
        ("DPRK", "PRK"),
        ("D.P.R.K.", "PRK"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("ROK", "KOR"),
        ("the United States", "USA"),
        ("United States'", "USA"),
        ("U.S.", "USA"),
        ("the U.S.'s", "USA"),
        ("US", "USA"),
        ("USA", "USA"),
        ("America", "USA"),
        ("United Kingdom", "GBR"),
        ("U.K.", "GBR"),
        ("UK's", "GBR"),
        ("Britain", "GBR"),
        ("Great Britain", "GBR"),
        ("China", "CHN"),
        ("CHINA", "CHN"),
        ("PRC", "CHN"),
        ("People's Republic of China", "CHN"),
        ("Taiwan", "TWN"),
        ("Republic of China", "TWN"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Iran", "IRN"),
        ("Syria", "SYR"),
        ("Vietnam", "VNM"),
        ("Viet Nam", "VNM"),
        ("Laos", "LAO"),
        ("Burma", "MMR"),
        ("Myanmar", "MMR"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("eSwatini", "SWZ"),
        ("Swaziland", "SWZ"),
        ("Cape Verde", "CPV"),
        ("Cabo Verde", "CPV"),
        ("Vatican", "VAT"),
        ("Holy See", "VAT"),
        ("Palestine", "PSE"),
        ("Palestinian territories", "PSE"),
        ("Kosovo", "XKX"),
        ("DRC", "COD"),
        ("DR Congo", "COD"),
        ("Democratic Republic of the Congo", "COD"),
        ("Republic of the Congo", "COG"),
        ("Congo-Brazzaville", "COG"),
        ("Guinea", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("Guinea Bissau", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Sudan", "SDN"),
        ("South Sudan", "SSD"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("North Macedonia", "MKD"),
        ("Georgia", "GEO"),
        ("Jordan", "JOR"),
        ("Chad", "TCD"),
        ("UAE", "ARE"),
        ("the Netherlands", "NLD"),
        ("Holland", "NLD"),
        ("The Gambia", "GMB"),
        ("East Timor", "TLS"),
        ("Timor-Leste", "TLS"),
    ],
)
def test_gazetteer_state_resolves_names_and_short_forms(gazetteer, text, code):
    state = gazetteer.state(text)
    assert state is not None, text
    assert state.code == code


@pytest.mark.parametrize(
    "text",
    [
        *("us", "Us", "IS", "is"),
        *("Korea", "Congo", "the Congo"),
        *("Island", "Mann", "Dominique"),
        *("", "  ", "Atlantis"),
    ],
)
def test_gazetteer_state_rejects_pronouns_ambiguous_and_unknown_names(gazetteer, text):
    assert gazetteer.state(text) is None


def test_gazetteer_a_territory_iso_3166_2_lists_under_a_state_is_a_place(gazetteer):
    """ISO 3166-2 lists Hong Kong (CN-HK) and Puerto Rico (US-PR) as subdivisions and gives
    them none of their own: places of China and the United States, not states. Taiwan,
    which ISO 3166-2 also lists (CN-TW) but subdivides, stays a state."""
    for text, sovereign in (("Hong Kong", "CHN"), ("Macau", "CHN"), ("Puerto Rico", "USA")):
        assert gazetteer.state(text) is None, text
        assert gazetteer.place(text).state == sovereign, text
    assert gazetteer.state_by_code("HKG").part_of == "CHN"  # the code still resolves
    assert gazetteer.state_by_seat("Hong Kong") is None  # not a seat of China either
    assert gazetteer.state("Taiwan").code == "TWN"


def test_gazetteer_state_carries_geonames_and_iso_data(gazetteer):
    prk = gazetteer.state("North Korea")
    assert (prk.code, prk.alpha2, prk.name) == ("PRK", "KP", "North Korea")
    assert prk.official_name == "Democratic People's Republic of Korea"
    assert prk.geonames_id == 1873107
    assert (prk.capital, prk.capital_geonames_id) == ("Pyongyang", 1871859)
    assert set(prk.neighbours) == {"CHN", "KOR", "RUS"}
    assert "North Korean" in prk.demonyms


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("USA", "United States"),
        ("GBR", "United Kingdom"),
        ("KOR", "South Korea"),
        ("RUS", "Russia"),
        ("IRN", "Iran"),
        ("SYR", "Syria"),
        ("VNM", "Vietnam"),
        ("LAO", "Laos"),
        ("TWN", "Taiwan"),
        ("CZE", "Czechia"),
        ("PSE", "Palestine"),
        ("NLD", "Netherlands"),
    ],
)
def test_gazetteer_state_name_is_the_common_short_name(gazetteer, code, name):
    assert gazetteer.state_by_code(code).name == name


def test_gazetteer_state_by_code_accepts_alpha3_and_alpha2(gazetteer):
    assert gazetteer.state_by_code("PRK").code == "PRK"
    assert gazetteer.state_by_code("KP").code == "PRK"
    assert gazetteer.state_by_code("XK").code == "XKX"
    assert gazetteer.state_by_code("ZZZ") is None


def test_gazetteer_states_cover_iso_and_kosovo(gazetteer):
    codes = [state.code for state in gazetteer.states()]
    assert len(codes) == len(set(codes)) == 250
    assert codes == sorted(codes)
    known = set(codes)
    for state in gazetteer.states():
        assert set(state.neighbours) <= known, state.code


# -- demonyms ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Chinese", "CHN"),
        ("North Korean", "PRK"),
        ("South Korean", "KOR"),
        ("American", "USA"),
        ("Americans", "USA"),
        ("British", "GBR"),
        ("Filipino", "PHL"),
        ("Filipinos", "PHL"),
        ("Philippine", "PHL"),
        ("Dutch", "NLD"),
        ("Emirati", "ARE"),
        ("Saudi", "SAU"),
        ("French", "FRA"),
        ("Indian", "IND"),
        ("Swiss", "CHE"),
        ("Kosovar", "XKX"),
        ("Guinean", "GIN"),
        ("Bissau-Guinean", "GNB"),
        ("U.S.", "USA"),
        ("UK", "GBR"),
    ],
)
def test_gazetteer_state_by_demonym_resolves_adjectives(gazetteer, text, code):
    state = gazetteer.state_by_demonym(text)
    assert state is not None, text
    assert state.code == code


@pytest.mark.parametrize("text", ["Korean", "Congolese", "Channel Islander", "us", "Martian"])
def test_gazetteer_state_by_demonym_rejects_shared_and_unknown(gazetteer, text):
    assert gazetteer.state_by_demonym(text) is None


# -- seats of government -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Beijing", "CHN"),
        ("Pyongyang", "PRK"),
        ("Washington", "USA"),
        ("Washington, D.C.", "USA"),
        ("Kyiv", "UKR"),
        ("Nur-Sultan", "KAZ"),
        ("Kingston", "JAM"),
        ("the Kremlin", "RUS"),
        ("Kremlin's", "RUS"),
        ("the White House", "USA"),
        ("Downing Street", "GBR"),
        ("the Elysee", "FRA"),
        ("Élysée", "FRA"),
        ("Zhongnanhai", "CHN"),
        ("the Blue House", "KOR"),
    ],
)
def test_gazetteer_state_by_seat_resolves_capitals_and_metonyms(gazetteer, text, code):
    state = gazetteer.state_by_seat(text)
    assert state is not None, text
    assert state.code == code


@pytest.mark.parametrize("text", ["Shanghai", "Sydney", "White", "the House"])
def test_gazetteer_state_by_seat_rejects_other_cities(gazetteer, text):
    assert gazetteer.state_by_seat(text) is None


# -- places ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "geonames_id", "code", "is_capital"),
    [
        ("Pyongyang", 1871859, "PRK", True),
        ("London", 2643743, "GBR", True),
        ("Washington", 4140963, "USA", True),
        ("Moscow", 524901, "RUS", True),
        ("Kyiv", 703448, "UKR", True),
        ("Shanghai", 1796236, "CHN", False),
        ("New York", 5128581, "USA", False),
        ("St. Petersburg", 498817, "RUS", False),
        ("Bogota", 3688689, "COL", True),
        ("Tripoli", 2210247, "LBY", True),
        ("Gaza", 281133, "PSE", False),
        ("Vatican City", 6691831, "VAT", True),
    ],
)
def test_gazetteer_place_resolves_cities_with_geonames_ids(
    gazetteer, text, geonames_id, code, is_capital
):
    place = gazetteer.place(text)
    assert place is not None, text
    assert (place.geonames_id, place.state, place.is_capital) == (geonames_id, code, is_capital)


def test_gazetteer_place_prefers_capitals_then_population(gazetteer):
    assert gazetteer.place("Victoria").state == "SYC"  # the capital, not the larger Canadian city
    assert gazetteer.place("Alexandria").state == "EGY"  # the most populous
    assert gazetteer.place("Mumbai").population > 10_000_000


@pytest.mark.parametrize("text", ["Atlantis", "us", "Mexico", "Benin"])
def test_gazetteer_place_rejects_unknown_and_state_names(gazetteer, text):
    assert gazetteer.place(text) is None


def test_gazetteer_places_are_capitals_or_large(gazetteer):
    codes = {state.code for state in gazetteer.states()}
    capitals = {s.capital_geonames_id for s in gazetteer.states() if s.capital_geonames_id}
    territories = {s.code: s.part_of for s in gazetteer.states() if s.part_of}
    for place in gazetteer.places():
        assert place.state in codes and place.state not in territories
        assert place.is_capital == (place.geonames_id in capitals)
        assert place.is_capital or place.population >= 150_000


# -- organisations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("NATO", "nato"),
        ("Nato", "nato"),
        ("North Atlantic Treaty Organization", "nato"),
        ("UN", "united-nations"),
        ("U.N.", "united-nations"),
        ("the United Nations", "united-nations"),
        ("UN Security Council", "un-security-council"),
        ("U.N. Security Council", "un-security-council"),
        ("Security Council", "un-security-council"),
        ("WHO", "who"),
        ("IAEA", "iaea"),
        ("EU", "european-union"),
        ("European Council", "european-council"),
        ("Council of Europe", "council-of-europe"),
        ("Group of Seven", "g7"),
        ("G7", "g7"),
        ("G-7", "g7"),
        ("OPEC+", "opec-plus"),
        ("Opec", "opec"),
        ("ICC", "icc"),
        ("Hamas", "hamas"),
        ("Houthis", "houthis"),
        ("Ansar Allah", "houthis"),
        ("ISIS", "islamic-state"),
        ("al-Shabaab", "al-shabab"),
        ("Al Shabab", "al-shabab"),
        ("RSF", "rapid-support-forces"),
        ("KCNA", "kcna"),
        ("Xinhua", "xinhua"),
        ("Reuters", "reuters"),
    ],
)
def test_gazetteer_organization_resolves_names_acronyms_and_aliases(gazetteer, text, key):
    organization = gazetteer.organization(text)
    assert organization is not None, text
    assert organization.key == key


@pytest.mark.parametrize("text", ["who", "the alliance", "us", "Korea", "nato"])
def test_gazetteer_organization_rejects_common_words(gazetteer, text):
    assert gazetteer.organization(text) is None


@pytest.mark.parametrize(
    ("key", "kind", "state"),
    [
        ("kcna", "MediaOrganization", "PRK"),
        ("xinhua", "MediaOrganization", "CHN"),
        ("tass", "MediaOrganization", "RUS"),
        ("reuters", "MediaOrganization", None),
        ("hamas", "NonStateArmedGroup", "PSE"),
        ("islamic-state", "NonStateArmedGroup", None),
        ("nato", "InternationalOrganization", None),
    ],
)
def test_gazetteer_organization_carries_kind_and_state(gazetteer, key, kind, state):
    (organization,) = [o for o in gazetteer.organizations() if o.key == key]
    assert (organization.kind, organization.state) == (kind, state)


def test_gazetteer_organizations_are_well_formed(gazetteer):
    organizations = gazetteer.organizations()
    assert 70 <= len(organizations) <= 130
    codes = {state.code for state in gazetteer.states()}
    owners: dict[str, str] = {}
    for organization in organizations:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", organization.key)
        assert organization.kind in ORGANIZATION_KINDS
        assert organization.state is None or organization.state in codes
        assert all(is_acronym(a) for a in organization.acronyms), organization.key
        for name in (organization.name, *organization.acronyms, *organization.aliases):
            key = index_key(name)
            assert owners.setdefault(key, organization.key) == organization.key, name


def test_build_people_file_is_what_the_script_makes_from_phoenix(shared_dir):
    from diplograph.resources import build_people

    source = shared_dir / "reference" / "petrarch2"
    assert build_people.main(["--source", str(source), "--check"]) == 0, (
        "people.json is out of date; regenerate it with "
        "`python -m diplograph.resources.build_people`"
    )


def test_both_congos_by_the_names_news_uses_without_the_article():
    gazetteer = Gazetteer.load()
    assert gazetteer.state("Democratic Republic of Congo").code == "COD"
    assert gazetteer.state("Republic of Congo").code == "COG"
    assert gazetteer.state("Congo") is None  # either one


def test_build_people_keeps_date_ranged_roles_in_different_states(tmp_path):
    from diplograph.resources.build_people import build_people

    (tmp_path / "Phoenix.Countries.actors.txt").write_text(
        "ODA_VARN_  # one state throughout\n\t[NORGOV 990101-050101]\n\t[NORELI]\n"
        "KESTA_MILO_\n+K._MILO\n\t[HRVGOV 010101-081231]\n\t[IGOUNO >090101]\n"
        "PAL_ROSS_\n\t[SWEGOV]\n",
        encoding="utf-8",
    )
    (tmp_path / "Phoenix.International.actors.txt").write_text(
        "PAL_ROSS_\n\t[DNKGOV]\n",
        encoding="utf-8",  # another Pal Ross: the name is dropped
    )
    people = build_people(tmp_path)["people"]
    assert people == {
        "oda varn": "NOR",
        "kesta milo": [["HRV", "2001-01-01", "2008-12-31"], [None, "2009-01-01", None]],
        "k milo": [["HRV", "2001-01-01", "2008-12-31"], [None, "2009-01-01", None]],
    }


def test_person_state_is_resolved_at_a_date_and_without_accents():
    gazetteer = Gazetteer.load()
    # Phoenix: South Korean government roles to 2006, the United Nations from 2007
    assert gazetteer.person_state("Ban Ki-moon", dt.date(2005, 6, 1)) == "KOR"
    assert gazetteer.person_state("Ban Ki-moon", dt.date(2010, 6, 1)) is None
    assert gazetteer.person_state("Ban Ki-moon", dt.date(1990, 6, 1)) == "KOR"  # before all
    assert gazetteer.person_state("Nicolás Maduro") == gazetteer.person_state("Nicolas Maduro")
    assert gazetteer.person_state("Nicolás Maduro") == "VEN"


def test_person_state_comes_from_the_dictionary_for_full_names_only():
    gazetteer = Gazetteer.load()
    assert gazetteer.person_state("Recep Tayyip Erdogan") == "TUR"
    assert gazetteer.person_state("recep tayyip erdogan") == "TUR"
    assert gazetteer.person_state("Erdogan") is None  # a surname alone is too often another
    assert gazetteer.person_state("Nobody Inparticular") is None


@pytest.mark.model
def test_a_person_takes_no_state_from_where_they_met(nlp):
    from diplograph.model import Article
    from diplograph.nlp.extract import read_doc

    text = "Kenyan Foreign Minister Albert Mwangi met President Ilse Varga in Addis Ababa."
    extraction = read_doc(nlp(text), Article("t", text, "t"))
    people = {a.label: a.state for a in extraction.actors if a.kind == "Person"}
    assert people == {"Albert Mwangi": "KEN", "Ilse Varga": None}  # not Ethiopia


@pytest.mark.model
def test_the_publisher_and_its_desks_are_not_actors(nlp):
    from diplograph.model import Article
    from diplograph.nlp.extract import read_doc

    text = "Kenyan President William Ruto told VOA on Monday that Kenya would send troops."
    extraction = read_doc(nlp(text), Article("t", text, "t", source="Voice of America"))
    assert "org/voice-of-america" not in extraction.mentions
    assert "person/william-ruto" in extraction.mentions
    other = read_doc(nlp(text), Article("t", text, "t", source="Example Wire"))
    assert "org/voice-of-america" in other.mentions  # another outlet's story names VOA
