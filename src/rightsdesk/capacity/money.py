"""Amounts for display: in the currency the source used, with a US dollar equivalent only when
a rate for the value date (or that year's average) is stored, and then with the rate and its
source named next to it.

Why never convert silently: IATI publishers report in their own currency with a value date; a
figure in dollars without the rate behind it cannot be checked, and two pages using different
rates would disagree without saying why. Rates come from ``sources/rates.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import Rate
from rightsdesk.web.schemas import ApiModel


class MoneyOut(ApiModel):
    """An amount as the source gave it, and its US dollar equivalent when a rate is stored."""

    value: float
    currency: str | None = Field(description="ISO 4217 code as the source gave it.")
    value_date: dt.date | None
    text: str = Field(description="The amount in its own currency, for display.")
    usd: float | None = Field(description="US dollar equivalent; null without a stored rate.")
    rate: float | None = Field(description="Units of the currency per US dollar used.")
    rate_date: dt.date | None = Field(description="The rate's day (1 January: yearly average).")
    rate_source: str | None
    usd_text: str | None = Field(description="The equivalent with its rate and source.")


class RateBook:
    """The stored rates, read once per page (the table is small): ``(currency, day) -> Rate``."""

    def __init__(self, session: Session) -> None:
        self._rates = {(r.currency, r.date): r for r in session.scalars(select(Rate))}

    def find(self, currency: str, day: dt.date) -> Rate | None:
        """The rate of ``day``, else the yearly average of its year (stored on 1 January)."""
        return self._rates.get((currency, day)) or self._rates.get(
            (currency, dt.date(day.year, 1, 1))
        )

    def show(
        self, value: Decimal | float, currency: str | None, value_date: dt.date | None
    ) -> MoneyOut:
        """``value`` in ``currency`` for display, with the USD equivalent when possible."""
        amount = float(value)
        code = (currency or "").upper() or None
        text = f"{amount:,.2f} {code}" if code else f"{amount:,.2f} (currency not stated)"
        out = MoneyOut(
            value=amount,
            currency=code,
            value_date=value_date,
            text=text,
            usd=None,
            rate=None,
            rate_date=None,
            rate_source=None,
            usd_text=None,
        )
        if code is None or code == "USD" or value_date is None:
            return out
        rate = self.find(code, value_date)
        if rate is None:
            return out
        usd = amount / rate.per_usd
        kind = "yearly average" if rate.date == dt.date(rate.date.year, 1, 1) else "rate"
        when = str(rate.date.year) if kind == "yearly average" else rate.date.isoformat()
        out.usd = usd
        out.rate = rate.per_usd
        out.rate_date = rate.date
        out.rate_source = rate.source
        out.usd_text = (
            f"≈ {usd:,.2f} USD at {rate.per_usd:g} {code} per USD ({kind} {when}, {rate.source})"
        )
        return out
