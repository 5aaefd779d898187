"""Importer of the UN_DATA wide file of General Assembly and Security Council votes.

``UN_DATA.csv.zip`` (read inside the zip): one row per resolution adopted by recorded vote,
1946 to 2021-12-30, with the UN Digital Library title and link and then one column per state
name (UN style, upper case; a state has several columns over time, "BURMA" and "MYANMAR")
holding Y, N, A, X (non-voting: stored as ``absent``) or nothing (not a member). Two header
names mislead: ``ABSENT COUNT`` holds the abstentions and ``NO-VOTE COUNT`` the non-voting.

The file lists adopted resolutions only (every symbol is ``A/RES`` or ``S/RES``), so a
Security Council veto, which stops a draft from becoming a resolution, never appears in it;
vetoes come from the UN Digital Library export (``undl``), which lists failed drafts.
Security Council resolutions adopted without a vote (all fifteen "non-voting", no yes) are
stored as ``without-vote`` with no state votes.
"""

from __future__ import annotations

import csv
import io
import lzma
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from rightsdesk.core.errors import EncodingError, InputError, MissingColumnError
from rightsdesk.core.importing import ImportContext, Importer
from rightsdesk.core.labels import body_label
from rightsdesk.core.states import get_resolver
from rightsdesk.negotiation.votes.sources.readings import LibraryRecord, ga_session, write_library
from rightsdesk.negotiation.votes.symbols import clean_title, official_symbol

KIND = "undata"
FIXED = (
    "Council",
    "Date",
    "Title",
    "Resolution",
    "TOTAL VOTES",
    "NO-VOTE COUNT",
    "ABSENT COUNT",
    "NO COUNT",
    "YES COUNT",
    "Link",
    "token",
)
VOTES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}
COUNCILS = {"general assembly": "unga", "security council": "unsc"}
#: Column names the state resolver does not know (misspellings and old names in the file).
BY_HAND = {
    "CENTRAL AFRICAN EMPIRE": "CAF",
    "FEDERATION OF MALAYA": "MYS",
    "SERBIAMONTENEGRO": "SCG",
    "PHILIPPINE REPUBLIC": "PHL",
    "DEMOCRATIC CAMPUCHEA": "KHM",
    "SOUTHERN YEMEN": "YMD",
    # Tanganyika's seat is Tanzania's (core groupings.csv, and unvotes, code it TZA)
    "TANGANYIKA": "TZA",
}
#: Columns that name no state (a placeholder of the file's compiler); their cells are skipped.
IGNORED = {"DONOTKNOW"}
#: One column, two states: (iso3 in the file, first day of the successor, before, after).
DATED = [
    ("RUS", date(1991, 12, 24), "SUN", "RUS"),
    ("YEM", date(1990, 5, 22), "YAR", "YEM"),
    # the "CHINA" column holds the Republic of China's seat until resolution 2758 (XXVI)
    ("CHN", date(1971, 10, 25), "TWN", "CHN"),
    # the Federal Republic of Yugoslavia, admitted 2000-11-01, is Serbia and Montenegro
    ("YUG", date(2000, 11, 1), "YUG", "SCG"),
]


def read_wide(path: Path) -> pd.DataFrame:
    """The CSV inside the zip (or a plain CSV), every cell a string.

    Any damage of the zip (bad headers, a deflate stream that does not decompress, a cut
    archive) is an InputError naming the file; the table inside gets the checks
    ``core.importing.check_structure`` and ``iter_csv`` give a plain CSV (see ``check_table``).
    """
    member = path.name
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not names:
                    raise InputError("the zip holds no .csv file", file=path)
                member = names[0]
                data = archive.read(member)
        else:
            data = path.read_bytes()
    except (
        zipfile.BadZipFile,
        zlib.error,
        lzma.LZMAError,
        struct.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,  # a damaged header naming an unknown compression method
        RuntimeError,  # a damaged header flagging the member as encrypted
    ) as exc:
        raise InputError(f"not a readable zip archive ({exc})", file=path) from exc
    text = check_table(data, path, member)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise InputError(f"{member}: not a readable UN_DATA table ({exc})", file=path) from exc
    missing = [c for c in FIXED if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"missing column(s) {', '.join(missing)}", file=path, field=missing[0]
        )
    return frame


def check_table(data: bytes, path: Path, member: str) -> str:
    """The table's text, refused as ``core.importing`` refuses a damaged plain CSV: a NUL
    byte, bytes that are not UTF-8, a quoted field left open at the end, or a last row with
    fewer cells than the header (the signs of a cut or damaged file). ``check_structure``
    only sees the zip itself, so these checks run here on the decompressed member; errors
    name the file, the member and the member's line."""
    where = f"{member} (in the zip)" if member != path.name else member
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data[:nul].count(b"\n") + 1
        raise EncodingError(
            f"{where}: NUL byte at byte {nul}: not a text file, or a damaged one",
            file=path,
            line=line,
        )
    try:
        text = data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(f"{where}: not valid UTF-8 text", file=path, line=line) from exc
    if text.count('"') % 2:
        raise InputError(
            f"{where}: a quoted field is not closed before the end of the file (is it cut?)",
            file=path,
            line=text.count("\n", 0, text.rfind('"')) + 1,
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
        last, last_line = header, 1
        for cells in reader:
            if any(c.strip() for c in cells):
                last, last_line = cells, reader.line_num
    except csv.Error as exc:
        raise InputError(
            f"{where}: malformed CSV ({exc})", file=path, line=reader.line_num
        ) from exc
    if len(last) < len(header):
        raise InputError(
            f"{where}: the last row has {len(last)} cells but the header has {len(header)} "
            "(is the file cut?)",
            file=path,
            line=last_line,
        )
    return text


def state_columns(columns: list[str], path: Path) -> dict[str, str]:
    """Column name -> ISO3 for every state column; unknown names are one error listing all."""
    resolver = get_resolver()
    out: dict[str, str] = {}
    unknown: list[str] = []
    for col in columns:
        name = " ".join(col.split())
        if name in IGNORED:
            continue
        found = BY_HAND.get(name) or resolver.lookup(name)
        if found is None and name.split(" ", 1)[0] in ("AA", "AY"):  # stray prefixes
            found = resolver.lookup(name.split(" ", 1)[1])
        if found is None:
            unknown.append(col)
        else:
            out[col] = found
    if unknown:
        raise InputError(
            f"{len(unknown)} state column(s) do not resolve: {', '.join(sorted(unknown))}",
            file=path,
            line=1,
            field=unknown[0],
        )
    return out


def _int(value: str, path: Path, line: int, field: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError(f"expected a count, got {value!r}", file=path, line=line, field=field)
    return int(text)


def parse_records(frame: pd.DataFrame, path: Path) -> list[LibraryRecord]:
    """Every row as a LibraryRecord; the first bad row is an error naming line and field."""
    columns = state_columns([c for c in frame.columns if c not in FIXED], path)
    cols = list(columns)
    cells = frame[cols].to_numpy(dtype=object)
    bad = ~np.isin(cells, ["", "Y", "N", "A", "X"])
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise InputError(
            f"unknown vote {cells[row, col]!r} (expected Y, N, A, X or empty)",
            file=path,
            line=row + 2,
            field=cols[col],
        )
    iso = [columns[c] for c in cols]
    records: list[LibraryRecord] = []
    approximate: list[int] = []
    seen: dict[str, int] = {}
    fixed: list[list[str]] = frame[list(FIXED)].astype(str).to_numpy().tolist()
    for i, cells_of_row in enumerate(fixed):
        line = i + 2
        council, day, title, symbol, _total, nonvoting, abstain, no, yes, link, token = cells_of_row
        body = COUNCILS.get(council.strip().lower())
        if body is None:
            raise InputError(f"unknown council {council!r}", file=path, line=line, field="Council")
        when = _date(day, path, line, approximate)
        official = official_symbol(symbol)
        if not official or not official.startswith(("A/RES/", "S/RES/")):
            # the file's compiler left a few drafts in (A/76/L.14 twice): not resolutions
            continue
        if official in seen:
            raise InputError(
                f"{official} appears twice (line {seen[official]})",
                file=path,
                line=line,
                field="Resolution",
            )
        seen[official] = line
        totals = (
            _int(yes, path, line, "YES COUNT"),
            _int(no, path, line, "NO COUNT"),
            _int(abstain, path, line, "ABSENT COUNT"),
            _int(nonvoting, path, line, "NO-VOTE COUNT"),
        )
        votes: dict[str, str] = {}
        for j, cell in enumerate(cells[i]):
            if cell:
                state = _dated(iso[j], when)
                if state not in votes or votes[state] == "absent":
                    votes[state] = VOTES[cell]
        without_vote = body == "unsc" and not (totals[0] or totals[1] or totals[2])
        records.append(
            LibraryRecord(
                body=body,
                symbol=official,
                title=clean_title(title) or official,
                date=when,
                session=when.year if body == "unsc" else ga_session(official, when),
                source_id=token.strip() or official,
                url=link.strip() or None,
                totals=totals,
                votes={} if without_vote else votes,
                adoption="without-vote" if without_vote else "recorded",
            )
        )
    if approximate:
        records[0].notes.append(
            f"year only in the Date of line(s) {', '.join(map(str, approximate))}: "
            "31 December assumed where no other source dates the resolution"
        )
    return records


def _date(day: str, path: Path, line: int, approximate: list[int]) -> date:
    """An ISO date; a bare year (two rows of the file) becomes 31 December of that year and
    its line is noted (a resolution already stored from another source keeps its own date)."""
    text = day.strip()
    if text.isdigit() and len(text) == 4:
        approximate.append(line)
        return date(int(text), 12, 31)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"malformed date {day!r}", file=path, line=line, field="Date") from None


def _dated(iso3: str, when: date) -> str:
    for code, switch, before, after in DATED:
        if iso3 == code:
            return before if when < switch else after
    return iso3


class UndataImporter:
    """``rightsdesk import undata UN_DATA.csv.zip``."""

    kind = KIND
    label = "UN General Assembly and Security Council recorded votes 1946-2021 (UN_DATA)"
    source = (
        "UN Digital Library voting records, compiled as UN_DATA.csv "
        "(repository navyanawal0310/un-votes-intelligence-platform)"
    )
    source_url: str | None = "https://digitallibrary.un.org/search?ln=en&cc=Voting+Data"
    licence: str | None = "UN Digital Library terms: non-commercial use with attribution"

    def sniff(self, path: Path) -> bool:
        name = path.name.lower().replace(" ", "_")
        return name.startswith("un_data") and name.endswith((".csv", ".csv.zip", ".zip"))

    def run(self, ctx: ImportContext) -> None:
        frame = read_wide(ctx.path)
        ctx.report.rows_read = len(frame)
        records = parse_records(frame, ctx.path)
        ctx.advance(ctx.path.stat().st_size // 3)
        counts = write_library(ctx, "undata", records)
        ctx.advance(ctx.path.stat().st_size - ctx.path.stat().st_size // 3)
        summarise(ctx, records, counts)


def summarise(ctx: ImportContext, records: list[LibraryRecord], counts: dict[str, int]) -> None:
    """Coverage on the Dataset (period) and the summary lines, conflicts included."""
    from rightsdesk.negotiation.votes.conflicts import conflict_summary

    if records:
        ctx.dataset.period_start = min(r.date for r in records)
        ctx.dataset.period_end = max(r.date for r in records)
    for body in sorted({r.body for r in records}):
        dates = [r.date for r in records if r.body == body]
        ctx.warn(f"{body_label(body)}: {len(dates)} resolutions, {min(dates)} to {max(dates)}")
    ctx.warn(
        f"{counts['roll_calls']} roll calls: {counts['attached']} already held by another "
        f"source (both readings kept), {counts['taken_over']} now read from {ctx.dataset.kind}"
    )
    for rec in records:
        for note in rec.notes:
            ctx.warn(note)
    ctx.session.flush()
    ctx.warn(conflict_summary(ctx.session))


IMPORTERS: list[Importer] = [UndataImporter()]
