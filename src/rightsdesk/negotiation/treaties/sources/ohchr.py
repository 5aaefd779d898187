"""Importer of the OHCHR ratification dashboard's "underlying data" export (``.xls``).

kind ``ohchr-dashboard``. One sheet per instrument: a title row ("International Covenant on
Economic, Social and Cultural Rights [Last Updated: 10/10/2025 11:26:54]"), a header row
(Country, Date of Signature, Date of Ratification/Accession, Date of acceptance of individual
communications procedure, Date of acceptance of inquiry procedure), one row per state, then
notes. Dates are Excel serial numbers. The standings rank below the UN Treaty Collection
sources (``untc.SOURCE_RANK``: the OHCHR reads them from the depositary, later); the procedure
acceptances are stored as ``Competence`` rows of the protocol or article that sets them up.
Read with xlrd, the reader of the legacy ``.xls`` format.
"""

from __future__ import annotations

import struct
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rightsdesk.core.errors import InputError, MissingColumnError
from rightsdesk.core.importing import ImportContext, Importer, resolve_or_fail
from rightsdesk.negotiation.treaties.instruments import CATALOGUE, ensure_instruments
from rightsdesk.negotiation.treaties.sources.untc import Standing, write_standings
from rightsdesk.negotiation.treaties.sources.untc_facts import CompetenceRec, PageFacts
from rightsdesk.negotiation.treaties.sources.untc_status import write_competences

KIND = "ohchr-dashboard"
HEADER = ("country", "date of signature", "date of ratification")
# treaty -> (instrument, article) of its individual-communications and inquiry procedures
PROCEDURES: dict[str, tuple[tuple[str, str] | None, tuple[str, str] | None]] = {
    "ICESCR": (("OP-ICESCR", "2"), ("OP-ICESCR", "11")),
    "ICCPR": (("ICCPR-OP1", "1"), None),
    "ICERD": (("ICERD", "14"), None),
    "CEDAW": (("OP-CEDAW", "2"), ("OP-CEDAW", "8")),
    "CAT": (("CAT", "22"), ("CAT", "20")),
    "CRC": (("OP-CRC-IC", "5"), ("OP-CRC-IC", "13")),
    "ICMW": (("ICMW", "77"), None),
    "CRPD": (("OP-CRPD", "1"), ("OP-CRPD", "6")),
    "CPED": (("CPED", "31"), ("CPED", "33")),
}


def _xlrd_errors() -> tuple[type[Exception], ...]:
    """What xlrd's parser raises on a damaged file: besides its own XLRDError, the errors of
    whatever it trips on, so each one becomes an InputError naming the file."""
    import xlrd
    from xlrd.compdoc import CompDocError

    return (
        xlrd.XLRDError,
        CompDocError,
        AssertionError,
        IndexError,
        KeyError,
        ValueError,
        TypeError,
        OverflowError,
        UnicodeDecodeError,
        EOFError,
        struct.error,
    )


def _cell_date(
    value: Any, ctype: int, datemode: int, path: Path, line: int, col: str
) -> date | None:
    import xlrd

    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or value in ("", None):
        return None
    if ctype == xlrd.XL_CELL_DATE or ctype == xlrd.XL_CELL_NUMBER:
        day: date = xlrd.xldate_as_datetime(float(value), datemode).date()
        return day
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(f"malformed date {text!r} (expected dd/mm/yyyy)", path, line, col)


class OhchrDashboard:
    """kind ``ohchr-dashboard``: the OHCHR dashboard's export for one treaty (``.xls``)."""

    kind = KIND
    label = "OHCHR ratification dashboard: underlying data of one treaty (.xls)"
    source = "OHCHR, Status of Ratification Interactive Dashboard (underlying data export)"
    source_url: str | None = "https://indicators.ohchr.org/"
    licence: str | None = "none stated"

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".xls" and path.name.startswith("UnderlyingData_")

    def run(self, ctx: ImportContext) -> None:
        import xlrd

        path = ctx.path
        try:
            # xlrd reads every sheet here; on a cut or damaged file its parser fails with
            # whatever it trips on (IndexError, AssertionError, struct.error, CompDocError...)
            book = xlrd.open_workbook(str(path))
            sheet = book.sheet_by_index(0)
        except _xlrd_errors() as exc:
            why = str(exc) or type(exc).__name__
            raise InputError(f"not a readable .xls workbook ({why})", file=path) from exc
        if sheet.nrows < 3:
            raise InputError("the sheet has no data rows", file=path)
        title = str(sheet.cell_value(0, 0)).split("[")[0].strip()
        ref = next((r for r in CATALOGUE if r.name.casefold() == title.casefold()), None)
        if ref is None:
            raise InputError(
                f"unknown treaty {title!r} in the title row; expected the full name of one of "
                "the 9 core treaties",
                path,
                1,
            )
        header = [str(v).strip().casefold() for v in sheet.row_values(1)]
        if len(header) < 3 or any(not header[i].startswith(h) for i, h in enumerate(HEADER)):
            raise MissingColumnError(
                "expected columns Country, Date of Signature, Date of Ratification/Accession; "
                f"found {', '.join(header)}",
                path,
                2,
                "Country",
            )
        individual_col = next((i for i, h in enumerate(header) if "individual" in h), None)
        inquiry_col = next((i for i, h in enumerate(header) if "inquiry" in h), None)
        ensure_instruments(ctx.session)
        standings: dict[tuple[str, str], Standing] = {}
        by_short: dict[str, PageFacts] = {}
        individual, inquiry = PROCEDURES.get(ref.short, (None, None))
        for r in range(2, sheet.nrows):
            line = r + 1
            name = str(sheet.cell_value(r, 0)).strip()
            if not name or name.startswith(("Definitions", "Source")):
                continue
            ctx.report.rows_read += 1
            iso3 = resolve_or_fail(name, path, line, "Country")

            def cell(c: int, label: str, r: int = r, line: int = line) -> date | None:
                if c >= sheet.ncols:
                    return None
                return _cell_date(
                    sheet.cell_value(r, c), sheet.cell_type(r, c), book.datemode, path, line, label
                )

            signed, ratified = cell(1, "Date of Signature"), cell(2, "Date of Ratification")
            if signed or ratified:
                standings[(iso3, ref.short)] = Standing(
                    signature_date=signed,
                    consent_date=ratified,
                    consent_type="ratification" if ratified else None,
                )
            for col, target, procedure in (
                (individual_col, individual, "individual"),
                (inquiry_col, inquiry, "inquiry"),
            ):
                day = cell(col, procedure) if col is not None else None
                if day is None or target is None:
                    continue
                facts = by_short.setdefault(target[0], PageFacts(target[0]))
                facts.competences[(iso3, target[1], "acceptance")] = CompetenceRec(
                    iso3, target[1], procedure, "acceptance", day, None, f"{procedure} procedure"
                )
        write_standings(ctx, KIND, standings)
        for facts in by_short.values():
            write_competences(ctx, facts, KIND)


IMPORTERS: list[Importer] = [OhchrDashboard()]
