"""A state's human rights related aid (``capacity.aid``) on the real CRS files: the amounts, the
regional group compared per year with the members of that year (dated membership, never
today's), the CLI ``capacity aid`` and the chart spec."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.capacity.aid import HR_SECTORS, state_aid
from rightsdesk.capacity.models import CrsAid
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory, session_scope
from rightsdesk.core.groups import GroupMembership, members_at
from rightsdesk.core.states import State
from rightsdesk.reports.capacity_charts import state_aid_chart
from tests.capacity.test_crs_import import crs_file, load_crs


@pytest.fixture(scope="module")
def crs_store(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A SQLite store with the five CRS files (the PostgreSQL run is in test_crs_import)."""
    from rightsdesk.core.db import dispose_engine
    from rightsdesk.store import init_store
    from tests.conftest import make_settings

    tmp = tmp_path_factory.mktemp("crs")
    url = f"sqlite:///{tmp / 'crs.db'}"
    s = make_settings(url, tmp)
    init_store(s)
    load_crs(s, shared_data)
    yield s
    dispose_engine(url)


@pytest.fixture
def db(crs_store: Settings) -> Iterator[Session]:
    session = session_factory(crs_store.database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def _hr_by_state(db: Session, year: int) -> dict[str, float]:
    rows = db.execute(
        select(CrsAid.state_iso3, func.sum(CrsAid.amount_usd_m))
        .where(CrsAid.year == year, CrsAid.sector_code.in_(list(HR_SECTORS)))
        .group_by(CrsAid.state_iso3)
    ).all()
    return {str(i): float(v) for i, v in rows if i}


def _recipients(db: Session, year: int) -> set[str]:
    return {
        str(i)
        for i in db.scalars(select(CrsAid.state_iso3).where(CrsAid.year == year).distinct())
        if i
    }


def test_state_aid_amounts(db: Session, shared_data: Path) -> None:
    aid = state_aid(db, "Kenya")
    assert aid.iso3 == "KEN" and [y.year for y in aid.years] == [2013, 2014, 2015, 2016, 2017]
    y2015 = next(y for y in aid.years if y.year == 2015)
    amounts = {s.code: s.amount for s in y2015.sectors}
    assert amounts["15160"] == pytest.approx(17.5087217)  # the file's cell
    assert "15180" not in amounts  # the code does not exist before 2016
    assert y2015.human_rights == pytest.approx(sum(amounts.values()))
    assert y2015.human_rights_share == pytest.approx(y2015.human_rights / y2015.total)
    assert y2015.category_151 >= y2015.human_rights
    assert {s.name for s in y2015.sectors} >= {"Human rights"}
    assert aid.unit == "USD million" and "current or constant" in aid.unit_note


def test_group_median_uses_the_members_of_each_year(db: Session) -> None:
    before = state_aid(db, "KEN")
    for y in before.years:
        members = members_at(db, "UN-AFRICA", dt.date(y.year, 7, 1))
        assert y.group == "UN-AFRICA" and y.group_members == len(members)
        hr = _hr_by_state(db, y.year)
        values = [hr.get(m, 0.0) for m in sorted(set(members) & _recipients(db, y.year))]
        assert y.group_recipients == len(values)
        assert y.group_median == pytest.approx(statistics.median(values))
        assert y.group_mean == pytest.approx(statistics.fmean(values))
    # Nigeria leaves the African Group from 2016 (in this test's session only): 2013-2015
    # keep it, 2016-2017 do not; today's membership would give one answer for every year
    period = db.scalars(
        select(GroupMembership).where(
            GroupMembership.grouping_code == "UN-AFRICA", GroupMembership.iso3 == "NGA"
        )
    ).one()
    period.end_date = dt.date(2016, 1, 1)
    period.end_year = 2016
    db.flush()
    after = {y.year: y for y in state_aid(db, "KEN").years}
    for y in before.years:
        if y.year < 2016:
            assert after[y.year].group_recipients == y.group_recipients
            assert after[y.year].group_median == pytest.approx(y.group_median)
        else:
            assert after[y.year].group_recipients == y.group_recipients - 1
            assert after[y.year].group_members == y.group_members - 1
    nigeria = {y.year: y for y in state_aid(db, "NGA").years}
    assert nigeria[2015].group == "UN-AFRICA" and nigeria[2016].group is None


def test_state_outside_the_files_and_chart(db: Session) -> None:
    norway = state_aid(db, "NOR")
    assert all(not y.recipient and y.human_rights == 0 for y in norway.years)
    assert state_aid_chart(norway) is None
    spec = state_aid_chart(state_aid(db, "KEN"))
    assert spec is not None and len(spec["layer"]) == 2
    text = json.dumps(spec)
    assert "Human rights" in text and "African" in text and "15160" not in text


def test_cli_aid(crs_store: Settings) -> None:
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": crs_store.secret_key, "COLUMNS": "160"}
    db = ["--database", crs_store.database_url]
    out = runner.invoke(app, [*db, "capacity", "aid", "KEN", "--format", "json"], env=env)
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["iso3"] == "KEN" and len(data["years"]) == 5
    csv_out = runner.invoke(app, [*db, "capacity", "aid", "Kenya", "--format", "csv"], env=env)
    assert csv_out.exit_code == 0, csv_out.output
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("year,15160,15150,15170,15180,human_rights")
    assert lines[3].startswith("2015,17.509")
    table = runner.invoke(app, [*db, "capacity", "aid", "KEN"], env=env)
    assert table.exit_code == 0 and "Kenya" in table.stdout
    unknown = runner.invoke(app, [*db, "capacity", "aid", "Atlantis"], env=env)
    assert unknown.exit_code != 0 and "Atlantis" in unknown.output


def test_every_state_label_is_in_the_store(crs_store: Settings) -> None:
    with session_scope(crs_store.database_url) as s:
        stored = set(s.scalars(select(CrsAid.state_iso3).distinct()))
        known = set(s.scalars(select(State.iso3)))
    assert None in stored and (stored - {None}) <= known
    assert len(stored - {None}) >= 140


def test_years_come_from_file_names(shared_data: Path) -> None:
    from rightsdesk.capacity.sources.crs import file_year

    assert [file_year(crs_file(shared_data, y)) for y in (2013, 2017)] == [2013, 2017]
