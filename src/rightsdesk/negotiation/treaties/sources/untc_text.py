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
        if any(w in tail for w in ("convention of rome", "of the constitution", "european")) or (
            "charter" in tail[:25]  # "Article 103 of the Charter of the United Nations"
        ):
            continue
        for number in re.findall(r"(?<![(\w])\d+", re.sub(r"\([^)]*\)", "", match.group(1))):
            if number not in found:
                found.append(number)
    return found


#: What makes a sentence one that reserves, declares or interprets the articles it names:
#: a phrase just before an article ("a reservation to article 1", "reserves the right not to
#: apply article 14", "does not consider itself bound by article 22", "with regard to
#: article 10"), a phrase just after one ("article 25 (b) will not apply"), or the article
#: opening the sentence ("Article 13: ...").
_BEFORE = re.compile(
    r"(?:(?:reserv|interpret|understand)\w*(?:\s+[\w-]+){0,5}?\s+"
    r"(?:to|concerning|regarding|on|in respect of|with (?:regard|respect|reference) to)"
    r"|(?:reserv|interpret)\w*(?:\s+(?:the right|not|to|apply|applying)){0,4}"
    r"|not (?:consider itself |to be )?bound by"
    r"|(?:in (?:relation|respect|regard) to|with (?:regard|respect|reference) to|as regards"
    r"|concerning|regarding))"
    r"(?:\s+the)?(?:\s+provisions?\s+of)?(?:\s+paragraphs?\s+[\d(),a-z ]{1,20}\s+of)?\s+$",
    re.I,
)
_AFTER = re.compile(
    r"^[^.;:]{0,60}?\b(?:(?:shall|will|does|do|is|are)\s+not\s+(?:be\s+)?appl|"
    r"not\s+(?:be\s+)?applicable|(?:is|are|shall be|will be)\s+(?:interpreted|understood)|"
    r"subject to|reserv)",
    re.I,
)
_OPENING = re.compile(r"^\W{0,4}(?:\d{1,2}[.)]\s*)?articles?\s", re.I)


#: "the Optional Protocol to the International Covenant on ..." names the Protocol.
_PROTOCOL_OF = re.compile(
    r"protocol to the (?:international )?(?:covenant|convention)(?: on| against| for)?"
    r"(?: the)?(?: (?-i:[A-Z])[\w-]*| and| of| or| other| all| their| members| forms){0,14}",
    re.I,
)
_INSTRUMENT = re.compile(r"\b(protocol|covenant|convention)\b", re.I)
_OF_PARENT = re.compile(
    r"^[\s,]*(?:paragraphs?\s+[\d(),a-z ]{1,20}\s*,?\s*)?of\s+the\s+"
    r"(?:international\s+)?(?:covenant|convention)\b",
    re.I,
)
_THEREOF = re.compile(r"^[\s,]*(?:paragraphs?\s+[\d(),a-z ]{1,20}\s*,?\s*)?thereof\b", re.I)


def reserved_articles(text: str, protocol: bool = False) -> list[str]:
    """The articles a reservation or declaration is about, not every article it cites.

    On an optional protocol's page a text often cites the parent treaty's articles to explain
    itself: Trinidad and Tobago's reservation "to article 1" of the ICCPR's first Optional
    Protocol goes on to recall its undertakings under the Covenant "as set out in article 2
    thereof" and "established by article 40 thereof", which are not the Protocol's articles.
    So with ``protocol``, an article "of the Covenant" (or Convention), or "thereof" where
    the instrument last named before it is the Covenant, is left out; "article 1 thereof"
    after "the Optional Protocol to the International Covenant ..." is the Protocol's. Articles
    of the UN Charter ("Article 103 of the Charter") are never counted (``articles_in``)."""
    if not protocol:
        return articles_in(text)
    plain = _PROTOCOL_OF.sub(lambda m: "Protocol" + " " * (len(m[0]) - 8), text)
    found: list[str] = []
    for match in _ARTICLES.finditer(plain):
        after = plain[match.end() :]
        if _OF_PARENT.match(after):
            continue
        if _THEREOF.match(after):
            named = _INSTRUMENT.findall(plain[: match.start()])
            if named and named[-1].casefold() != "protocol":
                continue
        span = text[match.start() : match.end() + 40]
        found += [n for n in articles_in(span) if n not in found and n in match.group(1)]
    # a text naming only the parent's articles ("same reservation as to article 14 of the
    # Covenant") is about them
    return found or articles_in(text)


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
