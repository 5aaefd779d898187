"""Turning what sanctions lists write into FollowTheMoney property values: countries as FtM
codes, dates as ISO prefixes, gender as FtM's words. The list parsers share these so a
nationality written "Iran (Islamic Republic of)" by the UN and "Iran" by OFAC is the same
value ("ir") and the state page finds both."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from followthemoney import model
from followthemoney.types import registry

from rightsdesk.core.resolver import lookup_state, reference_states
from rightsdesk.sanctions.sources.parsed import ParsedEntity

__all__ = ["country_code", "fit_schema", "gender", "iso_date", "iso3_of_code"]

#: FtM's codes for states that no longer exist, which rightsdesk keys by their ISO3
_HISTORICAL = {"suhh": "SUN", "yucs": "YUG", "csxx": "SCG", "ddde": "DDR"}
_DATE_TZ = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?$")


@cache
def country_code(text: str) -> str | None:
    """The FtM country code ("ru", "ir", "suhh") of a country as a list writes it, or None
    when neither FtM nor rightsdesk's state resolver knows it."""
    text = " ".join(text.split())
    if not text:
        return None
    code = registry.country.clean(text)
    if code:
        return str(code)
    iso3 = lookup_state(text)
    if iso3 is not None:
        ref = reference_states().get(iso3)
        if ref is not None and ref.iso2:
            return ref.iso2.lower()
    return None


@cache
def iso3_of_code(code: str) -> str | None:
    """The ISO3 key rightsdesk stores states by, for an FtM country code (or a name)."""
    text = code.strip()
    if text.lower() in _HISTORICAL:
        return _HISTORICAL[text.lower()]
    return lookup_state(text)


def gender(text: str | None) -> str | None:
    """FtM's gender value ("male", "female") of what a list writes, or None."""
    value = (text or "").strip().lower()
    if value in ("male", "m", "man"):
        return "male"
    if value in ("female", "f", "woman"):
        return "female"
    return None


def iso_date(text: str | None) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` (optionally with a time or an XML time zone, as in
    ``2015-07-01-04:00``); None for an empty value; ValueError for anything else."""
    value = (text or "").strip()
    if not value:
        return None
    match = _DATE_TZ.match(value)
    if match is None:
        raise ValueError(f"malformed date {value!r} (expected YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise ValueError(f"malformed date {value!r} (no such day)") from None


def fit_schema(pe: ParsedEntity) -> list[str]:
    """Move the values of properties the entity's FtM schema does not have (a call sign on an
    Airplane, a nationality on a Vessel) into ``notes`` as "prop: value", so an export is a
    valid FtM entity and nothing the list said is lost; the names of the moved properties."""
    schema = model.get(pe.schema)
    if schema is None:
        raise ValueError(f"unknown FtM schema {pe.schema!r}")
    moved: list[str] = []
    for prop in list(pe.properties):
        if prop in schema.properties:
            continue
        if prop in ("nationality", "citizenship") and "country" in schema.properties:
            for value in pe.properties.pop(prop):  # an organisation's "nationality"
                pe.add("country", value)
            continue
        moved.append(prop)
        for value in pe.properties.pop(prop):
            pe.add("notes", f"{prop}: {value}")
    return moved
