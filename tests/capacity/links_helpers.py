"""What the links and coverage tests share: the Democratic Republic of the Congo's UPR
recommendations (session 6, 2009) from the real UPR Info export, imported beside the real
IATI files of ``capacity_store`` (CAFOD and DFID report on DR Congo).

The UPR Info file holds 33,000 rows for 56 states; importing all of it takes minutes, so the
tests write the header and DR Congo's rows, bytes unchanged, to their own temporary folder
(never into the repository) and import that.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer

UPR_FILE = ("monitoring", "upr-info", "sessions-6-9.csv")
DRC = "Democratic Republic of Congo"  # as UPR Info writes it


def drc_upr_copy(shared_data: Path, target: Path) -> Path:
    """The header and DR Congo's rows of the real export (bare CR line ends kept)."""
    lines = shared_data.joinpath(*UPR_FILE).read_bytes().split(b"\r")
    kept = [lines[0]] + [line for line in lines[1:] if line.startswith(DRC.encode() + b",")]
    target.write_bytes(b"\r".join(kept))
    return target


def drc_rows(shared_data: Path) -> list[dict[str, str]]:
    """DR Congo's rows as the file gives them (to count what the store must hold)."""
    text = shared_data.joinpath(*UPR_FILE).read_bytes().decode("mac_roman").replace("\r", "\n")
    return [r for r in csv.DictReader(io.StringIO(text)) if r["To"] == DRC]


def load_drc_recommendations(settings: Settings, shared_data: Path, folder: Path) -> None:
    path = drc_upr_copy(shared_data, folder / "upr-drc.csv")
    with session_scope(settings.database_url) as session:
        run_import(session, get_importer("upr-info"), path, actor="test")
