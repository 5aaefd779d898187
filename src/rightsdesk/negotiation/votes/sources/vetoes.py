"""Importer of the Security Council vetoes dataset (world-politics-datalab, "vetoes cast in
the UN Security Council", 1946 to September 2022): ``rightsdesk import unsc-vetoes FILE``.

Why a separate source: the vote exports (UN_DATA, unvotes) list adopted resolutions only,
and the UN Digital Library export lists failed drafts only from the 1990s on. This file
names every veto since 1946 with its draft symbol, meeting record, agenda item, crisis topic
and region, and which permanent members cast it (0/1 columns ``China, France, Russia, USSR,
USA, UK``). One row per vetoed draft, keyed by its first symbol (``S/3710 (as amended)`` is
``S/3710``); early rows carry the meeting record as the draft
symbol (``S/PV.49``), several on one day, told apart by their order (``CouncilVeto.seq``).

Idempotent (upsert on draft, date and order); rows the file omits are kept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import CsvRow, ImportContext, Importer, iter_csv, sniff_header
from rightsdesk.negotiation.votes.models import CouncilVeto
from rightsdesk.negotiation.votes.symbols import official_symbol

KIND = "unsc-vetoes"
#: The file's member columns and the ISO3 code each stands for.
MEMBERS: dict[str, str] = {
    "China": "CHN",
    "France": "FRA",
    "Russia": "RUS",
    "USSR": "SUN",
    "USA": "USA",
    "UK": "GBR",
}
#: Columns naming the vetoing members (``USSR``, ``UK``, ...), where the file has them.
NAMED = ("member_veto1", "member_veto2", "member_veto3")
#: The draft's own symbol at the start of the cell; what follows ("(as amended)", "and
#: Corr.1 & 2", a second document) is a note about the text voted on, not part of the key.
_SYMBOL = re.compile(r"S/[A-Z0-9./-]*[A-Z0-9]")
REQUIRED = ("date", "draft", "meeting_record", "agenda_item", "crisis_topic", "region", *MEMBERS)


def _date(text: str, path: Path, line: int) -> dt.date:
    """The file's US-style date (``2/25/2022``); ISO dates are accepted too."""
    try:
        if "/" in text:
            month, day, year = (int(p) for p in text.split("/"))
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"malformed date {text!r} (expected M/D/YYYY, e.g. 2/25/2022)",
            file=path,
            line=line,
            field="date",
        ) from None


def _vetoed_by(row: CsvRow, path: Path) -> str:
    """The ISO3 codes of the vetoing members, comma-separated: those marked 1 and those named
    in ``member_veto1..3``. The file needs both: its 0/1 columns miss 26 vetoes that the
    named columns list (S/7575/Rev.1 of 1966 has USSR named and every column 0; the joint
    vetoes of France, the United Kingdom and the United States of 1976 to 1981 are marked
    for one member only). A row naming no member is an error."""
    found = set()
    for column, iso3 in MEMBERS.items():
        value = row.get(column)
        if value not in ("", "0", "1", "0.0", "1.0"):
            raise InputError(
                f"expected 0 or 1, got {value!r}", file=path, line=row.line, field=column
            )
        if value.startswith("1"):
            found.add(iso3)
    for column in NAMED:
        name = row.get(column)
        if not name:
            continue
        if name not in MEMBERS:
            raise InputError(
                f"unknown permanent member {name!r} (expected one of {', '.join(MEMBERS)})",
                file=path,
                line=row.line,
                field=column,
            )
        found.add(MEMBERS[name])
    if not found:
        raise InputError(
            f"no permanent member named as vetoing (in {', '.join(NAMED)} or as 1 in "
            f"{', '.join(MEMBERS)})",
            file=path,
            line=row.line,
            field="draft",
        )
    return ",".join(sorted(found))


def parse_vetoes(ctx: ImportContext) -> list[dict[str, Any]]:
    """Rows as ``CouncilVeto`` values; the first bad row is an InputError."""
    path = ctx.path
    seen: Counter[tuple[str, dt.date]] = Counter()
    out: list[dict[str, Any]] = []
    for row in iter_csv(path, REQUIRED, progress=ctx.advance):
        ctx.report.rows_read += 1
        text = row.get("draft") or row.get("meeting_record")
        if not text:
            raise InputError("missing draft symbol", file=path, line=row.line, field="draft")
        found = _SYMBOL.match(text.upper())
        draft = official_symbol(found[0]) if found else None
        if not draft or len(draft) > 40:
            raise InputError(
                f"not a Security Council symbol: {text[:60]!r} (expected S/...)",
                file=path,
                line=row.line,
                field="draft",
            )
        day = _date(row.get("date"), path, row.line)
        seq = seen[(draft, day)]
        seen[(draft, day)] += 1
        out.append(
            {
                "draft": draft,
                "date": day,
                "seq": seq,
                "meeting": row.get("meeting_record")[:40] or None,
                "agenda_item": row.get("agenda_item") or None,
                "topic": row.get("crisis_topic")[:200] or None,
                "region": row.get("region")[:100] or None,
                "vetoed_by": _vetoed_by(row, path),
            }
        )
    if not out:
        raise InputError("the file lists no veto", file=path, line=2)
    return out


class VetoesImporter:
    """``rightsdesk import unsc-vetoes unsc_vetoes_1946_sept2022.csv``."""

    kind = KIND
    label = "Security Council vetoes, 1946 onwards (vetoed drafts and who vetoed them)"
    source = "world-politics-datalab, Vetoes in the UN Security Council"
    source_url: str | None = "https://github.com/world-politics-datalab/vetoes-un-security-council"
    licence: str | None = "MIT"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(
            path, ("draft", "meeting_record", "member_veto1", "USSR")
        )

    def run(self, ctx: ImportContext) -> None:
        rows = parse_vetoes(ctx)
        stored = {(v.draft, v.date, v.seq): v for v in ctx.session.scalars(select(CouncilVeto))}
        for values in rows:
            key = {"draft": values["draft"], "date": values["date"], "seq": values["seq"]}
            rest = {k: v for k, v in values.items() if k not in key}
            ctx.upsert(stored.get((key["draft"], key["date"], key["seq"])), CouncilVeto, key, rest)
        days: list[dt.date] = [v["date"] for v in rows]
        ctx.dataset.period_start = min(days)
        ctx.dataset.period_end = max(days)
        listed = {(v["draft"], v["date"], v["seq"]) for v in rows}
        omitted = [v for k, v in stored.items() if k not in listed]
        if ctx.may_delete("Security Council veto", len(omitted), len(stored)):  # --replace only
            for veto in omitted:
                ctx.session.delete(veto)
                ctx.report.deleted += 1
        ctx.warn(f"{len(rows)} vetoed drafts, {min(days)} to {max(days)}")


IMPORTERS: list[Importer] = [VetoesImporter()]
