"""The action category in words where recommendations are listed (issue 10): the CLI table of
``monitoring search`` (a column that keeps the table within 80 columns), its JSON, the API
and the search page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.monitoring.recommendations.cli import action_cell
from tests.monitoring.conftest import do_import, head_copy, upr_file


def test_action_cell_is_number_and_name() -> None:
    assert action_cell(4, "general action") == "4 general action"
    assert action_cell(
        1, "minimal action (addressed to other states or asking for assistance)"
    ) == ("1 minimal action")
    assert action_cell(None, None) == ""


def test_search_shows_the_action_category_in_words(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path, client_for: Any
) -> None:
    do_import(
        sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "c.csv", 201)
    )
    runner = CliRunner()
    env = {"RIGHTSDESK_SECRET_KEY": sqlite_settings.secret_key, "COLUMNS": "80"}
    db = ["--database", sqlite_settings.database_url]
    raw = runner.invoke(
        app, [*db, "monitoring", "search", "", "--format", "json", "-n", "40"], env=env
    )
    assert raw.exit_code == 0, raw.output
    hits = json.loads(raw.stdout)["hits"]
    with_category = [h for h in hits if h["action_category"]]
    assert with_category, "the subset has action categories"
    words = {1: "minimal", 2: "continuing", 3: "considering", 4: "general", 5: "specific"}
    for h in with_category:
        assert h["action_label"].startswith(words[h["action_category"]])

    table = runner.invoke(app, [*db, "monitoring", "search", "", "-n", "40"], env=env)
    assert table.exit_code == 0, table.output
    assert "response /" in table.stdout and "action" in table.stdout
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    # the "response / action" column, read down: each category in words after its number
    column = " ".join(line.split("│")[5] for line in lines if line.startswith("│"))
    for number in {h["action_category"] for h in with_category}:
        assert f"{number} {words[number]} action" in " ".join(column.split())

    viewer = client_for("viewer")
    page = viewer.get("/recommendations")
    assert page.status_code == 200
    shown = re.findall(r"action category (\d) – ([a-z ]+)", page.text)
    assert shown and all(words[int(n)] in label for n, label in shown)
    api = viewer.get("/api/v1/recommendations", params={"per_page": 40})
    assert api.status_code == 200, api.text
    labelled = [h for h in api.json()["hits"] if h["action_category"]]
    assert labelled and all(
        h["action_label"].startswith(words[h["action_category"]]) for h in labelled
    )
