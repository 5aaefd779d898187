"""Importer of the UN Digital Library's voting data export (General Assembly and Security
Council), the official file users download themselves.

Long format, one row per member state per resolution: ``undl_id, ms_code, ms_name, ms_vote``
(Y, N, A, X = non-voting, stored as ``absent``; empty = not a member then), ``date, session,
resolution, draft, committee_report, meeting, title, agenda_title, subjects, vote_note,
total_yes, total_no, total_abstentions, total_non_voting, total_ms, undl_link``. A Security
Council draft that failed (a veto or too few votes) has a ``draft`` symbol and no
``resolution``; it is stored under the draft symbol as ``not-adopted``, which is how vetoes
are found (``veto.py``). Its reading wins over the other sources' (``READING_PRIORITY``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import (
    CsvRow,
    ImportContext,
    Importer,
    iter_csv,
    parse_iso_date,
    sniff_header,
)
from rightsdesk.core.states import get_resolver
from rightsdesk.negotiation.votes.sources.readings import LibraryRecord, ga_session, write_library
from rightsdesk.negotiation.votes.sources.undata import summarise
from rightsdesk.negotiation.votes.symbols import clean_title, official_symbol

KIND = "undl"
REQUIRED = (
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "resolution",
    "draft",
    "title",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
)
VOTES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}


def _count(text: str, path: Path, line: int, field: str) -> int | None:
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"expected a count, got {text!r}", file=path, line=line, field=field)
    return int(text)


def parse_export(ctx: ImportContext) -> list[LibraryRecord]:
    """Rows grouped into one record per ``undl_id``; the first bad row is an InputError."""
    path = ctx.path
    resolver = get_resolver()
    states: dict[tuple[str, str], str | None] = {}
    records: dict[str, LibraryRecord] = {}
    for row in iter_csv(path, REQUIRED, progress=ctx.advance):
        ctx.report.rows_read += 1
        undl_id = row.get("undl_id")
        if not undl_id:
            raise InputError("missing undl_id", file=path, line=row.line, field="undl_id")
        vote = row.get("ms_vote").upper()
        if vote and vote not in VOTES:
            raise InputError(
                f"unknown vote {row.get('ms_vote')!r} (expected Y, N, A, X or empty)",
                file=path,
                line=row.line,
                field="ms_vote",
            )
        code, name = row.get("ms_code"), row.get("ms_name")
        if (code, name) not in states:
            states[(code, name)] = resolver.lookup(code) if code else None
            states[(code, name)] = states[(code, name)] or (resolver.lookup(name) if name else None)
        iso3 = states[(code, name)]
        if iso3 is None:
            raise InputError(
                f"unknown member state {code or '-'} {name!r}",
                file=path,
                line=row.line,
                field="ms_code",
            )
        rec = records.get(undl_id)
        if rec is None:
            rec = _record(row, path, undl_id)
            records[undl_id] = rec
        elif iso3 in rec.votes and vote:
            raise InputError(
                f"a second vote of {iso3} on record {undl_id}",
                file=path,
                line=row.line,
                field="ms_code",
            )
        if vote:
            rec.votes[iso3] = VOTES[vote]
    return list(records.values())


def _record(row: CsvRow, path: Path, undl_id: str) -> LibraryRecord:
    """The resolution-level fields of a record (from its first row)."""
    get, line = row.get, row.line
    when: date = parse_iso_date((get("date")), path, line, "date")
    resolution, draft = (get("resolution")), (get("draft"))
    symbol = official_symbol(resolution or draft)
    if not symbol:
        raise InputError(
            "neither a resolution nor a draft symbol", file=path, line=line, field="resolution"
        )
    body = "unsc" if symbol.startswith("S/") else "unga"
    totals = (
        _count((get("total_yes")), path, line, "total_yes"),
        _count((get("total_no")), path, line, "total_no"),
        _count((get("total_abstentions")), path, line, "total_abstentions"),
        _count((get("total_non_voting")), path, line, "total_non_voting"),
    )
    return LibraryRecord(
        body=body,
        symbol=symbol,
        title=clean_title(get("title")) or symbol,
        date=when,
        session=when.year if body == "unsc" else ga_session(symbol, when),
        source_id=undl_id,
        adoption="recorded" if resolution else "not-adopted",
        url=(get("undl_link")) or None,
        subject=(get("subjects"))[:300] or None,
        agenda_title=(get("agenda_title")) or None,
        totals=totals,
    )


class UndlImporter:
    """``rightsdesk import undl voting-export.csv``."""

    kind = KIND
    label = "UN Digital Library voting data export (General Assembly, Security Council)"
    source = "United Nations Digital Library, voting data (export)"
    source_url: str | None = "https://digitallibrary.un.org/search?ln=en&cc=Voting+Data"
    licence: str | None = "UN Digital Library terms: non-commercial use with attribution"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(
            path, ("undl_id", "ms_code", "ms_vote")
        )

    def run(self, ctx: ImportContext) -> None:
        records = parse_export(ctx)
        counts = write_library(ctx, KIND, records)
        summarise(ctx, records, counts)


IMPORTERS: list[Importer] = [UndlImporter()]
