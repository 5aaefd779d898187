"""One ``<iati-activity>`` element into plain values, for both IATI standards (1.0x and 2.0x).

The 1.0x standard (1.00-1.05; the CAFOD and DFID files) and 2.0x (2.01-2.03; d-portal) say the
same things differently, and this module maps them onto the 2.0x codes the tables hold:

- text: 2.0x wraps it in ``<narrative xml:lang>`` (the English one is kept, else the first),
  1.0x writes it in the element;
- participating-org roles: 1.0x words Funding/Accountable/Extending/Implementing become the
  OrganisationRole codes 1/2/3/4;
- activity-date types: 1.0x start-planned/start-actual/end-planned/end-actual become 1/2/3/4;
- transaction types: 1.0x letters (IF, C, D, E, IR, LR, R, QP, QS, CG) become the
  TransactionType codes 1-10;
- sector vocabularies: 1.0x words DAC/DAC-3/COFOG/NACE/NTEE/RO/RO2 become the SectorVocabulary
  codes 1/2/3/4/5/99/98 (a sector without vocabulary is DAC 5-digit, "1"); a publisher's own
  words (RO) keep the name the file gives and any code it gives.
- a budget, planned disbursement or transaction whose `<value>` is empty states no amount and
  is skipped with a note (a real d-portal file has some); a value that is not a number is an
  error.
- recipient countries: the ISO 3166 alpha-2 code becomes the store's ISO3 key. A code that is
  no state of the store (territories such as Pitcairn, PN) keeps the recipient, with its name
  and share, without a state, and the import notes it: the share belongs to the activity, and
  dropping it would misstate where the money went.

Amounts keep their currency (``value/@currency``, else the activity's ``default-currency``)
and value date. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from rightsdesk.capacity.sources.iati_parse import (
    XML_NS,
    local,
    narrative,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_float,
)
from rightsdesk.core.errors import InputError

__all__ = ["PART_NAMES", "ParsedActivity", "parse_activity"]

ROLE_WORDS = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4"}
DATE_TYPES = {"start-planned": "1", "start-actual": "2", "end-planned": "3", "end-actual": "4"}
DATE_COLUMNS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
TRANSACTION_LETTERS = {
    "IF": "1",
    "C": "2",
    "D": "3",
    "E": "4",
    "IR": "5",
    "LR": "6",
    "R": "7",
    "QP": "8",
    "QS": "9",
    "CG": "10",
}
TRANSACTION_CODES = frozenset(str(n) for n in range(1, 14))
SECTOR_VOCABULARIES = {
    "DAC": "1",
    "DAC-3": "2",
    "COFOG": "3",
    "NACE": "4",
    "NTEE": "5",
    "RO": "99",
    "RO2": "98",
}
#: The parts of a programme an activity restates whole, in the order they are written.
PART_NAMES = (
    "participants",
    "recipients",
    "sectors",
    "budgets",
    "transactions",
    "indicators",
    "documents",
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass
class ParsedActivity:
    """An activity as column values: ``values`` for the programme, ``parts`` per relationship
    (see ``PART_NAMES``), and notes for the import report."""

    key: str
    line: int
    values: dict[str, Any]
    parts: dict[str, list[dict[str, Any]]]
    notes: list[str] = field(default_factory=list)


class _Reader:
    """Helpers bound to one activity: its file, default currency and language."""

    def __init__(self, path: Path, currency: str | None, lang: str | None) -> None:
        self.path = path
        self.currency = currency
        self.lang = lang

    def text(self, element: etree._Element | None) -> str | None:
        return narrative(element, self.lang)

    def error(self, message: str, element: etree._Element, field_name: str) -> InputError:
        return InputError(message, file=self.path, line=element.sourceline, field=field_name)

    def date(self, element: etree._Element | None, field_name: str) -> Any:
        if element is None:
            return None
        value = element.get("iso-date") or element.text
        return parse_date(value, self.path, element.sourceline, field_name)

    def money(self, value: etree._Element | None, field_name: str) -> dict[str, Any]:
        """``value``, ``currency`` and ``value_date`` of a ``<value>`` element (required)."""
        parent_line = None if value is None else value.sourceline
        if value is None:
            raise InputError("no <value>", file=self.path, line=parent_line, field=field_name)
        amount = parse_decimal(value.text, self.path, value.sourceline, field_name)
        currency = (value.get("currency") or self.currency or "").strip().upper() or None
        if currency is not None and not _CURRENCY.match(currency):
            raise self.error(
                f"currency {currency!r} is not a 3-letter ISO 4217 code",
                value,
                f"{field_name}/@currency",
            )
        date = parse_date(
            value.get("value-date"), self.path, value.sourceline, f"{field_name}/@value-date"
        )
        return {"value": amount, "currency": currency, "value_date": date}

    def org(self, element: etree._Element | None) -> str | None:
        if element is None:
            return None
        return _cut(self.text(element) or element.get("ref"), 300)


def _cut(value: str | None, size: int) -> str | None:
    return None if value is None else value[:size]


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if local(child) == name:
            return child
    return None


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local(child) == name]


def _int(value: str | None, reader: _Reader, element: etree._Element, name: str) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        return int(value.strip())
    except ValueError as exc:
        raise reader.error(f"{value.strip()!r} is not a whole number", element, name) from exc


def parse_activity(
    element: etree._Element, path: Path, version: str | None, state_of: Callable[[str], str | None]
) -> ParsedActivity:
    """The values of one ``<iati-activity>``; ``version`` is the file's (or the activity's own)
    standard version, ``state_of`` maps an ISO2 code to a stored ISO3 key or None."""
    line = element.sourceline or 0
    lang = (element.get(f"{XML_NS}lang") or "").strip().lower() or None
    currency = (element.get("default-currency") or "").strip().upper() or None
    reader = _Reader(path, currency, lang)
    own_version = next((v for k, v in element.attrib.items() if str(k).endswith("version")), None)
    version = (own_version or version or "").strip() or None
    ident = _child(element, "iati-identifier")
    key = " ".join((ident.text or "").split()) if ident is not None else ""
    if not key:
        raise InputError(
            "an activity has no iati-identifier", file=path, line=line, field="iati-identifier"
        )
    if len(key) > 200:
        raise InputError(
            "the iati-identifier is longer than 200 characters",
            file=path,
            line=ident.sourceline if ident is not None else line,
            field="iati-identifier",
        )
    reporting = _child(element, "reporting-org")
    descriptions = _children(element, "description")
    general = [d for d in descriptions if d.get("type") in (None, "", "1")] or descriptions
    parent = next(
        (r.get("ref") for r in _children(element, "related-activity") if r.get("type") == "1"),
        None,
    )
    status = _child(element, "activity-status")
    values: dict[str, Any] = {
        "title": reader.text(_child(element, "title")) or key,
        "description": reader.text(general[0]) if general else None,
        "reporting_org_ref": _cut(reporting.get("ref"), 100) if reporting is not None else None,
        "reporting_org_name": _cut(reader.text(reporting), 300),
        "reporting_org_type": _cut(reporting.get("type"), 10) if reporting is not None else None,
        "status_code": _cut(status.get("code"), 10) if status is not None else None,
        "planned_start": None,
        "actual_start": None,
        "planned_end": None,
        "actual_end": None,
        "default_currency": currency,
        "language": _cut(lang, 8),
        "hierarchy": _int(element.get("hierarchy"), reader, element, "@hierarchy"),
        "parent_key": _cut((parent or "").strip() or None, 200),
        "iati_version": _cut(version, 10),
        "last_updated": parse_datetime(
            element.get("last-updated-datetime"), path, line, "@last-updated-datetime"
        ),
    }
    for item in _children(element, "activity-date"):
        kind = (item.get("type") or "").strip()
        column = DATE_COLUMNS.get(DATE_TYPES.get(kind.lower(), kind))
        if column is None:
            raise reader.error(f"unknown activity-date type {kind!r}", item, "activity-date/@type")
        found = reader.date(item, f"activity-date[@type={kind}]")
        if values[column] is None:
            values[column] = found
    parsed = ParsedActivity(key, line, values, {name: [] for name in PART_NAMES})
    _parts(element, reader, parsed, state_of)
    return parsed


def _parts(
    element: etree._Element,
    reader: _Reader,
    parsed: ParsedActivity,
    state_of: Callable[[str], str | None],
) -> None:
    """Fill ``parsed.parts`` from the activity's children, in document order."""
    parts = parsed.parts
    for child in element:
        name = local(child)
        if name == "participating-org":
            parts["participants"].append(_participant(child, reader))
        elif name == "recipient-country":
            parts["recipients"].append(_country(child, reader, parsed, state_of))
        elif name == "recipient-region":
            parts["recipients"].append(
                {
                    "state_iso3": None,
                    "region_code": _cut((child.get("code") or "").strip() or None, 20),
                    "name": _cut(reader.text(child), 200),
                    "percentage": parse_float(
                        child.get("percentage"), reader.path, child.sourceline, name
                    ),
                }
            )
        elif name == "sector":
            parts["sectors"].append(_sector(child, reader))
        elif name in ("budget", "planned-disbursement", "transaction") and _no_amount(child):
            parsed.notes.append(
                f"line {child.sourceline}: {name}s without an amount (empty <value>) skipped"
            )
        elif name in ("budget", "planned-disbursement"):
            parts["budgets"].append(_budget(child, reader, name))
        elif name == "transaction":
            parts["transactions"].append(_transaction(child, reader))
        elif name == "result":
            parts["indicators"].extend(_indicators(child, reader))
        elif name == "document-link":
            document = _document(child, reader)
            if document is not None:
                parts["documents"].append(document)
            else:
                parsed.notes.append(f"line {child.sourceline}: document-links without url skipped")


def _no_amount(child: etree._Element) -> bool:
    """A money element whose ``<value>`` is missing or empty: it states no amount, so there is
    nothing to store (a real d-portal file has such transactions). A value that is there but
    is not a number is an error instead."""
    value = _child(child, "value")
    return value is None or not (value.text or "").strip()


def _participant(child: etree._Element, reader: _Reader) -> dict[str, Any]:
    raw = (child.get("role") or "").strip()
    role = ROLE_WORDS.get(raw.lower(), raw)
    if role not in ("1", "2", "3", "4"):
        raise reader.error(
            f"unknown participating-org role {raw!r} (expected 1-4 or "
            "Funding/Accountable/Extending/Implementing)",
            child,
            "participating-org/@role",
        )
    return {
        "role": role,
        "org_ref": _cut((child.get("ref") or "").strip() or None, 100),
        "org_type": _cut((child.get("type") or "").strip() or None, 10),
        "name": _cut(reader.text(child), 300),
    }


def _country(
    child: etree._Element,
    reader: _Reader,
    parsed: ParsedActivity,
    state_of: Callable[[str], str | None],
) -> dict[str, Any]:
    code = (child.get("code") or "").strip().upper()
    if not code:
        raise reader.error("a recipient-country has no code", child, "recipient-country/@code")
    iso3 = state_of(code)
    name = reader.text(child)
    if iso3 is None:
        parsed.notes.append(
            f"recipient-country code {code!r} is no state of the store; kept by name only"
        )
        name = name or code
    return {
        "state_iso3": iso3,
        "region_code": None,
        "name": _cut(name, 200),
        "percentage": parse_float(
            child.get("percentage"), reader.path, child.sourceline, "recipient-country/@percentage"
        ),
    }


def _sector(child: etree._Element, reader: _Reader) -> dict[str, Any]:
    raw = (child.get("vocabulary") or "").strip()
    vocabulary = SECTOR_VOCABULARIES.get(raw.upper(), raw) if raw else "1"
    return {
        "vocabulary": vocabulary[:10],
        "code": _cut((child.get("code") or "").strip() or None, 20),
        "name": _cut(reader.text(child), 300),
        "percentage": parse_float(
            child.get("percentage"), reader.path, child.sourceline, "sector/@percentage"
        ),
    }


def _budget(child: etree._Element, reader: _Reader, kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "status": _cut(child.get("status"), 10) if kind == "budget" else None,
        "period_start": reader.date(_child(child, "period-start"), f"{kind}/period-start"),
        "period_end": reader.date(_child(child, "period-end"), f"{kind}/period-end"),
        **reader.money(_child(child, "value"), f"{kind}/value"),
    }


def _transaction(child: etree._Element, reader: _Reader) -> dict[str, Any]:
    kind = _child(child, "transaction-type")
    raw = (kind.get("code") or "").strip() if kind is not None else ""
    code = TRANSACTION_LETTERS.get(raw.upper(), raw)
    if code not in TRANSACTION_CODES:
        raise reader.error(
            f"unknown transaction-type {raw!r} (expected 1-13 or IF/C/D/E/IR/LR/R/QP/QS/CG)",
            kind if kind is not None else child,
            "transaction/transaction-type/@code",
        )
    return {
        "type_code": code,
        "date": reader.date(_child(child, "transaction-date"), "transaction/transaction-date"),
        **reader.money(_child(child, "value"), "transaction/value"),
        "provider": reader.org(_child(child, "provider-org")),
        "receiver": reader.org(_child(child, "receiver-org")),
        "description": reader.text(_child(child, "description")),
    }


def _indicators(result: etree._Element, reader: _Reader) -> list[dict[str, Any]]:
    """One row per indicator: baseline, and the target and actual of the latest period that
    states one (2.0x periods; 1.0x may give ``target`` directly in the indicator)."""
    result_title = reader.text(_child(result, "title"))
    out = []
    for indicator in _children(result, "indicator"):
        baseline = _child(indicator, "baseline")
        targets: list[tuple[Any, str | None, int | None]] = []
        actuals: list[tuple[Any, str | None]] = []
        direct = _child(indicator, "target")
        if direct is not None:
            year = _int(direct.get("year"), reader, direct, "indicator/target/@year")
            targets.append(((year or 0,), direct.get("value"), year))
        for period in _children(indicator, "period"):
            end = reader.date(_child(period, "period-end"), "indicator/period/period-end")
            order = (end.toordinal() if end else 0,)
            target = _child(period, "target")
            if target is not None and target.get("value") is not None:
                targets.append((order, target.get("value"), end.year if end else None))
            actual = _child(period, "actual")
            if actual is not None and actual.get("value") is not None:
                actuals.append((order, actual.get("value")))
        last_target = max(targets, key=lambda t: t[0]) if targets else None
        last_actual = max(actuals, key=lambda a: a[0]) if actuals else None
        base_year = None
        if baseline is not None:
            base_year = _int(baseline.get("year"), reader, baseline, "indicator/baseline/@year")
        out.append(
            {
                "result_title": result_title,
                "title": reader.text(_child(indicator, "title")) or result_title or "(untitled)",
                "measure": _cut(indicator.get("measure"), 10),
                "baseline_year": base_year,
                "baseline_value": _cut(baseline.get("value"), 100)
                if baseline is not None
                else None,
                "target_year": last_target[2] if last_target else None,
                "target_value": _cut(last_target[1], 100) if last_target else None,
                "actual_value": _cut(last_actual[1], 100) if last_actual else None,
            }
        )
    return out


def _document(child: etree._Element, reader: _Reader) -> dict[str, Any] | None:
    url = (child.get("url") or "").strip()
    if not url:
        return None
    category = _child(child, "category")
    return {
        "url": url[:1000],
        "title": reader.text(_child(child, "title")),
        "format": _cut(child.get("format"), 100),
        "category": _cut(category.get("code"), 10) if category is not None else None,
    }
