"""The filters of the violations list, timeline and map, read from the URL.

One parser for the three pages, so a filter set on the list carries over to the timeline and
the map unchanged (the links between them keep the query string). Parameters: ``state``
(ISO3 or a name), ``from`` and ``to`` (a year, a month or a day: ``2019``, ``2019-03``,
``2019-03-04``; ``to=2019`` means to the end of 2019), ``act_type``, ``perpetrator`` (id),
``status``, ``level``, ``q`` (words in the title, description or area: never sensitive
fields).

A malformed value does not fail the page: it is left out of the search and the page says why,
next to the field, keeping what was typed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from rightsdesk.core.errors import InputError
from rightsdesk.monitoring.violations.models import EVENT_STATUSES, LEVELS
from rightsdesk.monitoring.violations.search import EventFilters

__all__ = [
    "FacetValue",
    "ListQuery",
    "drop_refused",
    "facet_values",
    "parse_query",
    "url_builder",
]

PARAMS = ("state", "from", "to", "act_type", "perpetrator", "status", "level", "q")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_MAX_TEXT = 200
#: ``EventFilters`` field -> URL parameter, where they differ
_FILTER_PARAMS = {"date_from": "from", "date_to": "to", "confidentiality": "level"}


@dataclass
class ListQuery:
    """The search a URL asks for: the filters that were understood, the page, and a message
    for each parameter that was not."""

    filters: EventFilters
    page: int = 1
    values: dict[str, str] = field(default_factory=dict)  # what was typed, for the form
    problems: dict[str, str] = field(default_factory=dict)  # parameter -> why it was ignored

    @property
    def active(self) -> bool:
        return any(self.values.get(name) for name in PARAMS)


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet, as ``_facets.html`` shows it."""

    value: str
    label: str
    count: int
    selected: bool


def period_bound(text: str, end: bool) -> dt.date:
    """``2019`` -> 1 January 2019 (or 31 December with ``end``); ``2019-03`` -> 1 or 31 March;
    a day as it is. Raises ValueError with a message a reader understands."""
    found = _PERIOD.match(text.strip())
    if not found:
        raise ValueError("write a year, a month or a day: 2019, 2019-03 or 2019-03-04")
    year = int(found.group(1))
    month = int(found.group(2) or (12 if end else 1))
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError("no such month")
    last = calendar.monthrange(year, month)[1]
    day = int(found.group(3) or (last if end else 1))
    if not 1 <= day <= last:
        raise ValueError("no such day")
    return dt.date(year, month, day)


def parse_query(params: QueryParams | Mapping[str, str]) -> ListQuery:
    """The filters of a list, timeline or map URL (the last value wins when one is repeated)."""
    # NUL never belongs in a filter, and PostgreSQL refuses it in a string: dropped here
    values = {
        name: str(params.get(name) or "").replace("\x00", "").strip()[:_MAX_TEXT] for name in PARAMS
    }
    problems: dict[str, str] = {}
    bounds: dict[str, dt.date | None] = {"from": None, "to": None}
    for name in bounds:
        if values[name]:
            try:
                bounds[name] = period_bound(values[name], end=name == "to")
            except ValueError as exc:
                problems[name] = str(exc)
    if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
        problems["to"] = "the end of the period is before its start"
        bounds["to"] = None
    perpetrator: int | None = None
    if values["perpetrator"]:
        if values["perpetrator"].isdecimal() and int(values["perpetrator"]) < 2**31:
            perpetrator = int(values["perpetrator"])
        else:
            problems["perpetrator"] = "not a perpetrator's number"
    status = values["status"] or None
    if status and status not in EVENT_STATUSES:
        problems["status"] = "one of: " + ", ".join(EVENT_STATUSES)
        status = None
    level = values["level"] or None
    if level and level not in LEVELS:
        problems["level"] = "one of: " + ", ".join(LEVELS)
        level = None
    state = values["state"] or None  # ISO3 or a name: the search resolves it
    page_text = str(params.get("page") or "1")
    page = int(page_text) if page_text.isdecimal() and 0 < int(page_text) < 100_000 else 1
    filters = EventFilters(
        state=state,
        date_from=bounds["from"],
        date_to=bounds["to"],
        act_type=values["act_type"] or None,
        perpetrator=perpetrator,
        status=status,
        confidentiality=level,
        q=values["q"] or None,
    )
    return ListQuery(filters=filters, page=page, values=values, problems=problems)


def drop_refused(query: ListQuery, exc: InputError) -> None:
    """Leave out the filter the search refused (an unknown state name, say), with its message
    next to the field; re-raise an error that names no filter of the form."""
    name = exc.location.field or ""
    param = _FILTER_PARAMS.get(name, name)
    if param not in PARAMS or not hasattr(query.filters, name):
        raise exc
    query.problems[param] = exc.reason
    setattr(query.filters, name, None)


def url_builder(query: ListQuery, path: str) -> Callable[..., str]:
    """``url(toggle=(name, value), page=N, all=facet, **params)`` for the facets and pager.

    Every filter takes one value, so toggling a value *replaces* the filter (or clears it when
    it was the one selected); the ``year`` facet sets ``from`` and ``to`` to that year.
    """
    base = {name: value for name, value in query.values.items() if value}

    def url(target: str = path, toggle: tuple[str, str] | None = None, **changes: Any) -> str:
        items = dict(base)
        if toggle is not None:
            name, value = toggle
            if name == "year":
                chosen = items.get("from") == value and items.get("to") == value
                items.pop("from", None), items.pop("to", None)
                if not chosen:
                    items.update({"from": value, "to": value})
            elif items.get(name) == value:
                items.pop(name)
            else:
                items[name] = value
        for name, value in changes.items():
            if value in (None, ""):
                items.pop(name, None)
            else:
                items[name] = str(value)
        return target + ("?" + urlencode(items) if items else "")

    return url


def facet_values(
    name: str, rows: Iterable[tuple[str, str, int]], query: ListQuery
) -> list[FacetValue]:
    """``(value, label, count)`` rows of a facet, each marked selected when it is the filter."""
    values = query.values
    out = []
    for value, label, count in rows:
        if name == "year":
            selected = values.get("from") == str(value) and values.get("to") == str(value)
        else:
            selected = (
                values.get(name, "").upper() == str(value).upper()
                if name == "state"
                else (values.get(name) == str(value))
            )
        out.append(FacetValue(str(value), str(label), int(count), selected))
    return out
