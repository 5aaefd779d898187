"""Text helpers and records shared by the readers of a UN Treaty Collection status page.

The depositary's prose follows fixed phrasing; these helpers cut it into sentences, find the
articles an item names, split a state's declarations at each date, heading and numbered
paragraph, and resolve state names once per import. The records (``PageFacts``) are what
``untc_facts`` reads out of a page and ``untc_status`` writes.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rightsdesk.core.importing import resolve_or_fail as _resolve_or_fail
from rightsdesk.core.states import lookup_state
from rightsdesk.negotiation.treaties.sources.untc import Standing
from rightsdesk.negotiation.treaties.sources.untc_page import Block

CONSENT = {
    "": "ratification",
    "a": "accession",
    "d": "succession",
    "A": "acceptance",
    "AA": "approval",
    "c": "formal confirmation",
}
# Months between the notification of a denunciation and its effect, where a note gives only
# the notification (ICCPR-OP1 art. 12: three months; OP-CEDAW art. 19, OP-ICESCR art. 20: six).
NOTICE_MONTHS = {"ICCPR-OP1": 3, "OP-CEDAW": 6, "OP-ICESCR": 6}
DEFAULT_NOTICE_MONTHS = 12
# Former states whose acts are in the end notes, and the day they ceased to exist.
PREDECESSORS = {
    "German Democratic Republic": "DDR",
    "Czechoslovakia": "CSK",
    "former Yugoslavia": "YUG",
}
END_OF_STATE = {"DDR": date(1990, 10, 3), "CSK": date(1992, 12, 31), "YUG": date(1992, 4, 27)}

# Sections "declarations recognizing the competence": (article, procedure, text pattern)
SECTION_ARTICLES: dict[str, list[tuple[str, str, str | None]]] = {
    "ICERD": [("14", "individual", None)],
    "ICCPR": [("41", "inter-state", None)],
    "CAT": [
        ("21", "inter-state", r"another state party|article 21|articles 21"),
        ("22", "individual", r"individuals|article 22|and 22"),
    ],
    "CPED": [
        ("31", "individual", r"individuals|article 31|articles 31"),
        ("32", "inter-state", r"another state party|article 32|and 32"),
    ],
    "OP-ICESCR": [
        ("10", "inter-state", r"article 10|another state party|articles 10"),
        ("11", "inquiry", r"article 11|and 11"),
    ],
}
# Acceptances written among the declarations (ICMW arts. 76-77, OP-CRC-IC art. 12).
DECLARED_ACCEPTANCES: dict[str, list[tuple[str, str, str]]] = {
    "ICMW": [("77", "individual", r"article 77"), ("76", "inter-state", r"article 76")],
    "OP-CRC-IC": [("12", "inter-state", r"article 12")],
}
# Inquiry procedures that apply unless a state opts out: (article, pattern naming it)
OPT_OUTS: dict[str, tuple[str, str]] = {
    "CAT": ("20", r"article 20\b|article 28\b"),
    "OP-CEDAW": ("8", r"articles? 8\b|article 10\b"),
    "OP-CRPD": ("6", r"articles? 6\b|article 8\b"),
    "OP-CRC-IC": ("13", r"article 13\b"),
}
NOT_COMPETENT = re.compile(
    r"not (?:to )?recogni[sz]e\w* the competence|does not accept|not (?:consider itself )?bound",
    re.I,
)
_ARTICLES = re.compile(
    r"\barticles?\s+((?:\d+(?:\s*\([^)]{1,6}\))*(?:\s*(?:,|and|or|to|-|–)\s*)?)+)", re.I
)
_NUMBERED = re.compile(r"^[\"“']?\(?(\d{1,2})[.)]\s")
QUOTES = re.compile(r"Secretary-General received (?:the following )?communications", re.I)
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]”\"])\.\s+(?=[A-Z\"“(])")


@dataclass
class ActionRec:
    iso3: str
    action: str
    on: date
    effective: date | None = None
    note: str | None = None


@dataclass
class CompetenceRec:
    iso3: str
    article: str
    procedure: str
    kind: str  # acceptance | opt-out
    declared_on: date | None
    withdrawn: date | None
    text: str


@dataclass
class ItemRec:
    iso3: str
    kind: str
    articles: list[str]
    made_on: date | None
    text: str
    objected_iso3: str | None = None
    withdrawn: str | None = None
    withdrawn_on: date | None = None


@dataclass
class PageFacts:
    short: str
    standings: dict[tuple[str, str], Standing] = field(default_factory=dict)
    actions: list[ActionRec] = field(default_factory=list)
    competences: dict[tuple[str, str, str], CompetenceRec] = field(default_factory=dict)
    items: list[ItemRec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def articles_in(text: str) -> list[str]:
    """Article numbers a text names ("paragraph 2 of article 14" -> ["14"]), in order."""
    found: list[str] = []
    for match in _ARTICLES.finditer(text):
        tail = text[match.end() : match.end() + 40].casefold()
        if "convention of rome" in tail or "of the constitution" in tail or "european" in tail:
            continue
        for number in re.findall(r"(?<![(\w])\d+", re.sub(r"\([^)]*\)", "", match.group(1))):
            if number not in found:
                found.append(number)
    return found


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    return date(year, month, 28)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def kind_of(heading: str, text: str) -> str:
    for source in (heading.casefold(), text[:300].casefold()):
        kinds = [
            k
            for k, word in (
                ("objection", "objection"),
                ("reservation", "reserv"),
                ("understanding", "understand"),
                ("declaration", "declar"),
            )
            if word in source
        ]
        if len(kinds) == 1:
            return kinds[0]
        if source is not heading.casefold() and kinds:
            return kinds[0]
    return "declaration"


def groups(block: Block) -> list[tuple[date | None, str, list[str]]]:
    """A block split at each date and heading: (date, heading, lines)."""
    groups: list[tuple[date | None, str, list[str]]] = []
    day: date | None = None
    heading = ""
    for kind, value in block.parts:
        if kind == "date":
            day, heading = value, ""
            groups.append((day, heading, []))
        elif kind == "heading":
            heading = str(value)
            groups.append((day, heading, []))
        else:
            if not groups:
                groups.append((day, heading, []))
            groups[-1][2].append(str(value))
    return [g for g in groups if g[2]]


def split_numbered(lines: list[str]) -> list[str]:
    """Numbered paragraphs ("1. Article 13 - ...") as separate items; else one item."""
    if sum(1 for line in lines if _NUMBERED.match(line)) < 2:
        return [" ".join(lines)]
    items: list[list[str]] = []
    for line in lines:
        if _NUMBERED.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return [" ".join(i) for i in items]


_RESOLVED: dict[str, str] = {}


def resolve_or_fail(name: str, path: Path, line: int, field_name: str) -> str:
    """``core.importing.resolve_or_fail`` remembering the names already resolved (a page
    names each state up to five times; resolving is the slow part of reading it)."""
    if name not in _RESOLVED:
        _RESOLVED[name] = _resolve_or_fail(name, path, line, field_name)
    return _RESOLVED[name]


@functools.lru_cache(maxsize=4096)
def resolve_quiet(name: str) -> str | None:
    return lookup_state(name.strip().removeprefix("the ").strip())
