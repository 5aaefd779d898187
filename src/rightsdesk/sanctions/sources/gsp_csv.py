"""The two documented CSV formats of GSP+ data an office writes itself.

``gsp-conventions-csv``: header ``iso3,convention,status,date,as_of,source,note``, one row per
state x convention x source:

- ``iso3``: ISO 3166 alpha-3 code (a state name is accepted and resolved);
- ``convention``: a registry key (``C029``, ``NARCOTICS-1961``, ``UNCAC``) or an alias
  (``C29``, ``ILO C138``, ``Kyoto Protocol``); ``rightsdesk sanctions gsp --help`` lists them;
- ``status``: ``ratified``, ``signed``, ``not-ratified`` or ``denounced`` ("unknown" is the
  absence of a row and is refused here);
- ``date``: of the ratification, signature or denunciation (``YYYY-MM-DD``, may be empty);
- ``as_of``: the date the source speaks for (``YYYY-MM-DD`` or ``YYYY``), required;
- ``source``: who says so (``ILO NORMLEX, ratifications by country``), required;
- ``note``: free text, may be empty.

``gsp-incentives-csv``: header ``iso3,scheme,start_date,end_date,source,note``: ``scheme`` is
``gsp``, ``gsp-plus`` or ``eba``; dates ``YYYY-MM-DD`` (``end_date`` empty while it lasts);
``source`` names the act or list (``Commission Delegated Regulation (EU) 2021/1070``).

Both parsers read the whole file before anything is written and stop at the first bad row
with its line and field.
"""

from __future__ import annotations

from pathlib import Path

from rightsdesk.core.errors import InputError, RightsdeskError
from rightsdesk.core.importing import iter_csv
from rightsdesk.core.resolver import resolve_state
from rightsdesk.sanctions.gsp.conventions import resolve_convention
from rightsdesk.sanctions.gsp.incentives import SCHEMES
from rightsdesk.sanctions.gsp.record import MAX_SOURCE, parse_date
from rightsdesk.sanctions.sources.conventions_store import IncentiveRecord, StatusRecord

__all__ = ["INCENTIVE_COLUMNS", "STATUS_COLUMNS", "parse_incentives", "parse_statuses"]

STATUS_COLUMNS = ("iso3", "convention", "status", "date", "as_of", "source", "note")
INCENTIVE_COLUMNS = ("iso3", "scheme", "start_date", "end_date", "source", "note")
_STRICT = {"ratified", "signed", "not-ratified", "denounced"}


def _state(text: str, path: Path, line: int) -> str:
    if not text:
        raise InputError("the state is missing", file=path, line=line, field="iso3")
    try:
        return resolve_state(text)
    except RightsdeskError as exc:
        raise InputError(exc.message, file=path, line=line, field="iso3") from None


def _source(text: str, path: Path, line: int) -> str:
    if not text:
        raise InputError(
            "the source is missing (a status is only shown with its source)",
            file=path,
            line=line,
            field="source",
        )
    if len(text) > MAX_SOURCE:
        raise InputError(
            f"the source is longer than {MAX_SOURCE} characters",
            file=path,
            line=line,
            field="source",
        )
    return text


def parse_statuses(path: Path) -> list[StatusRecord]:
    """Every row of a ``gsp-conventions-csv`` file, checked."""
    out: list[StatusRecord] = []
    first: dict[tuple[str, str, str], int] = {}
    name = str(path)
    for row in iter_csv(path, STATUS_COLUMNS):
        iso3 = _state(row.get("iso3"), path, row.line)
        key = resolve_convention(row.get("convention"), file=name, line=row.line)
        status = row.get("status").lower()
        if status not in _STRICT:
            raise InputError(
                f"unknown status {row.get('status')!r}; use ratified, signed, not-ratified or "
                "denounced (leave a state out when its status is unknown)",
                file=path,
                line=row.line,
                field="status",
            )
        day = parse_date(row.get("date"), "date", name, row.line)
        as_of = parse_date(row.get("as_of"), "as_of", name, row.line)
        if as_of is None:
            raise InputError(
                "as_of is missing: the date the source speaks for",
                file=path,
                line=row.line,
                field="as_of",
            )
        source = _source(row.get("source"), path, row.line)
        dup = (iso3, key, source)
        if dup in first:
            raise InputError(
                f"{iso3} {key} from {source!r} is listed twice (first on line {first[dup]})",
                file=path,
                line=row.line,
                field="convention",
            )
        first[dup] = row.line
        note = row.get("note") or None
        out.append(StatusRecord(iso3, key, status, day, as_of, source, note, row.line))
    if not out:
        raise InputError("the file lists no status", file=path, line=2)
    return out


def parse_incentives(path: Path) -> list[IncentiveRecord]:
    """Every row of a ``gsp-incentives-csv`` file, checked."""
    out: list[IncentiveRecord] = []
    first: dict[tuple[str, str, object], int] = {}
    name = str(path)
    for row in iter_csv(path, INCENTIVE_COLUMNS):
        iso3 = _state(row.get("iso3"), path, row.line)
        scheme = row.get("scheme").lower()
        if scheme not in SCHEMES:
            raise InputError(
                f"unknown scheme {row.get('scheme')!r}; use {', '.join(SCHEMES)}",
                file=path,
                line=row.line,
                field="scheme",
            )
        start = parse_date(row.get("start_date"), "start_date", name, row.line)
        end = parse_date(row.get("end_date"), "end_date", name, row.line)
        if start is not None and end is not None and end < start:
            raise InputError(
                f"end_date {end} is before start_date {start}",
                file=path,
                line=row.line,
                field="end_date",
            )
        source = _source(row.get("source"), path, row.line)
        dup = (iso3, scheme, start)
        if dup in first:
            raise InputError(
                f"{iso3} {scheme} from {start} is listed twice (first on line {first[dup]})",
                file=path,
                line=row.line,
                field="start_date",
            )
        first[dup] = row.line
        out.append(
            IncentiveRecord(iso3, scheme, start, end, source, row.get("note") or None, row.line)
        )
    if not out:
        raise InputError("the file lists no incentive", file=path, line=2)
    return out
