"""Importers of the risk sources: ``rightsdesk import ewp-basedata FILE`` and the seven others
(``formats.SPECS``); ``rightsdesk load ../shared/data`` finds the files by their header.

Every file is parsed whole first (the first bad cell stops the import with its file, line and
field; nothing is written), then compared with the stored rows of its source in one query and
written with bulk statements: new (unit, year) rows inserted, changed ones updated, the others
left with their original Dataset. A file only adds and updates unless ``--replace``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update

from rightsdesk.core.importing import ImportContext, sniff_header
from rightsdesk.interventions.risk.models import RiskRecord
from rightsdesk.interventions.risk.sources.formats import SPECS, Spec, parse_records

#: Rows per bulk statement (SQLite's parameter limit is far above 500 x 9).
CHUNK = 500


class RiskSourceImporter:
    """One risk source format, described by its ``Spec``."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.kind = spec.kind
        self.label = spec.label
        self.source = spec.source
        self.source_url: str | None = spec.source_url
        self.licence: str | None = spec.licence

    def sniff(self, path: Path) -> bool:
        """A CSV file whose first line has all the spec's distinctive columns."""
        if path.suffix.lower() != ".csv":
            return False
        return sniff_header(path, self.spec.sniff, encoding=self.spec.encodings[-1])

    def run(self, ctx: ImportContext) -> None:
        """Parse the whole file, then upsert its rows in bulk (see the module docstring)."""
        records = parse_records(self.spec, ctx.path, ctx.advance)
        ctx.report.rows_read = len(records)
        session = ctx.session
        stored: dict[tuple[str, int], tuple[int, tuple[Any, ...]]] = {}
        stmt = select(
            RiskRecord.id,
            RiskRecord.key,
            RiskRecord.year,
            RiskRecord.code,
            RiskRecord.name,
            RiskRecord.cow,
            RiskRecord.iso3,
            RiskRecord.values,
        ).where(RiskRecord.source == self.kind)
        for row_id, key, year, *rest in session.execute(stmt):
            stored[(key, year)] = (row_id, tuple(rest))
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        dataset_id = ctx.dataset.id
        for r in records:
            seen.add((r.key, r.year))
            fields = (r.code, r.name, r.cow, r.iso3, r.values)
            values = dict(zip(("code", "name", "cow", "iso3", "values"), fields, strict=True))
            old = stored.get((r.key, r.year))
            if old is None:
                new.append(
                    {"source": self.kind, "key": r.key, "year": r.year, **values}
                    | {"dataset_id": dataset_id}
                )
                ctx.report.count("inserted")
            elif old[1] != fields:
                changed.append({"id": old[0], **values, "dataset_id": dataset_id})
                ctx.report.count("updated")
            else:
                ctx.report.count("unchanged")
        table = cast(Table, RiskRecord.__table__)  # Core executemany: faster than ORM bulk
        for start in range(0, len(new), CHUNK):
            session.execute(insert(table), new[start : start + CHUNK])
        for start in range(0, len(changed), CHUNK):
            session.execute(update(RiskRecord), changed[start : start + CHUNK])
        gone = [row_id for k, (row_id, _) in stored.items() if k not in seen]
        if ctx.may_delete(f"{self.kind}", len(gone), len(stored)):
            for start in range(0, len(gone), CHUNK):
                session.execute(
                    delete(RiskRecord).where(RiskRecord.id.in_(gone[start : start + CHUNK]))
                )
            ctx.report.deleted += len(gone)


IMPORTERS: list[RiskSourceImporter] = [RiskSourceImporter(spec) for spec in SPECS]
