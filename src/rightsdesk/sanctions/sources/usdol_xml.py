"""ILO C138 / C182 and CRC ratification from the US Department of Labor's child-labour data.

The file (``usdol-child-labor-countries-*.xml``, from the Bureau of International Labor
Affairs' "Findings on the Worst Forms of Child Labor", public domain) has one ``<Country>``
per country or territory with a ``<Conventions>`` block of Yes/No answers:
``C_138_Ratified``, ``C_182_Ratified``, ``Convention_on_the_Rights_of_the_Child_Ratified``,
the two CRC protocols and the Palermo Protocol. Only the three that are GSP+ conventions are
kept (C138, C182 and the CRC; the protocols are not in Annex VIII).

The answers carry no dates, so each row's ``as_of`` is the end of the year the findings speak
for: the year their descriptions open with ("In 2022, Afghanistan made ..."), which is later
than the year in the file's name (2021); the file name's year is used only when no
description gives one. "Yes" is "ratified", "No" is "not-ratified" per this source; "N/A"
and a missing block are *unknown* (no row). Territories that are not states (Anguilla,
Tokelau, ...) are skipped with a note: their ratifications are their administering state's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from rightsdesk.core.errors import InputError
from rightsdesk.core.resolver import get_resolver
from rightsdesk.sanctions.sources.conventions_store import StatusRecord

__all__ = ["FIELDS", "ParsedUsdol", "parse_usdol"]

SOURCE = "US Department of Labor, Findings on the Worst Forms of Child Labor"
#: XML element -> registry key
FIELDS: dict[str, str] = {
    "C_138_Ratified": "C138",
    "C_182_Ratified": "C182",
    "Convention_on_the_Rights_of_the_Child_Ratified": "CRC",
}
_ANSWERS = {"yes": "ratified", "no": "not-ratified"}
_UNKNOWN = {"n/a", "na", ""}
_YEAR_IN_TEXT = re.compile(r"^\s*In (\d{4}),")
_YEAR_IN_NAME = re.compile(r"(19|20)\d{2}")


@dataclass
class ParsedUsdol:
    records: list[StatusRecord]
    year: int
    countries: int
    skipped: list[str]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, remove_comments=True
    )


def _year(root: etree._Element, path: Path) -> int:
    years = Counter(
        int(m.group(1))
        for text in root.xpath("/Countries/Country/Description/text()")
        if (m := _YEAR_IN_TEXT.match(str(text)))
    )
    if years:
        return years.most_common(1)[0][0]
    named = _YEAR_IN_NAME.search(path.name)
    if named is None:
        raise InputError(
            "cannot tell which year the findings speak for (no 'In YYYY,' description and no "
            "year in the file name)",
            file=path,
        )
    return int(named.group(0))


def parse_usdol(path: Path) -> ParsedUsdol:
    """The GSP+ conventions' answers of every country of the file, checked."""
    try:
        root = etree.parse(str(path), _parser()).getroot()
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML ({exc.msg})", file=path, line=exc.lineno) from exc
    if root.tag != "Countries":
        raise InputError(
            f"the root element is <{root.tag}>, not <Countries> (is this the USDOL file?)",
            file=path,
            line=root.sourceline,
        )
    year = _year(root, path)
    as_of = dt.date(year, 12, 31)
    source = f"{SOURCE} ({year})"
    resolver = get_resolver()
    records: list[StatusRecord] = []
    skipped: list[str] = []
    countries = 0
    seen: dict[str, int] = {}
    for country in root.iterfind("Country"):
        countries += 1
        name = (country.findtext("Name") or "").strip()
        line = country.sourceline
        if not name:
            raise InputError("a <Country> without <Name>", file=path, line=line, field="Name")
        iso3 = resolver.lookup(name)
        block = country.find("Conventions")
        if iso3 is None:
            skipped.append(f"{name} (not a state)")
            continue
        if block is None:
            continue  # the findings give no convention data for it: unknown
        if iso3 in seen:
            raise InputError(
                f"{name} ({iso3}) is listed twice (first on line {seen[iso3]})",
                file=path,
                line=line,
                field="Name",
            )
        seen[iso3] = line or 0
        for tag, key in FIELDS.items():
            element = block.find(tag)
            if element is None:
                continue
            answer = (element.text or "").strip().lower()
            if answer in _UNKNOWN:
                continue
            status = _ANSWERS.get(answer)
            if status is None:
                raise InputError(
                    f"{name}: {tag} is {element.text!r}, expected Yes, No or N/A",
                    file=path,
                    line=element.sourceline,
                    field=tag,
                )
            records.append(StatusRecord(iso3, key, status, None, as_of, source, None, line))
    if countries == 0:
        raise InputError("the file lists no <Country>", file=path)
    return ParsedUsdol(records, year, countries, skipped)
