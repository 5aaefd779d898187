"""The violations JSON API on the seeded scenario: lists and facets under access, withheld
sensitive values, writes through ``access`` (a collector creates without the edit
permission), CSRF for cookie sessions and none for API tokens, audit of confidential reads."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.core.security.users import issue_token
from rightsdesk.monitoring.violations.models import Event
from tests.violations.conftest import SECRETS, Seeded, seeded_template

API = "/api/v1/violations"
Client = Callable[[str], TestClient]

BODY = {
    "title": "Shelling of a market in Idlib",
    "start_date": "2021-02-10",
    "end_date": "2021-02",
    "state_iso3": "SYR",
    "area": "Idlib governorate",
    "confidentiality": "restricted",
    "victims": [{"kind": "group", "group_size": 12, "name": "Market stall holders list"}],
    "acts": [{"act_type": "attack_on_civilians", "victim_index": 0}],
}


@pytest.fixture
def store_template() -> tuple[str, Callable[[Settings], None]]:
    return seeded_template()


@pytest.fixture
def violations_sqlite(seeded_sqlite_copy: tuple[Settings, Seeded]) -> tuple[Settings, Seeded]:
    """The scenario from the seeded template (``client_as`` uses it): no seeding per test."""
    return seeded_sqlite_copy


def csrf(client: TestClient) -> dict[str, str]:
    page = client.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:300]
    return {"X-CSRF-Token": found.group(1)}


def secrets_in(text: str) -> list[str]:
    return [s for s in SECRETS.values() if s in text]


def test_lists_and_facets_count_only_what_the_role_reads(
    client_as: Client, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    _, seeded = violations_sqlite
    viewer = client_as("viewer").get(f"{API}/events").json()
    assert {r["id"] for r in viewer["rows"]} == {
        seeded.events["public"],
        seeded.collector_events["public"],
    }
    assert viewer["total"] == 2
    assert viewer["facets"]["confidentiality"] == [
        {"value": "public", "label": "Public", "count": 2}
    ]
    assert viewer["facets"]["state"] == [
        {"value": "SYR", "label": "Syrian Arab Republic", "count": 2}
    ]
    assert viewer["facets"]["act_type"][0] == {"value": "torture", "label": "Torture", "count": 2}
    collector = client_as("collector").get(f"{API}/events", params={"per_page": 2}).json()
    assert collector["total"] == 4 and collector["pages"] == 2 and len(collector["rows"]) == 2
    assert {r["id"] for r in collector["rows"]} <= set(seeded.collector_events.values())
    analyst = client_as("analyst")
    assert analyst.get(f"{API}/events").json()["total"] == 4
    found = analyst.get(f"{API}/events", params={"level": "public", "year": "x"}).json()
    assert found["total"] == 2
    # the level facet ignores its own filter: the other readable level is still offered
    assert [f["value"] for f in found["facets"]["confidentiality"]] == ["public", "restricted"]
    # free text never searches sensitive fields; wildcards are taken literally
    for q in (SECRETS["victim_name"], "%", "_", "' OR 1=1 --"):
        assert analyst.get(f"{API}/events", params={"q": q}).json()["total"] == 0
    assert analyst.get(f"{API}/events", params={"q": "checkpoint"}).json()["total"] == 4
    bad = analyst.get(f"{API}/events", params={"state": "Korea"})
    assert bad.status_code == 400 and bad.json()["field"] == "state"
    assert analyst.get(f"{API}/events", params={"status": "x"}).json()["field"] == "status"


def test_one_event_withholds_and_hides(
    client_as: Client, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    settings, seeded = violations_sqlite
    viewer = client_as("viewer")
    public = viewer.get(f"{API}/events/{seeded.events['public']}")
    assert public.status_code == 200 and secrets_in(public.text) == []
    body = public.json()
    assert body["victims"][0]["name"] == "[withheld]" and body["may_edit"] is False
    assert viewer.get(f"{API}/events/{seeded.events['restricted']}").status_code == 404
    assert viewer.get(f"{API}/events/999999").status_code == 404
    admin = client_as("admin")
    strict = admin.get(f"{API}/events/{seeded.events['strictly_confidential']}").json()
    assert strict["place"] == SECRETS["exact_place"]
    assert strict["victims"][0]["contact"] == SECRETS["victim_contact"]
    analyst = client_as("analyst")
    perp = f"{API}/perpetrators/{seeded.perpetrator}"
    assert viewer.get(perp).status_code == 404  # restricted perpetrator
    shown = analyst.get(perp).json()
    assert shown["name"] == "Colonel Test Perpetrator"
    # public and restricted events of both authors; the confidential ones are counted only
    assert len(shown["acts"]) == 4 and shown["hidden_acts"] == 4
    victim = seeded.victims[seeded.events["public"]]
    assert viewer.get(f"{API}/victims/{victim}").json()["name"] == "[withheld]"
    editor = client_as("editor")
    confidential = seeded.victims[seeded.events["confidential"]]
    assert editor.get(f"{API}/victims/{confidential}").json()["name"] == SECRETS["victim_name"]
    with session_scope(settings.database_url) as session:
        reads = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read", AuditEntry.actor == "admin")
        ).all()
        assert [e.entity for e in reads] == ["violation_event"]
        assert [
            e.entity
            for e in session.scalars(
                select(AuditEntry).where(AuditEntry.action == "read", AuditEntry.actor == "editor")
            )
        ] == ["violation_victim"]


def test_collector_writes_with_csrf_and_tokens_need_none(
    client_as: Client, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    settings, seeded = violations_sqlite
    collector = client_as("collector")
    refused = collector.post(f"{API}/events", json=BODY)
    assert refused.status_code == 403  # a cookie session without the CSRF header
    made = collector.post(f"{API}/events", json=BODY, headers=csrf(collector))
    assert made.status_code == 201, made.text
    event = made.json()
    assert event["victims"][0]["name"] == "Market stall holders list"  # its own record
    assert event["when"] == "10 February 2021 – February 2021"
    with session_scope(settings.database_url) as session:
        token = issue_token(session, "analyst", actor="test")
        admin_token = issue_token(session, "admin", actor="test")
    bearer = {"Authorization": f"Bearer {token}"}
    plain = TestClient(collector.app)
    # the analyst reads the restricted event but may neither create nor change events
    assert plain.get(f"{API}/events/{event['id']}", headers=bearer).status_code == 200
    assert plain.post(f"{API}/events", json=BODY, headers=bearer).status_code == 403
    assert plain.put(f"{API}/events/{event['id']}", json=BODY, headers=bearer).status_code == 403
    # the collector restates its event: keeps the victim by id, adds a source
    body = {
        **BODY,
        "title": "Shelling of the central market in Idlib",
        "victims": [{**BODY["victims"][0], "id": event["victims"][0]["id"]}],  # type: ignore[dict-item]
        "sources": [{"organisation": "Local council", "reliability": "c", "credibility": "3"}],
    }
    changed = collector.put(f"{API}/events/{event['id']}", json=body, headers=csrf(collector))
    assert changed.status_code == 200, changed.text
    assert changed.json()["victims"][0]["id"] == event["victims"][0]["id"]
    assert changed.json()["sources"][0]["reliability_label"] == "Fairly reliable"
    bad = collector.post(
        f"{API}/events",
        json={**BODY, "victims": [{"name": "Secret Person X", "sex": "f"}]},
        headers=csrf(collector),
    )
    assert bad.status_code == 400 and bad.json()["fields"] == {
        "victims[0].sex": "one of female, male, other, unknown"
    }
    assert "Secret Person X" not in bad.text
    answered = collector.post(
        f"{API}/events/{event['id']}/responses",
        json={"kind": "statement", "actor": "EU delegation", "date": "2021-03-01"},
        headers=csrf(collector),
    )
    assert answered.status_code == 201 and answered.json()["kind_label"] == "Statement"
    other = collector.post(
        f"{API}/events/{seeded.events['public']}/responses",
        json={"kind": "statement", "actor": "X"},
        headers=csrf(collector),
    )
    assert other.status_code == 404  # not its own: not even readable
    assert (
        collector.delete(f"{API}/events/{event['id']}", headers=csrf(collector)).status_code == 403
    )
    admin = {"Authorization": f"Bearer {admin_token}"}
    assert plain.delete(f"{API}/events/{event['id']}", headers=admin).status_code == 204
    with session_scope(settings.database_url) as session:
        assert session.get(Event, event["id"]) is None
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "violation_event")
            .order_by(AuditEntry.id)
        ).all()
        assert actions[-3:] == ["create", "update", "delete"]


def test_vocabulary_and_perpetrator_list(client_as: Client) -> None:
    viewer = client_as("viewer")
    codes = [a["code"] for a in viewer.get(f"{API}/act-types").json()]
    assert "torture" in codes and "enforced_disappearance" in codes and len(codes) >= 17
    assert viewer.get(f"{API}/perpetrators").json() == []
    names = [p["name"] for p in client_as("analyst").get(f"{API}/perpetrators").json()]
    assert names == ["Colonel Test Perpetrator"]
