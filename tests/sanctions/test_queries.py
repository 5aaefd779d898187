"""The read side of the lists (``sanctions.queries``) and the commands ``sanctions lists``,
``changes``, ``entity`` and ``entities``, on the store of ``LOAD`` (programme registry, UN
2026, OFAC 2024, EU human-rights regime) on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.sanctions.models import SanctionProgram
from rightsdesk.sanctions.queries import (
    entity_detail,
    list_summaries,
    search_entities,
    state_designations_by_year,
    state_programs,
)


@pytest.fixture
def db(sanctions_session: Session) -> Iterator[Session]:
    yield sanctions_session


def _registry(db: Session) -> bool:
    return bool(db.scalar(select(func.count()).select_from(SanctionProgram)))


def test_list_summaries(db: Session) -> None:
    lists = {x.key: x for x in list_summaries(db)}
    un, ofac = lists["un_sc_sanctions"], lists["us_ofac_sdn"]
    assert (un.entities, un.active) == (1003, 1003)
    assert (ofac.entities, ofac.active) == (14965, 14965)
    assert str(ofac.version_date) == "2024-05-03" and str(un.version_date) == "2026-02-27"


def test_entities_by_programme_country_schema_and_name(db: Session) -> None:
    glomag = search_entities(db, program="GLOMAG", list_key="us_ofac_sdn", limit=1000)
    assert glomag.total == 694 and len(glomag.rows) == 694
    if _registry(db):  # with the registry the registry key finds the same designations
        assert search_entities(db, program="US-GLOMAG", list_key="us_ofac_sdn").total == 694
    zimbabwe = search_entities(db, program="GLOMAG", country="Zimbabwe", limit=1000)
    assert "ofac-7513" in {e.entity_id for e in zimbabwe.rows}
    assert all("ZWE" in e.countries for e in zimbabwe.rows)
    vessels = search_entities(db, schema="Vessel", list_key="us_ofac_sdn", limit=5)
    assert vessels.total == 851 and [e.schema for e in vessels.rows] == ["Vessel"] * 5
    by_name = search_entities(db, text="mnangagwa")
    assert "ofac-7513" in {e.entity_id for e in by_name.rows}
    assert all("MNANGAGWA" in e.caption.upper() for e in by_name.rows)
    arabic = search_entities(db, text="صدام حسين")
    assert arabic.total >= 3 and all(e.entity_id.startswith("unsc-") for e in arabic.rows)
    assert search_entities(db, text="%").total == 0  # a LIKE wildcard is a plain character
    page = search_entities(db, list_key="un_sc_sanctions", limit=10, offset=10)
    assert page.total == 1003 and len(page.rows) == 10


def test_entity_filters_refuse_bad_input(db: Session) -> None:
    with pytest.raises(InputError):
        search_entities(db, limit=0)
    with pytest.raises(InputError):
        search_entities(db, offset=-1)
    with pytest.raises(UnknownStateError):
        search_entities(db, country="Atlantis")


def test_entity_detail(db: Session) -> None:
    detail = entity_detail(db, "unsc-6908555")
    assert detail.entity["caption"] == "RI WON HO" and detail.active
    assert {"kind": "name", "name": "RI WON HO", "script": "Latin"} in detail.names
    assert detail.countries == [{"prop": "nationality", "iso3": "PRK"}]
    (span,) = detail.designations
    assert span.program_code == "DPRK" and span.program_key == "UN-SC1718" and span.active
    assert [h.change for h in detail.history] == ["added"]
    with pytest.raises(NotFoundError):
        entity_detail(db, "unsc-0")


def test_designations_of_a_states_nationals_per_year(db: Session) -> None:
    rows = state_designations_by_year(db, "Democratic People's Republic of Korea")
    un_2016 = [r for r in rows if r.year == 2016 and r.list_key == "un_sc_sanctions"]
    assert un_2016 and un_2016[0].program_key == "UN-SC1718" and un_2016[0].listed > 5
    undated = [r for r in rows if r.year is None]
    assert undated and {r.list_key for r in undated} == {"us_ofac_sdn"}  # OFAC gives no date
    assert all(r.delisted == 0 for r in rows)  # one version each: nothing ended
    years = [r.year for r in rows if r.year is not None]
    assert years == sorted(years)


def test_programmes_of_a_state(db: Session) -> None:
    programs = {p.program: p for p in state_programs(db, "ZWE")}
    glomag = programs.get("US-GLOMAG") or programs["GLOMAG"]
    assert glomag.active >= 1 and glomag.list_key == "us_ofac_sdn" and glomag.ended == 0
    if _registry(db):
        assert glomag.human_rights and glomag.title
        ordered = state_programs(db, "ZWE")
        flags = [p.human_rights for p in ordered]
        assert flags == sorted(flags, reverse=True)  # human-rights regimes first


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    """(exit code, standard output; with standard error after it when the command fails)."""
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "80"}
    result = runner.invoke(app, ["--database", settings.database_url, *args], env=env)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


def test_cli_lists_and_changes(sanctions_loaded: Settings) -> None:
    code, out = _cli(sanctions_loaded, "sanctions", "lists", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    keys = {x["key"] for x in data["lists"]}
    assert {"un_sc_sanctions", "us_ofac_sdn"} <= keys
    assert {"list": "us_ofac_sdn", "version": "2024-05-03", "previous": None, "added": 14965,
            "removed": 0, "changed": 0} in data["versions"]  # fmt: skip
    code, out = _cli(sanctions_loaded, "sanctions", "lists")
    assert code == 0 and "un_sc_sanctions" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out = _cli(
        sanctions_loaded,
        "sanctions", "changes", "us_ofac_sdn", "--from", "2024", "--to", "2024-05",
        "--program", "GLOMAG", "--format", "csv",
    )  # fmt: skip
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 694 and {r["change"] for r in rows} == {"added"}
    code, out = _cli(sanctions_loaded, "sanctions", "changes", "us_ofac_sdn", "--to", "2023")
    assert code == 0 and "0 added" in out
    code, out = _cli(sanctions_loaded, "sanctions", "changes", "nope")
    assert code == 66 and "no sanctions list 'nope'" in out
    code, out = _cli(sanctions_loaded, "sanctions", "changes", "us_ofac_sdn", "--from", "24")
    assert code == 65 and "malformed date" in out


def test_cli_entity_and_entities(sanctions_loaded: Settings) -> None:
    code, out = _cli(sanctions_loaded, "sanctions", "entity", "ofac-7513", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["entity"]["properties"]["lastName"] == ["MNANGAGWA"]
    assert data["designations"][0]["program_code"] == "GLOMAG"
    code, out = _cli(sanctions_loaded, "sanctions", "entity", "ofac-7513")
    assert code == 0 and "MNANGAGWA" in out and "designations" in out
    code, out = _cli(sanctions_loaded, "sanctions", "entity", "unsc-6908555", "-f", "csv")
    assert code == 0 and out.splitlines() == [
        "entity_id,list,program,since,ended,ref",
        "unsc-6908555,un_sc_sanctions,UN-SC1718,2016-11-30,,KPi.033",
    ]
    code, out = _cli(sanctions_loaded, "sanctions", "entity", "ofac-0")
    assert code == 66
    code, out = _cli(
        sanctions_loaded,
        "sanctions", "entities", "--program", "GLOMAG", "--country", "RUS",
        "--schema", "Person", "--format", "csv", "--limit", "1000",
    )  # fmt: skip
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["schema"] == "Person" and "RUS" in r["countries"] for r in rows)
    code, out = _cli(sanctions_loaded, "sanctions", "entities", "--name", "RI WON HO", "--all")
    assert code == 0 and "unsc-6908555" in out
    code, out = _cli(sanctions_loaded, "sanctions", "entities", "--limit", "5000")
    assert code == 65
    code, out = _cli(sanctions_loaded, "sanctions", "entities", "--country", "Atlantis")
    assert code == 66 and "Atlantis" in out
