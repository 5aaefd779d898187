"""The responses gathered from a store holding real data (the programme registry, the EU
Global Human Rights regime, the Security Council vetoes, the Human Rights Council's
resolutions), through the new service functions of the sanctions and negotiation forms.

On SQLite only: importing the real files into PostgreSQL takes half a minute, and the same
queries run on both backends over hand-written rows in ``test_store_seeded.py``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_factory
from rightsdesk.interventions.escalation.service import escalation_view
from rightsdesk.negotiation.public_votes import (
    council_vetoes_on,
    country_resolutions,
    states_named,
    votes_coverage,
)
from rightsdesk.negotiation.votes.models import Resolution
from rightsdesk.sanctions.public_state import (
    human_rights_designations,
    lists_coverage,
    regimes_on_state,
)
from tests.conftest import StoreTemplate
from tests.interventions.escalation.conftest import TEMPLATE, D, build_real

#: every test starts from the template (``tests/conftest.py`` reads it from the fixture names)
pytestmark = pytest.mark.usefixtures("store_template")


@pytest.fixture(scope="module")
def store_template(shared_data: Path) -> StoreTemplate:
    """The stores of this module start with ``REAL`` imported (once per process and backend)."""
    return TEMPLATE, build_real(shared_data)


@pytest.fixture
def session(sqlite_settings: Settings) -> Iterator[Session]:
    """A session on this test's SQLite copy of the template."""
    db = session_factory(sqlite_settings.database_url)()
    try:
        yield db
    finally:
        db.close()


def test_country_resolutions_are_those_whose_title_names_the_state(session: Session) -> None:
    found = country_resolutions(session, "MMR")
    assert len(found) >= 40
    assert all("MMR" in states_named(r.title) for r in found)
    assert found[0].title == "Situation in Burma" and found[0].date == D(1989, 3, 8)
    assert any(r.symbol and r.symbol.startswith("A/HRC/RES/") for r in found)
    dates = [r.date for r in found if r.date]
    assert dates == sorted(dates)


def test_the_occupied_syrian_golan_is_not_a_resolution_on_syria(session: Session) -> None:
    titles = session.scalars(
        select(Resolution.title).where(Resolution.title.like("%occupied Syrian%"))
    )
    occupied = list(titles)
    assert occupied, "the shared data holds resolutions on the occupied Syrian Golan"
    assert all("SYR" not in states_named(t) for t in occupied)
    on_syria = country_resolutions(session, "SYR")
    assert on_syria and not any("occupied" in r.title.lower() for r in on_syria)


def test_vetoes_on_a_situation_are_read_from_its_topic(session: Session) -> None:
    syria = council_vetoes_on(session, "SYR")
    assert len(syria) == 17 and {v.topic for v in syria} == {"Syria"}
    assert syria[0].date.year == 2011 and all("RUS" in v.vetoed_by for v in syria)
    # "Israel-Lebanon" names both: a veto on it is on each state's situation
    assert any(v.topic == "Israel-Lebanon" for v in council_vetoes_on(session, "LBN"))
    assert votes_coverage(session)["unsc-vetoes"] == D(2022, 7, 8)


def test_human_rights_designations_and_regimes_on_the_state(session: Session) -> None:
    china = human_rights_designations(session, "CHN")
    assert [(r.program, r.active, r.first_listed) for r in china] == [("EU-HR", 4, D(2021, 3, 22))]
    regimes = {r.key: r for r in regimes_on_state(session, "PRK")}
    assert regimes["UN-SC1718"].security_council and regimes["UN-SC1718"].arms
    assert regimes["EU-PRK"].arms and not regimes["EU-PRK"].security_council
    assert regimes_on_state(session, "ISL") == []
    assert [c.version_date for c in lists_coverage(session)] == [D(2026, 5, 28)]


def test_the_view_collects_every_kind_with_its_source(session: Session) -> None:
    view = escalation_view(session, "SYR", None, today=D(2026, 12, 2))
    categories = {u.category for u in view.used}
    assert {"un-decision", "veto", "sanctions", "sanctions-regime"} <= categories
    assert all(u.source for u in view.used)
    assert all(u.date for u in view.used if u.category in ("un-decision", "veto"))
    sources = {s.name: s.data_up_to for s in view.sources}
    assert sources["Security Council vetoes"] == D(2022, 7, 8)
    assert sources["UN decisions: hrc"] is not None
    by_key = {s.key: s for s in view.steps}
    assert by_key["country-resolution"].status == "used"
    assert by_key["arms-embargo"].status == "used"  # the EU, UK, ... regimes on Syria
