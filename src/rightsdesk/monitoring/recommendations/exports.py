"""Search results as CSV or XLSX, with the same columns in both, for analysts' spreadsheets.

Exports take the same query and filters as the search page and write every match (up to
``MAX_ROWS``), not only the page on screen; each row names its source dataset so a figure
taken from the spreadsheet can still be traced.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.security import audit
from rightsdesk.monitoring.recommendations.models import RELATIONS, Recommendation
from rightsdesk.monitoring.recommendations.search import Order, search_ids, state_names

__all__ = ["COLUMNS", "MAX_ROWS", "export_rows", "to_csv", "to_xlsx"]

MAX_ROWS = 100_000
COLUMNS = [
    "id",
    "mechanism",
    "state_iso3",
    "state",
    "cycle",
    "session",
    "document_symbol",
    "paragraph",
    "text",
    "recommending_states",
    "response",
    "action_category",
    "themes",
    "source",
]


def export_rows(
    session: Session, query: str, facets: Mapping[str, Any], order: Order = "relevance"
) -> Iterator[list[Any]]:
    """Rows (lists in ``COLUMNS`` order) of every matching recommendation, in search order."""
    ids = search_ids(session, query, facets, order)
    if len(ids) > MAX_ROWS:
        raise InputError(
            f"{len(ids)} recommendations match; narrow the search to at most {MAX_ROWS}",
            field="q",
        )
    names = state_names(session)
    sources = {
        d.id: d.describe()
        for d in session.scalars(
            select(Dataset).where(Dataset.kind.in_(["upr-info", "ohchr-thematic"]))
        )
    }
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        recs = {
            r.id: r
            for r in session.scalars(
                select(Recommendation).where(Recommendation.id.in_(chunk)).options(*RELATIONS)
            )
        }
        for rid in chunk:
            r = recs[rid]
            yield [
                r.id,
                r.mechanism,
                r.state_iso3,
                names.get(r.state_iso3, r.state_iso3),
                r.cycle,
                r.session,
                r.document_symbol,
                r.paragraph,
                r.text,
                "; ".join(sorted(s.iso3 for s in r.recommending_states)),
                "; ".join(sorted({x.response for x in r.responses})),
                r.action_category,
                "; ".join(sorted(f"{t.theme.taxonomy}:{t.theme.label}" for t in r.themes)),
                sources.get(r.dataset_id or 0, ""),
            ]


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text starting with = + - @ is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(rows: Iterator[list[Any]]) -> str:
    """UTF-8 CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return buffer.getvalue()


def to_xlsx(rows: Iterator[list[Any]]) -> bytes:
    """An Excel workbook (one sheet, header row frozen), written in constant memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.freeze_panes = "A2"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def audited_export(
    session: Session,
    actor: str,
    fmt: str,
    query: str,
    facets: Mapping[str, Any],
    order: Order = "relevance",
) -> str | bytes:
    """An export for a user, recorded in the audit log with its criteria: who took which
    recommendations away, and how to reproduce the file."""
    rows = list(export_rows(session, query, facets, order))
    criteria = {"q": query, "order": order, **{k: list(v) for k, v in facets.items()}}
    audit.record_export(session, actor, "recommendation", len(rows), criteria=criteria, fmt=fmt)
    session.commit()
    return to_xlsx(iter(rows)) if fmt == "xlsx" else to_csv(iter(rows))
