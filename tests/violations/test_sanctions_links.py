"""Linking a perpetrator to a sanctions-list entity, on the real UN consolidated list (loaded
once for the module): a perpetrator documented under the name and birth date of a UN-listed
person gets a suggestion with the matcher's explanation; confirming it is audited; the dossier
and the links page then say where the person is designated. Only EDIT on the perpetrator
decides; readers who may not read it do not learn that it exists."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError, PermissionDenied
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.dossier_build import build_dossier
from rightsdesk.monitoring.violations.dossier_ftm import dossier_entities
from rightsdesk.monitoring.violations.models import Perpetrator
from rightsdesk.monitoring.violations.sanctions_links import (
    AUDIT_ENTITY,
    decide_link,
    link_views,
    suggest_links,
)
from tests.conftest import login
from tests.sanctions.conftest import imports, store_copy
from tests.store_templates import StoreTemplates
from tests.violations.conftest import Seeded, seed_violations

UN_2026 = ("un-sc-consolidated", "sanctions/un/consolidated-2026-02-27.xml")
#: UN reference CDi.008 in the 2026 list: born 25 December 1973, listed 12 November 2012
LISTED = {"name": "Sultani Makenga", "birth_date": "1973-12-25", "nationality": "COD"}


@contextmanager
def listed_store(
    backend: str, templates: StoreTemplates, folder: Path, shared_data: Path
) -> Iterator[tuple[Settings, Seeded, int]]:
    """A store with the UN list, the violations scenario and one perpetrator named like a
    UN-listed person (entered by the editor, restricted)."""
    build = imports(shared_data, [UN_2026])
    with store_copy(backend, templates, folder, "violations-un-2026", build) as settings:
        seeded = seed_violations(settings)
        with session_scope(settings.database_url) as session:
            perp = Perpetrator(
                natural_key="perp-test-listed",
                kind="person",
                name=LISTED["name"],
                aliases="Emmanuel Sultani Makenga",
                position="Military commander",
                state_iso3="COD",
                nationality=LISTED["nationality"],
                birth_date=LISTED["birth_date"],
                confidentiality="restricted",
                created_by=seeded.users["editor"],
            )
            session.add(perp)
            session.flush()
            perp_id = perp.id
        yield settings, seeded, perp_id


@pytest.fixture(scope="module")
def un_store(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates, shared_data: Path
) -> Iterator[tuple[Settings, Seeded, int]]:
    """``listed_store`` on SQLite, shared by the module's tests."""
    folder = tmp_path_factory.mktemp("links")
    with listed_store("sqlite", store_templates, folder, shared_data) as store:
        yield store


@pytest.fixture(scope="module")
def un_store_pg(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates, shared_data: Path
) -> Iterator[tuple[Settings, Seeded, int]]:
    """``listed_store`` on PostgreSQL (skipped without a server)."""
    folder = tmp_path_factory.mktemp("links-pg")
    with listed_store("postgresql", store_templates, folder, shared_data) as store:
        yield store


def who(seeded: Seeded, role: str) -> Principal:
    return Principal(user_id=seeded.users[role], name=role, role=role)


def _audit(settings: Settings, action: str) -> list[tuple[str, str, Any, Any]]:
    """(actor, entity, before, after) of the audit entries of ``action``, oldest first."""
    with session_scope(settings.database_url) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return [(e.actor, e.entity, e.before, e.after) for e in session.scalars(stmt)]


@pytest.mark.parametrize(
    "store", ["un_store", pytest.param("un_store_pg", marks=pytest.mark.postgres)]
)
def test_suggest_confirm_and_already_designated(store: str, request: pytest.FixtureRequest) -> None:
    settings, seeded, perp_id = request.getfixturevalue(store)
    editor = who(seeded, "editor")
    with session_scope(settings.database_url) as session:
        links = suggest_links(session, editor, perp_id)
        best = links[0]
        assert best.status == "suggested" and best.score is not None and best.score >= 0.7
        assert "makenga" in (best.explanation or "").lower()
        assert "un_sc_sanctions" in (best.explanation or "")
        entity_id = best.entity_id
    # the screening of each name is audited by the sanctions form, the suggestion here
    screens = [after for actor, _, _, after in _audit(settings, "screen") if actor == "editor"]
    assert {a["channel"] for a in screens} == {"violations-link"}
    asked = {q["name"] for a in screens for q in a["queries"]}
    assert {"Sultani Makenga", "Emmanuel Sultani Makenga"} <= asked  # the name and the alias
    _, entity, _, after = _audit(settings, "suggest")[-1]
    assert entity == AUDIT_ENTITY and entity_id in after["added"]

    with session_scope(settings.database_url) as session:
        link = decide_link(session, editor, perp_id, entity_id, "confirm")
        assert (link.status, link.decided_by) == ("confirmed", "editor")
        assert link.decided_at is not None
    actor, entity, before, after = _audit(settings, "confirm")[-1]
    assert actor == "editor" and entity == AUDIT_ENTITY
    assert before == {"status": "suggested"}
    assert after["status"] == "confirmed" and after["entity_id"] == entity_id

    with session_scope(settings.database_url) as session:
        views = link_views(session, who(seeded, "analyst"), perp_id)
        mine = next(v for v in views if v.entity_id == entity_id)
        assert mine.status == "confirmed" and "MAKENGA" in (mine.caption or "").upper()
        un = [d for d in mine.designations if d.list_key == "un_sc_sanctions"]
        assert un and un[0].active and un[0].listed_on == dt.date(2012, 11, 12)
        assert "Security Council" in un[0].authority
        # the dossier says where the person is already designated
        d = build_dossier(session, who(seeded, "analyst"), perp_id, "eu-ghrsr")
        assert d.already_designated
        assert any(r.list_key == "un_sc_sanctions" and r.active for r in d.designations)
        assert not any(r.under_this_regime for r in d.designations)  # UN, not EU-HR
        entities = dossier_entities(d)
        assert entities[0]["properties"]["topics"] == ["sanction"]
        listed = [e for e in entities if e["properties"].get("status") == ["in force"]]
        assert listed and listed[0]["properties"]["listingDate"] == ["2012-11-12"]
        session.rollback()


def test_only_editors_of_the_perpetrator_decide(un_store: tuple[Settings, Seeded, int]) -> None:
    settings, seeded, perp_id = un_store
    with session_scope(settings.database_url) as session:
        with pytest.raises(PermissionDenied):
            suggest_links(session, who(seeded, "analyst"), perp_id)
        with pytest.raises(PermissionDenied):
            decide_link(session, who(seeded, "analyst"), perp_id, "unsc-x", "confirm")
        # the collector did not enter this perpetrator: for it, it does not exist
        with pytest.raises(NotFoundError):
            link_views(session, who(seeded, "collector"), perp_id)
        with pytest.raises(NotFoundError):
            link_views(session, who(seeded, "viewer"), perp_id)
        with pytest.raises(NotFoundError, match="no sanctions entity"):
            decide_link(session, who(seeded, "editor"), perp_id, "unsc-nothing", "confirm")
        with pytest.raises(InputError, match="unknown decision"):
            decide_link(session, who(seeded, "editor"), perp_id, "unsc-x", "maybe")
        session.rollback()


def test_a_rejected_link_is_not_suggested_again(un_store: tuple[Settings, Seeded, int]) -> None:
    settings, seeded, _ = un_store
    editor = who(seeded, "editor")
    with session_scope(settings.database_url) as session:
        perp = Perpetrator(
            natural_key="perp-test-rejected",
            name=LISTED["name"],
            birth_date=LISTED["birth_date"],
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        session.add(perp)
        session.flush()
        perp_id = perp.id
        first = suggest_links(session, editor, perp_id)[0]
        decide_link(session, editor, perp_id, first.entity_id, "reject")
        again = suggest_links(session, editor, perp_id)
        status = {k.entity_id: k.status for k in again}
        assert status[first.entity_id] == "rejected"
        session.rollback()


def test_links_page_forms_and_api(un_store: tuple[Settings, Seeded, int]) -> None:
    from rightsdesk.web.app import create_app

    settings, seeded, _ = un_store
    with session_scope(settings.database_url) as session:
        perp = Perpetrator(
            natural_key="perp-test-page",
            name=LISTED["name"],
            birth_date=LISTED["birth_date"],
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        session.add(perp)
        session.flush()
        perp_id = perp.id
    url = f"/violations/perpetrators/{perp_id}/sanctions"
    web = create_app(settings)  # one app, a client per role
    client = TestClient(web)
    login(client, "editor")
    page = client.get(url)
    assert page.status_code == 200 and "No link yet" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert client.post(f"{url}/suggest", data={}).status_code == 403  # no CSRF token
    screened = client.post(f"{url}/suggest", data={"csrf_token": token}, follow_redirects=False)
    assert screened.status_code == 303
    page = client.get(url)
    entity_id = re.search(r'name="entity_id" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert "Screened name" in page.text and "Confirm" in page.text
    form = {"entity_id": entity_id, "decision": "confirm"}
    assert client.post(f"{url}/decide", data=form).status_code == 403
    done = client.post(f"{url}/decide", data={**form, "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    assert "Security Council" in client.get(url).text  # already designated where
    api = client.get(f"/api/v1{url}")
    assert api.status_code == 200
    links = {k["entity_id"]: k for k in api.json()["links"]}
    assert links[entity_id]["status"] == "confirmed" and links[entity_id]["designations"]
    # an API write with the session cookie needs the page's CSRF token in a header
    bare = client.post(f"/api/v1{url}/reject", json={"entity_id": entity_id})
    assert bare.status_code == 403
    ok = client.post(
        f"/api/v1{url}/reject", json={"entity_id": entity_id}, headers={"X-CSRF-Token": token}
    )
    assert ok.status_code == 200
    assert {k["entity_id"]: k for k in ok.json()["links"]}[entity_id]["status"] == "rejected"
    client.close()
    analyst = TestClient(web)
    login(analyst, "analyst")  # reads the perpetrator, may not decide
    seen = analyst.get(url)
    assert seen.status_code == 200 and "Screen the lists now" not in seen.text
    denied = analyst.post(f"{url}/decide", data={**form, "csrf_token": _token(seen.text)})
    assert denied.status_code == 403
    analyst.close()
    viewer = TestClient(web)
    login(viewer, "viewer")
    assert viewer.get(url).status_code == 404
    assert viewer.get(f"/api/v1{url}").status_code == 404
    viewer.close()


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_cli_link_sanctions(un_store: tuple[Settings, Seeded, int]) -> None:
    settings, seeded, _ = un_store
    with session_scope(settings.database_url) as session:
        perp = Perpetrator(
            natural_key="perp-test-cli",
            name=LISTED["name"],
            birth_date=LISTED["birth_date"],
            nationality="COD",
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        session.add(perp)
        session.flush()
        perp_id = str(perp.id)
    db = ["--database", settings.database_url, "monitoring", "violations", "link-sanctions"]
    env = {"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "160"}
    runner = CliRunner()
    out = runner.invoke(cli_app, [*db, perp_id, "--format", "json"], env=env)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows[0]["status"] == "suggested" and rows[0]["score"] >= 0.7
    entity_id = rows[0]["entity_id"]
    out = runner.invoke(cli_app, [*db, perp_id, "--confirm", entity_id, "-f", "json"], env=env)
    assert out.exit_code == 0, out.output
    row = next(r for r in json.loads(out.stdout) if r["entity_id"] == entity_id)
    assert row["status"] == "confirmed" and "Security Council" in row["designations"]
    table = runner.invoke(cli_app, [*db, perp_id, "--reject", entity_id], env=env)
    assert table.exit_code == 0 and "rejected" in table.stdout
    both = runner.invoke(cli_app, [*db, perp_id, "--confirm", "a", "--reject", "b"], env=env)
    assert both.exit_code == 65 and "not both" in both.stderr
    assert runner.invoke(cli_app, [*db, "999999"], env=env).exit_code == 66
