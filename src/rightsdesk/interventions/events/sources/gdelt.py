"""Importer of GDELT 2.0 event exports: ``rightsdesk import gdelt-events FILE`` and
``rightsdesk load`` (which recognises a 61-column tab-separated export, or a zip of one).

The events go to Parquet under the data folder (``DATA/events/gdelt``), not into the store;
the store records the export and the monthly figures (``service.ingest_paths``). Bad rows
are counted as rejected and listed with their line in the import's messages.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from rightsdesk.core.importing import ImportContext, head_text
from rightsdesk.interventions.events.service import events_dir, ingest_paths

KIND = "gdelt-events"
#: The first cells of a GDELT 2.0 event row: GLOBALEVENTID, SQLDATE, MonthYear, Year.
_FIRST_CELLS = re.compile(r"^\d+\t\d{8}\t\d{6}\t\d{4}\t")


def looks_like_export(first_line: str) -> bool:
    """Whether a line is a GDELT 2.0 event row: 61 tab-separated cells starting with an id
    and a YYYYMMDD date."""
    return bool(_FIRST_CELLS.match(first_line)) and first_line.rstrip("\r\n").count("\t") == 60


def _first_line(path: Path) -> str:
    """The first line of the file, or of the single member of a zip."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.infolist() if not m.is_dir()]
                if len(members) != 1:
                    return ""
                with archive.open(members[0]) as handle:
                    return handle.read(8192).decode("utf-8", "replace").split("\n", 1)[0]
        except (zipfile.BadZipFile, OSError):
            return ""
    return head_text(path, size=8192).split("\n", 1)[0]


class GdeltEventsImporter:
    """GDELT 2.0 event exports (``YYYYMMDDHHMMSS.export.CSV``, zipped or not)."""

    kind = KIND
    label = "GDELT 2.0 event export"
    source = "GDELT Project, GDELT 2.0 Event Database"
    source_url: str | None = "https://www.gdeltproject.org/data.html#rawdatafiles"
    licence: str | None = "GDELT: free for any use with attribution"
    #: tab-separated and never quoted: a lone ``"`` in a source URL is data, not a cut file
    quoted = False

    def __init__(self, data_dir: Path | None = None) -> None:
        #: the data folder; None: the settings' (read when an import runs)
        self.data_dir = data_dir

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() not in (".csv", ".zip", ".tsv", ".txt"):
            return False
        return looks_like_export(_first_line(path))

    def run(self, ctx: ImportContext) -> None:
        from rightsdesk.core.config import load_settings

        data_dir = self.data_dir or load_settings().data_dir
        (result,) = ingest_paths(
            ctx.session, [ctx.path], events_dir(data_dir), dataset_id=ctx.dataset.id
        )
        if result.skipped:
            ctx.warn(f"export {result.name} was ingested before with the same content")
            return
        ctx.report.rows_read = result.rows + result.rejected
        ctx.report.inserted = result.rows
        ctx.report.rejected = result.rejected
        for message in result.messages():
            ctx.warn(message)
        ctx.warn(
            f"{result.rows} events {result.first_date} to {result.last_date} "
            f"written to {events_dir(data_dir)}"
        )
