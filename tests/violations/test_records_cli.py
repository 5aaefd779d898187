"""``rightsdesk monitoring violations list | show | act-types | add-act-type | perpetrators`` on
the seeded scenario (SQLite: the commands' store code is the service's, tested on both)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.cli_records import LIST_COLUMNS
from rightsdesk.monitoring.violations.models import Event
from tests.violations.conftest import SECRETS, Seeded, seeded_template


@pytest.fixture
def store_template() -> tuple[str, Callable[[Settings], None]]:
    return seeded_template()


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "monitoring", "violations", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "80"},
    )
    return out.exit_code, out.stdout, out.stderr


def test_list_in_every_format_and_with_filters(seeded_sqlite_copy: tuple[Settings, Seeded]) -> None:
    settings, seeded = seeded_sqlite_copy
    code, out, err = run(settings, "list", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == LIST_COLUMNS and len(rows) == 8  # the operator reads every level
    assert {r["acts"] for r in rows} == {"torture"}
    code, out, _ = run(settings, "list", "--level", "public", "--state", "Syria", "-f", "json")
    data = json.loads(out)
    assert code == 0 and {r["id"] for r in data} == {
        seeded.events["public"],
        seeded.collector_events["public"],
    }
    assert data[0]["acts"] == ["torture"]
    code, out, _ = run(settings, "list", "--from", "2019-03-03", "--to", "2019-03", "-f", "json")
    assert code == 0 and {r["level"] for r in json.loads(out)} == {
        "confidential",
        "strictly_confidential",
    }
    code, out, _ = run(settings, "list")
    assert code == 0 and "8 events" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert SECRETS["victim_name"] not in out  # a list never shows identities


def test_bad_filters_and_unknown_records_give_exit_codes(
    seeded_sqlite_copy: tuple[Settings, Seeded],
) -> None:
    settings, _ = seeded_sqlite_copy
    code, _, err = run(settings, "list", "--from", "March 2019")
    assert code == 65 and "--from" in err
    code, _, err = run(settings, "list", "--state", "Korea")
    assert code == 65 and "several states" in err
    code, _, err = run(settings, "list", "--status", "done")
    assert code == 65 and "status" in err
    code, _, err = run(settings, "show", "999999")
    assert code == 66 and "no such record" in err


def test_show_is_complete_for_the_operator_and_audited(
    seeded_sqlite_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_sqlite_copy
    event_id = seeded.events["strictly_confidential"]
    with session_scope(settings.database_url) as session:
        event = session.get(Event, event_id)
        assert event is not None
        event.title = "Raid [/] on [bold]the clinic"  # typed text is never read as markup
        event.description = "Witnesses [red]disagree[/red]."
    code, out, err = run(settings, "list", "--level", "strictly_confidential")
    assert code == 0 and "[/]" in out and "[bold]" in out, err  # shown, not interpreted
    code, out, err = run(settings, "show", str(event_id), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["place"] == SECRETS["exact_place"] and data["acts"][0]["act_type"] == "torture"
    assert data["victims"][0]["name"] == SECRETS["victim_name"]
    code, out, _ = run(settings, "show", str(event_id))
    assert code == 0 and "Colonel Test Perpetrator (commanded)" in out
    assert "Raid [/] on [bold]the clinic" in out and "[red]disagree[/red]" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    with session_scope(settings.database_url) as session:
        reads = session.scalars(select(AuditEntry).where(AuditEntry.action == "read")).all()
        assert [(e.entity_id, e.actor.startswith("cli:")) for e in reads] == [
            (str(event_id), True)
        ] * 2


def test_act_types_vocabulary_and_perpetrators(seeded_sqlite_copy: tuple[Settings, Seeded]) -> None:
    settings, _ = seeded_sqlite_copy
    code, out, err = run(settings, "add-act-type", "reprisal", "Reprisal", "--explanation", "x")
    assert code == 0 and "added act type reprisal" in out, err
    code, _, err = run(settings, "add-act-type", "reprisal", "Again")
    assert code != 0 and "exists already" in err
    code, _, err = run(settings, "add-act-type", "Bad Code", "Label")
    assert code == 65 and "lower-case" in err
    code, out, _ = run(settings, "act-types", "-f", "json")
    added = [a for a in json.loads(out) if a["code"] == "reprisal"]
    assert code == 0 and added[0]["added_by"].startswith("cli:")
    code, out, _ = run(settings, "act-types")
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run(settings, "perpetrators", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["name"] for r in rows] == ["Colonel Test Perpetrator"]
    assert rows[0]["key"] == "perp-test-1" and rows[0]["level"] == "restricted"
