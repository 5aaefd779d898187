"""Import formats of the GSP+ conventions and incentives (``rightsdesk import KIND FILE``):

- ``manyenviron-rda``: state memberships in the environmental agreements (manyenviron);
- ``usdol-child-labor-xml``: ILO C138, C182 and the CRC, Yes/No (US Department of Labor);
- ``gsp-conventions-csv``: any convention's status, one row per state x convention x source;
- ``gsp-incentives-csv``: which states benefit from GSP, GSP+ or EBA, since when.

Each parser checks the whole file before the writer touches the store, so a bad file
writes nothing; ``sniff`` looks at names and headers only this form's files have.
"""

from __future__ import annotations

from pathlib import Path

from rightsdesk.core.importing import ImportContext, Importer, head_text, sniff_header
from rightsdesk.sanctions.sources.conventions_store import write_incentives, write_statuses
from rightsdesk.sanctions.sources.gsp_csv import (
    INCENTIVE_COLUMNS,
    STATUS_COLUMNS,
    parse_incentives,
    parse_statuses,
)
from rightsdesk.sanctions.sources.manyenviron_rda import parse_memberships
from rightsdesk.sanctions.sources.usdol_xml import parse_usdol

__all__ = [
    "IMPORTERS",
    "ConventionsCsvImporter",
    "IncentivesCsvImporter",
    "ManyenvironImporter",
    "UsdolImporter",
]


def _exact_header(path: Path, columns: tuple[str, ...]) -> bool:
    """The first line is exactly these columns (so no other form's CSV is taken for ours)."""
    if path.suffix.lower() != ".csv" or not sniff_header(path, columns):
        return False
    first = head_text(path).lstrip("\ufeff").replace("\r", "\n").split("\n", 1)[0]
    return tuple(c.strip().strip('"') for c in first.split(",")) == columns


class ManyenvironImporter:
    """``rightsdesk import manyenviron-rda manyenviron-memberships.rda``."""

    kind = "manyenviron-rda"
    label = "Environmental agreement memberships (manyenviron .rda, ECOLEX data)"
    source = "manyenviron memberships (globalgov/manyenviron, ECOLEX data)"
    source_url: str | None = "https://github.com/globalgov/manyenviron"
    licence: str | None = "CC BY 4.0"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".rda" and path.name.lower().startswith("manyenviron")

    def run(self, ctx: ImportContext) -> None:
        parsed = parse_memberships(ctx.path)
        ctx.report.rows_read += len(parsed.records) + parsed.skipped
        write_statuses(ctx, parsed.records)
        for message in parsed.warnings:
            ctx.warn(message)
        ctx.warn(
            f"{len(parsed.records)} state x agreement statuses of the 8 GSP+ environmental "
            f"agreements; {parsed.skipped} row(s) skipped"
        )


class UsdolImporter:
    """``rightsdesk import usdol-child-labor-xml usdol-child-labor-countries-2021.xml``."""

    kind = "usdol-child-labor-xml"
    label = "ILO C138/C182 and CRC Yes/No (US Department of Labor child-labour findings XML)"
    source = "US Department of Labor, Bureau of International Labor Affairs"
    source_url: str | None = "https://www.dol.gov/agencies/ilab/resources/reports/child-labor"
    licence: str | None = "US government work, public domain"

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".xml":
            return False
        head = head_text(path)
        return "<Countries>" in head and "<Advancement_Level>" in head

    def run(self, ctx: ImportContext) -> None:
        parsed = parse_usdol(ctx.path)
        ctx.report.rows_read += parsed.countries
        write_statuses(ctx, parsed.records)
        ctx.warn(
            f"{len(parsed.records)} statuses (C138, C182, CRC) of {parsed.countries} countries "
            f"and territories, as of the end of {parsed.year}"
        )
        if parsed.skipped:
            ctx.warn("skipped, not states: " + "; ".join(parsed.skipped))


class ConventionsCsvImporter:
    """``rightsdesk import gsp-conventions-csv statuses.csv`` (format: ``gsp_csv``)."""

    kind = "gsp-conventions-csv"
    label = "GSP+ convention statuses: iso3,convention,status,date,as_of,source,note"
    source = "GSP+ convention statuses file (each row names its own source)"
    source_url: str | None = None
    licence: str | None = None

    def sniff(self, path: Path) -> bool:
        return _exact_header(path, STATUS_COLUMNS)

    def run(self, ctx: ImportContext) -> None:
        records = parse_statuses(ctx.path)
        ctx.report.rows_read += len(records)
        write_statuses(ctx, records)


class IncentivesCsvImporter:
    """``rightsdesk import gsp-incentives-csv incentives.csv`` (format: ``gsp_csv``)."""

    kind = "gsp-incentives-csv"
    label = "EU GSP / GSP+ / EBA beneficiaries: iso3,scheme,start_date,end_date,source,note"
    source = "EU GSP arrangements file (each row names its own source)"
    source_url: str | None = None
    licence: str | None = None

    def sniff(self, path: Path) -> bool:
        return _exact_header(path, INCENTIVE_COLUMNS)

    def run(self, ctx: ImportContext) -> None:
        records = parse_incentives(ctx.path)
        ctx.report.rows_read += len(records)
        write_incentives(ctx, records)


IMPORTERS: list[Importer] = [
    ManyenvironImporter(),
    UsdolImporter(),
    ConventionsCsvImporter(),
    IncentivesCsvImporter(),
]
