"""Parser of the UN Security Council Consolidated List in its official XML schema
(``<CONSOLIDATED_LIST dateGenerated=...>`` with ``INDIVIDUALS`` and ``ENTITIES``).

Every individual becomes an FtM ``Person`` and every entity an ``Organization``, with the id
``unsc-<DATAID>``: the DATAID stays with a listing across versions of the file (the reference
number was reused once between 2018 and 2026), so history can follow it. Name parts
FIRST..FOURTH_NAME make the name; aliases keep the UN's quality grading ("Good" and "a.k.a."
are aliases, "Low" weak aliases that screening never matches alone, "f.k.a." previous names);
the original-script name is an alias in its own script.

The file is untrusted input: a DTD (entity expansion, external entities) is refused, lxml runs
without entity resolution or network, and every problem is an ``InputError`` naming the line.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lxml import etree

from rightsdesk.core.errors import InputError
from rightsdesk.sanctions.programs import UN_LIST_TYPES
from rightsdesk.sanctions.sources.ftm_values import country_code, fit_schema, gender, iso_date
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList

__all__ = ["LIST_KEY", "ROOT", "parse_un_xml"]

ROOT = "CONSOLIDATED_LIST"
LIST_KEY = "un_sc_sanctions"
TITLE = "UN Security Council Consolidated List"
AUTHORITY = "United Nations Security Council"
URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"

ALIAS_KINDS = {"good": "alias", "a.k.a.": "alias", "": "alias", "low": "weakAlias"}
ALIAS_KINDS["f.k.a."] = "previousName"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_YEAR_SPAN = 10  # a BETWEEN range wider than this keeps only its ends


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _text(element: etree._Element | None, tag: str | None = None) -> str:
    """Text of ``element`` (or of its child ``tag``), whitespace collapsed, "" when absent."""
    if element is not None and tag is not None:
        element = element.find(tag)
    if element is None or element.text is None:
        return ""
    return " ".join(element.text.split())


class _Reader:
    """Turns the elements of one file into ParsedEntities; knows the file for errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.unknown_countries: dict[str, int] = {}  # text -> first line

    def error(self, message: str, element: etree._Element, field: str) -> InputError:
        return InputError(message, file=self.path, line=element.sourceline, field=field)

    def date(self, element: etree._Element, tag: str) -> dt.date | None:
        child = element.find(tag)
        if child is None:
            return None
        try:
            return iso_date(child.text)
        except ValueError as exc:
            raise self.error(str(exc), child, tag) from exc

    def year(self, element: etree._Element, tag: str) -> int | None:
        value = _text(element, tag)
        if not value:
            return None
        if not (value.isdigit() and len(value) == 4):
            raise self.error(f"malformed year {value!r} (expected YYYY)", element, tag)
        return int(value)

    def country(self, pe: ParsedEntity, prop: str, text: str, element: etree._Element) -> None:
        if not text:
            return
        code = country_code(text)
        if code is None:
            self.unknown_countries.setdefault(text, element.sourceline or 0)
            return
        pe.add(prop, code)

    # --- the parts of a listing ------------------------------------------------------------

    def names(self, pe: ParsedEntity, item: etree._Element, alias_tag: str) -> None:
        parts = [_text(item, tag) for tag in NAME_PARTS]
        pe.add("name", " ".join(p for p in parts if p))
        if pe.schema == "Person":
            pe.add("firstName", parts[0])
            pe.add("secondName", parts[1])
        pe.add("alias", _text(item, "NAME_ORIGINAL_SCRIPT"))
        for alias in item.iter(alias_tag):
            name = _text(alias, "ALIAS_NAME")
            quality = _text(alias, "QUALITY").lower()
            pe.add(ALIAS_KINDS.get(quality, "alias"), name)
            # an alias's own birth data are data of the same person
            if _DATE_PREFIX.match(value := _text(alias, "DATE_OF_BIRTH")):
                pe.add("birthDate", value)
            pe.add("birthPlace", _text(alias, "CITY_OF_BIRTH"))
            self.country(pe, "birthCountry", _text(alias, "COUNTRY_OF_BIRTH"), alias)

    def birth_dates(self, pe: ParsedEntity, item: etree._Element) -> None:
        for dob in item.iter("INDIVIDUAL_DATE_OF_BIRTH"):
            kind = _text(dob, "TYPE_OF_DATE").upper()
            exact = self.date(dob, "DATE")
            year = self.year(dob, "YEAR")
            if exact is not None:
                pe.add("birthDate", exact.isoformat())
            elif year is not None:
                pe.add("birthDate", str(year))
            if kind == "BETWEEN":
                start = self.year(dob, "FROM_YEAR")
                end = self.year(dob, "TO_YEAR")
                if start is None or end is None or end < start:
                    raise self.error(
                        f"a BETWEEN date of birth needs FROM_YEAR <= TO_YEAR (got {start}, {end})",
                        dob,
                        "FROM_YEAR",
                    )
                years = range(start, end + 1) if end - start <= MAX_YEAR_SPAN else (start, end)
                for value in years:
                    pe.add("birthDate", str(value))
            elif kind not in ("", "EXACT", "APPROXIMATELY", "YEAR"):
                raise self.error(f"unknown TYPE_OF_DATE {kind!r}", dob, "TYPE_OF_DATE")

    def places(self, pe: ParsedEntity, item: etree._Element) -> None:
        for pob in item.iter("INDIVIDUAL_PLACE_OF_BIRTH"):
            country = _text(pob, "COUNTRY")
            parts = [_text(pob, t) for t in ("CITY", "STATE_PROVINCE")] + [country]
            pe.add("birthPlace", ", ".join(p for p in parts if p))
            self.country(pe, "birthCountry", country, pob)
        for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
            for address in item.iter(tag):
                country = _text(address, "COUNTRY")
                fields = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE")
                parts = [_text(address, t) for t in fields] + [country]
                if any(parts[:-1]):
                    pe.add("address", ", ".join(p for p in parts if p))
                self.country(pe, "country", country, address)

    def documents(self, pe: ParsedEntity, item: etree._Element) -> None:
        for doc in item.iter("INDIVIDUAL_DOCUMENT"):
            number = _text(doc, "NUMBER")
            if not number:
                continue
            kind = _text(doc, "TYPE_OF_DOCUMENT").lower()
            pe.add("passportNumber" if "pas" in kind else "idNumber", number)

    def entity(self, item: etree._Element, schema: str) -> ParsedEntity:
        dataid = _text(item, "DATAID")
        ref = _text(item, "REFERENCE_NUMBER")
        if not dataid.isdigit():
            raise self.error(f"missing or malformed DATAID {dataid!r}", item, "DATAID")
        pe = ParsedEntity(f"unsc-{dataid}", schema, line=item.sourceline)
        person = schema == "Person"
        self.names(pe, item, "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS")
        if not pe.properties.get("name"):
            raise self.error("the listing has no name", item, "FIRST_NAME")
        pe.add("topics", "sanction")
        pe.add("notes", _text(item, "COMMENTS1"))
        pe.add("programId", ref)
        pe.add("sourceUrl", URL)
        if person:
            pe.add("gender", gender(_text(item, "GENDER")))
            for value in item.iterfind("TITLE/VALUE"):
                pe.add("title", _text(value))
            for value in item.iterfind("DESIGNATION/VALUE"):
                pe.add("position", _text(value))
            for value in item.iterfind("NATIONALITY/VALUE"):
                self.country(pe, "nationality", _text(value), value)
            self.birth_dates(pe, item)
            self.documents(pe, item)
        self.places(pe, item)
        code = _text(item, "UN_LIST_TYPE")
        pe.designations.append(
            ParsedDesignation(
                authority=AUTHORITY,
                program_code=code,
                program_key=UN_LIST_TYPES.get(code),
                listed_on=self.date(item, "LISTED_ON"),
                reason=_text(item, "COMMENTS1") or None,
                source_document=URL,
                source_ref=ref,
            )
        )
        fit_schema(pe)
        return pe


def version_date(root: etree._Element, path: Path) -> dt.date:
    """The date the UN generated the file (``dateGenerated``), which dates its changes."""
    stamp = root.get("dateGenerated", "")
    try:
        found = iso_date(stamp[:10]) if len(stamp) >= 10 else None
    except ValueError:
        found = None
    if found is None:
        raise InputError(
            f"dateGenerated {stamp!r} is not a date: the list version cannot be dated",
            file=path,
            line=root.sourceline,
            field="dateGenerated",
        )
    return found


def parse_un_xml(path: Path) -> tuple[ParsedList, list[str]]:
    """The file as a ParsedList, and warnings (e.g. countries no code was found for)."""
    data = path.read_bytes()
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"malformed XML ({exc.msg}); is the file cut or damaged?", file=path, line=exc.lineno
        ) from exc
    if tree.docinfo.internalDTD is not None or b"<!DOCTYPE" in data[:4096].upper():
        raise InputError("the file declares a DTD, which is refused (unsafe XML)", file=path)
    root = tree.getroot()
    if root.tag != ROOT:
        raise InputError(
            f"not a UN Security Council consolidated list: root is <{root.tag}>, expected <{ROOT}>",
            file=path,
            line=root.sourceline,
        )
    version = version_date(root, path)
    reader = _Reader(path)
    entities = [reader.entity(item, "Person") for item in root.iterfind("INDIVIDUALS/INDIVIDUAL")]
    entities += [reader.entity(item, "Organization") for item in root.iterfind("ENTITIES/ENTITY")]
    if not entities:
        raise InputError("the list holds no INDIVIDUAL and no ENTITY", file=path, line=1)
    warnings = [
        f"line {line}: country {text!r} has no country code; not stored as a country"
        for text, line in reader.unknown_countries.items()
    ]
    parsed = ParsedList(LIST_KEY, TITLE, AUTHORITY, version, entities, url=URL)
    return parsed, warnings
