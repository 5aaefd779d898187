"""Search results as CSV or XLSX, with the same columns in both, for analysts' spreadsheets.

Exports take the same query and filters as the search page and write every match (up to
``MAX_ROWS``), not only the page on screen; each row names its source dataset so a figure
taken from the spreadsheet can still be traced.

Cells hold words, not codes: states by their UN short names (the ISO3 codes in columns of
their own, for joins), the response in the common vocabulary with the source's word beside
it, and one column per taxonomy of themes (no "upr-info:" prefixes). The CSV starts with a
UTF-8 byte order mark, without which Excel reads it as ANSI and garbles "Côte d'Ivoire"; the
workbook has a frozen header, an autofilter and column widths fitted to the contents.
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
from rightsdesk.monitoring.recommendations.search import (
    Order,
    search_ids,
    state_names,
    themes_by_taxonomy,
)

__all__ = ["BOM", "COLUMNS", "MAX_ROWS", "export_rows", "to_csv", "to_xlsx"]

MAX_ROWS = 100_000
BOM = "\ufeff"
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
    "recommending_iso3",
    "response",
    "response_in_source",
    "action_category",
    "upr_info_issues",
    "uhri_themes",
    "sdg_targets",
    "affected_persons",
    "source",
]
# widest column of the workbook, in characters (texts wrap to it in Excel)
_MAX_WIDTH = 80


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
            themes = themes_by_taxonomy(r)
            recommending = sorted(
                r.recommending_states, key=lambda s: names.get(s.iso3, s.iso3).casefold()
            )
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
                "; ".join(names.get(s.iso3, s.iso3) for s in recommending),
                "; ".join(s.iso3 for s in recommending),
                "; ".join(sorted({x.response for x in r.responses})),
                "; ".join(sorted({x.source_word or x.response for x in r.responses})),
                r.action_category,
                "; ".join(themes["upr-info"]),
                "; ".join(themes["uhri"]),
                "; ".join(themes["sdg"]),
                "; ".join(themes["affected-persons"]),
                sources.get(r.dataset_id or 0, ""),
            ]


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: a text starting with = + - @ is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(rows: Iterator[list[Any]], bom: bool = False) -> str:
    """CSV text with a header row; with ``bom`` (the web download) it starts with a byte
    order mark so that Excel opens it as UTF-8 (``encoding="utf-8-sig"`` reads it back). The
    CLI writes to a terminal or a pipe, where a BOM would only be in the way."""
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else _safe_cell(v) for v in row])
    return buffer.getvalue()


def _widths(rows: list[list[Any]]) -> list[int]:
    """Each column's width in characters: its longest cell (the header included), from 6
    to ``_MAX_WIDTH``."""
    widths = [len(name) for name in COLUMNS]
    for row in rows:
        for i, value in enumerate(row):
            if value is not None:
                widths[i] = max(widths[i], len(str(value)))
    return [min(_MAX_WIDTH, max(6, w + 2)) for w in widths]


def to_xlsx(rows: Iterator[list[Any]]) -> bytes:
    """An Excel workbook: one sheet, the header row frozen and filterable, columns as wide
    as their contents (up to ``_MAX_WIDTH``, longer texts wrap)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    data = [[_safe_cell(v) for v in row] for row in rows]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("recommendations")
    sheet.freeze_panes = "A2"
    for i, width in enumerate(_widths(data), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    last = f"{get_column_letter(len(COLUMNS))}{len(data) + 1}"
    sheet.auto_filter.ref = f"A1:{last}"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    text_column = COLUMNS.index("text")
    for row in data:
        cells: list[Any] = list(row)
        cell = WriteOnlyCell(sheet, value=row[text_column])
        cell.alignment = wrap
        cells[text_column] = cell
        sheet.append(cells)
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
    return to_xlsx(iter(rows)) if fmt == "xlsx" else to_csv(iter(rows), bom=True)
