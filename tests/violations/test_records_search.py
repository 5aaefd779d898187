"""``search_events`` on both stores: rows, totals and every facet counted under
``access.visible`` (a collector sees only its own records, a viewer only public ones), each
facet ignoring its own filter, free text limited to fields in clear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.models import Act, Event
from rightsdesk.monitoring.violations.search import (
    EventFilters,
    FacetValue,
    event_select,
    search_events,
)
from tests.violations.conftest import SECRETS, Seeded, seeded_template


@pytest.fixture
def store_template() -> tuple[str, Callable[[Settings], None]]:
    return seeded_template()


def who(session: Session, role: str) -> Principal:
    return Principal.of(session.scalars(select(User).where(User.name == role)).one())


def counts(facet: list[FacetValue]) -> dict[str, int]:
    return {value: number for value, _, number in facet}


def test_facets_and_rows_respect_access(seeded_copy: tuple[Settings, Seeded]) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        # one more act type on the collector's public event, to count facets per event
        session.add(Act(event_id=seeded.collector_events["public"], act_type="killing"))
        session.flush()
        collector = search_events(session, who(session, "collector"), EventFilters())
        assert {r.id for r in collector.rows} == set(seeded.collector_events.values())
        assert collector.total == 4
        assert counts(collector.facets["confidentiality"]) == dict.fromkeys(
            ("public", "restricted", "confidential", "strictly_confidential"), 1
        )
        assert counts(collector.facets["act_type"]) == {"torture": 4, "killing": 1}
        assert collector.facets["state"] == [("SYR", "Syrian Arab Republic", 4)]
        assert collector.facets["year"] == [("2019", "2019", 4)]
        assert collector.facets["status"] == [("reported", "Reported", 4)]
        viewer = search_events(session, who(session, "viewer"), EventFilters())
        assert {r.confidentiality for r in viewer.rows} == {"public"} and viewer.total == 2
        assert counts(viewer.facets["act_type"]) == {"torture": 2, "killing": 1}
        row = next(r for r in viewer.rows if r.id == seeded.collector_events["public"])
        assert row.act_labels == ["Killing", "Torture"] and row.victims == 1
        assert row.when == "1 March 2019" and row.state_name == "Syrian Arab Republic"
        editor = search_events(
            session, who(session, "editor"), EventFilters(act_type="killing", status="reported")
        )
        assert [r.id for r in editor.rows] == [seeded.collector_events["public"]]
        # the act-type facet ignores its own filter; the others apply it
        assert counts(editor.facets["act_type"]) == {"torture": 7, "killing": 1}
        assert counts(editor.facets["confidentiality"]) == {"public": 1}


def test_filters_pages_and_free_text(seeded_copy: tuple[Settings, Seeded]) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        admin = who(session, "admin")
        event = session.get(Event, seeded.events["public"])
        assert event is not None
        event.title = "Raid on 100% of the shops_"
        session.flush()
        first = search_events(session, admin, EventFilters(), page=1, per_page=3)
        third = search_events(session, admin, EventFilters(), page=3, per_page=3)
        assert (first.total, first.pages, len(first.rows), len(third.rows)) == (8, 3, 3, 2)
        # newest first: 4 March 2019 events, then 3 March...
        assert [r.start_date for r in first.rows][:2] == [dt.date(2019, 3, 4)] * 2
        period = EventFilters(date_from=dt.date(2019, 3, 2), date_to=dt.date(2019, 3, 3))
        assert search_events(session, admin, period).total == 4
        assert counts(search_events(session, admin, period).facets["year"]) == {"2019": 8}
        # "_" is literal: the raid and the two strictly_confidential titles; "aleppo" is in
        # every area (case-insensitive)
        for q, expected in (("100%", 1), ("%", 1), ("_", 3), ("s_", 1), ("aleppo", 8)):
            assert search_events(session, admin, EventFilters(q=q)).total == expected, q
        assert search_events(session, admin, EventFilters(q=SECRETS["victim_name"])).total == 0
        assert search_events(session, admin, EventFilters(q=SECRETS["exact_place"])).total == 0
        perp = EventFilters(perpetrator=seeded.perpetrator)
        assert search_events(session, admin, perp).total == 8
        # the viewer may not read the (restricted) perpetrator: its links are not disclosed
        assert search_events(session, who(session, "viewer"), perp).total == 0
        ids = set(session.scalars(event_select(session, admin, EventFilters(state="Syria"))))
        assert len(ids) == 8
        with pytest.raises(InputError, match="state"):
            search_events(session, admin, EventFilters(state="Atlantis"))
        with pytest.raises(InputError):
            search_events(session, admin, EventFilters(confidentiality="secret"))
        with pytest.raises(InputError):
            search_events(session, admin, EventFilters(), per_page=0)
