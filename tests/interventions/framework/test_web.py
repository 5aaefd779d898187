"""Pages and JSON API of the framework room, per role: viewers read final assessments,
analysts rate the draft, editors finalise; form posts need the CSRF token; a confidential
violation event cited as evidence is not disclosed to a reader who may not read it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.interventions.framework import evidence, service
from rightsdesk.interventions.framework.evidence import parse_evidence
from rightsdesk.interventions.framework.models import Evidence
from rightsdesk.interventions.framework.public import state_section
from tests.conftest import add_user, login, make_settings
from tests.interventions.framework.conftest import SECRET_TITLE, add_event
from tests.store_templates import INIT, StoreTemplates, ready

PAGE = "/interventions/framework"
API = "/api/v1/interventions/framework"


@dataclass
class Web:
    """One store and app for the module, a logged-in client per role (logins are slow:
    argon2). Each test works on a state of its own."""

    settings: Settings
    clients: dict[str, TestClient]

    def __call__(self, role: str) -> TestClient:
        return self.clients[role]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates) -> Iterator[Web]:
    from rightsdesk.web.app import create_app

    folder = tmp_path_factory.mktemp("framework-web")
    url = f"sqlite:///{folder / 'store.db'}"
    store_templates.create(url, INIT, None)  # a copy of the initialised store
    settings = make_settings(url, folder)
    ready(settings)
    app = create_app(settings)
    clients = {}
    for role in ("viewer", "collector", "analyst", "editor"):
        add_user(settings, role, role)
        clients[role] = TestClient(app)
        login(clients[role], role)
    yield Web(settings, clients)
    for c in clients.values():
        c.close()
    dispose_engine(settings.database_url)


def _csrf(client: TestClient, path: str = PAGE) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def _draft(settings: Settings, iso3: str, final: bool = False, cite: int | None = None) -> None:
    """7.14 rated high (citing event ``cite``), finalised when ``final``."""
    items = [parse_evidence(f"violation-event:{cite}", "seen by our team")] if cite else []
    with session_scope(settings.database_url) as db:
        service.rate(db, "ana", iso3, "7.14", "high", "radio", items)
        if final:
            service.finalise(db, "eddie", iso3)


def test_viewer_reads_final_assessments_only(web: Web) -> None:
    viewer = web("viewer")
    _draft(web.settings, "SSD")
    assert 'href="/interventions/framework/SSD"' not in viewer.get(PAGE).text
    assert "has no final assessment yet" in viewer.get(f"{PAGE}/SSD").text
    assert viewer.get(f"{API}/SSD").json()["assessment"] is None
    assert viewer.get(f"{PAGE}/SSD?version=1").status_code == 404  # a draft: not for viewers
    with session_scope(web.settings.database_url) as db:
        service.finalise(db, "eddie", "SSD")
    page = viewer.get(f"{PAGE}/SSD")
    assert page.status_code == 200 and "Version" in page.text and "radio" in page.text
    body = viewer.get(f"{API}/SSD").json()
    assert body["assessment"]["version"] == 1 and body["assessment"]["high_factors"] == [
        "7: Enabling circumstances or preparatory action"
    ]
    factors = viewer.get(f"{API}/factors").json()["factors"]
    assert len(factors) == 14 and factors[13]["crime"] == "war crimes"
    index = viewer.get(PAGE).text
    assert "Risk factor 14" in index and 'href="/interventions/framework/SSD"' in index


@pytest.mark.parametrize("role", ["viewer", "collector"])
def test_readers_may_not_rate_nor_finalise(web: Web, role: str) -> None:
    c = web(role)
    token = _csrf(c)
    assert c.get(f"{PAGE}/SDN/edit").status_code == 403
    form = {"csrf_token": token, "indicator": "1.1", "rating": "high"}
    assert c.post(f"{PAGE}/SDN/rate", data=form).status_code == 403
    assert c.post(f"{PAGE}/SDN/finalise", data={"csrf_token": token}).status_code == 403
    api = c.post(f"{API}/SDN/ratings", json={"indicator": "1.1", "rating": "high"},
                 headers={"X-CSRF-Token": token})  # fmt: skip
    assert api.status_code == 403


def test_analyst_rates_editor_finalises(web: Web) -> None:
    analyst, editor = web("analyst"), web("editor")
    token = _csrf(analyst, f"{PAGE}/MMR/edit")
    lines = "url:https://example.org/law | the 2023 law\ngdelt-month:2024-02"
    form = {"csrf_token": token, "indicator": "9.1", "rating": "moderate", "note": "laws",
            "evidence": lines}  # fmt: skip
    resp = analyst.post(f"{PAGE}/MMR/rate", data=form, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].endswith("/MMR/edit#i9-1")
    assert "the 2023 law" in analyst.get(f"{PAGE}/MMR").text
    # without the token: refused, nothing written
    bad = {k: v for k, v in form.items() if k != "csrf_token"} | {"rating": "high"}
    assert analyst.post(f"{PAGE}/MMR/rate", data=bad).status_code == 403
    assert analyst.post(f"{PAGE}/MMR/finalise", data={"csrf_token": token}).status_code == 403
    api = analyst.post(f"{API}/MMR/ratings", json={"indicator": "9.2", "rating": "low"},
                       headers={"X-CSRF-Token": token})  # fmt: skip
    assert api.status_code == 200 and api.json()["version"] == 1
    no_header = analyst.post(f"{API}/MMR/ratings", json={"indicator": "9.2", "rating": "high"})
    assert no_header.status_code == 403
    etoken = _csrf(editor)
    details = {"csrf_token": etoken, "summary": "Tension", "period_start": "2024-01-01",
               "period_end": "2024-06-30"}  # fmt: skip
    assert (
        editor.post(f"{PAGE}/MMR/details", data=details, follow_redirects=False).status_code == 303
    )
    done = editor.post(f"{PAGE}/MMR/finalise", data={"csrf_token": etoken}, follow_redirects=False)
    assert done.status_code == 303
    # the next rating starts version 2; the page shows the difference
    analyst.post(f"{API}/MMR/ratings", json={"indicator": "9.2", "rating": "high"},
                 headers={"X-CSRF-Token": token})  # fmt: skip
    page = editor.get(f"{PAGE}/MMR").text
    assert "Changes from version 1 to 2" in page and "draft" in page
    shown = editor.get(f"{API}/MMR").json()
    assert [(c["indicator"], c["before"], c["after"]) for c in shown["assessment"]["changes"]] == [
        ("9.2", "low", "high")
    ]
    assert [v["version"] for v in shown["history"]] == [2, 1]
    assert shown["assessment"]["period_start"] == "2024-01-01"


def test_bad_input_is_refused_and_nothing_written(web: Web) -> None:
    analyst = web("analyst")
    token = _csrf(analyst)
    headers = {"X-CSRF-Token": token}
    for body, status in [
        ({"indicator": "1.99", "rating": "high"}, 400),
        ({"indicator": "1.1", "rating": "awful"}, 400),
        ({"indicator": "1.1", "rating": "high", "evidence": [{"kind": "x", "ref": "1"}]}, 400),
        ({"indicator": "1.1"}, 422),
    ]:
        resp = analyst.post(f"{API}/SYR/ratings", json=body, headers=headers)
        assert resp.status_code == status, resp.text
        assert resp.json()["error"] in ("input-error", "invalid-request", "validation-error")
    assert analyst.post(f"{API}/XXQ/ratings", json={"indicator": "1.1", "rating": "high"},
                        headers=headers).status_code == 404  # fmt: skip
    assert analyst.get(f"{PAGE}/Narnia").status_code == 404
    with session_scope(web.settings.database_url) as db:
        assert service.history(db, "SYR") == []


def _event(settings: Settings, level: str) -> int:
    with session_scope(settings.database_url) as db:
        return add_event(db, level)


def _leaks(text: str, event_id: int) -> bool:
    """The title, the id (in a link or a reference) or the analyst's note on the event."""
    ref = re.compile(rf"(/violations/events/|violation-event:){event_id}(?!\d)")
    return SECRET_TITLE in text or "seen by our team" in text or bool(ref.search(text))


def test_confidential_evidence_is_not_disclosed(web: Web) -> None:
    viewer, analyst, editor = web("viewer"), web("analyst"), web("editor")
    event_id = _event(web.settings, "confidential")
    _draft(web.settings, "COD", final=True, cite=event_id)
    for reader in (viewer, analyst):  # analysts read up to "restricted"
        for path in (f"{PAGE}/COD", f"{API}/COD", f"{PAGE}/COD?version=1"):
            text = reader.get(path).text
            assert not _leaks(text, event_id), path
            assert "you may not read" in text
    shown = viewer.get(f"{API}/COD").json()["assessment"]["factors"][6]["indicators"][13]
    assert shown["evidence"] == [
        {"kind": "violation-event", "kind_label": "documented violation event", "ref": None,
         "label": evidence.HIDDEN_EVENT, "url": None, "note": None, "visible": False,
         "checked": True}
    ]  # fmt: skip
    assert SECRET_TITLE in editor.get(f"{PAGE}/COD").text  # editors read confidential events
    assert not _leaks(analyst.get(f"{PAGE}/COD/edit").text, event_id)
    # an analyst replacing the evidence keeps the link it could not see
    token = _csrf(analyst)
    form = {"csrf_token": token, "indicator": "7.14", "rating": "moderate", "evidence": ""}
    assert analyst.post(f"{PAGE}/COD/rate", data=form, follow_redirects=False).status_code == 303
    with session_scope(web.settings.database_url) as db:
        refs = db.scalars(select(Evidence.ref).where(Evidence.ref == str(event_id))).all()
    assert sorted(refs) == [str(event_id), str(event_id)]  # version 1's and version 2's
    # nor may an analyst cite an event it may not read (same answer as a missing one)
    cite = {"indicator": "7.13", "rating": "low",
            "evidence": [{"kind": "violation-event", "ref": str(event_id)}]}  # fmt: skip
    resp = analyst.post(f"{API}/COD/ratings", json=cite, headers={"X-CSRF-Token": token})
    assert resp.status_code == 400 and SECRET_TITLE not in resp.text


def test_an_event_the_reader_may_read_is_shown_with_its_title(web: Web) -> None:
    """Through the monitoring form's service: a public event cited as evidence is named."""
    viewer = web("viewer")
    event_id = _event(web.settings, "public")
    _draft(web.settings, "CAF", final=True, cite=event_id)
    text = viewer.get(f"{PAGE}/CAF").text
    assert SECRET_TITLE in text and f"/violations/events/{event_id}" in text


def test_state_partial(web: Web) -> None:
    viewer = web("viewer")
    _draft(web.settings, "ETH", final=True)
    with session_scope(web.settings.database_url) as db:
        sec: Any = state_section(db, "ETH", None)
    app: Any = viewer.app
    html = app.state.templates.get_template("interventions/_framework_state.html").render(sec=sec)
    assert "<h2>Framework assessment</h2>" in html and "Rated high:" in html
    assert "risk factor 7 (Enabling circumstances or preparatory action)" in html
    assert 'href="/interventions/framework/ETH"' in html
