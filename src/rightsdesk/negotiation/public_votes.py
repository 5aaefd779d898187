"""What the negotiation form offers other forms about UN decisions on one state: the
resolutions whose title names the state, and the Security Council vetoes cast on its
situation, as plain values (``rightsdesk.forms.service("negotiation", NAME)``).

The interventions form's escalation view lists them among the responses a state has drawn.
It must not import this form nor hold its ORM rows, so these functions return frozen
dataclasses built from the ``resolution`` and ``council_veto`` rows.

"Names the state" is read from the title, the only field every source fills: a title with
the state's UN name, official name, common name or an old name ("Burma") counts; the longest
name found wins, so "Democratic Republic of the Congo" is not also the Congo and "South
Sudan" not also the Sudan; and a name right after "occupied" does not count ("the occupied
Syrian Golan" is about the occupation, not about Syria). This is a reading of titles, not a
classification by the UN: a country resolution whose title names only a region is missed,
and callers say "whose title names the state".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from rightsdesk.core.refdata import read_data_csv
from rightsdesk.core.resolver import common_names, reference_states
from rightsdesk.negotiation.votes.models import BODIES, CouncilVeto, Resolution

__all__ = [
    "COUNTRY_BODIES",
    "CountryResolution",
    "CouncilVetoRef",
    "council_vetoes_on",
    "country_resolutions",
    "states_named",
    "votes_coverage",
]

#: the bodies whose resolutions count as decisions on a country situation
COUNTRY_BODIES = ("hrc", "chr", "unga", "unga-c3", "unsc")
#: names that are not in the reference tables but that titles use
_OLD_NAMES: dict[str, tuple[str, ...]] = {
    "MMR": ("Burma",),
    "COD": ("Zaire", "Democratic Republic of Congo"),
    "KHM": ("Kampuchea", "Democratic Kampuchea"),
    "CIV": ("Cote d'Ivoire", "Ivory Coast"),
    "TLS": ("East Timor",),
    "LKA": ("Ceylon",),
}
#: the catalogue's suffix on the OHCHR library's titles ("... : resolution /")
_SUFFIX = re.compile(r"\s*:\s*(?:resolution|decision)\s*/?\s*$|\s*[/:]\s*$", re.IGNORECASE)
_OCCUPIED = re.compile(r"\boccupied\W+(?:\w+\W+){0,2}$")
_SHORT = 5  # aliases shorter than this (UK, DPRK, FRY) are codes that collide with words


@dataclass(frozen=True)
class CountryResolution:
    """A resolution or decision whose title names the state, with how it was adopted."""

    body: str
    body_name: str
    symbol: str | None
    title: str
    date: dt.date | None
    adoption: str  # recorded, without-vote, ... (``votes.models.ADOPTIONS``)
    yes: int | None
    no: int | None
    abstain: int | None
    url: str | None


@dataclass(frozen=True)
class CouncilVetoRef:
    """A Security Council draft on the state's situation that failed on a veto."""

    draft: str
    date: dt.date
    meeting: str | None
    topic: str | None
    agenda_item: str | None
    vetoed_by: tuple[str, ...]  # ISO3 (the Soviet Union as SUN)


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("‘", "'").replace("-", " ")
    return re.sub(r"\s+", " ", text).casefold()


def _head(name: str) -> str:
    """ "Iran (Islamic Republic of)" -> "Iran"; "Korea, Republic of" -> "Korea, Republic of"."""
    return name.split("(")[0].strip()


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every state's names as titles write them (plain, lower case), longest first."""
    out: dict[str, set[str]] = {}
    refs = reference_states()
    common = common_names()
    for iso3, ref in refs.items():
        names = out.setdefault(iso3, set())
        for name in (ref.name, ref.official_name, common.get(iso3)):
            if name:
                names.update({_plain(name), _plain(_head(name))})
        names.update(_plain(n) for n in _OLD_NAMES.get(iso3, ()))
    for row in read_data_csv("state_aliases.csv"):
        alias = row["alias"]
        if len(alias) >= _SHORT and not alias.isupper() and row["iso3"] in out:
            out[row["iso3"]].add(_plain(_head(alias)))
    return {
        iso3: tuple(sorted((n for n in names if len(n) >= 4), key=len, reverse=True))
        for iso3, names in out.items()
    }


@cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern of every state's names, longest first, and the state of each name."""
    owner: dict[str, str] = {}
    for iso3, names in _names().items():
        for name in names:
            owner.setdefault(name, iso3)
    alternatives = sorted(owner, key=len, reverse=True)
    body = "|".join(re.escape(n).replace(r"\ ", " ") for n in alternatives)
    return re.compile(rf"(?<![\w'])(?:{body})(?![\w'])"), owner


def states_named(title: str) -> set[str]:
    """The states a title names (ISO3), by the rules of this module's docstring."""
    plain = _plain(title)
    pattern, owner = _pattern()
    found: set[str] = set()
    for match in pattern.finditer(plain):
        if _OCCUPIED.search(plain[: match.start()]):
            continue
        found.add(owner[match.group(0)])
    return found


def _like_any(
    column: ColumnElement[str] | InstrumentedAttribute[str], iso3: str
) -> ColumnElement[bool]:
    """A cheap first cut in SQL: the lower-cased text contains one of the state's names (an
    apostrophe, hyphen or accented letter matches any one character)."""
    likes = []
    for name in _names().get(iso3, ()):
        # only plain consonants and spaces stay: a vowel may be accented in the title, an
        # apostrophe curly, a space a hyphen (Python checks exactly afterwards)
        pattern = re.sub(r"[^bcdfghjklmnpqrstvwxz]", "_", name)
        likes.append(func.lower(column).like(f"%{pattern}%"))
    return or_(*likes) if likes else func.lower(column) == "\x00"


def country_resolutions(
    session: Session, iso3: str, bodies: tuple[str, ...] = COUNTRY_BODIES
) -> list[CountryResolution]:
    """Resolutions and decisions of ``bodies`` whose title names the state, oldest first.

    Amendment records and drafts that were withdrawn or not considered are left out: they
    were not decisions of the body."""
    code = iso3.upper()
    stmt = (
        select(Resolution)
        .where(
            Resolution.body.in_(bodies),
            Resolution.adoption.not_in(("withdrawn", "not-considered")),
            _like_any(Resolution.title, code),
        )
        .order_by(Resolution.date, Resolution.id)
    )
    out = []
    for res in session.scalars(stmt):
        if code not in states_named(res.title):
            continue
        out.append(
            CountryResolution(
                body=res.body,
                body_name=BODIES.get(res.body, res.body),
                symbol=res.symbol,
                title=_SUFFIX.sub("", res.title),
                date=res.date,
                adoption=res.adoption,
                yes=res.yes_official,
                no=res.no_official,
                abstain=res.abstain_official,
                url=res.url,
            )
        )
    return out


def council_vetoes_on(session: Session, iso3: str) -> list[CouncilVetoRef]:
    """Vetoed Security Council drafts on the state's situation, oldest first.

    The situation is the dataset's crisis topic ("Syria", "Israel-Palestine"); the agenda
    item is read only where no topic is given, because it often names the state that
    complained ("Letter dated ... from the Syrian Arab Republic"), not the situation."""
    code = iso3.upper()
    stmt = (
        select(CouncilVeto)
        .where(
            or_(
                _like_any(func.coalesce(CouncilVeto.topic, ""), code),
                _like_any(func.coalesce(CouncilVeto.agenda_item, ""), code),
            )
        )
        .order_by(CouncilVeto.date, CouncilVeto.seq)
    )
    out = []
    for veto in session.scalars(stmt):
        if code not in states_named(veto.topic or veto.agenda_item or ""):
            continue
        out.append(
            CouncilVetoRef(
                draft=veto.draft,
                date=veto.date,
                meeting=veto.meeting,
                topic=veto.topic,
                agenda_item=veto.agenda_item,
                vetoed_by=tuple(v for v in veto.vetoed_by.split(",") if v),
            )
        )
    return out


def votes_coverage(session: Session) -> dict[str, dt.date | None]:
    """Up to when the stored decisions run: the latest resolution date per body, and the
    latest veto (key ``"unsc-vetoes"``). A body with nothing stored is absent."""
    out: dict[str, dt.date | None] = {
        body: latest
        for body, latest in session.execute(
            select(Resolution.body, func.max(Resolution.date)).group_by(Resolution.body)
        )
    }
    latest_veto = session.scalar(select(func.max(CouncilVeto.date)))
    if latest_veto is not None:
        out["unsc-vetoes"] = latest_veto
    return out
