"""The field checks behind ``event_input``: one place that reads a value of a form or a JSON
object, bounds it and records what is wrong with it under the field's name.

Messages say what is expected ("one of female, male, other, unknown"), never what was given:
the value may be a victim's name or a witness's telephone number, and error messages travel
to logs, API clients and screenshots.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any
from urllib.parse import urlsplit

from rightsdesk.core.errors import InputError

__all__ = ["Check", "FieldErrors", "Raw", "parse_date_with_precision", "period_end"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TRUE = frozenset({"on", "true", "1", "yes"})
_FALSE = frozenset({"", "off", "false", "0", "no"})


def parse_date_with_precision(text: str) -> tuple[dt.date | None, str]:
    """``"2019"`` → (2019-01-01, "year"), ``"2019-03"`` → (2019-03-01, "month"),
    ``"2019-03-04"`` → (that day, "day"), ``""`` → (None, "unknown").

    Raises ``InputError`` (without a field: the caller names it) for anything else.
    """
    value = text.strip()
    if not value:
        return None, "unknown"
    match = _DATE.match(value)
    if not match:
        raise InputError("is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        when = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise InputError("is not a date of the calendar") from None
    if when.year < 1000:
        raise InputError("is not a date (year before 1000)")
    return when, "day" if day else "month" if month else "year"


def period_end(when: dt.date, precision: str) -> dt.date:
    """The last day a date of that precision may mean (2019-03 → 2019-03-31)."""
    if precision == "year":
        return dt.date(when.year, 12, 31)
    if precision == "month":
        following = dt.date(when.year + when.month // 12, when.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return when


class FieldErrors(InputError):
    """Several fields are wrong: ``errors`` maps each (``victims[0].sex``) to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        said = "; ".join(f"{name}: {why}" for name, why in self.errors.items())
        super().__init__(said)
        self.location.field = next(iter(self.errors))

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "fields": self.errors}


class Check:
    """Collects the faults of one input, then raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def fail(self, name: str, why: str) -> None:
        self.errors.setdefault(name, why)

    def done(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)


class Raw:
    """The values of one object (the event, or one block) under a field-name prefix."""

    def __init__(self, data: dict[str, Any], prefix: str, check: Check) -> None:
        self.data = data
        self.prefix = prefix
        self.check = check

    def sub(self, data: dict[str, Any], prefix: str) -> Raw:
        return Raw(data, self.prefix + prefix, self.check)

    def fail(self, name: str, why: str) -> None:
        self.check.fail(self.prefix + name, why)

    def given(self, name: str) -> bool:
        return name in self.data

    def value(self, name: str) -> str:
        """The value as stripped text ("" when absent); numbers and booleans are written out."""
        value = self.data.get(name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return repr(value)
        if isinstance(value, str):
            return value.strip()
        self.fail(name, "must be text")
        return ""

    def any_of(self, *names: str) -> bool:
        return any(self.value(n) for n in names)

    def rows(self, name: str) -> list[Any]:
        value = self.data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(name, "must be a list")
            return []
        return value

    def text(self, name: str, limit: int, required: bool = False) -> str | None:
        value = self.value(name)
        if not value:
            if required:
                self.fail(name, "is required")
            return None
        if len(value) > limit:
            self.fail(name, f"at most {limit} characters")
            return None
        if "\x00" in value:  # PostgreSQL refuses it in text; nobody types it
            self.fail(name, "contains a NUL character")
            return None
        return value

    def choice(self, name: str, options: tuple[str, ...], upper: bool = False) -> str | None:
        value = self.value(name)
        value = value.upper() if upper else value.lower()
        if not value:
            return None
        if value not in options:
            self.fail(name, "one of " + ", ".join(options))
            return None
        return value

    def date(self, name: str) -> tuple[dt.date | None, str]:
        try:
            return parse_date_with_precision(self.value(name)[:40])
        except InputError as exc:
            self.fail(name, exc.reason)
            return None, "unknown"

    def day(self, name: str) -> dt.date | None:
        """A date of any precision, kept as its first day (acts and sources need no more)."""
        return self.date(name)[0]

    def number(self, name: str, low: float, high: float) -> float | None:
        value = self.value(name)
        if not value:
            return None
        try:
            number = float(value[:40])
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not low <= number <= high:
            self.fail(name, f"a number from {low:g} to {high:g}")
            return None
        return number

    def integer(self, name: str, low: int, high: int) -> int | None:
        value = self.value(name)
        if not value:
            return None
        if not value.isdecimal() or len(value) > 20 or not low <= int(value) <= high:
            self.fail(name, f"a whole number from {low} to {high}")
            return None
        return int(value)

    def flag(self, name: str) -> bool:
        value = self.value(name).lower()
        if value in _TRUE:
            return True
        if value not in _FALSE:
            self.fail(name, "true or false")
        return False

    def url(self, name: str) -> str | None:
        value = self.text(name, 1000)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.fail(name, "an http or https address")
            return None
        return value
