"""``search_programmes`` and ``programme_detail`` on the three real IATI files (both stores):
facets filter and count, the period overlap filter, words for codes, money in its currency,
and the CLI ``capacity programmes``."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.capacity.models import Programme, Recipient, Sector
from rightsdesk.capacity.programmes import programme_detail, search_programmes
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError, NotFoundError
from tests.capacity.conftest import ACTIVITY_COUNTS


def _period(p: Programme) -> tuple[dt.date | None, dt.date | None]:
    return p.actual_start or p.planned_start, p.actual_end or p.planned_end


def test_facets_filter_and_count(capacity_loaded: Session) -> None:
    db = capacity_loaded
    everything = search_programmes(db, per_page=10)
    assert everything.total == sum(ACTIVITY_COUNTS.values()) and len(everything.items) == 10
    assert everything.pages == -(-everything.total // 10)
    donors = {v.value: v for v in everything.facets["donor"]}
    assert donors["GB-1"].count == 205 and donors["GB-CHC-285776"].label == "CAFOD"
    statuses = {v.label for v in everything.facets["status"]}
    assert "Implementation" in statuses and not any(s.isdigit() for s in statuses)

    found = search_programmes(db, recipient=["cod"], sector=["15160"], everything=True)
    assert 0 < found.total < everything.total and len(found.items) == found.total
    for item in found.items:
        iso3s = set(
            db.scalars(select(Recipient.state_iso3).where(Recipient.programme_id == item.id))
        )
        codes = set(db.scalars(select(Sector.code).where(Sector.programme_id == item.id)))
        assert "COD" in iso3s and "15160" in codes
    sector = {v.value: v for v in found.facets["sector"]}
    assert sector["15160"].selected and sector["15160"].label == "Human rights (15160)"
    # a facet counts with the other filters only: the recipient facet still offers others
    assert sector["15160"].count == found.total
    chosen = next(v for v in found.facets["recipient"] if v.value == "COD")
    assert chosen.selected and chosen.count == found.total

    one_donor = search_programmes(db, donor=["GB-1"])
    assert one_donor.total == 205
    assert {v.value: v.count for v in one_donor.facets["donor"]} == {
        v.value: v.count for v in everything.facets["donor"]
    }


def test_period_overlap(capacity_loaded: Session) -> None:
    db = capacity_loaded
    found = search_programmes(db, start="2012", end="2012-12-31", everything=True)
    kept = {i.id for i in found.items}
    assert 0 < len(kept) < sum(ACTIVITY_COUNTS.values())
    lo, hi = dt.date(2012, 1, 1), dt.date(2012, 12, 31)
    for p in db.scalars(select(Programme)):
        start, end = _period(p)
        if start is None and end is None:
            assert p.id not in kept
            continue
        overlaps = (start is None or start <= hi) and (end is None or end >= lo)
        assert (p.id in kept) == overlaps, (p.natural_key, start, end)
    with pytest.raises(InputError):
        search_programmes(db, start="2012-13-01")
    with pytest.raises(InputError):
        search_programmes(db, start="2014", end="2012")


def test_programme_detail_in_words(capacity_loaded: Session) -> None:
    db = capacity_loaded
    pid = db.scalars(
        select(Programme.id).where(Programme.natural_key.like("GB-1-%")).order_by(Programme.id)
    ).first()
    assert pid is not None
    page = programme_detail(db, pid)
    stored = db.get(Programme, pid)
    assert stored is not None and page.iati_identifier == stored.natural_key
    assert len(page.transactions) == len(stored.transactions)
    assert len(page.budgets) == len(stored.budgets)
    for t in page.transactions:
        assert not t.type_label.isdigit() and t.amount.currency
        assert t.amount.usd is None  # no rate stored: no conversion
    for s in page.sectors:
        assert s.name and not s.name.isdigit()
    for o in page.participants:
        assert o.role_label in ("funding", "accountable", "extending", "implementing")
    # totals per year and currency add up the lines
    for total in page.totals:
        lines = [
            t.amount.value
            for t in page.transactions
            if t.type_label == total.what
            and t.year == total.year
            and t.amount.currency == total.currency
        ]
        if lines:
            assert total.total == pytest.approx(sum(lines))
    assert page.dataset is not None and page.dataset.kind == "iati-activities"
    assert isinstance(page.links, list)
    with pytest.raises(NotFoundError):
        programme_detail(db, 10**8)


def test_cli_programmes(capacity_store: Settings) -> None:
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": capacity_store.secret_key, "COLUMNS": "160"}
    db = ["--database", capacity_store.database_url]
    out = runner.invoke(
        app,
        [
            *db,
            "capacity",
            "programmes",
            "--recipient",
            "DR Congo",
            "--sector",
            "15160",
            "--format",
            "json",
        ],
        env=env,
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows and all("Democratic Republic of the Congo" in r["recipients"] for r in rows)
    csv_out = runner.invoke(
        app, [*db, "capacity", "programmes", "--donor", "GB-1", "--format", "csv"], env=env
    )
    assert csv_out.exit_code == 0, csv_out.output
    assert len(csv_out.stdout.strip().splitlines()) == 1 + 205
    bad = runner.invoke(app, [*db, "capacity", "programmes", "--from", "soon"], env=env)
    assert bad.exit_code == 65 and "soon" in bad.output


def test_regions_are_named(capacity_loaded: Session) -> None:
    found = search_programmes(capacity_loaded, everything=True)
    labels = {r for item in found.items for r in item.recipients}
    assert "Developing countries, unspecified" in labels  # IATI region 998
    assert not [r for r in labels if any(ch.isdigit() for ch in r)]
