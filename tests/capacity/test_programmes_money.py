"""Exchange rates for display (``exchange-rates``) and ``money.RateBook``: an amount keeps its
currency; a USD equivalent appears only with a stored rate of the value date or its year, and
then names the rate and its source. The shared data holds no rates file, so these tests write
a small one in the documented format ``currency,date,per_usd,source``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightsdesk.capacity.models import Rate
from rightsdesk.capacity.money import RateBook
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.forms import detect_importer
from tests.capacity.conftest import import_file

RATES = """currency,date,per_usd,source
EUR,2020-05-04,0.9168,ECB reference rate
EUR,2019,0.8933,IMF IFS period average
GBP,2021-03-01,0.7186,Bank of England
"""


def _write(tmp_path: Path, text: str, name: str = "rates.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rates_import_and_display(settings: Settings, tmp_path: Path) -> None:
    path = _write(tmp_path, RATES)
    found = detect_importer(path)
    assert found is not None and found.kind == "exchange-rates"
    report = import_file(settings, "exchange-rates", path)
    assert report.inserted == 3
    again = import_file(settings, "exchange-rates", path, force=True)
    assert (again.inserted, again.unchanged) == (0, 3)
    with session_scope(settings.database_url) as s:
        assert s.scalar(select(func.count(Rate.id))) == 3
        book = RateBook(s)
        day = book.show(Decimal("1000.00"), "EUR", dt.date(2020, 5, 4))
        assert day.text == "1,000.00 EUR" and day.usd == pytest.approx(1000 / 0.9168)
        assert day.usd_text is not None and "ECB reference rate" in day.usd_text
        assert "0.9168 EUR per USD" in day.usd_text
        year = book.show(Decimal("500"), "eur", dt.date(2019, 8, 1))
        assert year.rate == 0.8933 and year.rate_date == dt.date(2019, 1, 1)
        assert year.usd_text is not None and "yearly average 2019" in year.usd_text
        assert "IMF IFS" in year.usd_text
        # no rate for that day nor that year: the amount alone
        none = book.show(Decimal("500"), "EUR", dt.date(2018, 8, 1))
        assert none.usd is None and none.usd_text is None and none.text == "500.00 EUR"
        assert book.show(Decimal("5"), "CHF", dt.date(2020, 5, 4)).usd is None
        assert book.show(Decimal("5"), "EUR", None).usd is None  # no value date, no rate
        usd = book.show(Decimal("5"), "USD", dt.date(2020, 5, 4))
        assert usd.usd is None and usd.text == "5.00 USD"
        assert "not stated" in book.show(Decimal("5"), None, None).text


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("EUR,2020-05-04,-1,ECB", "per_usd", "positive"),
        ("EURO,2020-05-04,0.9,ECB", "currency", "ISO 4217"),
        ("EUR,05/04/2020,0.9,ECB", "date", "YYYY-MM-DD"),
        ("EUR,2020-05-05,0.9,", "source", "source"),
        ("EUR,2020-05-04,0.92,ECB again", "date", "twice"),
    ],
)
def test_bad_rates_are_refused(
    sqlite_settings: Settings, tmp_path: Path, line: str, field: str, words: str
) -> None:
    path = _write(tmp_path, RATES + line + "\n")
    with pytest.raises(InputError) as info:
        import_file(sqlite_settings, "exchange-rates", path)
    assert info.value.location.line == 5 and info.value.location.field == field
    assert words in info.value.message
    with session_scope(sqlite_settings.database_url) as s:
        assert s.scalar(select(func.count(Rate.id))) == 0
