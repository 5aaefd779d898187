"""The dossier's page, PDF, JSON and FtM downloads and the ``dossier`` command, on the seeded
scenario plus a chain of command: the subordinate unit's killing supports the "leader of an
entity" criterion, an unfair trial is outside the UK regime, footnotes are numbered in the
order sources are cited, and nothing sensitive is in any download."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.dossier_build import build_dossier
from rightsdesk.monitoring.violations.dossier_ftm import validate_entities
from rightsdesk.monitoring.violations.dossier_pdf import print_html, render_pdf
from rightsdesk.monitoring.violations.models import (
    Act,
    Event,
    Involvement,
    Perpetrator,
    Source,
)
from tests.violations.conftest import SECRETS, Seeded

Client = Callable[[str], TestClient]


def add_chain(settings: Settings, seeded: Seeded) -> tuple[int, int]:
    """A unit under the scenario's colonel, with a restricted event: a killing by the unit
    (established, two published sources) and an unfair trial ordered by the colonel."""
    with session_scope(settings.database_url) as session:
        unit = Perpetrator(
            natural_key="perp-test-unit",
            kind="unit",
            name="Test Brigade Intelligence Unit",
            commander_id=seeded.perpetrator,
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        event = Event(
            natural_key="ev-test-chain",
            title="Killing at a checkpoint",
            start_date=dt.date(2020, 5, 1),
            start_precision="month",
            state_iso3="SYR",
            area="Idlib governorate",
            confidentiality="restricted",
            created_by=seeded.users["editor"],
        )
        session.add_all([unit, event])
        session.flush()
        for org, rel, cred in (("Test Human Rights Watchers", "A", "1"), ("Local Radio", "C", "3")):
            session.add(
                Source(
                    event_id=event.id,
                    source_type="ngo",
                    organisation=org,
                    reported_on=dt.date(2020, 6, 1),
                    reliability=rel,
                    credibility=cred,
                    citation=f"{org}, report of June 2020",
                    url="javascript:alert(1)" if org == "Local Radio" else "https://example.org/r",
                    confidentiality="restricted",
                    created_by=seeded.users["editor"],
                )
            )
        killing = Act(event_id=event.id, act_type="killing", description="Shot at the checkpoint.")
        trial = Act(event_id=event.id, act_type="unfair_trial")
        session.add_all([killing, trial])
        session.flush()
        session.add_all(
            [
                Involvement(
                    act_id=killing.id, perpetrator_id=unit.id, role="direct", established=True
                ),
                Involvement(act_id=trial.id, perpetrator_id=seeded.perpetrator, role="ordered"),
            ]
        )
        return unit.id, event.id


def test_chain_of_command_gaps_and_footnotes(violations_sqlite: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_sqlite
    unit_id, _ = add_chain(settings, seeded)
    analyst = Principal(seeded.users["analyst"], "analyst", "analyst")
    with session_scope(settings.database_url) as session:
        us = build_dossier(session, analyst, seeded.perpetrator, "us-glomag")
        assert [s.name for s in us.identity.subordinates] == ["Test Brigade Intelligence Unit"]
        leader = {c.key: c for c in us.criteria}["C1"]
        # the colonel's commanded torture and the unit's (established) killing
        found = {(a.act_type, a.relation, a.established) for a in leader.acts}
        assert found == {("torture", "self", False), ("killing", "subordinate", True)}
        responsible = {c.key: c for c in us.criteria}["A"]
        assert "subordinate" not in {a.relation for a in responsible.acts}
        assert {c.key: c for c in us.criteria}["E1"].gap  # nobody documented aid
        # footnotes: numbered 1, 2, ... in the order the evidence cites them
        cited = [n for a in us.evidence for n in a.source_numbers]
        assert sorted(set(cited)) == list(range(1, len(us.sources) + 1))
        assert [n for i, n in enumerate(cited) if n not in cited[:i]] == sorted(set(cited))
        assert us.strength.strong_sources == 5 and us.strength.sources == 6  # 4 B2 + A1, + C3
        uk = build_dossier(session, analyst, seeded.perpetrator, "uk-ghr")
        assert [a.act_type for a in uk.out_of_scope] == ["unfair_trial"]
        assert uk.strength.out_of_scope_acts == 1 and uk.strength.acts == 4
        # the unit's own dossier: its commander's acts support "acting at the direction of"
        unit = build_dossier(session, analyst, unit_id, "uk-ghr")
        direction = {c.key: c for c in unit.criteria}["6-2-c"]
        assert {a.relation for a in direction.acts} == {"superior"}
        html = print_html(us)
        assert html.count('class="fn"') == len(us.sources)  # one footnote per source
        assert "2020-05," in html  # a date known to the month is printed to the month
        assert 'href="javascript:' not in html
        session.rollback()


def test_pages_and_downloads(violations_sqlite: tuple[Settings, Seeded], client_as: Client) -> None:
    settings, seeded = violations_sqlite
    perp = seeded.perpetrator
    analyst = client_as("analyst")
    page = analyst.get(f"/violations/perpetrators/{perp}/dossier?regime=eu-ghrsr")
    assert page.status_code == 200
    assert "Reg. 2020/1998 art. 3(3)(a)" in page.text and "Torture" in page.text
    assert "gap: no documented act" in page.text
    pdf = analyst.get(f"/violations/perpetrators/{perp}/dossier.pdf?regime=uk-ghr")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="dossier-' in pdf.headers["content-disposition"]
    data = analyst.get(f"/api/v1/violations/perpetrators/{perp}/dossier?regime=us-glomag")
    assert data.status_code == 200
    body = data.json()
    assert body["regime"]["program_key"] == "US-GLOMAG" and len(body["evidence"]) == 4
    assert {s["rating"] for s in body["sources"]} == {"B2"}
    ftm = analyst.get(f"/api/v1/violations/perpetrators/{perp}/dossier?format=ftm")
    assert ftm.status_code == 200
    entities = [json.loads(line) for line in ftm.text.splitlines()]
    validate_entities(entities)
    text = page.text + data.text + ftm.text
    for value in SECRETS.values():
        assert value not in text
    bad = analyst.get(f"/api/v1/violations/perpetrators/{perp}/dossier?regime=un-1267")
    assert bad.status_code == 400 and "unknown regime" in bad.text
    assert analyst.get("/api/v1/violations/perpetrators/99999/dossier").status_code == 404
    viewer = client_as("viewer")  # the perpetrator is restricted: not found for a viewer
    assert viewer.get(f"/violations/perpetrators/{perp}/dossier").status_code == 404
    assert viewer.get(f"/api/v1/violations/perpetrators/{perp}/dossier").status_code == 404
    with session_scope(settings.database_url) as session:
        stmt = select(AuditEntry).where(
            AuditEntry.action == "export", AuditEntry.entity == "violation_dossier"
        )
        formats = [str((e.after or {}).get("format")) for e in session.scalars(stmt)]
        assert sorted(formats) == ["ftm", "html", "json", "pdf"]


def test_cli_dossier(violations_sqlite: tuple[Settings, Seeded], tmp_path: Path) -> None:
    settings, seeded = violations_sqlite
    db = ["--database", settings.database_url, "monitoring", "violations", "dossier"]
    env = {"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "100"}
    runner = CliRunner()
    perp = str(seeded.perpetrator)
    for fmt in ("json", "ftm", "html", "pdf"):
        target = tmp_path / f"d.{fmt}"
        out = runner.invoke(
            cli_app,
            [*db, perp, "--regime", "uk-ghr", "--format", fmt, "--output", str(target)],
            env=env,
        )
        assert out.exit_code == 0, out.output
        assert "criteria supported" in out.stderr
        content = target.read_bytes()
        if fmt == "pdf":
            assert content.startswith(b"%PDF")
            continue
        text = content.decode()
        assert not any(value in text for value in SECRETS.values())
        if fmt == "json":
            # the command line reads as the operator: every level, yet no witness name
            assert len(json.loads(text)["evidence"]) == 8
    stdout = runner.invoke(cli_app, [*db, perp, "--regime", "eu-ghrsr"], env=env)
    assert stdout.exit_code == 0 and json.loads(stdout.stdout)["regime"]["key"] == "eu-ghrsr"
    bad = runner.invoke(cli_app, [*db, perp, "--regime", "nope"], env=env)
    assert bad.exit_code == 65 and "unknown regime" in bad.stderr
    no_file = runner.invoke(cli_app, [*db, perp, "--format", "pdf"], env=env)
    assert no_file.exit_code == 65 and "--output" in no_file.stderr
    assert runner.invoke(cli_app, [*db, "424242"], env=env).exit_code == 66


def test_pdf_renders_with_numbered_sources(
    violations_sqlite: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_sqlite
    admin = Principal(seeded.users["admin"], "admin", "admin")
    with session_scope(settings.database_url) as session:
        d = build_dossier(session, admin, seeded.perpetrator, "us-glomag")
        pdf = render_pdf(d)
        session.rollback()
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-64:]
    html = print_html(d)
    # each source is one footnote, at its first citation, numbered as WeasyPrint counts them
    numbers = [int(n) for n in re.findall(r'class="fn" data-source="(\d+)"', html)]
    assert numbers == list(range(1, 9))
    assert SECRETS["reporter_name"] not in html and "witness" in html
