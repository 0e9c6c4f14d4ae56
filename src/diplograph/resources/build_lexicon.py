"""Build ``cameo_lexicon.json``: verb triggers and verb+object patterns from PETRARCH-2's CAMEO
verb dictionary, mapped onto the 16 PLOVER categories.

Source: PETRARCH-2's ``CAMEO.2.0.txt`` (MIT licence, Open Event Data Alliance;
``../shared/reference/petrarch2`` in a development checkout). After the synonym sets
(``&NAME`` lines with ``+WORD`` members), the file holds verb blocks:

    ---  ASK   [---]  ---                 a block of synonyms and its default code
    ASK     [020]                         a verb, its own default code
    QUERY {QUERYING QUERIES QUERIED }     a verb with its irregular inflections
    +ASK_FOR {+ASKED_FOR +ASKS_FOR} [020] a multi-word verb ("ask for")
    - * (FOR {FINANCIAL AID})   [0231]    # ASK    a pattern: ``*`` is the verb's place,
                                          ``{A B}`` a compound noun, ``(PREP ...)`` a
                                          prepositional phrase, ``&SET`` a synonym set,
                                          ``$``/``+``/``^``/``%`` the source, target or any word

A code ``[x:y]`` codes the subject's act as ``x`` (``[:y]`` codes no act of the subject, so it
is left out). CAMEO codes map to PLOVER as ``../shared/eval/CATEGORIES.md`` says; CAMEO 01
(statements) has no category. Derived here:

- ``verbs``: a verb lemma and its default code (its own, else its block's), kept when every
  default the dictionary gives the lemma maps to one category (a lemma with a statement code
  anywhere, or codes of two categories, is ambiguous and left out: only its patterns count);
- ``patterns``: ``"verb object"`` (the object is the head noun of the first word or noun phrase
  after the verb past its particles, or of a prepositional phrase's object; a multi-word verb
  gives ``"verb particle"``),
  kept when every pattern with that verb and object maps to one category. A pattern applies to
  the verb its comment names (where it was found) when that verb is in the block, else to
  every verb of the block.

    python -m diplograph.resources.build_lexicon [--source DIR] [--check]

``--check`` exits 1 when the committed file differs from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from diplograph.errors import error

HERE = Path(__file__).parent
OUTPUT = HERE / "cameo_lexicon.json"
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "reference" / "petrarch2"
FILE = "CAMEO.2.0.txt"

#: CAMEO root code -> PLOVER category (``CATEGORIES.md``); 08 is split by its third digit
ROOTS = {
    "02": "REQUEST",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}
#: particles that lead a longer object ("SET UP BARRICADE": the object is the barricade)
PARTICLES = frozenset(
    {"out", "up", "down", "off", "forward", "back", "on", "in", "away", "aside", "over", "about"}
)
#: first words of multi-word forms that are auxiliaries ("IS_DETERMINED"): not a verb lemma
AUXILIARIES = frozenset({"is", "are", "am", "was", "were", "be", "been", "has", "have", "had"})
PLACEHOLDERS = frozenset({"$", "+", "^", "%"})
_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([^\]]*)\]")
_LICENCE_LINES = re.compile(r"^# (The MIT License.*|Copyright.*)$")
_TOKENS = re.compile(r"\{[^}]*\}|\([^)]*\)|[^\s{}()]+")


@dataclass(frozen=True)
class Pattern:
    """One coded pattern: the verbs it applies to, its object word and its CAMEO code."""

    verbs: tuple[str, ...]
    obj: str
    code: str


def category(code: str | None) -> str | None:
    """The PLOVER category of a CAMEO code ("0231" -> REQUEST, "084" -> RETREAT), or None
    (statements, no code, or a code that is not CAMEO's)."""
    if not code or not code.isdigit() or len(code) < 2:
        return None
    if code[:2] == "08":
        return "RETREAT" if len(code) >= 3 and code[2] in "4567" else "CONCEDE"
    return ROOTS.get(code[:2])


def subject_code(text: str) -> str | None:
    """The code of the subject's act in a ``[...]`` field: "042:043" -> "042", ":173" and
    "---" -> None; a trailing flag ("080!") is dropped."""
    first = text.split(":", 1)[0].strip().rstrip("!")
    return first if first.isdigit() else None


def _word(text: str) -> str:
    """A dictionary word as lower-case text: "PRIME_MINISTER" -> "prime minister"."""
    return text.strip("+_").replace("_", " ").lower()


def _head(text: str, sets: dict[str, list[str]]) -> list[str]:
    """The head words one pattern token stands for: a word, the last word of ``{A B}``, the
    members of ``&SET`` (each one's last word); placeholders stand for nothing."""
    if text.startswith("{"):
        words = text.strip("{}").split()
        return _head(words[-1], sets) if words else []
    if text.startswith("&"):
        return sorted({m.split()[-1] for m in sets.get(text[1:], []) if m})
    if text in PLACEHOLDERS or not re.match(r"^[A-Z][A-Z'_-]*$", text):
        return []
    return [_word(text).split()[-1]]


def pattern_objects(after: str, sets: dict[str, list[str]]) -> list[str]:
    """The object words of what a pattern puts after the verb: the first word or noun phrase
    past any particles, or a prepositional phrase's object. A particle or preposition alone
    ("- * (TO)", "- * OUT") gives none: too many senses share it."""
    for token in _TOKENS.findall(after):
        if token.startswith("("):
            for word in _TOKENS.findall(token.strip("()"))[1:]:
                heads = _head(word, sets)
                if heads:
                    return heads
            continue
        heads = _head(token, sets)
        if heads and heads[0] not in PARTICLES:
            return heads
    return []


def read_sets(lines: Iterable[str]) -> dict[str, list[str]]:
    """The synonym sets: name (without ``&``) -> member words, lower case."""
    sets: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if text.startswith("---"):
            break
        if text.startswith("&"):
            current = sets.setdefault(text[1:].strip(), [])
        elif text.startswith("+") and current is not None:
            current.append(_word(text))
        elif not text:
            current = None
    return sets


def read_blocks(lines: Iterable[str], sets: dict[str, list[str]]):
    """Verb defaults ``(lemma, code or None)``, multi-word verbs ``(verb, particle, code)``
    and patterns, block by block."""
    defaults: list[tuple[str, str | None]] = []
    multi: list[tuple[str, str, str | None]] = []
    patterns: list[Pattern] = []
    block_code: str | None = None
    verbs: list[str] = []
    for line in lines:
        if match := _BLOCK.match(line):
            block_code, verbs = subject_code(match.group(2)), []
            continue
        body, _, comment = line.partition("#")
        body = body.split(";", 1)[0]
        text = body.strip()
        if not text or text.startswith("~") or text.startswith("&"):
            continue
        codes = _CODE.findall(text)
        code = subject_code(codes[-1]) if codes else None
        if text.startswith("-"):
            if "*" not in text or not codes:
                continue
            after = _CODE.sub("", text).split("*", 1)[1]
            named = _word(comment.split()[0]) if comment.split() else ""
            applies = (named,) if named in verbs else tuple(verbs)
            for obj in pattern_objects(after, sets):
                if code is not None and applies:
                    patterns.append(Pattern(applies, obj, code))
            continue
        form = re.sub(r"\{[^}]*\}", "", _CODE.sub("", text)).split()
        if not form:
            continue
        own = code if codes else block_code
        words = _word(form[0]).split()
        if len(words) == 1 and not form[0].startswith("+"):
            verbs.append(words[0])
            defaults.append((words[0], own))
        elif len(words) >= 2 and words[0] not in AUXILIARIES:
            multi.append((words[0], words[-1], own))
    return defaults, multi, patterns


def _unambiguous(found: dict[str, set[str | None]], codes: dict[str, str]) -> dict[str, dict]:
    """The keys whose codes all map to one category, with that category and the least code."""
    return {
        key: {"category": next(iter(cats)), "code": codes[key]}
        for key, cats in sorted(found.items())
        if len(cats) == 1 and None not in cats
    }


def build_lexicon(source: Path = DEFAULT_SOURCE) -> dict:
    """The CAMEO lexicon: ``{"verbs": {lemma: {category, code}}, "patterns": {"verb object":
    {category, code}}, "source", "licence"}``."""
    path = source / FILE
    if not path.is_file():
        raise error("E001", path=path)
    lines = path.read_text(encoding="utf-8").splitlines()
    licence = [m.group(1) for line in lines[:80] if (m := _LICENCE_LINES.match(line))]
    start = next((i for i, line in enumerate(lines) if line.startswith("---")), None)
    if start is None:
        raise error("E051", path=path)
    sets = read_sets(lines[:start])
    defaults, multi, patterns = read_blocks(lines[start:], sets)
    verb_cats: dict[str, set[str | None]] = {}
    verb_codes: dict[str, str] = {}
    for lemma, code in defaults:
        if code is None:
            continue  # no default: only its patterns code it
        verb_cats.setdefault(lemma, set()).add(category(code))
        verb_codes[lemma] = min(verb_codes.get(lemma, code), code)
    pattern_cats: dict[str, set[str | None]] = {}
    pattern_codes: dict[str, str] = {}
    coded = [(verb, particle, code) for verb, particle, code in multi if code is not None]
    coded += [(verb, p.obj, p.code) for p in patterns for verb in p.verbs]
    for verb, obj, code in coded:
        key = f"{verb} {obj}"
        pattern_cats.setdefault(key, set()).add(category(code))
        pattern_codes[key] = min(pattern_codes.get(key, code), code)
    return {
        "source": f"PETRARCH-2 CAMEO verb dictionary: {FILE}",
        "licence": " ".join(licence) + " (MIT; full text in the source's LICENSE)",
        "verbs": _unambiguous(verb_cats, verb_codes),
        "patterns": _unambiguous(pattern_cats, pattern_codes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    built = build_lexicon(args.source)
    text = json.dumps(built, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    if args.check:
        return 0 if OUTPUT.is_file() and OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT}: {len(built['verbs'])} verbs, {len(built['patterns'])} patterns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
