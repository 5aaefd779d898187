"""OECD CRS aggregates: aid received per recipient, DAC sector and year (``oecd-crs-sectors``).

The files (``crs_YYYY_sectors.csv``, 2013-2017, as distributed with d-portal) are pivot tables:
one row per recipient, one column per DAC purpose code, amounts in USD million. Why this module
reads them with care: the five years were exported by different tools and differ in shape --

- the recipient column is "Row Labels" (2013, an Excel pivot that also has "Grand Total"),
  ``recipient_name`` (2014), ``recipient_code`` + ``recipient_name`` (2015) or
  ``RecipientCode`` + ``RecipientName`` (2016, 2017; the 2017 file starts with a BOM);
- 3-digit columns (151) hold what donors reported at the category level only, 5-digit columns
  (15160) the purpose codes: the two are disjoint (their sum is the 2013 "Grand Total", which
  is checked, not stored), so the whole of a category is the 3-digit cell plus its 5-digit ones;
- the 2015 file ends with psql output ("(163 rows)", "DROP TABLE"): rows without a recipient
  and without amounts are skipped and named in the import's notes.

No file holds its year: the file name is the contract (``crs_2015_sectors.csv`` is 2015), and
a file named otherwise is refused. Recipient names resolve through the one state resolver;
regional and "unspecified" rows, totals and the few territories that receive aid but are not
states (``TERRITORIES``) are stored with no state. Any other name that does not resolve stops
the import with the list of such names: a recipient is never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, insert, select, update

from rightsdesk.capacity.models import CrsAid
from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.importing import ImportContext, Importer, head_text, iter_csv
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.states import State

KIND = "oecd-crs-sectors"
FILE_NAME = re.compile(r"^crs_(\d{4})_sectors\.csv$", re.IGNORECASE)
#: The recipient's label column, as each year's export named it.
LABEL_COLUMNS = ("Row Labels", "recipient_name", "RecipientName")
#: The OECD's numeric recipient code, present in some years; not stored (the label is).
CODE_COLUMNS = ("recipient_code", "RecipientCode")
GRAND_TOTAL = "Grand Total"
SECTOR = re.compile(r"^\d{3}(\d{2})?$")
#: Rows that are not a state: regions, "unspecified" recipients and totals.
NOT_A_STATE = re.compile(
    r",\s*(regional|unspecified)$|\bunspecified$|^states ex-yugoslavia|^(grand )?total$"
    r"|^all (developing countries|recipients)",
    re.IGNORECASE,
)
#: Territories that receive aid but are no state (non-self-governing or dependent territories);
#: stored with no ISO3 like regions. Documented here so that a new one is a visible decision.
TERRITORIES = frozenset(
    {
        "Anguilla",
        "Mayotte",
        "Montserrat",
        "Saint Helena",
        "Tokelau",
        "Turks and Caicos Islands",
        "Wallis and Futuna",
    }
)
#: Amounts this far apart are the same (USD million: a thousandth is a thousand dollars).
TOTAL_TOLERANCE = 0.001
#: The unit of every amount, as pages state it.
UNIT = "USD million"
UNIT_NOTE = (
    "USD million, as the OECD CRS aggregate files distributed with d-portal give them; the "
    "files do not say whether prices are current or constant"
)


def file_year(path: Path) -> int:
    """The year of a ``crs_YYYY_sectors.csv`` file, from its name (the files hold no year)."""
    match = FILE_NAME.match(path.name)
    if match is None:
        raise InputError(
            "an OECD CRS sector file must be named crs_YYYY_sectors.csv: the year is read "
            "from the name (the file itself holds none)",
            file=path,
        )
    year = int(match.group(1))
    if not 1960 <= year <= dt.date.today().year:
        raise InputError(f"implausible year {year} in the file name", file=path)
    return year


def _header(path: Path) -> list[str]:
    first = head_text(path).replace("\r", "\n").split("\n", 1)[0]
    return [c.strip().strip('"') for c in first.split(",")]


def _amount(text: str, path: Path, line: int, column: str) -> float | None:
    """A cell's amount in USD million, None when empty; an error names line and column."""
    value = text.strip()
    if not value:
        return None
    try:
        amount = float(value)
    except ValueError:
        amount = math.nan
    if not math.isfinite(amount):
        raise InputError(
            f"not a number: {value!r} (an amount in USD million is expected)",
            file=path,
            line=line,
            field=column,
        )
    return amount


def recipient_state(label: str) -> str | None:
    """ISO3 of a recipient label; None for regions, totals and ``TERRITORIES``.

    Raises UnknownStateError (or AmbiguousStateError) for a name that looks like a state but
    does not resolve, so the caller can list every such name at once.
    """
    if NOT_A_STATE.search(label) or label in TERRITORIES:
        return None
    return resolve_state(label)


class CrsSectorsImporter:
    """``rightsdesk import oecd-crs-sectors crs_2015_sectors.csv``."""

    kind = KIND
    label = "OECD CRS aggregates: aid received per recipient and DAC sector in one year"
    source = "OECD Creditor Reporting System aggregates (via IATI d-portal)"
    source_url: str | None = "https://github.com/IATI/D-Portal"
    licence: str | None = "OECD terms and conditions"

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv" or not FILE_NAME.match(path.name):
            return False
        header = _header(path)
        return bool(set(header) & set(LABEL_COLUMNS)) and "15160" in header

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        year = file_year(path)
        header = _header(path)
        label_col = next((c for c in LABEL_COLUMNS if c in header), None)
        if label_col is None:
            raise InputError(
                f"no recipient column (one of {', '.join(LABEL_COLUMNS)})", file=path, line=1
            )
        allowed = {label_col, GRAND_TOTAL, *CODE_COLUMNS}
        odd = [c for c in header if c not in allowed and not SECTOR.match(c)]
        if odd:
            raise InputError(
                f"unexpected column(s) {', '.join(map(repr, odd))}: expected DAC purpose "
                "codes (3 or 5 digits) after the recipient",
                file=path,
                line=1,
                field=odd[0],
            )
        sectors = [c for c in header if SECTOR.match(c)]
        known_states = set(ctx.session.scalars(select(State.iso3)))
        parsed: list[tuple[int, str, str | None, dict[str, float]]] = []
        unresolved: list[str] = []
        seen: dict[str, int] = {}
        state_rows: dict[str, tuple[str, int]] = {}
        for row in iter_csv(path, [label_col]):
            ctx.report.rows_read += 1
            label = row.get(label_col)
            amounts = {}
            for code in sectors:
                amount = _amount(row.get(code), path, row.line, code)
                if amount is not None:
                    amounts[code] = amount
            if not label:
                if amounts:
                    raise InputError(
                        "amounts without a recipient", file=path, line=row.line, field=label_col
                    )
                ctx.warn(f"line {row.line}: skipped, no recipient and no amount")
                continue
            if label in seen:
                raise InputError(
                    f"recipient {label!r} is listed twice (first on line {seen[label]})",
                    file=path,
                    line=row.line,
                    field=label_col,
                )
            seen[label] = row.line
            self._check_total(row.get(GRAND_TOTAL), amounts, path, row.line)
            try:
                iso3 = recipient_state(label)
            except UnknownStateError as exc:
                unresolved.append(f"line {row.line}: {exc.message}")
                continue
            if iso3 is not None:
                if iso3 not in known_states:
                    unresolved.append(f"line {row.line}: {label!r} ({iso3}) is not in the store")
                    continue
                if iso3 in state_rows:
                    first, line = state_rows[iso3]
                    raise InputError(
                        f"{label!r} and {first!r} (line {line}) are the same state ({iso3})",
                        file=path,
                        line=row.line,
                        field=label_col,
                    )
                state_rows[iso3] = (label, row.line)
                if "\ufffd" in label:
                    ctx.warn(f"line {row.line}: {label!r} is damaged in the file; read as {iso3}")
            parsed.append((row.line, label, iso3, amounts))
        if unresolved:
            raise InputError(
                f"{len(unresolved)} recipient name(s) are neither a state nor a known region "
                "or territory (add an alias to the state reference data, or the name to "
                "capacity.sources.crs.TERRITORIES): " + "; ".join(unresolved),
                file=path,
                field=label_col,
            )
        if not parsed:
            raise InputError("the file lists no recipient", file=path, line=2)
        self._store(ctx, year, parsed)

    @staticmethod
    def _check_total(text: str, amounts: dict[str, float], path: Path, line: int) -> None:
        """The "Grand Total" cell (2013) must be the sum of the sector cells."""
        total = _amount(text, path, line, GRAND_TOTAL)
        if total is None:
            return
        summed = sum(amounts.values())
        if abs(total - summed) > TOTAL_TOLERANCE:
            raise InputError(
                f"the Grand Total {total:g} is not the sum of the sector amounts ({summed:g}): "
                "a cell is missing or altered",
                file=path,
                line=line,
                field=GRAND_TOTAL,
            )

    @staticmethod
    def _store(
        ctx: ImportContext, year: int, parsed: list[tuple[int, str, str | None, dict[str, float]]]
    ) -> None:
        """Upsert the year's amounts in bulk (about 18,000 cells a year: one ORM object per
        cell took over a minute for the five files)."""
        rows = ctx.session.execute(
            select(
                CrsAid.id,
                CrsAid.recipient,
                CrsAid.sector_code,
                CrsAid.state_iso3,
                CrsAid.amount_usd_m,
            ).where(CrsAid.year == year)
        ).all()
        stored = {(r.recipient, r.sector_code): r for r in rows}
        listed: set[tuple[str, str]] = set()
        new: list[dict[str, object]] = []
        changed: list[dict[str, object]] = []
        for _line, label, iso3, amounts in parsed:
            for code, amount in amounts.items():
                key = (label, code)
                listed.add(key)
                values = {"state_iso3": iso3, "amount_usd_m": amount}
                old = stored.get(key)
                if old is None:
                    new.append({"year": year, "recipient": label, "sector_code": code, **values})
                elif old.state_iso3 != iso3 or old.amount_usd_m != amount:
                    changed.append({"id": old.id, **values})
                else:
                    ctx.report.unchanged += 1
        dataset = ctx.dataset.id
        if new:
            # the table, not the class: a plain executemany (batched by the driver dialect),
            # without the ORM's per-row bookkeeping
            table = cast(Table, CrsAid.__table__)
            ctx.session.execute(insert(table), [{**v, "dataset_id": dataset} for v in new])
        if changed:
            ctx.session.execute(update(CrsAid), [{**v, "dataset_id": dataset} for v in changed])
        ctx.report.inserted += len(new)
        ctx.report.updated += len(changed)
        omitted = [r.id for k, r in stored.items() if k not in listed]
        if ctx.may_delete(f"CRS {year} aid", len(omitted), len(stored)):
            ctx.session.execute(delete(CrsAid).where(CrsAid.id.in_(omitted)))
            ctx.report.deleted += len(omitted)
        states = sum(1 for p in parsed if p[2] is not None)
        ctx.warn(
            f"{year}: {len(parsed)} recipients ({states} states, {len(parsed) - states} regions, "
            f"territories or unspecified), {len(listed)} amounts in {UNIT}"
        )


IMPORTERS: list[Importer] = [CrsSectorsImporter()]
