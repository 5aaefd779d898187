"""The CLI (``rightsdesk interventions register list|show``), the public contract other rooms
use (``register.public``) and the state partial ``_register_state.html``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader
from sqlalchemy.orm import Session
from typer.testing import CliRunner

import rightsdesk.web
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.interventions.register import public

pytestmark = pytest.mark.usefixtures("store_template")


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "interventions", "register", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key},
    )
    return out.exit_code, out.stdout, out.stderr


def test_cli_list_and_show(sqlite_settings: Settings) -> None:
    code, out, err = run(sqlite_settings, "list", "--state", "SSD", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    unmiss = next(r for r in rows if r["identifier"] == "UNMISS")
    assert unmiss["states"] == "SSD:host" and unmiss["start"] == "2011-07-08"
    assert "un-peacekeeping (to 2024-02-19)" in unmiss["source"]

    code, out, err = run(sqlite_settings, "list", "--kind", "icc-case", "--format", "json")
    assert code == 0, err
    cases = json.loads(out)
    assert len(cases) == 26
    ongwen = next(c for c in cases if c["identifier"] == "ICC-02/04-01/15")

    code, out, err = run(sqlite_settings, "show", str(ongwen["id"]), "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["accused"][0]["status"] == "convicted"
    code, out, _ = run(sqlite_settings, "show", str(ongwen["id"]))
    assert code == 0 and "Dominic Ongwen" in out

    code, _, err = run(sqlite_settings, "list", "--kind", "tribunal")
    assert code != 0 and "unknown kind" in err
    code, _, err = run(sqlite_settings, "show", "999999")
    assert code != 0 and "no register entry" in err


def test_public_contract_and_partial(session: Session) -> None:
    entries = public.entries_for_state(session, "MMR")
    gambia = next(e for e in entries if e.identifier == "ICJ 178")
    assert isinstance(gambia, public.RegisterEntry)
    assert sorted(gambia.states) == [("applicant", "GMB"), ("respondent", "MMR")]
    assert gambia.status == "pending" and "International Court of Justice" in gambia.source
    assert public.entries_for_state(session, "ZZZ") == []
    cases = public.precedents(session, "icc-case", limit=2)
    assert len(cases) == 2 and all(c.kind == "icc-case" for c in cases)
    assert cases[0].start is not None and cases[0].start >= cases[1].start  # type: ignore[operator]

    sec = public.state_section(session, "UGA", None)
    assert sec is not None and sec["iso3"] == "UGA" and not sec["can_edit"]
    kinds = [g["kind"] for g in sec["groups"]]
    assert kinds == ["peacekeeping", "icc-situation", "icc-case", "icj-case"]
    env = Environment(
        loader=FileSystemLoader(Path(rightsdesk.web.__file__).parent / "templates"), autoescape=True
    )
    html = env.get_template("interventions/_register_state.html").render(sec=sec)
    assert "<h2>Register of responses</h2>" in html
    assert "ICC-02/04-01/15" in html and "2024-02-19" in html and "1999" in html

    empty = public.state_section(session, "TUV", None)
    assert empty is not None and empty["groups"] == []
