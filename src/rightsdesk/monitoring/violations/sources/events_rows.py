"""Rows of an events CSV as checked values: what one row, or one event over several rows, says.

Kept apart from the parser (``events_csv``) so the checks that name a file, line and field --
and keep sensitive values out of the message -- are in one small place.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from rightsdesk.core.errors import InputError

__all__ = [
    "DEFAULT_LEVEL",
    "LIMITS",
    "SENSITIVE",
    "ParsedAct",
    "ParsedEvent",
    "ParsedSource",
    "ParsedVictim",
    "Row",
    "coordinate",
    "parse_date",
    "shown",
    "yes_no",
]

#: Columns whose values are never repeated in an error message.
SENSITIVE = frozenset({"victim_name", "source_name", "place", "latitude", "longitude"})
DEFAULT_LEVEL = "confidential"
#: Longest text per column (the table's limits); descriptions and citations are unbounded.
LIMITS = {
    "event_id": 120,
    "title": 500,
    "area": 300,
    "place": 300,
    "victim_occupation": 200,
    "victim_group": 300,
    "perpetrator": 300,
    "victim_name": 2000,
    "source_name": 2000,
}
YES_NO = {"yes": True, "y": True, "true": True, "1": True, "no": False, "n": False}
YES_NO |= {"false": False, "0": False, "": False}


@dataclass
class ParsedVictim:
    name: str | None
    sex: str | None
    age_group: str | None
    occupation: str | None
    group: str | None


@dataclass
class ParsedAct:
    act_type: str
    victim: int | None  # index into ParsedEvent.victims
    perpetrator: str | None
    role: str


@dataclass
class ParsedSource:
    source_type: str
    name: str | None
    reliability: str
    credibility: str
    reported_on: dt.date | None
    citation: str | None


@dataclass
class ParsedEvent:
    """One event as the file describes it (several rows merged)."""

    key: str
    line: int  # its first row
    fields: dict[str, str]  # the event columns' text, as first given
    lines: dict[str, int] = field(default_factory=dict)  # the line that gave each field
    title: str = ""
    start: tuple[dt.date, str] = (dt.date.min, "unknown")
    end: tuple[dt.date, str] | None = None
    iso3: str = ""
    latitude: float | None = None
    longitude: float | None = None
    sensitive_location: bool = False
    status: str = "reported"
    level: str = DEFAULT_LEVEL
    victims: list[ParsedVictim] = field(default_factory=list)
    acts: list[ParsedAct] = field(default_factory=list)
    sources: list[ParsedSource] = field(default_factory=list)


class Row:
    """A row's cells with the file and line, raising errors that name them."""

    def __init__(self, path: Path, line: int, values: dict[str, str]) -> None:
        self.path, self.line, self.values = path, line, values

    def get(self, name: str) -> str:
        value = (self.values.get(name) or "").strip()
        limit = LIMITS.get(name)
        if limit is not None and len(value) > limit:
            self.fail(name, f"longer than {limit} characters")
        return value

    def fail(self, name: str, message: str) -> None:
        raise InputError(message, file=self.path, line=self.line, field=name)

    def choice(self, name: str, options: tuple[str, ...], default: str | None) -> str | None:
        value = self.get(name).lower().replace(" ", "_").replace("-", "_")
        if not value:
            return default
        if value not in options:
            self.fail(name, f"{shown(name, self.get(name))}is not one of {', '.join(options)}")
        return value


def shown(name: str, value: str) -> str:
    """``value`` quoted for an error message, or nothing for a column about a person: a value
    typed into the wrong victim or source column may well be a name."""
    if name in SENSITIVE or name.startswith(("victim_", "source_")):
        return ""
    return f"{value!r} "


def parse_date(text: str, row: Row, name: str) -> tuple[dt.date, str]:
    """``2019``, ``2019-03`` or ``2019-03-04`` as the first day it covers and its precision."""
    try:
        if re.fullmatch(r"\d{4}", text):
            return dt.date(int(text), 1, 1), "year"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date(int(text[:4]), int(text[5:]), 1), "month"
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text), "day"
    except ValueError:
        pass
    row.fail(name, f"malformed date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    raise AssertionError  # pragma: no cover - fail raises


def coordinate(row: Row, name: str, bound: float) -> float | None:
    text = row.get(name)
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > bound:
        # the value is part of an exact location: it is not repeated
        row.fail(name, f"not a number between -{bound:g} and {bound:g}")
    return value


def yes_no(row: Row, name: str) -> bool:
    """A yes/no cell (empty: no)."""
    flag = row.get(name).lower()
    if flag not in YES_NO:
        row.fail(name, f"{flag!r} is not yes or no")
    return YES_NO[flag]
