"""Fixtures of the events room: the real GDELT export, rows made from it, an ingested copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.interventions.events.schema import NAMES

EXPORT = "events/gdelt/20150218230000.export.CSV"
#: rows of the real export (wc -l), all with 61 columns
EXPORT_ROWS = 2271
TEMPLATE = "int-events-gdelt"


@pytest.fixture(scope="session")
def export_path(shared_data: Path) -> Path:
    path = shared_data / EXPORT
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


@pytest.fixture(scope="session")
def base_row(export_path: Path) -> dict[str, str]:
    """The first row of the real export as column -> text, to build test rows from."""
    first = export_path.read_text(encoding="utf-8").split("\n", 1)[0]
    return dict(zip(NAMES, first.split("\t"), strict=True))


def write_rows(path: Path, base: dict[str, str], rows: list[dict[str, str]]) -> Path:
    """A GDELT export at ``path``: ``base`` with each row's values put over it."""
    lines = ["\t".join({**base, **row}[name] for name in NAMES) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_ingested(shared_data: Path) -> Callable[[Settings], None]:
    """A store template's build: the real export imported through the importer."""

    def build(settings: Settings) -> None:
        from rightsdesk.core.db import session_scope
        from rightsdesk.core.importing import run_import
        from rightsdesk.interventions.events.sources.gdelt import GdeltEventsImporter

        with session_scope(settings.database_url) as db:
            run_import(db, GdeltEventsImporter(settings.data_dir), shared_data / EXPORT)

    return build
