"""State memberships in the GSP+ environmental agreements from manyenviron's R data file.

``manyenviron-memberships.rda`` (repository globalgov/manyenviron, CC BY 4.0) holds a list
``memberships`` of four data frames (ECOLEX, IEADB, TFDD, HUGGO) of state x agreement rows.
We read the ECOLEX one: it is the only one covering all eight GSP+ environmental agreements
(HUGGO lacks the Cartagena Protocol, IEADB Montreal, Kyoto and Cartagena), and where they
disagree HUGGO is visibly wrong (it dates a US ratification of the Kyoto Protocol, which the
US never ratified).

Agreements are found by **title**, not by ``treatyID``: the IDs of one agreement vary with
the year of a state's act (``CTMHWD_1989A`` ... ``CTMHWD_2018A`` are all the Basel
Convention). The file is read by ``rda_reader`` (seconds), or by the ``rdata`` package
(pyreadr cannot read a list of frames) when it holds something that reader does not know.
Per row: an ``End`` date is a withdrawal ("denounced": Canada left Kyoto in
2012); a ratification (``Rat``) or entry-into-force date (``Force``) is consent to be bound;
a signature alone is "signed". ``as_of`` is the latest date the file records for that
agreement (the data set runs to 2012-2019 depending on the agreement). States absent from
the file stay *unknown*.

Known faults of the file, reported as warnings and not silently "corrected": a date before
the agreement existed (Guinea's CBD signature "1192-06-12") is dropped; a code that is not a
state (``EUE``, the European Union) is skipped; entry into force before ratification is
flagged (Belize, Israel, Mozambique, Solomon Islands, ...; for successor states such as
Czechia and Slovakia it is legitimate).
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rightsdesk.core.errors import InputError
from rightsdesk.core.resolver import get_resolver
from rightsdesk.sanctions.gsp.conventions import convention
from rightsdesk.sanctions.sources.conventions_store import StatusRecord
from rightsdesk.sanctions.sources.rda_reader import RValue, UnsupportedRData, read_rda

__all__ = ["FRAME", "SOURCE", "TITLES", "ParsedMemberships", "parse_memberships"]

FRAME = "ECOLEX_MEM"
SOURCE = "manyenviron memberships (ECOLEX data, globalgov/manyenviron)"
#: normalised agreement title -> registry key
TITLES: dict[str, str] = {
    "conventiononinternationaltradeinendangeredspeciesofwildfaunaandflora": "CITES",
    "montrealprotocolonsubstancesthatdepletetheozonelayer": "MONTREAL",
    "conventiononthecontroloftransboundarymovementsofhazardouswastesandtheirdisposal": "BASEL",
    "conventiononbiologicaldiversity": "CBD",
    "unitednationsframeworkconventiononclimatechange": "UNFCCC",
    "cartagenaprotocolonbiosafetytotheconventiononbiologicaldiversity": "CARTAGENA",
    "conventiononpersistentorganicpollutants": "STOCKHOLM",
    "kyotoprotocoltotheunitednationsframeworkconventiononclimatechange": "KYOTO",
}
_PLACE_PREFIXES = ("basel", "stockholm")  # "Basel Convention On ..." = "Convention On ..."
_COLUMNS = ("Title", "stateID", "stateSignature", "Rat", "Force", "End")
_MAX_WARNINGS = 20
_MISSING = frozenset({"", "<NA>", "NA", "nan", "NaT", "None"})


def normalise_title(title: str) -> str:
    """Lower case letters and digits only, without a leading place name."""
    text = re.sub(r"[^a-z0-9]", "", title.lower())
    for prefix in _PLACE_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


@dataclass
class ParsedMemberships:
    records: list[StatusRecord]
    warnings: list[str]
    skipped: int


def _columns_fast(path: Path) -> dict[str, list[Any]] | None:
    """The ECOLEX frame's columns by our own reader; None when the file uses a part of R's
    format it does not implement (then ``rdata`` reads it)."""
    try:
        objects = read_rda(path)
    except UnsupportedRData:
        return None
    except (OSError, EOFError, ValueError, struct.error, IndexError, KeyError) as exc:
        raise InputError(f"not a readable R data file ({exc})", file=path) from exc
    memberships = objects.get("memberships")
    if not isinstance(memberships, RValue) or FRAME not in memberships.names():
        raise InputError(
            f"no list 'memberships' with a data frame {FRAME} (is this manyenviron's file?)",
            file=path,
        )
    frame = memberships.value[memberships.names().index(FRAME)]
    if not isinstance(frame, RValue) or not isinstance(frame.value, list):
        raise InputError(f"{FRAME} is not a data frame", file=path)
    return {
        name: list(column.value) if isinstance(column, RValue) else []
        for name, column in zip(frame.names(), frame.value, strict=False)
    }


def _columns_rdata(path: Path) -> dict[str, list[Any]]:
    """The same through the ``rdata`` package (slow: a minute or two on this file)."""
    import rdata

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # R classes rdata maps loosely (POSIXct, tbl_df)
            converted = rdata.conversion.convert(rdata.parser.parse_file(path))
    except Exception as exc:  # rdata raises many kinds on a damaged file
        raise InputError(f"not a readable R data file ({exc})", file=path) from exc
    memberships = converted.get("memberships") if isinstance(converted, dict) else None
    if not isinstance(memberships, dict) or FRAME not in memberships:
        raise InputError(
            f"no list 'memberships' with a data frame {FRAME} (is this manyenviron's file?)",
            file=path,
        )
    frame = memberships[FRAME]
    return {
        str(name): [None if str(v) in _MISSING else str(v) for v in frame[name]]
        for name in frame.columns
    }


def read_columns(path: Path) -> dict[str, list[Any]]:
    """The columns of the file's ECOLEX frame that we use, checked."""
    columns = _columns_fast(path)
    if columns is None:
        columns = _columns_rdata(path)
    missing = [c for c in _COLUMNS if c not in columns]
    if missing:
        raise InputError(
            f"data frame {FRAME} lacks column(s) {', '.join(missing)}", file=path, field=missing[0]
        )
    return {c: columns[c] for c in _COLUMNS}


def _date(value: Any, earliest: int, warn: Callable[[str], None], where: str) -> dt.date | None:
    if value is None or str(value) in _MISSING:
        return None
    text = str(value)[:10]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        warn(f"{where}: malformed date {text!r} ignored")
        return None
    if day.year < earliest or day > dt.date.today():
        warn(f"{where}: date {text} is before the agreement existed or in the future; ignored")
        return None
    return day


def parse_memberships(path: Path) -> ParsedMemberships:
    """The GSP+ environmental agreements' rows of the file as status records."""
    columns = read_columns(path)
    resolver = get_resolver()
    found: list[str] = []

    def warn(message: str) -> None:
        found.append(message)

    rows: list[tuple[int, str, str, str, dt.date | None, str | None]] = []
    skipped = 0
    seen: dict[tuple[str, str], int] = {}
    for position, (title, state, sig, rat, force, end) in enumerate(
        zip(*(columns[c] for c in _COLUMNS), strict=True), start=1
    ):
        key = TITLES.get(normalise_title(str(title or "")))
        if key is None:
            continue
        where = f"row {position} ({key}, {state})"
        iso3 = str(state or "").strip().upper()
        if iso3 not in resolver.iso3:
            warn(f"{where}: {iso3!r} is not a state code; skipped")
            skipped += 1
            continue
        if (iso3, key) in seen:
            warn(f"{where}: second row for {iso3} {key} (first: row {seen[(iso3, key)]}); skipped")
            skipped += 1
            continue
        seen[(iso3, key)] = position
        earliest = convention(key).adopted
        signed = _date(sig, earliest, warn, where)
        ratified = _date(rat, earliest, warn, where)
        in_force = _date(force, earliest, warn, where)
        ended = _date(end, earliest, warn, where)
        if ratified and in_force and in_force < ratified:
            warn(f"{where}: entry into force {in_force} before ratification {ratified}")
        if ended is not None:
            rows.append((position, iso3, key, "denounced", ended, "withdrawal took effect"))
        elif ratified is not None:
            rows.append((position, iso3, key, "ratified", ratified, None))
        elif in_force is not None:
            note = "date of entry into force for the state (no ratification date recorded)"
            rows.append((position, iso3, key, "ratified", in_force, note))
        elif signed is not None:
            rows.append((position, iso3, key, "signed", signed, "signature only"))
        else:
            warn(f"{where}: no date at all; skipped")
            skipped += 1
    if not rows:
        raise InputError("no GSP+ environmental agreement found in the file", file=path)
    latest: dict[str, dt.date] = {}
    for _, _, key, _, day, _ in rows:
        if day is not None and (key not in latest or day > latest[key]):
            latest[key] = day
    records = [
        StatusRecord(iso3, key, status, day, latest.get(key), SOURCE, note, position)
        for position, iso3, key, status, day, note in rows
    ]
    if len(found) > _MAX_WARNINGS:
        found = [*found[:_MAX_WARNINGS], f"... and {len(found) - _MAX_WARNINGS} more"]
    return ParsedMemberships(records, found, skipped)
