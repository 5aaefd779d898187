"""Importers of the Commission on Human Rights (1946-2006) and Human Rights Council (2006-)
resolutions and recorded votes, as tabulated from the UN Digital Library by lszoszk/hrc-voting.

Two files, two kinds, imported in this order by ``rightsdesk load``:

- ``hrc-resolutions`` (``resolutions.csv``): one row per resolution, decision, amendment or
  presidential statement, with how it was adopted and the official totals. A *recorded* vote
  also becomes a roll call (its id is the library's ``record_id``).
- ``hrc-votes`` (``votes_long.csv``): one row per state per recorded vote. ``Y/N/A`` are
  yes/no/abstain, ``.`` a member that was absent, ``-`` a member that did not take part
  (both counted by the library in the official "non-voting" total, so both are stored as
  ``absent``), an empty cell a state that was not a member.

After the votes are written the Council's membership terms are derived from them (grouping
``HRC``, see ``votes.hrc_terms``), and the import report says how many roll calls' per-state
votes do not add up to the official totals (``rightsdesk negotiation mismatches`` lists them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import (
    CsvRow,
    ImportContext,
    Importer,
    iter_csv,
    parse_iso_date,
    resolve_or_fail,
    sniff_header,
)
from rightsdesk.negotiation.votes.frames import counted_mismatch_summary
from rightsdesk.negotiation.votes.hrc_terms import store_hrc_terms
from rightsdesk.negotiation.votes.models import Resolution, RollCall
from rightsdesk.negotiation.votes.sources.unvotes import (
    sessions_by_key,
    upsert_session,
    write_issues,
    write_votes,
)
from rightsdesk.negotiation.votes.symbols import symbol_key

SOURCE = "hrc"  # RollCall.source
SOURCE_NAME = (
    "UN Digital Library voting records of the Commission on Human Rights and the Human Rights "
    "Council, tabulated by the repository lszoszk/hrc-voting"
)
SOURCE_URL = "https://github.com/lszoszk/hrc-voting"
LICENCE = "PolyForm Noncommercial 1.0.0"

RES_REQUIRED = (
    "record_id",
    "symbol",
    "title",
    "statement",
    "date",
    "body",
    "vote_type",
    "agenda_item_no",
    "agenda_item_title",
    "agenda_subject",
    "main_sponsors",
    "yes",
    "no",
    "abstain",
    "nonvoting",
    "record_url",
)
VOTES_REQUIRED = ("record_id", "symbol", "date", "body", "iso3", "vote")

BODY_NAMES = {"human rights council": "hrc", "commission on human rights": "chr"}
BODY_CODES = {"hrc": "hrc", "chr": "chr"}
ADOPTION = {
    "adopted without vote": "without-vote",
    "recorded": "recorded",
    "recorded, adopted at a closed meeting": "recorded",
    "non-recorded": "non-recorded",
    "non-recorded, adopted unanimously": "non-recorded",
    "non-recorded, no voting information available": "non-recorded",
    "withdrawn": "withdrawn",
    "not considered": "not-considered",
    "": "unknown",
}
VOTE_CODES = {"Y": "yes", "N": "no", "A": "abstain", ".": "absent", "-": "absent", "": "non-member"}
#: Codes the file gives a state before that state existed: (code, first day, the state before).
#: ARE for the United Arab Republic (Egypt's name to 1971) in the Commission of 1969-71, and
#: CHN for the Republic of China, which held China's seat until A/RES/2758 (XXVI).
DATED_CODES: list[tuple[str, date, str]] = [
    ("ARE", date(1971, 12, 2), "EGY"),
    ("CHN", date(1971, 10, 25), "TWN"),
]

_SESSION = re.compile(r"at its\s+(\d+)\s*(?:st|nd|rd|th)?\s+(special\s+)?session", re.I)
_NUCLEAR = re.compile(r"nuclear session", re.I)
_ORGANISATIONAL = re.compile(r"(\d+)\s*(?:st|nd|rd|th)?\s+organi[sz]ational meeting", re.I)
_HRC_SYMBOL = re.compile(r"^A/HRC/(?:(?:RES|DEC|PRST)/)?(S-)?(\d+)/")
_CHR_YEAR_SYMBOL = re.compile(r"^E/CN\.4/(?:RES|DEC)/(\d{4})/")
_KIND = re.compile(r"\s*:\s*(resolution|decision|amendment|presidential statement)\s*/\s*$", re.I)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_SYMBOL = re.compile(r"\(([IVXLC]+)\)\s*$")


def _roman(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN[ch]
        total += -value if i + 1 < len(text) and _ROMAN[text[i + 1]] > value else value
    return total


@dataclass
class SessionRef:
    """Where a record's session came from: the statement, the symbol or (last) the year."""

    label: str
    number: int | None  # None for special sessions/meetings until placed by date
    special: bool


def session_of(body: str, statement: str, symbol: str, year: int) -> SessionRef:
    """The session of a record, from its statement, else its symbol, else its year.

    Special sessions and the HRC's organisational meetings are labelled ("S-4", "OM-1") and
    get the regular session they fell within later (``_place_special``); the CHR's 1946
    "nuclear" session, which preceded its first session, is number 0.
    """
    found = _SESSION.search(statement)
    if found:
        if found.group(2):
            return SessionRef(f"S-{int(found.group(1))}", None, True)
        return SessionRef(str(int(found.group(1))), int(found.group(1)), False)
    if _NUCLEAR.search(statement):
        return SessionRef("nuclear", 0, True)
    org = _ORGANISATIONAL.search(statement)
    if org:
        return SessionRef(f"OM-{int(org.group(1))}", None, True)
    sym = _HRC_SYMBOL.match(symbol)
    if body == "hrc" and sym:
        if sym.group(1):
            return SessionRef(f"S-{int(sym.group(2))}", None, True)
        return SessionRef(sym.group(2), int(sym.group(2)), False)
    if body == "chr":
        by_year = _CHR_YEAR_SYMBOL.match(symbol)
        if by_year:  # the CHR met once a year: its n-th session was held in 1944 + n
            number = int(by_year.group(1)) - 1944
            return SessionRef(str(number), number, False)
        roman = _ROMAN_SYMBOL.search(symbol)
        if roman:
            return SessionRef(str(_roman(roman.group(1))), _roman(roman.group(1)), False)
    return SessionRef(str(year), year, False)


def _int_or_none(row: CsvRow, field: str, path: Path) -> int | None:
    text = row.get(field)
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        raise InputError(
            f"expected a whole number, got {text!r}", file=path, line=row.line, field=field
        ) from None
    if value < 0:
        raise InputError(f"negative count {value}", file=path, line=row.line, field=field)
    return value


def _clean_title(title: str) -> tuple[str, str | None]:
    """The title without the library's " : resolution /" tail, and that tail's kind."""
    found = _KIND.search(title)
    if not found:
        return title.strip(), None
    return title[: found.start()].strip(), found.group(1).lower()


@dataclass
class _Record:
    key: str
    line: int
    body: str
    session: SessionRef
    date: date
    values: dict[str, Any]
    recorded: bool
    is_amendment: bool
    description: str | None


def _parse_resolutions(path: Path, ctx: ImportContext) -> list[_Record]:
    records: list[_Record] = []
    seen: set[str] = set()
    for row in iter_csv(path, RES_REQUIRED, progress=ctx.advance):
        ctx.report.rows_read += 1
        key = row.get("record_id")
        if not key.isdecimal():
            raise InputError(
                f"malformed record_id {key!r}", file=path, line=row.line, field="record_id"
            )
        if key in seen:
            raise InputError(
                f"record_id {key} appears twice", file=path, line=row.line, field="record_id"
            )
        seen.add(key)
        body = BODY_NAMES.get(row.get("body").lower())
        if body is None:
            raise InputError(
                f"unknown body {row.get('body')!r} (expected Human Rights Council or "
                "Commission on Human Rights)",
                file=path,
                line=row.line,
                field="body",
            )
        when = parse_iso_date(row.get("date"), path, row.line, "date")
        vote_type = " ".join(row.get("vote_type").lower().split())
        adoption = ADOPTION.get(vote_type)
        if adoption is None:
            raise InputError(
                f"unknown vote_type {row.get('vote_type')!r}",
                file=path,
                line=row.line,
                field="vote_type",
            )
        title, kind = _clean_title(row.get("title"))
        totals = {
            f"{name}_official": _int_or_none(row, name, path)
            for name in ("yes", "no", "abstain", "nonvoting")
        }
        symbol = row.get("symbol") or None
        records.append(
            _Record(
                key=key,
                line=row.line,
                body=body,
                session=session_of(body, row.get("statement"), symbol or "", when.year),
                date=when,
                values={
                    "symbol": symbol,
                    "symbol_key": symbol_key(symbol),
                    "title": title or (symbol or key),
                    "date": when,
                    "agenda_item": row.get("agenda_item_no").rstrip(".")[:40] or None,
                    "agenda_title": row.get("agenda_item_title").rstrip(" -") or None,
                    "subject": row.get("agenda_subject")[:300] or None,
                    "main_sponsors": row.get("main_sponsors") or None,
                    "adoption": adoption,
                    "url": row.get("record_url")[:300] or None,
                    **totals,
                },
                recorded=adoption == "recorded",
                is_amendment=kind == "amendment",
                description=row.get("statement") or None,
            )
        )
    return records


def _place_special(records: list[_Record]) -> None:
    """Give special sessions the number of the last regular session begun before them."""
    starts: dict[str, list[tuple[date, int]]] = {}
    for rec in records:
        if rec.session.number is not None and not rec.session.special:
            starts.setdefault(rec.body, []).append((rec.date, rec.session.number))
    firsts: dict[str, list[tuple[date, int]]] = {}
    for body, items in starts.items():
        first: dict[int, date] = {}
        for when, number in items:
            first[number] = min(when, first.get(number, when))
        firsts[body] = sorted((when, number) for number, when in first.items())
    for rec in records:
        if rec.session.number is None:
            before = [n for when, n in firsts.get(rec.body, []) if when <= rec.date]
            rec.session.number = max(before) if before else 0


def dated_state(iso3: str, when: date) -> str:
    """The state a code of the file means on ``when`` (``DATED_CODES``)."""
    for code, first, before in DATED_CODES:
        if iso3 == code and when < first:
            return before
    return iso3


class _HrcFile:
    """What both files share: the source, and recognition by the header's columns."""

    source = SOURCE_NAME
    source_url: str | None = SOURCE_URL
    licence: str | None = LICENCE
    columns: tuple[str, ...] = ()

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(path, self.columns)


class HrcResolutionsImporter(_HrcFile):
    """``rightsdesk import hrc-resolutions resolutions.csv``."""

    kind = "hrc-resolutions"
    label = "Commission on Human Rights and Human Rights Council resolutions and decisions"
    columns = ("record_id", "symbol", "vote_type", "main_sponsors", "n_rollcall")

    def run(self, ctx: ImportContext) -> None:
        records = _parse_resolutions(ctx.path, ctx)
        _place_special(records)
        session = ctx.session
        sessions = sessions_by_key(session)
        seen_sessions: dict[tuple[str, str], int] = {}
        for rec in records:
            skey = (rec.body, rec.session.label)
            seen_sessions[skey] = min(rec.date.year, seen_sessions.get(skey, rec.date.year))
        by_label = {(r.body, r.session.label): r.session for r in records}
        for (body, label), year in sorted(seen_sessions.items()):
            ref = by_label[(body, label)]
            upsert_session(ctx, sessions, body, label, int(ref.number or 0), ref.special, year)
        session.flush()
        existing = {
            (r.body, r.source_key): r
            for r in session.scalars(select(Resolution).where(Resolution.body.in_(("hrc", "chr"))))
        }
        written: list[tuple[_Record, Resolution]] = []
        for rec in records:
            obj, _ = ctx.upsert(
                existing.get((rec.body, rec.key)),
                Resolution,
                {"body": rec.body, "source_key": rec.key},
                {"session_id": sessions[(rec.body, rec.session.label)].id, **rec.values},
            )
            written.append((rec, obj))
        session.flush()
        calls = {
            r.source_id: r
            for r in session.scalars(select(RollCall).where(RollCall.source == SOURCE))
        }
        recorded: list[RollCall] = []
        for rec, res in written:
            if not rec.recorded:
                continue
            obj, _ = ctx.upsert(
                calls.get(rec.key),
                RollCall,
                {"source": SOURCE, "source_id": rec.key},
                {
                    "resolution_id": res.id,
                    "body": rec.body,
                    "session": int(rec.session.number or 0),
                    "date": rec.date,
                    "is_amendment": rec.is_amendment,
                    "is_paragraph": False,
                    "important": None,
                    "description": rec.description,
                    "yes_official": rec.values["yes_official"],
                    "no_official": rec.values["no_official"],
                    "abstain_official": rec.values["abstain_official"],
                    "nonvoting_official": rec.values["nonvoting_official"],
                },
            )
            recorded.append(obj)
        session.flush()
        ids = {int(obj.id) for obj in recorded}
        # the Commission and the Council have human rights as their whole mandate
        write_issues(ctx, [(rc, "hr") for rc in ids], ids)
        ctx.warn(f"{len(records)} records, {len(ids)} recorded votes (roll calls)")


class HrcVotesImporter(_HrcFile):
    """``rightsdesk import hrc-votes votes_long.csv`` (after ``hrc-resolutions``)."""

    kind = "hrc-votes"
    label = "Commission on Human Rights and Human Rights Council recorded votes by state"
    columns = VOTES_REQUIRED

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        calls = {
            r.source_id: (int(r.id), r.body)
            for r in ctx.session.scalars(select(RollCall).where(RollCall.source == SOURCE))
        }
        seen: dict[tuple[int, str], tuple[str, int]] = {}
        duplicates = 0
        states: dict[str, str] = {}
        for row in iter_csv(path, VOTES_REQUIRED, progress=ctx.advance):
            ctx.report.rows_read += 1
            record_id = row.get("record_id")
            found = calls.get(record_id)
            if found is None:
                raise InputError(
                    f"record_id {record_id!r} is not a recorded vote in the store; import "
                    "resolutions.csv (kind hrc-resolutions) first",
                    file=path,
                    line=row.line,
                    field="record_id",
                )
            body = BODY_CODES.get(row.get("body").lower())
            if body is None or body != found[1]:
                raise InputError(
                    f"body {row.get('body')!r} does not match record {record_id} ({found[1]})",
                    file=path,
                    line=row.line,
                    field="body",
                )
            when = parse_iso_date(row.get("date"), path, row.line, "date")
            code = row.get("vote").upper()
            vote = VOTE_CODES.get(code)
            if vote is None:
                raise InputError(
                    f"unknown vote {row.get('vote')!r} (expected Y, N, A, '.', '-' or empty)",
                    file=path,
                    line=row.line,
                    field="vote",
                )
            raw = row.get("iso3")
            iso3 = states.get(raw)
            if iso3 is None:
                iso3 = resolve_or_fail(raw, path, row.line, "iso3")
                states[raw] = iso3
            iso3 = dated_state(iso3, when)
            key = (found[0], iso3)
            earlier = seen.get(key)
            if earlier is not None:
                if earlier[0] != vote:
                    raise InputError(
                        f"{iso3} voted {earlier[0]} on line {earlier[1]} and {vote} here",
                        file=path,
                        line=row.line,
                        field="vote",
                    )
                duplicates += 1
                continue
            seen[key] = (vote, row.line)
        frame = pd.DataFrame(
            [(rc, iso3, vote) for (rc, iso3), (vote, _line) in seen.items()],
            columns=["roll_call_id", "iso3", "vote"],
        )
        if duplicates:
            ctx.warn(f"{duplicates} repeated identical row(s) ignored")
        write_votes(ctx, frame, SOURCE)
        periods, added, changed, removed = store_hrc_terms(ctx.session)
        if periods:
            ctx.warn(
                f"Human Rights Council membership (grouping HRC) derived from the recorded "
                f"votes: {periods} periods ({added} new, {changed} changed, {removed} removed)"
            )
        total, bad = counted_mismatch_summary(ctx.session, "hrc+chr")
        ctx.warn(
            f"{bad} of {total} recorded votes differ from the official totals "
            "(see `rightsdesk negotiation mismatches`)"
        )


IMPORTERS: list[Importer] = [HrcResolutionsImporter(), HrcVotesImporter()]
