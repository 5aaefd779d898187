"""Words for the codes the store keeps: one vocabulary for pages, CLI tables and exports.

The store keys rows on short codes (``hrc``, ``without-vote``, ``UN-APG``, ``CRI``) because
sources and joins need stable keys; a desk officer reads "Human Rights Council", "adopted
without a vote", "Asia-Pacific Group", "Costa Rica". Every place that shows such a code asks
this module, so a page, a CLI table and a CSV export never disagree on a word.

The module imports nothing heavy at load time (the CLI's start-up time depends on it): state
names come from ``core.states.reference_states`` only when first asked for, and group names
from the package's own ``groupings.csv``. An unknown code is returned as it is: a label
function never fails and never hides a value.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "ADOPTION_LABELS",
    "AXIS_TITLES",
    "BODY_LABELS",
    "VOTE_VALUE_LABELS",
    "axis_title",
    "body_label",
    "dataset_label",
    "dataset_name",
    "group_label",
    "period_label",
    "short_source",
    "state_label",
    "table_label",
    "vote_type_label",
    "vote_value_label",
]

#: UN organs (``vote_body.code`` and the body filters of the pages and commands).
BODY_LABELS: Mapping[str, str] = {
    "unga": "General Assembly",
    "unga-c3": "General Assembly, Third Committee",
    "hrc": "Human Rights Council",
    "chr": "Commission on Human Rights",
    "hrc+chr": "Human Rights Council and Commission on Human Rights",
    "unsc": "Security Council",
    "all": "all bodies",
}

#: How a text was adopted (``Resolution.adoption``), as a phrase that reads after the symbol.
ADOPTION_LABELS: Mapping[str, str] = {
    "recorded": "adopted by a recorded vote",
    "without-vote": "adopted without a vote",
    "non-recorded": "adopted by a non-recorded vote",
    "withdrawn": "withdrawn",
    "not-adopted": "not adopted",
    "not-considered": "not considered (no action taken)",
    "unknown": "adoption not known",
}

#: What a state did on a roll call (``StateVote.vote``).
VOTE_VALUE_LABELS: Mapping[str, str] = {
    "yes": "yes",
    "no": "no",
    "abstain": "abstained",
    "absent": "absent (did not vote)",
    "non-member": "not a member of the body",
}

#: Titles of chart axes and table columns that would otherwise show a field name.
AXIS_TITLES: Mapping[str, str] = {
    "ai": "Agreement index (0 = always opposed, 1 = always together)",
    "agreement": "Agreement (share of votes cast the same way)",
    "cohesion": "Cohesion (Agreement index, 0 to 1)",
    "year": "Year",
    "session": "Session",
    "n": "Number",
    "count": "Number",
    "votes": "Roll calls voted on",
    "share": "Share",
    "yes_share": "Share of yes votes",
    "ideal": "Ideal point (position on the main voting dimension)",
    "ideal_point": "Ideal point (position on the main voting dimension)",
    "parties": "States parties",
    "recommendations": "Recommendations",
    "theme": "Theme",
    "response": "Response",
    "state": "State",
    "group": "Group",
    "date": "Date",
}

#: Tables the audit log names (``AuditEntry.table_name``): what a person calls their rows.
TABLE_LABELS: Mapping[str, str] = {
    "user": "user accounts",
    "store": "the store",
    "states": "states",
    "vote_correction": "vote corrections",
    "implementation_record": "implementation records",
    "implementation_action": "implementation actions",
    "implementation_indicator": "implementation indicators",
    "user_account": "user accounts",
    "api_token": "API tokens",
    "dataset": "datasets",
    "state": "states",
    "grouping": "groupings",
    "group_membership": "group memberships",
    "recommendation": "recommendations",
    "implementation": "implementation records",
    "classification": "classifications",
    "position": "positions",
    "resolution": "resolutions",
    "roll_call": "roll calls",
    "treaty_action": "treaty actions",
}

#: Regional groups known without the store (``groupings.csv`` adds every other grouping).
_GROUPS: Mapping[str, str] = {
    "UN-AFRICA": "African Group",
    "UN-APG": "Asia-Pacific Group",
    "UN-EEG": "Eastern European Group",
    "UN-GRULAC": "Latin American and Caribbean Group",
    "UN-WEOG": "Western European and Others Group",
    "HRC": "Human Rights Council members",
    "CHR": "Commission on Human Rights members",
}


def body_label(code: str | None) -> str:
    """ "Human Rights Council" for ``hrc``; an unknown code as it is."""
    if not code:
        return ""
    return BODY_LABELS.get(code, BODY_LABELS.get(code.lower(), code))


def vote_type_label(code: str | None) -> str:
    """ "adopted without a vote" for ``without-vote`` (adoption types); a state's vote
    (``abstain``, ``non-member``) gets its phrase from ``vote_value_label``."""
    if not code:
        return ""
    return ADOPTION_LABELS.get(code, VOTE_VALUE_LABELS.get(code, code))


def vote_value_label(code: str | None) -> str:
    """ "abstained" for ``abstain``, "not a member of the body" for ``non-member``."""
    if not code:
        return ""
    return VOTE_VALUE_LABELS.get(code, code)


@cache
def _group_names() -> dict[str, str]:
    names = dict(_GROUPS)
    text = resources.files("rightsdesk.core").joinpath("data", "groupings.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    for row in csv.DictReader(lines):
        names.setdefault(row["grouping"], row["name"])
    return names


def group_label(code: str | None) -> str:
    """ "Asia-Pacific Group" for ``UN-APG`` (any grouping of ``groupings.csv``); else as is."""
    if not code:
        return ""
    names = _group_names()
    return names.get(code, names.get(code.upper(), code))


@cache
def _state_names() -> dict[str, str]:
    from rightsdesk.core.states import reference_states

    return {iso3: ref.name for iso3, ref in reference_states().items()}


def state_label(iso3: str | None, with_code: bool = False) -> str:
    """The UN short name of a state ("Costa Rica" for ``CRI``), with the code in brackets
    when ``with_code`` ("Costa Rica (CRI)", for tables a reader may match against a source).
    An unknown code is returned as it is."""
    if not iso3:
        return ""
    key = iso3.strip().upper()
    name = _state_names().get(key)
    if name is None:
        return iso3
    return f"{name} ({key})" if with_code else name


def _year_or_date(value: date | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def period_label(start: date | str | None, end: date | str | None, years: bool = False) -> str:
    """ "2008-04-07 to 2013-10-31" (or "2008–2013" when ``years``), "undated" when unknown:
    the span every count over sources states."""
    low, high = _year_or_date(start), _year_or_date(end)
    if not low and not high:
        return "undated"
    if years:
        low, high = low[:4], high[:4]
        if low == high or not low or not high:
            return low or high
        return f"{low}–{high}"
    if low == high or not low or not high:
        return low or high
    return f"{low} to {high}"


def dataset_label(
    source: str, file_name: str, start: date | str | None, end: date | str | None
) -> str:
    """The words for a source shown where a page once wrote "#2": its name and period."""
    name = source or file_name
    period = period_label(start, end, years=True)
    return (
        f"{name} ({file_name}, {period})"
        if file_name and file_name != name
        else (f"{name} ({period})")
    )


def short_source(source: str | None) -> str:
    """A source's name without its bracketed details ("UN Treaty Collection, chapter IV")."""
    text = (source or "").strip()
    cut = text.find(" (")
    return text[:cut] if cut > 0 else text


def dataset_name(ds: Any) -> str:
    """A dataset (any object with ``source``, ``file_name`` or ``file`` and the period
    fields) in the words a source cell shows: "UN Treaty Collection, chapter IV:
    un_hr_ratifications.csv (1966–2026)"."""
    if ds is None:
        return ""
    file_name = getattr(ds, "file_name", None) or getattr(ds, "file", "") or ""
    period = period_label(getattr(ds, "period_start", None), getattr(ds, "period_end", None), True)
    name = short_source(getattr(ds, "source", "")) or file_name
    shown = f"{name}: {file_name}" if file_name and file_name != name else name
    return f"{shown} ({period})"


def axis_title(field: str) -> str:
    """A real title for a chart axis named after a field ("ai" → "Agreement index ...");
    an unknown field gets its words back with underscores as spaces, first letter capital."""
    if field in AXIS_TITLES:
        return AXIS_TITLES[field]
    words = field.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def table_label(name: str | None) -> str:
    """ "recommendations" for the ``recommendation`` table (the audit log's filter)."""
    if not name:
        return ""
    return TABLE_LABELS.get(name, name.replace("_", " "))
