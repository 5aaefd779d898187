"""One stored programme as an IATI 2.03 ``iati-activity`` element.

The 2.03 schema fixes the order of an activity's elements (``xsd:sequence``); this module
writes them in that order: identifier, reporting-org, title, description, participating-org,
activity-status, activity-date, recipient-country, recipient-region, sector, budget,
planned-disbursement, transaction, document-link, related-activity, result.

What the store lacks but 2.03 requires is handled in one of two ways, each stated here:

- **refused** (``InputError`` naming the programme and the field): no reporting-org ``ref`` or
  ``type``, no participating organisation, no activity status, no activity date, a transaction
  without a date, a recipient state without an ISO alpha-2 code. Inventing a publisher, a
  status or a date would publish a falsehood, so the editor must fill them in first.
- **documented defaults**, where the schema wants a value the source never gave and a neutral
  one exists: an empty ``description`` narrative when there is no description; a money value's
  ``value-date`` falls back to the transaction date or the period start (IATI's own guidance for
  the conversion date); a sector of a publisher's own words with no code is written with
  vocabulary "99" and an empty code (its words in the narrative); a document without a format
  is ``application/octet-stream``, without a category ``A12`` (activity web page); a result is
  of type "1" (output) and an indicator's measure "1" (unit) when unknown; a target year
  becomes a reporting period of that calendar year. ``DEFAULTS`` lists them for the docs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from lxml import etree

from rightsdesk.capacity.models import (
    PARTICIPANT_ROLES,
    Budget,
    Document,
    Programme,
    Recipient,
    Sector,
    Transaction,
)
from rightsdesk.core.errors import InputError
from rightsdesk.core.refdata import iso3166_countries

__all__ = ["DEFAULTS", "XML_LANG", "activity_element"]

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROLE_CODES = {word: code for code, word in PARTICIPANT_ROLES.items()}
# IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end
DATE_TYPES = (
    ("1", "planned_start"),
    ("2", "actual_start"),
    ("3", "planned_end"),
    ("4", "actual_end"),
)
OWN_SECTOR_VOCABULARY = "99"  # SectorVocabulary 99: reporting organisation's own
DEFAULT_DOCUMENT_FORMAT = "application/octet-stream"
DEFAULT_DOCUMENT_CATEGORY = "A12"  # DocumentCategory A12: activity web page
DEFAULT_RESULT_TYPE = "1"  # ResultType 1: output
DEFAULT_MEASURE = "1"  # IndicatorMeasure 1: unit
_ISO2 = re.compile(r"^[A-Z]{2}$")

DEFAULTS: Mapping[str, str] = {
    "description": "empty narrative when the programme has none",
    "value/@value-date": "the transaction date, or the budget period start",
    "sector/@code": f"empty, vocabulary {OWN_SECTOR_VOCABULARY}, for a publisher's own words",
    "document-link/@format": DEFAULT_DOCUMENT_FORMAT,
    "document-link/category/@code": DEFAULT_DOCUMENT_CATEGORY,
    "result/@type": DEFAULT_RESULT_TYPE,
    "indicator/@measure": DEFAULT_MEASURE,
    "indicator/period": "1 January to 31 December of the target year (an actual value "
    "without one: of the programme's latest date)",
}


def _missing(programme: Programme, field: str, what: str) -> InputError:
    """The refusal of a programme IATI 2.03 cannot express, naming where to fix it."""
    return InputError(
        f"programme {programme.natural_key!r} (#{programme.id}) has no {what}, which IATI 2.03 "
        f"requires; add it (/capacity/programmes/{programme.id}/edit) or leave the programme "
        "out of the export",
        field=field,
    )


def _sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    """A child element with the attributes that have a value (None ones are left out)."""
    return etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})


def _narrative(parent: etree._Element, tag: str, text: str | None, **attrs: str | None) -> None:
    """``<tag><narrative>text</narrative></tag>``: 2.03 puts all human text in narratives."""
    _sub(parent, tag, **attrs)
    etree.SubElement(parent[-1], "narrative").text = text or ""


def _named(parent: etree._Element, tag: str, name: str | None, **attrs: str | None) -> None:
    """An element whose optional narrative is a name (written only when there is one)."""
    element = _sub(parent, tag, **attrs)
    if name:
        etree.SubElement(element, "narrative").text = name


def number(value: float | Decimal | None) -> str | None:
    """A number as ``xsd:decimal`` text: never an exponent, no trailing ``.0``."""
    if value is None:
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else value
    text = format(exact, "f")
    if "." in text and isinstance(value, float):
        text = text.rstrip("0").rstrip(".")
    return text


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _value(
    parent: etree._Element, amount: Decimal, currency: str | None, when: dt.date | None
) -> None:
    """``<value currency value-date>``: the amount as the source wrote it, in its currency."""
    element = _sub(parent, "value", currency=currency, **{"value-date": _date(when)})
    element.text = number(amount)


def _header(activity: etree._Element, programme: Programme) -> None:
    """Identifier, reporting organisation, title and description (all required)."""
    if not programme.reporting_org_ref:
        raise _missing(programme, "reporting_org_ref", "reporting organisation identifier")
    if not programme.reporting_org_type:
        raise _missing(programme, "reporting_org_type", "reporting organisation type")
    etree.SubElement(activity, "iati-identifier").text = programme.natural_key
    _narrative(
        activity,
        "reporting-org",
        programme.reporting_org_name,
        ref=programme.reporting_org_ref,
        type=programme.reporting_org_type,
    )
    _narrative(activity, "title", programme.title)
    _narrative(activity, "description", programme.description, type="1")


def _participants(activity: etree._Element, programme: Programme) -> None:
    if not programme.participants:
        raise _missing(programme, "participants", "participating organisation")
    for part in programme.participants:
        role = ROLE_CODES.get(part.role, part.role)
        _named(
            activity,
            "participating-org",
            part.name,
            ref=part.org_ref,
            type=part.org_type,
            role=role,
        )


def _status_and_dates(activity: etree._Element, programme: Programme) -> None:
    if not programme.status_code:
        raise _missing(programme, "status_code", "activity status")
    _sub(activity, "activity-status", code=programme.status_code)
    dates = [(code, getattr(programme, field)) for code, field in DATE_TYPES]
    if all(day is None for _, day in dates):
        raise _missing(programme, "planned_start", "activity date (start or end)")
    for code, day in dates:
        if day is not None:
            _sub(activity, "activity-date", type=code, **{"iso-date": _date(day)})


def _recipients(
    activity: etree._Element, programme: Programme, iso2: Mapping[str, str | None]
) -> None:
    """Countries first, then regions, as the schema orders them."""
    countries: list[Recipient] = [r for r in programme.recipients if not r.region_code]
    regions = [r for r in programme.recipients if r.region_code and not r.state_iso3]
    for rec in countries:
        if rec.state_iso3:
            code, name = iso2.get(rec.state_iso3), rec.name
        else:  # a territory the store has no state for, kept by its code or its name
            code, name = _territory(rec.name), None if _ISO2.match(rec.name or "") else rec.name
        if not code:
            what = f"ISO alpha-2 code for recipient {rec.state_iso3 or rec.name!r}"
            raise _missing(programme, "recipients", what)
        _named(activity, "recipient-country", name, code=code, percentage=number(rec.percentage))
    for rec in regions:
        _named(
            activity,
            "recipient-region",
            rec.name,
            code=rec.region_code,
            percentage=number(rec.percentage),
        )


def _territory(name: str | None) -> str | None:
    """The ISO alpha-2 code of a recipient kept without a state: the importer keeps the
    file's code as the name when the file gave no name ("PN"), else the name ("Pitcairn")."""
    if not name:
        return None
    if _ISO2.match(name):
        return name
    wanted = name.casefold()
    for entry in iso3166_countries().values():
        names = (entry.get("name"), entry.get("common_name"), entry.get("official_name"))
        if any(n and n.casefold() == wanted for n in names):
            return entry.get("alpha_2")
    return None


def _sectors(activity: etree._Element, sectors: Iterable[Sector]) -> None:
    for sector in sectors:
        vocabulary = sector.vocabulary or "1"
        _named(
            activity,
            "sector",
            sector.name,
            vocabulary=vocabulary,
            code=sector.code or "",
            percentage=number(sector.percentage),
        )


def _budgets(activity: etree._Element, programme: Programme) -> None:
    budgets: list[Budget] = [b for b in programme.budgets if b.kind != "planned-disbursement"]
    planned = [b for b in programme.budgets if b.kind == "planned-disbursement"]
    for budget in budgets:
        if budget.period_start is None or budget.period_end is None:
            raise _missing(programme, "budgets", "budget period start or end")
        element = _sub(activity, "budget", status=budget.status)
        _sub(element, "period-start", **{"iso-date": _date(budget.period_start)})
        _sub(element, "period-end", **{"iso-date": _date(budget.period_end)})
        _value(element, budget.value, budget.currency, budget.value_date or budget.period_start)
    for budget in planned:
        if budget.period_start is None:
            raise _missing(programme, "budgets", "planned disbursement period start")
        element = _sub(activity, "planned-disbursement", type=budget.status)
        _sub(element, "period-start", **{"iso-date": _date(budget.period_start)})
        if budget.period_end is not None:
            _sub(element, "period-end", **{"iso-date": _date(budget.period_end)})
        _value(element, budget.value, budget.currency, budget.value_date or budget.period_start)


def _transactions(activity: etree._Element, programme: Programme) -> None:
    for tx in programme.transactions:
        when: dt.date | None = tx.date or tx.value_date
        if when is None:
            raise _missing(programme, "transactions", "transaction date")
        element = etree.SubElement(activity, "transaction")
        _sub(element, "transaction-type", code=tx.type_code)
        _sub(element, "transaction-date", **{"iso-date": _date(when)})
        _value(element, tx.value, tx.currency, tx.value_date or when)
        _write_transaction_text(element, tx)


def _write_transaction_text(element: etree._Element, tx: Transaction) -> None:
    if tx.description:
        _narrative(element, "description", tx.description)
    if tx.provider:
        _named(element, "provider-org", tx.provider)
    if tx.receiver:
        _named(element, "receiver-org", tx.receiver)


def _documents(activity: etree._Element, documents: Iterable[Document]) -> None:
    for doc in documents:
        element = _sub(
            activity, "document-link", url=doc.url, format=doc.format or DEFAULT_DOCUMENT_FORMAT
        )
        _narrative(element, "title", doc.title)
        _sub(element, "category", code=doc.category or DEFAULT_DOCUMENT_CATEGORY)


def _last_year(programme: Programme) -> int:
    """The year an actual value without a target year is reported for: the programme's
    latest date (its end, else its start)."""
    days = [programme.actual_end, programme.planned_end, programme.actual_start]
    days.append(programme.planned_start)
    return next((d.year for d in days if d is not None), dt.date.today().year)


def _results(activity: etree._Element, programme: Programme) -> None:
    """Indicators grouped under their result (by result title, in stored order)."""
    results: dict[str | None, etree._Element] = {}
    for ind in programme.indicators:
        result = results.get(ind.result_title)
        if result is None:
            result = _sub(activity, "result", type=DEFAULT_RESULT_TYPE)
            _narrative(result, "title", ind.result_title)
            results[ind.result_title] = result
        element = _sub(result, "indicator", measure=ind.measure or DEFAULT_MEASURE)
        _narrative(element, "title", ind.title)
        if ind.baseline_year is not None:
            _sub(element, "baseline", year=str(ind.baseline_year), value=ind.baseline_value)
        elif ind.baseline_value is not None:
            raise _missing(programme, "indicators", f"baseline year of indicator {ind.title!r}")
        if ind.target_year is not None or ind.actual_value is not None:
            year = ind.target_year or _last_year(programme)
            period = etree.SubElement(element, "period")
            _sub(period, "period-start", **{"iso-date": f"{year:04d}-01-01"})
            _sub(period, "period-end", **{"iso-date": f"{year:04d}-12-31"})
            if ind.target_value is not None and ind.target_year is not None:
                _sub(period, "target", value=ind.target_value)
            if ind.actual_value is not None:
                _sub(period, "actual", value=ind.actual_value)


def activity_element(programme: Programme, iso2: Mapping[str, str | None]) -> etree._Element:
    """The ``iati-activity`` of one programme; ``iso2`` maps stored ISO3 codes to alpha-2."""
    attrs = {
        "last-updated-datetime": (
            programme.last_updated.isoformat() if programme.last_updated else None
        ),
        XML_LANG: programme.language,
        "default-currency": programme.default_currency,
        "hierarchy": None if programme.hierarchy is None else str(programme.hierarchy),
    }
    activity = etree.Element("iati-activity", {k: v for k, v in attrs.items() if v is not None})
    _header(activity, programme)
    _participants(activity, programme)
    _status_and_dates(activity, programme)
    _recipients(activity, programme, iso2)
    _sectors(activity, programme.sectors)
    _budgets(activity, programme)
    _transactions(activity, programme)
    _documents(activity, programme.documents)
    if programme.parent_key:
        _sub(activity, "related-activity", ref=programme.parent_key, type="1")
    _results(activity, programme)
    return activity
