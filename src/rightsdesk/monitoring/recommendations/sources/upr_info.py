"""UPR Info database exports (``sessions-*.csv``): one row per recommendation and recommending
state, with the response, UPR Info's action category and its issues (themes).

The exports come from a classic Mac tool: bare CR line endings and Mac Roman bytes (``\\x8e``
is "é"). The reader accepts UTF-8 first, and Mac Roman only for bare-CR files, so a file
re-saved on another system with a different 8-bit encoding is refused with the line of the
first bad byte rather than imported with garbled names.

The same text often recurs: several states make the same recommendation to one state, and
occasionally one state's recommendation appears twice in the report. The natural key is
therefore (session, state under review, normalised text, recommending state, occurrence): the
occurrence number keeps true duplicates apart while a re-import finds every row again.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, resolve_or_fail
from rightsdesk.monitoring.recommendations.sources.cleaning import RESPONSE_WORDS
from rightsdesk.monitoring.recommendations.sources.common import (
    UprInfoExport,
    decode_legacy_text,
    natural_key,
    normalise_text,
    upr_cycle,
    whole_number,
)
from rightsdesk.monitoring.recommendations.sources.writer import RecommendationWriter

__all__ = [
    "IMPORTERS",
    "RESPONSES_MAP",
    "UprInfoImporter",
    "UprInfoRow",
    "read_upr_info",
]

REQUIRED = ("To", "Text", "From", "Response", "Action", "Issue", "Session")
# the source's response words, casefolded ("" when the row has none); the writer maps them to
# the common vocabulary and keeps the word
RESPONSES_MAP = {word: word for word in RESPONSE_WORDS} | {"": ""}


@dataclass
class UprInfoRow:
    """One validated row of a UPR Info export; names are raw (resolve them with core.states)."""

    line: int
    to_state: str
    text: str
    from_states: list[str]
    response: str | None  # the source's word, casefolded: 'accepted', 'noted', ... or None
    action: int | None
    issues: list[str]
    session: int | None
    raw: dict[str, str] = field(default_factory=dict)


def read_upr_info(path: Path, text: str | None = None) -> Iterator[UprInfoRow]:
    """Validated rows of a UPR Info export, in file order (line = physical line).

    Raises InputError naming the file, line and field on the first bad value: a missing
    column, an Action outside 1-5, an unknown Response, a Session that is not a number, an
    empty Text or To, or bytes that are neither UTF-8 nor (for bare-CR files) Mac Roman.
    """
    content = text if text is not None else decode_legacy_text(path)
    for row in iter_csv(path, REQUIRED, text=content):
        to_state = row.get("To")
        if not to_state:
            raise InputError(
                "the state under review is empty", file=path, line=row.line, field="To"
            )
        body = " ".join(html.unescape(row.get("Text")).split())
        if not body:
            raise InputError(
                "the recommendation text is empty", file=path, line=row.line, field="Text"
            )
        response_raw = " ".join(row.get("Response").casefold().split())
        if response_raw not in RESPONSES_MAP:
            raise InputError(
                f"unknown response {row.get('Response')!r} (expected Accepted, Noted, "
                "Supported or Pending)",
                file=path,
                line=row.line,
                field="Response",
            )
        # "(Unknown)" (HTML-escaped in the export): the report does not attribute the row
        from_raw = html.unescape(row.get("From"))
        from_states = [s.strip() for s in from_raw.split(";") if s.strip()]
        if from_states in (["(Unknown)"], ["Unknown"]):
            from_states = []
        yield UprInfoRow(
            line=row.line,
            to_state=to_state,
            text=body,
            from_states=from_states,
            response=RESPONSES_MAP[response_raw] or None,
            action=whole_number(row.get("Action"), path, row.line, "Action", 1, 5),
            issues=[i.strip() for i in row.get("Issue").split(",") if i.strip()],
            session=whole_number(row.get("Session"), path, row.line, "Session", 1, 999),
            raw={k: (v or "") for k, v in row.values.items()},
        )


class UprInfoImporter(UprInfoExport):
    """``rightsdesk import upr-info sessions-1-5.csv``."""

    kind = "upr-info"
    label = "UPR recommendations (UPR Info database export)"
    source = "UPR Info database of UPR recommendations (export by session range)"

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        content = decode_legacy_text(path)
        rows = list(read_upr_info(path, content))
        writer = RecommendationWriter(ctx, mechanism="UPR", source="UPR Info")
        seen: Counter[tuple[object, ...]] = Counter()
        for row in rows:
            ctx.report.rows_read += 1
            if row.session is None:
                raise InputError("the session is empty", file=path, line=row.line, field="Session")
            to_iso3 = resolve_or_fail(row.to_state, path, row.line, "To")
            from_iso3 = [resolve_or_fail(s, path, row.line, "From") for s in row.from_states]
            base = (
                "UPR",
                row.session,
                to_iso3,
                normalise_text(row.text),
                ",".join(sorted(from_iso3)),
            )
            occurrence = seen[base]
            seen[base] += 1
            writer.write(
                key=natural_key(*base, occurrence),
                text=row.text,
                state_iso3=to_iso3,
                session=row.session,
                cycle=upr_cycle(row.session),
                recommending=from_iso3,
                response=row.response,
                action_category=row.action,
                themes=[("upr-info", issue) for issue in row.issues],
                paragraph=None,
                document_symbol=None,
                line=row.line,
            )
        ctx.advance(path.stat().st_size)
        writer.finish()


IMPORTERS: list[Importer] = [UprInfoImporter()]
