"""Reading the cells of the EU journal extraction: lists written as prose, dates in the
Journal's styles, nationalities as adjectives.

The extraction copies the Official Journal's wording, so a cell holding several values
writes them as the Journal does: separated by semicolons, often enumerated
(``(a) 15.1.1973; (b) 15.1.1974``), sometimes wrapped in stray double quotes. Dates come as
``2.3.2021``, ``2 March 2021``, ``2 Mar. 2021``, ``March 1961``, ``1961``, or a sentence
holding several of these (``Between 1955 and 1958``); ``extract_dates`` returns every date it
finds as an ISO prefix (FtM form), the most precise first.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from followthemoney.types import registry

__all__ = ["extract_dates", "parse_date", "split_values", "to_countries"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?(?P<year>\d{4})\b")
_WORDED = re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH + r"\s*(?P<year>\d{4})\b", re.I)
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r"\s+(?P<year>\d{4})\b", re.I)
_YEAR = re.compile(r"(?<![\d.-])(?P<year>1[89]\d\d|20\d\d)(?!\d)")
_ENUM = re.compile(r"^(\([a-z]{1,2}\)|\([ivx]{1,4}\)|[a-z]\))\s*")  # (a) (ii) b)


def split_values(cell: str) -> list[str]:
    """The values of a multi-valued cell: split on semicolons outside parentheses, with the
    Journal's enumerators (``(a)``, ``(b)``) and stray quotes removed."""
    text = cell.strip()
    if not text:
        return []
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char == ";" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    out: list[str] = []
    for part in parts:
        value = " ".join(part.split()).strip('"').strip()
        value = _ENUM.sub("", value).strip().strip('"').strip()
        if value and value not in out:
            out.append(value)
    return out


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()
        if month is not None:
            return dt.date(year, month, 1).isoformat()[:7]
    except ValueError:
        return None
    return f"{year:04d}"


def extract_dates(text: str) -> list[str]:
    """Every date written in ``text``, as FtM ISO prefixes (``1964-01-27``, ``1971-05``,
    ``1971``); a year already covered by a fuller date is not repeated."""
    found: list[str] = []
    rest = text
    for pattern in (_NUMERIC, _WORDED, _MONTH_YEAR):
        for match in pattern.finditer(rest):
            groups = match.groupdict()
            month_text = groups["month"]
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(groups["day"]) if groups.get("day") else None
            value = _iso(int(groups["year"]), month, day) or groups["year"]  # 31.2.1980
            if value not in found:
                found.append(value)
        rest = pattern.sub(" ", rest)
    for match in _YEAR.finditer(rest):
        year = match.group("year")
        if not any(v.startswith(year) for v in found):
            found.append(year)
    return found


def parse_date(text: str) -> dt.date | None:
    """One full date (``2.3.2021``, ``2 March 2021``), or None if the text holds none."""
    for value in extract_dates(text):
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    return None


def to_countries(text: str) -> list[str]:
    """FtM country codes named in a country or nationality cell value (``Russian`` → ``ru``;
    ``Syrian/Lebanese`` → ``sy``, ``lb``; ``allegedly Russian`` → ``ru``), or ``[]``.

    The whole value is tried first; failing that, each part between ``/``, ``and``, ``or``,
    commas and enumerators, then each word of a part (the first word naming a country wins).
    """
    if re.search(r"\bDPRK\b|democratic people", text, re.IGNORECASE):
        return ["kp"]  # "Korean, DPRK": the adjective alone would say South Korea
    whole = _country(text)
    if whole:
        return [whole]
    found: list[str] = []
    for part in re.split(r"\s*(?:/|\band/or\b|\band\b|\bor\b|[,;.(]|\b[a-z]\))\s*", text):
        code = _country(part) or next(
            (c for word in part.split() if len(word) > 2 and (c := _country(word))), None
        )
        if code and code not in found:
            found.append(code)
    return found


#: Spellings of the Journal that the country registry does not know.
_SPELLINGS = {"belarussian": "by"}


def _country(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if text.lower() in _SPELLINGS:
        return _SPELLINGS[text.lower()]
    code = registry.country.clean(text)
    return str(code) if code else None
