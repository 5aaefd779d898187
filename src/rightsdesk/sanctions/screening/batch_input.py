"""The batch CSV contract: which input columns are read, how a row becomes a query, and which
columns the output adds.

Input: ``full_name`` (required) and optionally ``first_name, middle_name, last_name, gender,
date_of_birth, place_of_birth, nationality, schema``; other columns are carried through
untouched. A value that cannot be read (a date that is no ISO date, an unknown country, a
schema FollowTheMoney does not know) stops the batch with the line and column named: a
screening run that silently ignored a birth date would report a weaker result than the user
asked for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from followthemoney import model as ftm_model
from followthemoney.types import registry

from rightsdesk.core.errors import InputError
from rightsdesk.sanctions.matching import Query

__all__ = [
    "INPUT_COLUMNS",
    "OUTPUT_COLUMNS",
    "check_header",
    "clean_date",
    "clean_schema",
    "row_query",
]

INPUT_COLUMNS = (
    "full_name",
    "first_name",
    "middle_name",
    "last_name",
    "gender",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "schema",
)
#: Columns the output adds after the input's own, in this order.
OUTPUT_COLUMNS = (
    "best_score",
    "best_match_id",
    "best_match_name",
    "best_match_schema",
    "best_match_programs",
    "best_match_lists",
    "match_count",
    "explanation",
)
_PERSON_FIELDS = ("first_name", "middle_name", "last_name", "gender", "date_of_birth")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_GENDERS = {"male": "male", "m": "male", "female": "female", "f": "female"}
_NO_GENDER = {"", "unknown", "other", "u", "x"}
_SEPARATORS = re.compile(r"[;|]")


def check_header(header: list[str], path: Path | str) -> None:
    """Refuse a header without ``full_name`` or one that already holds an output column."""
    if "full_name" not in header:
        raise InputError(
            f"missing column full_name; found {', '.join(header) or 'no columns'}",
            file=path,
            line=1,
            field="full_name",
        )
    clash = [c for c in OUTPUT_COLUMNS if c in header]
    if clash:
        raise InputError(
            f"the input already has output column(s) {', '.join(clash)} (rename them)",
            file=path,
            line=1,
            field=clash[0],
        )
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise InputError(f"column {name} appears twice", file=path, line=1, field=name)
        seen.add(name)


def clean_date(value: str) -> str:
    """An ISO date or prefix (YYYY, YYYY-MM, YYYY-MM-DD) checked to be a real date; a
    ValueError otherwise. Day-first or month-first forms are refused: 03/04/1970 is two
    different dates depending on the writer."""
    found = _DATE.match(value.strip())
    if found is None:
        raise ValueError(f"malformed date {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = found.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"no such date {value!r}") from None
    return found.group(0)


@lru_cache(maxsize=4096)
def clean_country(value: str) -> str:
    """FtM country code (ISO2 lower case) of a country name or code; ValueError if unknown."""
    code = registry.country.clean(value.strip())
    if code is None:
        raise ValueError(f"unknown country {value!r}")
    return str(code)


@lru_cache(maxsize=256)
def clean_schema(value: str) -> str:
    """The FtM schema named (any case): a legal entity, vessel or airplane; ValueError else."""
    wanted = value.strip().lower()
    for schema in ftm_model.schemata.values():
        if schema.name.lower() != wanted:
            continue
        if schema.is_a("LegalEntity") or schema.is_a("Vessel") or schema.is_a("Airplane"):
            return schema.name
        raise ValueError(f"schema {schema.name} is not one that sanctions lists name")
    raise ValueError(
        f"unknown schema {value!r} (e.g. Person, Organization, Company, LegalEntity, Vessel)"
    )


def _gender(value: str) -> str | None:
    low = value.strip().lower()
    if low in _NO_GENDER:
        return None
    if low in _GENDERS:
        return _GENDERS[low]
    raise ValueError(f"unknown gender {value!r} (male, female, m, f or empty)")


def row_query(values: Mapping[str, str | None], line: int, path: Path | str) -> Query:
    """The query of one input row; an InputError naming the line and column if a value is
    unreadable. The schema defaults to Person when a person's field is filled (first name,
    gender, birth date, ...), else to LegalEntity, which matches people and organisations."""

    def get(name: str) -> str:
        return (values.get(name) or "").strip()

    column = ""
    try:
        column = "full_name"
        full = " ".join(get("full_name").split())
        parts = [get(c) for c in ("first_name", "middle_name", "last_name")]
        composed = " ".join(" ".join(p for p in parts if p).split())
        names = tuple(dict.fromkeys(n for n in (full, composed) if n))
        if not names:
            raise ValueError("no name (full_name is empty)")
        column = "date_of_birth"
        born = get("date_of_birth")
        dates = tuple(clean_date(d) for d in _SEPARATORS.split(born) if d.strip())
        column = "nationality"
        given = get("nationality")
        countries = tuple(clean_country(c) for c in _SEPARATORS.split(given) if c.strip())
        column = "gender"
        gender = _gender(get("gender"))
        column = "schema"
        schema_text = get("schema")
        if schema_text:
            schema = clean_schema(schema_text)
        else:
            schema = "Person" if any(get(c) for c in _PERSON_FIELDS) else "LegalEntity"
    except ValueError as exc:
        raise InputError(str(exc), file=path, line=line, field=column) from None
    return Query(
        schema=schema,
        names=names,
        birth_dates=dates,
        nationalities=countries,
        gender=gender,
    )
