"""Reference tables read with the standard library only: rightsdesk's own ``core/data`` CSVs,
country-converter's country table and pycountry's ISO 3166-1 list.

A name lookup (``rightsdesk states resolve France``) must answer in well under a second.
Importing ``country_converter`` pulls in pandas (over a second on its own) and ``pycountry``
reads its package metadata (~0.1 s), although the resolver only needs a few columns of their
data files. Those files are read here directly, as plain text, and give the same values the
libraries would (``tests/core/test_refdata.py`` compares them).
"""

from __future__ import annotations

import csv
import json
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path


def read_data_csv(name: str) -> list[dict[str, str]]:
    """A reference table of ``core/data``; lines starting with ``#`` are its documentation."""
    text = resources.files("rightsdesk.core").joinpath("data", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package."""
    spec = find_spec(package)
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:  # pragma: no cover - a broken installation
        raise ModuleNotFoundError(f"package {package!r} is not installed")
    return Path(next(iter(locations))).joinpath(*parts)


#: The columns of country-converter's table that are identifiers, never numbers (read as text).
_UNIQUE = ("name_short", "name_official", "regex")


@cache
def coco_table(include_obsolete: bool = False) -> tuple[dict[str, str], ...]:
    """country-converter's country table as ``CountryConverter(include_obsolete=...).data``
    holds it: one dict per country, empty cells as ``""``; rows marked obsolete left out
    unless asked for, and a name or regex listed twice kept once (the last row, as the
    library does)."""
    path = _package_file("country_converter", "country_data.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [dict(row) for row in csv.DictReader(handle, delimiter="\t")]
    if not include_obsolete:
        rows = [row for row in rows if not row.get("obsolete", "").strip()]
    for column in _UNIQUE:
        last = {row[column]: index for index, row in enumerate(rows)}
        rows = [row for index, row in enumerate(rows) if last[row[column]] == index]
    return tuple(rows)


@cache
def iso3166_countries() -> dict[str, dict[str, str]]:
    """pycountry's ISO 3166-1 entries keyed by alpha-3 (``name``, ``official_name``,
    ``common_name`` where the standard gives them)."""
    path = _package_file("pycountry", "databases", "iso3166-1.json")
    entries = json.loads(path.read_text("utf-8"))["3166-1"]
    return {str(entry["alpha_3"]): {k: str(v) for k, v in entry.items()} for entry in entries}
