"""Exchange rates for display (``exchange-rates``): what a programme's amounts are worth in US
dollars, shown next to the amount in its own currency, never stored in its place.

The format is a CSV file with exactly the header ``currency,date,per_usd,source``:

- ``currency``: ISO 4217 code (``EUR``);
- ``date``: ``YYYY-MM-DD`` for a day's rate, or ``YYYY`` for a yearly average (stored as the
  year's 1 January, as ``models.Rate`` documents);
- ``per_usd``: units of the currency per US dollar (``0.9142``), positive;
- ``source``: who published the rate (``IMF IFS, period average``), shown on every page that
  uses it.

Why a file and not a feed: the workbench runs offline, and a rate whose source cannot be named
must not be used. The shared data holds no rates file; an office writes its own.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from sqlalchemy import select

from rightsdesk.capacity.models import Rate
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ImportContext, Importer, iter_csv, sniff_header

KIND = "exchange-rates"
COLUMNS = ("currency", "date", "per_usd", "source")
CURRENCY = re.compile(r"^[A-Z]{3}$")
YEAR = re.compile(r"^\d{4}$")


def _date(text: str, path: Path, line: int) -> dt.date:
    if YEAR.match(text):
        return dt.date(int(text), 1, 1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"malformed date {text!r} (expected YYYY-MM-DD, or YYYY for a yearly average)",
            file=path,
            line=line,
            field="date",
        ) from None


def _rate(text: str, path: Path, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise InputError(
            f"not a positive number: {text!r} (units of the currency per US dollar)",
            file=path,
            line=line,
            field="per_usd",
        )
    return value


class ExchangeRatesImporter:
    """``rightsdesk import exchange-rates rates.csv``."""

    kind = KIND
    label = "Exchange rates for display: currency,date,per_usd,source"
    source = "exchange rates file (each row names its own source)"
    source_url: str | None = None
    licence: str | None = None

    def sniff(self, path: Path) -> bool:
        return path.suffix.lower() == ".csv" and sniff_header(path, COLUMNS)

    def run(self, ctx: ImportContext) -> None:
        path = ctx.path
        rows: dict[tuple[str, dt.date], tuple[float, str]] = {}
        lines: dict[tuple[str, dt.date], int] = {}
        for row in iter_csv(path, COLUMNS):
            ctx.report.rows_read += 1
            currency = row.get("currency").upper()
            if not CURRENCY.match(currency):
                raise InputError(
                    f"not an ISO 4217 currency code: {row.get('currency')!r}",
                    file=path,
                    line=row.line,
                    field="currency",
                )
            day = _date(row.get("date"), path, row.line)
            per_usd = _rate(row.get("per_usd"), path, row.line)
            source = row.get("source")
            if not source:
                raise InputError(
                    "the rate's source is missing (a rate is only shown with its source)",
                    file=path,
                    line=row.line,
                    field="source",
                )
            key = (currency, day)
            if key in rows:
                raise InputError(
                    f"{currency} on {day} is listed twice (first on line {lines[key]})",
                    file=path,
                    line=row.line,
                    field="date",
                )
            rows[key] = (per_usd, source[:300])
            lines[key] = row.line
        if not rows:
            raise InputError("the file lists no rate", file=path, line=2)
        stored = {(r.currency, r.date): r for r in ctx.session.scalars(select(Rate))}
        for (currency, day), (per_usd, source) in rows.items():
            ctx.upsert(
                stored.get((currency, day)),
                Rate,
                {"currency": currency, "date": day},
                {"per_usd": per_usd, "source": source},
            )
        days = [k[1] for k in rows]
        ctx.dataset.period_start = min(days)
        ctx.dataset.period_end = max(days)
        omitted = [r for k, r in stored.items() if k not in rows]
        if ctx.may_delete("exchange rate", len(omitted), len(stored)):
            for rate in omitted:
                ctx.session.delete(rate)
                ctx.report.deleted += 1
        currencies = sorted({k[0] for k in rows})
        ctx.warn(f"{len(rows)} rates of {', '.join(currencies)}, {min(days)} to {max(days)}")


IMPORTERS: list[Importer] = [ExchangeRatesImporter()]
