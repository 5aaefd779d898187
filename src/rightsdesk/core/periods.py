"""Periods and dates as users give and read them: inclusive year ranges, ISO 8601 dates."""

from __future__ import annotations

from datetime import date

from rightsdesk.core.errors import InputError

FIRST_YEAR, LAST_YEAR = 1900, 2100


def year_range(
    first: int | None,
    last: int | None,
    first_name: str = "from_year",
    last_name: str = "to_year",
) -> tuple[int, int] | None:
    """An inclusive (first, last) year range, None when neither bound is given.

    ``first_name`` and ``last_name`` are how the caller spells the bounds (``--from-year`` on
    the command line, ``from_year`` in a URL), so the error names what the user typed.
    """
    if first is None and last is None:
        return None
    low, high = first or FIRST_YEAR, last or LAST_YEAR
    if low > high:
        raise InputError(
            f"{first_name} {low} is after {last_name} {high}", field=first_name.lstrip("-")
        )
    return low, high


def iso_date(value: date | None) -> str | None:
    """``YYYY-MM-DD``, or None for no date (JSON and CSV show dates this way)."""
    return value.isoformat() if value else None
