"""Coverage of DR Congo's supported recommendations (real UPR Info rows) by the real IATI
programmes, implementation actions and OECD CRS aid, on SQLite and PostgreSQL; a donor's
portfolio; the coverage chart."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity.coverage import NO_THEME, donor_portfolio, state_coverage
from rightsdesk.capacity.coverage_chart import coverage_chart_rows, coverage_chart_spec
from rightsdesk.capacity.links import add_link
from rightsdesk.capacity.models import Programme, Recipient
from rightsdesk.capacity.sector_themes import HUMAN_RIGHTS_SECTORS, theme_sectors
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory
from rightsdesk.core.errors import NotFoundError, UnknownStateError
from rightsdesk.monitoring.tracking.service import add_action, set_status
from tests.capacity.conftest import import_file
from tests.capacity.links_helpers import drc_rows, load_drc_recommendations

CRS_YEAR = 2017
DRC_CRS = "Democratic Republic of the Congo"


@pytest.fixture(scope="module")
def drc_store(
    capacity_store: Settings, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """The module's capacity store with DR Congo's recommendations and one CRS year."""
    load_drc_recommendations(capacity_store, shared_data, tmp_path_factory.mktemp("upr"))
    crs = shared_data / "capacity" / "oecd-crs" / f"crs_{CRS_YEAR}_sectors.csv"
    import_file(capacity_store, "oecd-crs-sectors", crs)
    return capacity_store


@pytest.fixture
def db(drc_store: Settings) -> Iterator[Session]:
    session = session_factory(drc_store.database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def crs_row(shared_data: Path) -> dict[str, str]:
    path = shared_data / "capacity" / "oecd-crs" / f"crs_{CRS_YEAR}_sectors.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["RecipientName"] == DRC_CRS)


def amount(row: dict[str, str], codes: list[str] | tuple[str, ...]) -> float:
    return sum(float(row[c]) for c in codes if row.get(c))


def test_coverage_before_anything_is_linked(db: Session, shared_data: Path) -> None:
    rows = drc_rows(shared_data)
    cov = state_coverage(db, "Democratic Republic of the Congo")
    assert (cov.iso3, cov.supported) == ("COD", 132)
    assert cov.with_programme == cov.with_action == 0 and len(cov.gaps) == 132
    accepted = [r for r in rows if r["Response"] == "Accepted"]
    for theme in ("Women's rights", "Justice", "Impunity"):
        expected = sum(theme in [x.strip() for x in r["Issue"].split(",")] for r in accepted)
        [line] = [t for t in cov.themes if t.theme == theme]
        assert line.supported == line.uncovered == expected > 0
    assert NO_THEME not in [t.theme for t in cov.themes]  # every UPR Info row has an issue
    # CRS: the human rights sectors and a theme's sectors, as the file gives them
    row = crs_row(shared_data)
    assert cov.crs_years == [CRS_YEAR]
    assert cov.hr_aid_usd_m == pytest.approx(amount(row, HUMAN_RIGHTS_SECTORS), abs=1e-3)
    [justice] = [t for t in cov.themes if t.theme == "Justice"]
    assert justice.crs_aid_usd_m == pytest.approx(amount(row, theme_sectors("Justice")), abs=1e-3)
    assert cov.mismatches and all(t.uncovered * 2 >= t.supported >= 3 for t in cov.mismatches)


def test_a_confirmed_link_and_an_action_cover_recommendations(db: Session) -> None:
    before = state_coverage(db, "COD")
    first, second, third = before.recommendations[:3]
    sub = select(Recipient.programme_id).where(Recipient.state_iso3 == "COD")
    programme = db.scalars(select(Programme).where(Programme.id.in_(sub))).first()
    assert programme is not None
    add_link(db, programme.id, first.rec.natural_key, "pat", "its training plan says so")
    record = set_status(db, "ed", "not-started", recommendation_id=second.rec.id)
    set_status(db, "ed", "not-started", recommendation_id=third.rec.id)
    add_action(db, "ed", record.id, "Draft the decree")
    after = state_coverage(db, "COD")
    by_key = {r.rec.natural_key: r for r in after.recommendations}
    assert by_key[first.rec.natural_key].programmes[0].title == programme.title
    assert by_key[second.rec.natural_key].has_action  # a planned action
    assert not by_key[third.rec.natural_key].covered  # a record doing nothing is no action
    assert (after.with_programme, after.with_action, len(after.gaps)) == (1, 1, 130)
    gap_keys = {g.rec.natural_key for g in after.gaps}
    assert first.rec.natural_key not in gap_keys and third.rec.natural_key in gap_keys
    theme = first.themes[0]
    line = next(t for t in after.themes if t.theme == theme)
    old = next(t for t in before.themes if t.theme == theme)
    assert (line.with_programme, line.uncovered, line.programmes) == (1, old.uncovered - 1, 1)
    # the chart counts each (recommendation, theme) once, by what stands behind it
    chart = coverage_chart_rows(after)
    assert sum(r["recommendations"] for r in chart if r["theme"] == theme) == line.supported
    assert {r["coverage"] for r in chart} == {"programme", "action only", "nothing"}
    spec = coverage_chart_spec(after)
    assert spec is not None and spec["mark"]["type"] == "bar"


def test_unknown_state_and_a_state_without_recommendations(db: Session) -> None:
    with pytest.raises(UnknownStateError):
        state_coverage(db, "Atlantis")
    empty = state_coverage(db, "NOR")
    assert empty.supported == 0 and empty.themes == [] and coverage_chart_spec(empty) is None


def test_donor_portfolio(db: Session) -> None:
    dfid = db.scalars(select(Programme).where(Programme.reporting_org_ref == "GB-1")).all()
    assert dfid, "DFID publishes as GB-1"
    portfolio = donor_portfolio(db, "GB-1")
    assert portfolio.programmes >= len(dfid)
    recipients = {line.key: line for line in portfolio.by_recipient}
    assert recipients["COD"].programmes >= 1 and recipients["COD"].budget
    themes = {line.key for line in portfolio.by_sector_theme}
    assert "Public security" in themes  # 15210, the police programme
    assert portfolio.by_linked_theme == []  # nothing confirmed yet
    with pytest.raises(NotFoundError):
        donor_portfolio(db, "XX-NOBODY")
