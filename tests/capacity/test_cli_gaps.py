"""``rightsdesk capacity gaps``, ``suggest-links`` and ``links`` on the real IATI files and DR
Congo's real recommendations, on SQLite and PostgreSQL: the documented columns in every
format, the counts the store holds, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.capacity.cli_links import GAP_COLUMNS, LINK_COLUMNS
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from tests.capacity.links_helpers import drc_rows, load_drc_recommendations


@pytest.fixture(scope="module")
def drc_store(
    capacity_store: Settings, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    load_drc_recommendations(capacity_store, shared_data, tmp_path_factory.mktemp("upr"))
    return capacity_store


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    out = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "capacity", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key},
    )
    return out.exit_code, out.stdout, out.stderr


def test_gaps_answers_for_a_state_with_recommendations(
    drc_store: Settings, shared_data: Path
) -> None:
    accepted = [r for r in drc_rows(shared_data) if r["Response"] == "Accepted"]
    code, out, err = run(drc_store, "gaps", "COD", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0].keys()) == GAP_COLUMNS
    assert len(rows) == len(accepted) == 132  # nothing linked nor tracked yet
    assert {r["text"].strip() for r in rows} == {r["Text"].strip() for r in accepted}
    assert all(r["themes"] and r["session"] == "6" for r in rows)

    code, out, _ = run(drc_store, "gaps", "Democratic Republic of the Congo", "--format", "json")
    data = json.loads(out)
    assert code == 0 and len(data) == 132 and list(data[0]) == list(GAP_COLUMNS)
    code, out, _ = run(drc_store, "gaps", "COD")
    assert code == 0 and "132 of 132 supported recommendations" in " ".join(out.split())


def test_gaps_for_a_state_without_recommendations_and_an_unknown_one(
    drc_store: Settings,
) -> None:
    code, out, err = run(drc_store, "gaps", "NOR", "--format", "csv")
    assert code == 0 and out.strip() == ",".join(GAP_COLUMNS)
    assert "no supported recommendation" in err
    code, _, err = run(drc_store, "gaps", "Atlantis")
    assert code != 0 and "Atlantis" in err and "Traceback" not in err


def test_suggest_links_then_list_them(drc_store: Settings) -> None:
    code, out, err = run(drc_store, "suggest-links", "--state", "COD", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["created"] > 10 and report["states"] == ["COD"]
    code, out, _ = run(drc_store, "suggest-links", "--state", "COD", "--format", "json")
    assert json.loads(out)["created"] == 0 and json.loads(out)["updated"] == report["created"]
    code, out, _ = run(drc_store, "links", "--status", "suggested", "-n", "1000", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and tuple(rows[0].keys()) == LINK_COLUMNS
    assert len(rows) == report["created"]
    assert all(
        r["reason"].startswith("same state (Democratic Republic of the Congo)") for r in rows
    )
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    one = rows[0]["programme_id"]
    code, out, _ = run(drc_store, "links", "--programme", one, "-f", "json")
    assert code == 0 and {r["programme_id"] for r in json.loads(out)} == {int(one)}
