"""The one resolver every importer, page, API field and command uses to turn a state's name or
code into an ISO 3166-1 alpha-3 key, and the reference facts about states it is built from.

It needs neither a database nor pandas (``core.refdata`` reads country-converter's and
pycountry's data files as text), so ``rightsdesk states resolve NAME`` starts in well under a
second; ``core.states`` re-exports it next to the stored ``State``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.limits import MAX_NAME, check_state_name, name_problem, unanchored
from rightsdesk.core.refdata import coco_table, iso3166_countries, read_data_csv


class AmbiguousStateError(UnknownStateError):
    """A name that could mean several states ("Korea"): refused, with the candidates."""

    code = "ambiguous-state"
    http_status = 422
    exit_code = 65

    def __init__(self, query: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(query, candidates)
        listed = ", ".join(f"{name} ({iso3})" for iso3, name in candidates)
        self.message = f"{query!r} could mean several states: {listed}; give the name or code"
        self.args = (self.message,)


@dataclass(frozen=True)
class StateRef:
    """Reference facts about a state, available without a database."""

    iso3: str
    iso2: str | None
    name: str
    official_name: str | None
    cow_code: int | None
    status: str
    un_member_from: int | None = None
    un_member_to: int | None = None
    successor_iso3: str | None = None
    continent: str | None = None
    un_subregion: str | None = None
    note: str | None = None


# Correlates of War codes where country-converter's Gleditsch-Ward column is not the COW code:
# GW and COW differ for unified Germany, Serbia, Yemen and four Pacific states (GW 970-973 are
# Kiribati, Nauru, Tonga and Tuvalu; COW 970 is Nauru), and country-converter gives the Czech
# Republic Czechoslovakia's 315 and Vietnam the Republic of Vietnam's 817.
_COW_OVERRIDES = {
    "DEU": 255,
    "SRB": 345,
    "YEM": 679,
    "VNM": 816,
    "KOR": 732,
    "PRK": 731,
    "CZE": 316,
    "KIR": 946,
    "TUV": 947,
    "TON": 955,
    "NRU": 970,
}
# States outside the UN that still appear in UN-related data.
_OTHER = {
    "PSE": "observer",
    "VAT": "observer",
    "TWN": "other",
    "XKX": "other",
    "ESH": "other",
    "COK": "other",
    "NIU": "other",
}


def _int(value: object) -> int | None:
    try:
        if value is None or value != value:  # NaN
            return None
        return int(float(str(value)))
    except (TypeError, ValueError):
        return None


@cache
def reference_states() -> dict[str, StateRef]:
    """All states rightsdesk knows, keyed by ISO3 (members, observers, others, historical)."""
    un_names = {row["iso3"]: row for row in read_data_csv("un_names.csv")}
    out: dict[str, StateRef] = {}
    for row in coco_table():
        iso3 = str(row["ISO3"])
        member = _int(row.get("UNmember"))
        if member is None and iso3 not in _OTHER:
            continue
        status = "member" if member is not None else _OTHER[iso3]
        cow = _COW_OVERRIDES.get(iso3, _int(row.get("GWcode")))
        # a few entries are regexes such as '^GR$|^EL$': keep the ISO one (the first)
        iso2 = re.sub(r"[^A-Z|]", "", row["ISO2"]).split("|")[0] or None
        out[iso3] = StateRef(
            iso3=iso3,
            iso2=iso2,
            name=un_names[iso3]["name"] if iso3 in un_names else str(row["name_short"]),
            official_name=(
                un_names[iso3]["official_name"] if iso3 in un_names else str(row["name_official"])
            ),
            cow_code=cow,
            status=status,
            un_member_from=member,
            continent=row["continent"],
            un_subregion=row["UNregion"],
        )
    for row in read_data_csv("extra_states.csv"):
        out[row["iso3"]] = StateRef(
            iso3=row["iso3"],
            iso2=row["iso2"] or None,
            name=row["name"],
            official_name=row["official_name"],
            cow_code=_int(row["cow"]),
            status=row["status"],
            un_member_from=_int(row["un_member_from"]),
            un_member_to=_int(row["un_member_to"]),
            successor_iso3=row["successor"] or None,
            note=row["note"] or None,
        )
    return out


@cache
def common_names() -> dict[str, str]:
    """country-converter's colloquial short names ("Iran", "North Korea"): aliases now that
    states are shown with their UN names."""
    return {str(r["ISO3"]): str(r["name_short"]) for r in coco_table()}


_PUNCT = re.compile(r"[^a-z0-9() ]+")
_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


def normalise_name(text: str) -> str:
    """Case, diacritics, punctuation and 'the'/'&' differences do not matter when matching."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").replace("’", "'").replace("'", "").replace("st.", "saint ")
    text = _PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def _name_keys(text: str) -> list[str]:
    """The forms a name can take: as is, and 'X (Y of)' turned into 'Y of X' and 'X'."""
    base = normalise_name(text)
    keys = [base]
    match = _PAREN.match(base)
    if match:
        head, inner = match.group(1).strip(), match.group(2).strip()
        keys.append(normalise_name(f"{inner} {head}"))
        keys.append(normalise_name(f"{head} {inner}"))
    return keys


@dataclass
class Resolver:
    """Maps names (as UN documents write them), ISO alpha-2/alpha-3 and COW codes to ISO3."""

    names: dict[str, str]
    iso2: dict[str, str]
    iso3: set[str]
    cow: dict[int, str]
    display: dict[str, str]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def resolve(self, query: str) -> str:
        """The ISO3 code of ``query``; raises UnknownStateError with the closest candidates,
        or AmbiguousStateError listing the states a name could mean ("Korea").

        A name over ``limits.MAX_NAME`` characters or with control characters is refused
        (``StateNameError``, HTTP 422, exit code 65) before any matching runs.
        """
        check_state_name(str(query))
        found = self.find(query)
        if isinstance(found, tuple):
            raise AmbiguousStateError(query, [(c, self.display.get(c, c)) for c in found])
        if found is None:
            raise UnknownStateError(query, self.candidates(query))
        return found

    def lookup(self, query: str | int | None) -> str | None:
        """Like ``resolve`` but returns None instead of raising (also for a refused or an
        ambiguous name)."""
        found = self.find(query)
        return found if isinstance(found, str) else None

    def find(self, query: str | int | None) -> str | tuple[str, ...] | None:
        """ISO3, the candidates of an ambiguous name (a tuple), or None."""
        if query is None:
            return None
        if isinstance(query, int):
            return self.cow.get(query)
        text = str(query)
        if name_problem(text) is not None:  # bounded cost: no matching on huge or odd input
            return None
        text = text.strip()
        if not text:
            return None
        if text.isdecimal():
            return self.cow.get(int(text))
        upper = text.upper()
        if len(text) == 3 and upper in self.iso3:
            return upper
        if len(text) == 2 and upper in self.iso2:
            return self.iso2[upper]
        keys = _name_keys(text)
        for key in keys:
            if key in self.ambiguous:
                return self.ambiguous[key]
        for key in keys:
            if key in self.names:
                return self.names[key]
        hits = _regex_lookup(text)
        if len(hits) == 1:
            return hits[0]
        return tuple(hits) if hits else None

    def candidates(self, query: str, limit: int = 5) -> list[tuple[str, str]]:
        from rapidfuzz import fuzz, process

        # the longest name is ~70 characters: a longer query is cut (fuzzy matching is O(n*m))
        hits = process.extract(
            normalise_name(query[:MAX_NAME])[:100],
            list(self.names),
            scorer=fuzz.WRatio,
            limit=limit * 4,
        )
        out: list[tuple[str, str]] = []
        for key, _score, _ in hits:
            iso3 = self.names[key]
            if iso3 not in (c[0] for c in out):
                out.append((iso3, self.display.get(iso3, iso3)))
            if len(out) == limit:
                break
        return out


@cache
def _coco_regexes() -> list[tuple[re.Pattern[str], str]]:
    known = reference_states()
    return [
        (re.compile(unanchored(str(r["regex"])), re.IGNORECASE), str(r["ISO3"]))
        for r in coco_table(include_obsolete=True)
        if str(r["ISO3"]) in known
    ]


def _regex_lookup(text: str) -> list[str]:
    """country-converter's regular expressions catch the many spellings not in our tables;
    more than one hit means the text could be several states (the caller refuses it)."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return sorted({iso3 for pattern, iso3 in _coco_regexes() if pattern.search(plain)})


@cache
def get_resolver() -> Resolver:
    """The process-wide resolver (built once; about 50 ms)."""
    iso_names = iso3166_countries()
    refs = reference_states()
    names: dict[str, str] = {}
    iso2: dict[str, str] = {}
    cow: dict[int, str] = {}

    def add(name: str | None, iso3: str) -> None:
        if name:
            for key in _name_keys(name):
                names.setdefault(key, iso3)

    for ref in refs.values():
        if ref.iso2 and ref.status != "historical":
            iso2[ref.iso2] = ref.iso3
        if ref.cow_code is not None and ref.status != "historical":
            cow.setdefault(ref.cow_code, ref.iso3)
    for ref in refs.values():
        if ref.status == "historical":
            if ref.iso2:
                iso2.setdefault(ref.iso2, ref.iso3)
            if ref.cow_code is not None:
                cow.setdefault(ref.cow_code, ref.iso3)
    for row in read_data_csv("state_aliases.csv"):  # hand-written aliases win
        add(row["alias"], row["iso3"])
    for ref in refs.values():
        add(ref.name, ref.iso3)
        add(ref.official_name, ref.iso3)
        country = iso_names.get(ref.iso3, {})
        for attr in ("name", "official_name", "common_name"):
            add(country.get(attr), ref.iso3)
    for iso3, name in common_names().items():
        if iso3 in refs:
            add(name, iso3)
    ambiguous: dict[str, tuple[str, ...]] = {}
    for row in read_data_csv("ambiguous_names.csv"):
        for key in _name_keys(row["name"]):
            ambiguous[key] = tuple(row["candidates"].split())
    return Resolver(
        names=names,
        iso2=iso2,
        iso3=set(refs),
        cow=cow,
        display={iso3: ref.name for iso3, ref in refs.items()},
        ambiguous=ambiguous,
    )


def resolve_state(query: str) -> str:
    """ISO3 of a state name or code; raises UnknownStateError listing the closest candidates."""
    return get_resolver().resolve(query)


def lookup_state(query: str | int | None) -> str | None:
    """ISO3 of a state name or code, or None."""
    return get_resolver().lookup(query)
