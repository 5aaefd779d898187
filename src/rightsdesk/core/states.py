"""States and groupings, and the one resolver every importer uses to turn a name or code into
an ISO 3166-1 alpha-3 key.

Reference data comes from country-converter (names, UN membership, regex matchers, Gleditsch-Ward
codes) and pycountry (ISO names and codes). What they lack is written by hand in ``data/``:
historical states of UN votes, UN-style and old names, and grouping memberships.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from rightsdesk.core.db import Base
from rightsdesk.core.errors import NotFoundError, UnknownStateError
from rightsdesk.core.limits import MAX_NAME, check_state_name, name_problem, unanchored


class State(Base):
    """A state (UN member, observer, other or historical), keyed by ISO 3166-1 alpha-3."""

    __tablename__ = "state"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(120))
    official_name: Mapped[str | None] = mapped_column(String(200))
    cow_code: Mapped[int | None] = mapped_column(Integer)
    # member | observer | historical | other | organisation
    status: Mapped[str] = mapped_column(String(20))
    un_member_from: Mapped[int | None] = mapped_column(Integer)
    un_member_to: Mapped[int | None] = mapped_column(Integer)
    successor_iso3: Mapped[str | None] = mapped_column(String(3))
    continent: Mapped[str | None] = mapped_column(String(40))
    un_subregion: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(300))

    memberships: Mapped[list[GroupMembership]] = relationship(back_populates="state")


class Grouping(Base):
    """A group of states that acts or is counted together (UN regional group, EU, AU, OIC...)."""

    __tablename__ = "grouping"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))

    members: Mapped[list[GroupMembership]] = relationship(back_populates="grouping")


class GroupMembership(Base):
    """Membership of a state in a grouping, with years when known (end is exclusive)."""

    __tablename__ = "group_membership"
    __table_args__ = (UniqueConstraint("grouping_code", "iso3", "start_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grouping_code: Mapped[str] = mapped_column(ForeignKey("grouping.code", ondelete="CASCADE"))
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)

    grouping: Mapped[Grouping] = relationship(back_populates="members")
    state: Mapped[State] = relationship(back_populates="memberships")


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


# Correlates of War codes differ from Gleditsch-Ward ones for a few states.
_COW_OVERRIDES = {"DEU": 255, "SRB": 345, "YEM": 679, "VNM": 816, "KOR": 732, "PRK": 731}
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


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("rightsdesk.core").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


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
    import country_converter as coco

    data = coco.CountryConverter().data
    out: dict[str, StateRef] = {}
    for row in data.to_dict("records"):
        iso3 = str(row["ISO3"])
        member = _int(row.get("UNmember"))
        if member is None and iso3 not in _OTHER:
            continue
        status = "member" if member is not None else _OTHER[iso3]
        cow = _COW_OVERRIDES.get(iso3, _int(row.get("GWcode")))
        iso2 = None
        if isinstance(row.get("ISO2"), str) and row["ISO2"]:
            # a few entries are regexes such as '^GR$|^EL$': keep the ISO one (the first)
            iso2 = re.sub(r"[^A-Z|]", "", str(row["ISO2"])).split("|")[0] or None
        out[iso3] = StateRef(
            iso3=iso3,
            iso2=iso2,
            name=_short_name(iso3, str(row["name_short"])),
            official_name=str(row["name_official"]),
            cow_code=cow,
            status=status,
            un_member_from=member,
            continent=str(row["continent"]) if isinstance(row.get("continent"), str) else None,
            un_subregion=str(row["UNregion"]) if isinstance(row.get("UNregion"), str) else None,
        )
    for row in _read_csv("extra_states.csv"):
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


def _short_name(iso3: str, name: str) -> str:
    """UN-style short names where country-converter uses colloquial ones."""
    fixes = {
        "TUR": "Türkiye",
        "CZE": "Czechia",
        "SWZ": "Eswatini",
        "CPV": "Cabo Verde",
        "CIV": "Côte d'Ivoire",
        "MKD": "North Macedonia",
        "VAT": "Holy See",
        "PSE": "State of Palestine",
        "TLS": "Timor-Leste",
        "COD": "DR Congo",
        "COG": "Congo",
        "VNM": "Viet Nam",
    }
    return fixes.get(iso3, name)


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

    def resolve(self, query: str) -> str:
        """The ISO3 code of ``query``; raises UnknownStateError with the closest candidates.

        A name over ``limits.MAX_NAME`` characters or with control characters is refused
        (``StateNameError``, HTTP 422, exit code 65) before any matching runs.
        """
        check_state_name(str(query))
        found = self.lookup(query)
        if found is None:
            raise UnknownStateError(query, self.candidates(query))
        return found

    def lookup(self, query: str | int | None) -> str | None:
        """Like ``resolve`` but returns None instead of raising (also for a refused name)."""
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
        for key in _name_keys(text):
            if key in self.names:
                return self.names[key]
        return _regex_lookup(text)

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
    import country_converter as coco

    data = coco.CountryConverter(include_obsolete=True).data
    known = reference_states()
    return [
        (re.compile(unanchored(str(r["regex"])), re.IGNORECASE), str(r["ISO3"]))
        for r in data.to_dict("records")
        if str(r["ISO3"]) in known
    ]


def _regex_lookup(text: str) -> str | None:
    """country-converter's regular expressions catch the many spellings not in our tables."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    hits = {iso3 for pattern, iso3 in _coco_regexes() if pattern.search(plain)}
    return hits.pop() if len(hits) == 1 else None


@cache
def get_resolver() -> Resolver:
    """The process-wide resolver (built once; about 50 ms)."""
    import pycountry

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
    for row in _read_csv("state_aliases.csv"):  # hand-written aliases win
        add(row["alias"], row["iso3"])
    for ref in refs.values():
        add(ref.name, ref.iso3)
        add(ref.official_name, ref.iso3)
        country = pycountry.countries.get(alpha_3=ref.iso3)
        if country is not None:
            for attr in ("name", "official_name", "common_name"):
                add(getattr(country, attr, None), ref.iso3)
    return Resolver(
        names=names,
        iso2=iso2,
        iso3=set(refs),
        cow=cow,
        display={iso3: ref.name for iso3, ref in refs.items()},
    )


def resolve_state(query: str) -> str:
    """ISO3 of a state name or code; raises UnknownStateError listing the closest candidates."""
    return get_resolver().resolve(query)


def lookup_state(query: str | int | None) -> str | None:
    """ISO3 of a state name or code, or None."""
    return get_resolver().lookup(query)


def seed_states(session: Session) -> tuple[int, int]:
    """Insert or refresh states and groupings from the reference data; returns (states, links)."""
    existing = {s.iso3: s for s in session.scalars(select(State))}
    for ref in reference_states().values():
        state = existing.get(ref.iso3) or State(iso3=ref.iso3)
        for attr in (
            "iso2",
            "name",
            "official_name",
            "cow_code",
            "status",
            "un_member_from",
            "un_member_to",
            "successor_iso3",
            "continent",
            "un_subregion",
            "note",
        ):
            setattr(state, attr, getattr(ref, attr))
        if ref.iso3 not in existing:
            session.add(state)
    session.flush()
    groups = {g.code: g for g in session.scalars(select(Grouping))}
    links = {
        (m.grouping_code, m.iso3, m.start_year) for m in session.scalars(select(GroupMembership))
    }
    added = 0
    for row in _read_csv("groupings.csv"):
        if row["grouping"] not in groups:
            groups[row["grouping"]] = Grouping(
                code=row["grouping"], name=row["name"], kind=row["kind"]
            )
            session.add(groups[row["grouping"]])
            session.flush()
        key = (row["grouping"], row["iso3"], _int(row["start_year"]))
        if key not in links:
            session.add(
                GroupMembership(
                    grouping_code=key[0],
                    iso3=key[1],
                    start_year=key[2],
                    end_year=_int(row["end_year"]),
                )
            )
            links.add(key)
            added += 1
    session.flush()
    return len(reference_states()), added


def state_groupings(session: Session, iso3: str) -> list[Grouping]:
    """The groupings a state belongs to now."""
    stmt = (
        select(Grouping)
        .join(GroupMembership)
        .where(GroupMembership.iso3 == iso3, GroupMembership.end_year.is_(None))
        .order_by(Grouping.kind, Grouping.name)
    )
    return list(session.scalars(stmt))


def group_members(session: Session, code: str) -> list[str]:
    """ISO3 codes of a grouping's current members."""
    stmt = select(GroupMembership.iso3).where(
        GroupMembership.grouping_code == code, GroupMembership.end_year.is_(None)
    )
    return sorted(session.scalars(stmt))


def get_state(session: Session, query: str) -> State:
    """The stored state for a name or code (the resolver first, then the store)."""
    iso3 = resolve_state(query)
    state = session.get(State, iso3)
    if state is None:
        raise UnknownStateError(query, [])
    return state


#: The five UN regional groups (each UN member belongs to exactly one).
UN_REGIONAL_GROUPS: tuple[str, ...] = ("UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG")


def resolve_group(session: Session, code: str) -> Grouping:
    """A grouping by code, in any case (``un-weog``), or NotFoundError listing the known codes."""
    groups = {g.code.casefold(): g for g in session.scalars(select(Grouping))}
    found = groups.get(code.strip().casefold())
    if found is None:
        known = ", ".join(sorted(g.code for g in groups.values()))
        raise NotFoundError(f"unknown group {code!r}; known groups: {known}")
    return found


def regional_group_map(session: Session) -> dict[str, str]:
    """ISO3 -> code of the state's UN regional group now (states in none are left out)."""
    out: dict[str, str] = {}
    for code in UN_REGIONAL_GROUPS:
        for iso3 in group_members(session, code):
            out.setdefault(iso3, code)
    return out


def list_groupings(session: Session) -> list[Grouping]:
    """Every grouping, by kind then code (the choices of a group filter)."""
    return list(session.scalars(select(Grouping).order_by(Grouping.kind, Grouping.code)))
