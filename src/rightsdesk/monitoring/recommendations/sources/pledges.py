"""UPR Info's voluntary pledges (``voluntary-pledges.csv``): commitments a state under review
made of its own accord. Same export format as the recommendations (Mac Roman, bare CR), with
``Response`` = "Voluntary Pledge" and the pledging state in both ``To`` and ``From``.

Pledges are not recommendations (nobody recommended them), so they get their own table; the
natural key is (state, session, normalised text, occurrence), like the recommendations'.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, resolve_or_fail
from rightsdesk.monitoring.recommendations.models import VoluntaryPledge
from rightsdesk.monitoring.recommendations.sources.common import (
    UprInfoExport,
    decode_legacy_text,
    natural_key,
    normalise_text,
    upr_cycle,
    whole_number,
)

__all__ = ["IMPORTERS", "PledgesImporter"]

REQUIRED = ("To", "Text", "Response", "Action", "Issue", "Session")


class PledgesImporter(UprInfoExport):
    """``rightsdesk import upr-pledges voluntary-pledges.csv``."""

    kind = "upr-pledges"
    pledges = True
    label = "UPR voluntary pledges (UPR Info export)"
    source = "UPR Info database: voluntary pledges of states under review"

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        content = decode_legacy_text(path)
        existing = {p.natural_key: p for p in ctx.session.scalars(select(VoluntaryPledge))}
        seen: Counter[tuple[object, ...]] = Counter()
        for row in iter_csv(path, REQUIRED, text=content):
            ctx.report.rows_read += 1
            response = row.get("Response")
            if response.casefold() != "voluntary pledge":
                raise InputError(
                    f"not a voluntary pledge (Response is {response!r}); import "
                    "recommendations with `rightsdesk import upr-info`",
                    file=path,
                    line=row.line,
                    field="Response",
                )
            text = " ".join(row.get("Text").split())
            if not text:
                raise InputError("the pledge text is empty", file=path, line=row.line, field="Text")
            iso3 = resolve_or_fail(row.get("To"), path, row.line, "To")
            session = whole_number(row.get("Session"), path, row.line, "Session", 1, 999)
            action = whole_number(row.get("Action"), path, row.line, "Action", 1, 5)
            base = ("pledge", iso3, session, normalise_text(text))
            key = natural_key(*base, seen[base])
            seen[base] += 1
            issues = ", ".join(i.strip() for i in row.get("Issue").split(",") if i.strip())
            ctx.upsert(
                existing.get(key),
                VoluntaryPledge,
                {"natural_key": key},
                {
                    "state_iso3": iso3,
                    "session": session,
                    "cycle": upr_cycle(session),
                    "text": text,
                    "issues": issues or None,
                    "action_category": action,
                },
            )
        ctx.advance(path.stat().st_size)


IMPORTERS: list[Importer] = [PledgesImporter()]
