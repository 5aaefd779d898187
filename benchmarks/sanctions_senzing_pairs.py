"""Labelled entity pairs from the Senzing truth set, as FollowTheMoney entities.

The Senzing demo (``sanctions/name-matching/senzing-demo/``) holds customer, watch-list and
reference records and an answer key (``actual_truthset_key.csv``) that puts each record in a
cluster (one real person or organisation) within a test group (records made to be confusable).
Every pair of records of the same test group is a labelled pair: a match when both records are
in the same cluster. Records become FtM entities with names (full, parts, native script),
birth dates (US month-first dates and the other forms the files use, turned into ISO),
gender, passport/SSN/licence/national/tax/LEI numbers, passport country as nationality,
address (full, or its parts joined), e-mail and phone.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from followthemoney.types import registry

SOURCES = ("customers.csv", "watchlist.csv", "reference.csv")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, 1)}
ID_FIELDS = {
    "PASSPORT_NUMBER": "passportNumber",
    "SSN_NUMBER": "socialSecurityNumber",
    "DRIVERS_LICENSE_NUMBER": "idNumber",
    "NATIONAL_ID_NUMBER": "idNumber",
    "TAX_ID_NUMBER": "taxNumber",
    "LEI_NUMBER": "leiCode",
}


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year > 26 else 2000
    return year


def iso_date(text: str) -> str | None:
    """ISO form of the dates the Senzing files use: 12/11/1978, 3/1/70, Mar 1 1970, 15-Mar-92."""
    text = text.strip().lower()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return text
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text):
            first, second = int(m.group(1)), int(m.group(2))
            month, day = (second, first) if first > 12 else (first, second)
            return date(_year(m.group(3)), month, day).isoformat()
        if m := re.fullmatch(r"(\d{1,2})-([a-z]{3})-(\d{2,4})", text):
            return date(_year(m.group(3)), MONTHS[m.group(2)], int(m.group(1))).isoformat()
        if m := re.fullmatch(r"([a-z]{3})\w* (\d{1,2}),? (\d{4})", text):
            return date(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2))).isoformat()
    except (ValueError, KeyError):
        return None
    return None


def _address(row: dict[str, str]) -> str | None:
    """The record's address as one line: the full form, else its parts joined."""
    if (row.get("ADDR_FULL") or "").strip():
        return row["ADDR_FULL"]
    fields = ("ADDR_LINE1", "ADDR_CITY", "ADDR_STATE", "ADDR_POSTAL_CODE", "ADDR_COUNTRY")
    parts = [row.get(f, "").strip() for f in fields if (row.get(f) or "").strip()]
    return ", ".join(parts) or None


def to_entity(row: dict[str, str]) -> dict[str, Any]:
    """One Senzing record as a FtM entity dict."""
    person = row.get("RECORD_TYPE", "PERSON") != "ORGANIZATION"
    props: dict[str, list[str]] = defaultdict(list)

    def put(prop: str, value: str | None) -> None:
        if value and value.strip() and value.strip() not in props[prop]:
            props[prop].append(value.strip())

    put("name", row.get("PRIMARY_NAME_FULL") or row.get("PRIMARY_NAME_ORG"))
    put("alias", row.get("NATIVE_NAME_FULL"))
    put("alias", row.get("SECONDARY_NAME_ORG"))
    if person:
        put("firstName", row.get("PRIMARY_NAME_FIRST"))
        put("middleName", row.get("PRIMARY_NAME_MIDDLE"))
        put("lastName", row.get("PRIMARY_NAME_LAST"))
        put("birthDate", iso_date(row.get("DATE_OF_BIRTH", "")))
        gender = (row.get("GENDER") or "").strip().lower()[:1]
        put("gender", {"m": "male", "f": "female"}.get(gender))
        put("nationality", registry.country.clean(row.get("PASSPORT_COUNTRY") or ""))
    elif row.get("PRIMARY_NAME_LAST"):
        put("name", row.get("PRIMARY_NAME_LAST"))
    for field, prop in ID_FIELDS.items():
        put(prop, row.get(field))
    put("address", _address(row))
    put("email", row.get("EMAIL_ADDRESS"))
    put("phone", row.get("PHONE_NUMBER"))
    return {
        "id": f"{row['DATA_SOURCE'].lower()}-{row['RECORD_ID']}",
        "schema": "Person" if person else "Company",
        "properties": {k: v for k, v in props.items() if v},
    }


def entity_pairs(folder: Path) -> list[tuple[str, dict[str, Any], dict[str, Any], bool]]:
    """(pair id, left entity, right entity, is_match) for every pair within a test group."""
    records: dict[tuple[str, str], dict[str, str]] = {}
    for name in SOURCES:
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                records[(row["DATA_SOURCE"], row["RECORD_ID"])] = row
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    with (folder / "actual_truthset_key.csv").open(encoding="utf-8", newline="") as fh:
        for key in csv.DictReader(fh):
            record = records.get((key["DATA_SOURCE"], key["RECORD_ID"]))
            if record is not None:
                groups[key["TEST_GROUP"]].append((key["CLUSTER_ID"], to_entity(record)))
    pairs = []
    for group, members in sorted(groups.items()):
        for (ca, a), (cb, b) in itertools.combinations(members, 2):
            pairs.append((f"{group}:{a['id']}:{b['id']}", a, b, ca == cb))
    return pairs
