"""Parser of OFAC's legacy SDN CSV set: ``sdn.csv`` (one row per listed party) and, from the
same folder when present, ``add.csv`` (addresses), ``alt.csv`` (aliases) and
``sdn_comments.csv`` (the rest of Remarks cut at OFAC's column limit).

The files have no header; ``-0-`` means empty. Columns of sdn.csv: ent_num, SDN_Name,
SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks.
Persons are written "LAST, First": the entity gets ``firstName``/``lastName``, the name in
natural order ("First LAST") and OFAC's own form. Program holds one or several codes
("SDGT] [IFSR"); each is a designation (OFAC uid as the source reference).

The set carries no date of its own: the version date comes from the file name
(``sdn-2024-05-03.csv``) or its folder (``2021-07`` counts as 2021-07-01), else from the
file's modification time, and the import says which it used.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import read_text
from rightsdesk.sanctions.sources.ftm_values import country_code, fit_schema
from rightsdesk.sanctions.sources.ofac_remarks import parse_remarks
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList

__all__ = ["LIST_KEY", "companion_files", "parse_ofac", "sniff_sdn", "version_of"]

LIST_KEY = "us_ofac_sdn"
TITLE = "OFAC Specially Designated Nationals and Blocked Persons List"
AUTHORITY = "US Office of Foreign Assets Control"
URL = "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists"
EMPTY = "-0-"
SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
ALT_KINDS = {"aka": "alias", "fka": "previousName", "nka": "alias"}
COMPANIONS = ("add", "alt", "sdn_comments")
_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH_FOLDER = re.compile(r"^(\d{4})-(\d{2})$")


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == EMPTY else value


def companion_files(path: Path) -> dict[str, Path]:
    """The companions of an sdn file that exist next to it: ``sdn.csv`` -> ``add.csv``,
    ``sdn-2024-05-03.csv`` -> ``add-2024-05-03.csv``, ..."""
    suffix = path.stem[3:]
    found = {}
    for name in COMPANIONS:
        candidate = path.with_name(f"{name}{suffix}{path.suffix}")
        if candidate.is_file():
            found[name] = candidate
    return found


def sniff_sdn(path: Path) -> bool:
    """Whether ``path`` is OFAC's main SDN file: named sdn*.csv (not sdn_comments), and its
    first row has 12 cells, a number and a known SDN_Type."""
    name = path.name.lower()
    if not (name.startswith("sdn") and name.endswith(".csv")) or name.startswith("sdn_comments"):
        return False
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            first = next(csv.reader(io.StringIO(handle.readline())), [])
    except (OSError, csv.Error):
        return False
    return (
        len(first) == len(SDN_COLUMNS)
        and first[0].strip().isdigit()
        and _cell(first[2]).lower() in SCHEMAS
    )


def version_of(path: Path) -> tuple[dt.date, str | None]:
    """The version date of the set and, when it is a guess, a note saying how it was made."""
    for text in (path.name, path.parent.name):
        if m := _DATE_IN_NAME.search(text):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
            except ValueError:
                pass
    if m := _MONTH_FOLDER.match(path.parent.name):
        month = int(m.group(2))
        if 1 <= month <= 12:
            found = dt.date(int(m.group(1)), month, 1)
            return found, f"version date {found} taken from the folder name {path.parent.name!r}"
    found = dt.date.fromtimestamp(path.stat().st_mtime)
    return found, (
        f"the file name carries no date: version date {found} taken from the file's "
        "modification time (name it sdn-YYYY-MM-DD.csv to date it)"
    )


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    """(line, cells) of a headerless CSV file whose rows all have ``width`` cells."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(c.strip().strip("\x1a") for c in cells):  # \x1a: DOS end of file
                continue
            if len(cells) != width:
                raise InputError(
                    f"{len(cells)} cells where OFAC's format has {width} (is the file cut or "
                    "not this format?)",
                    file=path,
                    line=reader.line_num,
                )
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise InputError(f"malformed CSV ({exc})", file=path, line=reader.line_num) from exc
    return rows


def _ent_num(path: Path, line: int, value: str) -> str:
    value = value.strip()
    if not value.isdigit():
        raise InputError(
            f"ent_num {value!r} is not a number", file=path, line=line, field="ent_num"
        )
    return value


def _programs(path: Path, line: int, value: str) -> list[str]:
    codes = [c.strip() for c in re.split(r"\]\s*\[", _cell(value).strip("[] "))]
    codes = [c for c in codes if c]
    if not codes:
        raise InputError("the entry names no programme", file=path, line=line, field="Program")
    return codes


def _add_names(pe: ParsedEntity, prop: str, name: str) -> None:
    """A name as OFAC writes it, and for persons "LAST, First" also as "First LAST"."""
    if pe.schema == "Person" and ", " in name:
        last, _, first = name.partition(", ")
        pe.add(prop, f"{first} {last}")
        if prop == "name":
            pe.add("firstName", first)
            pe.add("lastName", last)
    pe.add(prop, name)


class _Set:
    """The files of one set being read, and what they said that is not an entity."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.companions = companion_files(path)
        self.bad_dates: list[tuple[int, str]] = []

    def comments(self) -> dict[str, str]:
        path = self.companions.get("sdn_comments")
        if path is None:
            return {}
        return {_ent_num(path, line, cells[0]): cells[1] for line, cells in _rows(path, 2)}

    def entity(self, line: int, cells: list[str], more: str) -> ParsedEntity:
        path = self.path
        uid = _ent_num(path, line, cells[0])
        kind = _cell(cells[2]).lower()
        if kind not in SCHEMAS:
            raise InputError(
                f"unknown SDN_Type {cells[2].strip()!r} (expected individual, vessel, aircraft "
                f"or {EMPTY})",
                file=path,
                line=line,
                field="SDN_Type",
            )
        pe = ParsedEntity(f"ofac-{uid}", SCHEMAS[kind], line=line)
        name = _cell(cells[1])
        if not name:
            raise InputError("the entry has no name", file=path, line=line, field="SDN_Name")
        _add_names(pe, "name", name)
        pe.add("topics", "sanction")
        title = _cell(cells[4])
        pe.add("position" if pe.schema == "Person" else "notes", title)
        pe.add("callSign", _cell(cells[5]))
        pe.add("type", _cell(cells[6]))
        pe.add("tonnage", _cell(cells[7]).replace(",", ""))
        pe.add("grossRegisteredTonnage", _cell(cells[8]).replace(",", ""))
        if flag := _cell(cells[9]):
            pe.add("flag", country_code(flag))
        if owner := _cell(cells[10]):
            pe.add("notes", f"Owner: {owner}")
        remarks = parse_remarks(pe, _cell(cells[11]) + more)
        self.bad_dates += [(line, text) for text in remarks.bad_dates]
        measure = "; ".join(remarks.measures) or None
        for code in _programs(path, line, cells[3]):
            pe.designations.append(
                ParsedDesignation(
                    authority=AUTHORITY,
                    program_code=code,
                    measure=measure,
                    source_document=URL,
                    source_ref=uid,
                )
            )
        return pe

    def addresses(self, entities: dict[str, ParsedEntity]) -> None:
        path = self.companions.get("add")
        if path is None:
            return
        for line, cells in _rows(path, 6):
            pe = self._owner(entities, path, line, cells[0])
            parts = [_cell(c) for c in cells[2:5]]
            if any(parts[:2]):
                pe.add("address", ", ".join(p for p in parts if p))
            if parts[2]:
                pe.add("country", country_code(parts[2]))

    def aliases(self, entities: dict[str, ParsedEntity]) -> None:
        path = self.companions.get("alt")
        if path is None:
            return
        for line, cells in _rows(path, 5):
            pe = self._owner(entities, path, line, cells[0])
            kind = _cell(cells[2]).lower()
            name = _cell(cells[3])
            if not name:
                continue
            prop = ALT_KINDS.get(kind)
            if prop is None:
                raise InputError(
                    f"unknown alias type {cells[2].strip()!r} (expected aka, fka or nka)",
                    file=path,
                    line=line,
                    field="alt_type",
                )
            _add_names(pe, prop, name)

    def _owner(
        self, entities: dict[str, ParsedEntity], path: Path, line: int, value: str
    ) -> ParsedEntity:
        uid = _ent_num(path, line, value)
        pe = entities.get(f"ofac-{uid}")
        if pe is None:
            raise InputError(
                f"ent_num {uid} is not in {self.path.name}", file=path, line=line, field="ent_num"
            )
        return pe


def parse_ofac(path: Path) -> tuple[ParsedList, list[str]]:
    """The set as a ParsedList, and notes for the import's messages."""
    files = _Set(path)
    notes: list[str] = []
    version, note = version_of(path)
    if note:
        notes.append(note)
    if files.companions:
        notes.append("also read " + ", ".join(p.name for p in files.companions.values()))
    more = files.comments()
    entities: dict[str, ParsedEntity] = {}
    for line, cells in _rows(path, len(SDN_COLUMNS)):
        pe = files.entity(line, cells, more.get(cells[0].strip(), ""))
        if pe.entity_id in entities:
            first = entities[pe.entity_id].line
            raise InputError(
                f"ent_num {cells[0].strip()} appears twice (first on line {first})",
                file=path,
                line=line,
                field="ent_num",
            )
        entities[pe.entity_id] = pe
    if not entities:
        raise InputError("the file holds no entry", file=path, line=1)
    files.addresses(entities)
    files.aliases(entities)
    orphans = sorted(uid for uid in more if f"ofac-{uid}" not in entities)
    if orphans:
        notes.append(
            f"sdn_comments: {len(orphans)} continuation(s) of entries not in {path.name} "
            f"ignored (ent_num {', '.join(orphans[:5])}{' ...' if len(orphans) > 5 else ''})"
        )
    dropped: dict[str, int] = {}
    for pe in entities.values():
        for prop in fit_schema(pe):
            dropped[prop] = dropped.get(prop, 0) + 1
    if files.bad_dates:
        shown = ", ".join(f"line {line}: {text!r}" for line, text in files.bad_dates[:5])
        more_dates = " ..." if len(files.bad_dates) > 5 else ""
        notes.append(
            f"{len(files.bad_dates)} date(s) of birth not readable, kept in the notes "
            f"({shown}{more_dates})"
        )
    if dropped:
        listed = ", ".join(f"{prop} ({n})" for prop, n in sorted(dropped.items()))
        notes.append(f"values the entity's FtM schema has no property for, kept as notes: {listed}")
    parsed = ParsedList(LIST_KEY, TITLE, AUTHORITY, version, list(entities.values()), url=URL)
    return parsed, notes
