"""Build ``people.json``: named people and the state each serves, from Phoenix's actor files.

Source: PETRARCH-2's Phoenix dictionaries (``Phoenix.Countries.actors.txt``, MIT licence,
Open Event Data Alliance; ``../shared/reference/petrarch2`` in a development checkout). An
entry there is a name line, alias lines (``+NAME``) and indented, date-ranged roles
(``[RUSGOV 991231-080507]``) whose first three letters are the CAMEO country code, which for
states is the ISO 3166-1 alpha-3 code. A person's state is that code when every role agrees
and it is a state's ISO code; a name that two entries give different states is dropped, and
so is any name of one word (a surname alone is too often someone else's).

    python -m diplograph.resources.build_people [--source DIR] [--check]

``--check`` exits 1 when the committed file differs from a fresh build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pycountry

from diplograph.gazetteer import person_key

HERE = Path(__file__).parent
OUTPUT = HERE / "people.json"
DEFAULT_SOURCE = HERE.parents[2].parent / "shared" / "reference" / "petrarch2"
FILES = ("Phoenix.Countries.actors.txt",)
_ROLE = re.compile(r"\[([A-Z]{3})[A-Z]*(?:\s[^\]]*)?\]")
_LICENCE_LINES = re.compile(r"^# (The MIT License.*|Copyright.*)$")


def _entries(lines: list[str]):
    """(names, role country codes) of each entry of a Phoenix actor file."""
    names: list[str] = []
    codes: list[str] = []
    for line in lines:
        text = line.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if line[:1] in "\t ":
            codes += _ROLE.findall(text)
            continue
        if "[" in text:  # a name with its own code on the line: a state or body, not a person
            if names:
                yield names, codes
            names, codes = [], []
            continue
        if not text.startswith("+") and codes:
            yield names, codes
            names, codes = [], []
        names.append(text.lstrip("+").strip("_ "))
    if names:
        yield names, codes


def build_people(source: Path = DEFAULT_SOURCE) -> dict:
    """The people dictionary: ``{"people": {key: ISO alpha-3}, "licence": ...}``."""
    states = {c.alpha_3 for c in pycountry.countries}
    found: dict[str, set[str]] = {}
    licence = []
    for name in FILES:
        lines = (source / name).read_text(encoding="utf-8").splitlines()
        licence += [m.group(1) for line in lines[:40] if (m := _LICENCE_LINES.match(line))]
        for names, codes in _entries(lines):
            countries = set(codes)
            if len(countries) != 1 or not countries <= states:
                continue
            for form in names:
                key = person_key(form)
                if len(key.split()) >= 2:
                    found.setdefault(key, set()).update(countries)
    people = {k: next(iter(v)) for k, v in sorted(found.items()) if len(v) == 1}
    return {
        "source": "PETRARCH-2 Phoenix dictionaries: " + ", ".join(FILES),
        "licence": " ".join(licence) + " (MIT; full text in the source's LICENSE)",
        "people": people,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = json.dumps(build_people(args.source), ensure_ascii=False, indent=0) + "\n"
    if args.check:
        return 0 if OUTPUT.read_text(encoding="utf-8") == text else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT}: {len(json.loads(text)['people'])} names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
