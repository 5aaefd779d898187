"""``rightsdesk interventions framework ...``: reference, rating, finalising, history, and bad
input refused with its exit code and nothing written."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.framework.models import Assessment, Rating


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "interventions", "framework", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key},
    )
    return out.exit_code, out.stdout, out.stderr


def _rows(settings: Settings) -> tuple[int, int]:
    with session_scope(settings.database_url) as db:
        return (
            db.scalar(select(func.count()).select_from(Assessment)) or 0,
            db.scalar(select(func.count()).select_from(Rating)) or 0,
        )


def test_factors_as_json_and_table(sqlite_settings: Settings) -> None:
    code, out, _ = run(sqlite_settings, "factors", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert len(data["factors"]) == 14 and data["factors"][9]["crime"] == "genocide"
    code, out, err = run(sqlite_settings, "factors")
    assert code == 0 and "7.14" in out and "Framework of Analysis" in err


def test_rate_finalise_rate_again_history(sqlite_settings: Settings) -> None:
    s = sqlite_settings
    evidence = ["--evidence", "url:https://example.org/r", "--evidence", "gdelt-month:2024-03"]
    code, out, err = run(s, "rate", "SSD", "7.14", "high", "--note", "radio", *evidence)
    assert code == 0, err
    assert "SSD version 1 (draft): 7.14 rated high, 2 evidence link(s)" in out
    code, out, err = run(s, "finalise", "South Sudan")
    assert code == 0 and "version 1 is final" in out, err
    code, out, err = run(s, "rate", "SSD", "7.14", "moderate")
    assert code == 0 and "version 2 (draft)" in out
    code, out, _ = run(s, "history", "SSD", "--format", "json")
    rows = json.loads(out)
    assert [(r["version"], r["status"], r["changed_indicators"]) for r in rows] == [
        (2, "draft", 1),
        (1, "final", 1),
    ]
    code, out, _ = run(s, "show", "SSD", "--version", "1", "--format", "json")
    shown = json.loads(out)["assessment"]
    rating = shown["factors"][6]["indicators"][13]
    assert (rating["code"], rating["rating"], rating["note"]) == ("7.14", "high", "radio")
    assert [e["label"] for e in rating["evidence"]] == [
        "https://example.org/r",
        "GDELT events, SSD, 2024-03",
    ]
    code, out, _ = run(s, "show", "SSD")
    assert code == 0 and "version 2, draft" in out


def test_bad_input_exits_with_its_code_and_writes_nothing(sqlite_settings: Settings) -> None:
    s = sqlite_settings
    cases = [
        (("rate", "SSD", "1.99", "high"), 65, "unknown indicator '1.99'"),
        (("rate", "SSD", "1.1", "severe"), 65, "unknown rating 'severe'"),
        (("rate", "Narnia", "1.1", "high"), 66, "unknown state 'Narnia'"),
        (("rate", "SSD", "1.1", "high", "--evidence", "vote"), 65, "not KIND:REF"),
        (("rate", "SSD", "1.1", "high", "--evidence", "recommendation:424242"), 65, "no recomm"),
        (("finalise", "SSD"), 1, "no draft assessment"),
        (("show", "SSD", "--version", "3"), 66, "no assessment version 3"),
    ]
    for args, want, message in cases:
        code, _, err = run(s, *args)
        assert (code, message in " ".join(err.split())) == (want, True), (args, err)
    assert _rows(s) == (0, 0)
