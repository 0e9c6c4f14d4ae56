"""Build ``people.json``: named people and the state each serves, with dates, from Phoenix.

Source: PETRARCH-2's Phoenix dictionaries (``Phoenix.Countries.actors.txt`` and
``Phoenix.International.actors.txt``, MIT licence, Open Event Data Alliance;
``../shared/reference/petrarch2`` in a development checkout). An entry there is a name line,
alias lines (``+NAME``) and indented, date-ranged roles (``[RUSGOV 991231-080507]``,
``[IGOUNO >20070101]``, ``[PRTELI]``) whose first three letters are the CAMEO country code,
which for states is the ISO 3166-1 alpha-3 code (``IGO``, ``ELI`` and the like name no state).

A person whose roles all name one state is stored as that code (``"RUS"``); one whose roles
name different states, or a state and an international body, as the list of roles
``[code or null, first day or null, last day or null]``, resolved at an article's date by
``Gazetteer.person_state``. Entries of one name whose states differ beyond one containing the
other's are two people and dropped; so is any name of one word (a surname alone is too often
someone else's).

    python -m diplograph.resources.build_people [--source DIR] [--check]

``--check`` exits 1 when the committed file differs from a fresh build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import pycountry

from diplograph.gazetteer import person_key

HERE = Path(__file__).parent
OUTPUT = HERE / "people.json"
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "reference" / "petrarch2"
FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt")
_ROLE = re.compile(r"\[([A-Z]{3})[A-Z]*((?:\s[^\]]*)?)\]")
_LICENCE_LINES = re.compile(r"^# (The MIT License.*|Copyright.*)$")
#: a two-digit year up to this one is 20YY, above it 19YY (Phoenix's roles run 1900-2016)
PIVOT = 40

Role = tuple[str | None, str | None, str | None]


def _day(digits: str) -> str | None:
    """``"080507"`` or ``"20080507"`` as ``"2008-05-07"``; ``None`` when not a date."""
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year <= PIVOT else 1900 + year}{digits[2:]}"
    if len(digits) != 8:
        return None
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None


def parse_role(code: str, span: str, states: set[str]) -> Role:
    """A role's state (``None`` for a body or no state) and its first and last day.

    >>> parse_role("RUS", " 991231-080507", {"RUS"})
    ('RUS', '1999-12-31', '2008-05-07')
    >>> parse_role("IGO", " >20070101", {"RUS"})
    (None, '2007-01-01', None)
    """
    state = code if code in states else None
    span = span.strip().replace(" ", "")
    if span.startswith(">"):
        return state, _day(span[1:]), None
    if span.startswith("<"):
        return state, None, _day(span[1:])
    first, _, last = span.partition("-")
    return state, _day(first) if first else None, _day(last) if last else None


def _entries(lines: list[str], states: set[str]):
    """(names, roles) of each entry of a Phoenix actor file."""
    names: list[str] = []
    roles: list[Role] = []
    for line in lines:
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if line[:1] in "\t ":
            roles += [parse_role(code, span, states) for code, span in _ROLE.findall(text)]
            continue
        if "[" in text:  # a name with its own code on the line: a state or body, not a person
            if names:
                yield names, roles
            names, roles = [], []
            continue
        if not text.startswith("+") and roles:
            yield names, roles
            names, roles = [], []
        names.append(text.lstrip("+").strip("_ "))
    if names:
        yield names, roles


def _merge(entries: list[list[Role]]) -> list[Role] | None:
    """The roles of one name's entries, when one entry's states contain every other's."""
    sets = [{r[0] for r in roles} for roles in entries]
    union = set().union(*sets)
    if not any(s == union for s in sets):
        return None
    return sorted(set().union(*map(set, entries)), key=lambda r: tuple(map(str, r)))


def _stored(roles: list[Role]) -> str | list[list] | None:
    """One code when every role names the same state, else the roles; ``None``: no state."""
    codes = {r[0] for r in roles}
    if not codes - {None}:
        return None
    if len(codes) == 1:
        return next(iter(codes))
    return [list(r) for r in roles]


def build_people(source: Path = DEFAULT_SOURCE) -> dict:
    """The people dictionary: ``{"people": {key: code or roles}, "licence": ...}``."""
    states = {c.alpha_3 for c in pycountry.countries}
    found: dict[str, list[list[Role]]] = {}
    licence: list[str] = []
    for name in FILES:
        lines = (source / name).read_text(encoding="utf-8").splitlines()
        licence += [m.group(1) for line in lines[:40] if (m := _LICENCE_LINES.match(line))]
        for names, roles in _entries(lines, states):
            if not roles:
                continue
            for form in names:
                key = person_key(form)
                if len(key.split()) >= 2 and roles not in found.get(key, []):
                    found.setdefault(key, []).append(roles)
    people = {}
    for key, entries in sorted(found.items()):
        merged = _merge(entries)
        stored = _stored(merged) if merged else None
        if stored is not None:
            people[key] = stored
    return {
        "source": "PETRARCH-2 Phoenix dictionaries: " + ", ".join(FILES),
        "licence": " ".join(dict.fromkeys(licence)) + " (MIT; full text in the source's LICENSE)",
        "people": people,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    data = build_people(args.source)
    people = data.pop("people")
    # one person a line: the file stays small and diffs by name
    body = ",\n".join(
        f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in people.items()
    )
    head = json.dumps(data, ensure_ascii=False, indent=0)[:-2]
    text = f'{head},\n"people": {{\n{body}\n}}\n}}\n'
    if args.check:
        return 0 if OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT}: {len(people)} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
