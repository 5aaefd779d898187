"""The "Capacity building" panel of the state page: aid chart against the group, programmes
received with their main donors, coverage summary; no panel for a state with nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import Programme, Recipient
from rightsdesk.capacity.panel import capacity_panel, programmes_received
from rightsdesk.core.config import Settings
from rightsdesk.forms import state_panels
from tests.capacity.conftest import import_file
from tests.capacity.test_crs_import import crs_file


def test_panel_shows_aid_programmes_and_donors(
    capacity_store: Settings, capacity_loaded: Session, shared_data: Path
) -> None:
    db = capacity_loaded
    before = capacity_panel(db, "COD")
    assert before is not None and before.context["aid"] is None  # IATI only so far
    import_file(capacity_store, "oecd-crs-sectors", crs_file(shared_data, 2015))
    db.rollback()  # see the committed import
    panel = capacity_panel(db, "COD")
    assert panel is not None and panel.title == "Capacity building"
    ctx = panel.context
    expected = db.scalar(
        select(func.count(func.distinct(Recipient.programme_id))).where(
            Recipient.state_iso3 == "COD"
        )
    )
    assert ctx["programmes"] == expected and expected
    refs = [ref for ref, _name, _n in ctx["donors"]]
    assert refs[0] == "GB-1"  # DFID's 205 DR Congo activities come first
    counts = [n for _ref, _name, n in ctx["donors"]]
    assert counts == sorted(counts, reverse=True) and len(counts) <= 5
    assert ctx["aid"].years[0].year == 2015 and ctx["aid"].years[0].group == "UN-AFRICA"
    spec = json.loads(ctx["spec_json"])
    assert len(spec["layer"]) == 2  # bars and the group median
    # a state in neither the IATI files nor the CRS file, with no recommendation: no panel
    assert capacity_panel(db, "ISL") is None
    assert programmes_received(db, "ISL") == (0, [])


def test_state_page_has_the_panel(capacity_store: Settings) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.web.app import create_app
    from tests.conftest import add_user, login

    add_user(capacity_store, "panel-viewer", "viewer")
    with TestClient(create_app(capacity_store)) as client:
        login(client, "panel-viewer")
        page = client.get("/states/COD")
        assert page.status_code == 200
        assert "Capacity building" in page.text and "Programmes received" in page.text
        assert "/capacity/programmes?recipient=COD" in page.text


def test_panel_is_declared(capacity_loaded: Session) -> None:
    titles = [p.title for p in state_panels(capacity_loaded, "COD")]
    assert "Capacity building" in titles
    assert (capacity_loaded.scalar(select(func.count(Programme.id))) or 0) > 0
