"""The CAMEO trigger lexicon: its build from PETRARCH-2's verb dictionary, and its use."""

from __future__ import annotations

import pytest

from diplograph.errors import DiplographError
from diplograph.resources import build_lexicon as build

SAMPLE = """\
# a header comment
####### SYNONYM SETS #######

&FOOD
+FOOD
+RICE_
+BABY_FORMULA

####### VERB PATTERNS #######

---  ASK   [---]  ---
+ASK_FOR {+ASKED_FOR +ASKING_FOR +ASKS_FOR} [020]
ASK     [020]
QUERY {QUERYING QUERIES QUERIED }
GRILL [110]
- * EXTRADITION                                       [0213]        # ASK
- * (FOR {FINANCIAL AID})                             [0231]        # ASK
- * &FOOD                                             [0233]        # QUERY
- * APOLOGY                                           [110]         # ASK
- * (TO)                                              [042:043]     # ASK
- * (BEFORE COURT)                                    [:173]        # ASK

---  SLAM   [111]  ---
SLAM {SLAMMING SLAMS SLAMMED }
+IS_SLAMMED {+WAS_SLAMMED}
- * UP BARRICADE                                      [144]         # SLAM
- * APOLOGY                                           [020]         # SLAM

---  BLAST   [190]  ---
SLAM
BLAST ;an old coder's note
"""


def test_cameo_codes_map_to_plover_categories():
    assert build.category("0231") == "REQUEST"
    assert build.category("1041") == "REQUEST"
    assert build.category("081") == "CONCEDE"
    assert build.category("085") == "RETREAT"
    assert build.category("114") == "ACCUSE"
    assert build.category("203") == "ASSAULT"
    assert build.category("010") is None  # statements have no category
    assert build.category(None) is None
    assert build.subject_code("042:043") == "042"
    assert build.subject_code(":173") is None  # no act of the subject
    assert build.subject_code("---") is None
    assert build.subject_code("080!") == "080"


def test_build_reads_blocks_inflections_patterns_and_sets(tmp_path):
    (tmp_path / build.FILE).write_text(SAMPLE, encoding="utf-8")
    built = build.build_lexicon(tmp_path)
    verbs, patterns = built["verbs"], built["patterns"]
    assert verbs["ask"] == {"category": "REQUEST", "code": "020"}
    assert verbs["grill"] == {"category": "ACCUSE", "code": "110"}
    assert verbs["blast"] == {"category": "ASSAULT", "code": "190"}  # the block's default
    assert "query" not in verbs  # no default: only its patterns code it
    assert "slam" not in verbs  # 111 in one block, 190 in another: ambiguous
    assert "querying" not in verbs and "is" not in verbs  # inflections, auxiliaries
    assert patterns["ask extradition"] == {"category": "REQUEST", "code": "0213"}
    assert patterns["ask aid"]["code"] == "0231"  # a phrase's head noun
    assert patterns["ask for"]["category"] == "REQUEST"  # a multi-word verb
    assert {"query food", "query rice", "query formula"} <= set(patterns)  # a synonym set
    assert "ask food" not in patterns  # the pattern's own verb, not the whole block
    assert patterns["slam barricade"]["category"] == "PROTEST"  # past the particle
    assert "ask to" not in patterns and "ask court" not in patterns
    assert "ask apology" in patterns and "slam apology" in patterns
    assert "PETRARCH-2" in built["source"] and "MIT" in built["licence"]


def test_a_pattern_coded_two_ways_is_dropped(tmp_path):
    (tmp_path / build.FILE).write_text(
        SAMPLE + "\n---  PLEAD   [020]  ---\nPLEAD\n- * APOLOGY [110] # PLEAD\n"
        "- * APOLOGY [020] # PLEAD\n",
        encoding="utf-8",
    )
    assert "plead apology" not in build.build_lexicon(tmp_path)["patterns"]


def test_build_names_a_missing_dictionary(tmp_path):
    with pytest.raises(DiplographError, match=r"E001.*CAMEO\.2\.0\.txt"):
        build.build_lexicon(tmp_path)
    (tmp_path / build.FILE).write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(DiplographError, match=r"E051.*no CAMEO verb blocks"):
        build.build_lexicon(tmp_path)


def test_build_lexicon_file_is_what_the_script_makes_from_cameo(shared_dir):
    source = shared_dir / "reference" / "petrarch2"
    if not (source / build.FILE).is_file():
        pytest.skip("../shared/reference/petrarch2/CAMEO.2.0.txt is not here")
    assert build.main(["--source", str(source), "--check"]) == 0, (
        "cameo_lexicon.json is out of date; regenerate it with "
        "`python -m diplograph.resources.build_lexicon`"
    )


def test_dictionary_verbs_stay_below_the_ontology_triggers():
    from diplograph.nlp.lexicon import load_lexicon, specific_code

    lexicon = load_lexicon()
    assert lexicon.dictionary_verbs, "no CAMEO verbs reached the lexicon"
    hand = set(lexicon.verbs) | {verb for verb, _ in lexicon.phrases}
    assert not hand & set(lexicon.dictionary_verbs)
    assert not lexicon.cues.speech_verbs & set(lexicon.dictionary_verbs)
    assert specific_code("042") and specific_code("1041") and not specific_code("190")
    assert lexicon.dictionary_verbs["reproach"].category == "ACCUSE"


@pytest.mark.model
def test_a_verb_only_the_cameo_lexicon_knows_tells_an_event(nlp):
    from diplograph.model import Article
    from diplograph.nlp.extract import read_doc
    from diplograph.nlp.lexicon import load_lexicon

    assert "reproach" not in load_lexicon().verbs
    text = "Sweden reproached Norway on Tuesday over its fishing policy."
    extraction = read_doc(nlp(text), Article("t", text, "t"))
    (event,) = [e for e in extraction.events if e.trigger == "reproached"]
    assert event.category == "ACCUSE"
    assert 0.25 <= event.confidence < 0.7  # below the same act read from the ontology


@pytest.mark.model
def test_a_cameo_verb_describing_a_noun_tells_no_event(nlp):
    from diplograph.model import Article
    from diplograph.nlp.extract import read_doc

    text = "The delegation that reproached Norway on Tuesday left Oslo."
    extraction = read_doc(nlp(text), Article("t", text, "t"))
    assert not [e for e in extraction.events if e.trigger == "reproached"]
