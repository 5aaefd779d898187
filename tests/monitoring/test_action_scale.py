"""The action category in words: the scale page, its links, the CLI command, hover texts.

The store is seeded with real UPR Info rows (sessions 1-5), so the counts and examples the page
shows are checked against the rows themselves.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.classification.scale import (
    ACTION_SCALE,
    SCALE_URL,
    action_title,
    action_words,
    scale_in_data,
)
from tests.monitoring.conftest import read_rows, seed_store, spread, upr_file


def seeded(settings: Settings, shared_data: Path, n: int = 400) -> list[dict[str, str]]:
    rows = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), n)
    with session_scope(settings.database_url) as session:
        seed_store(session, rows)
    return rows


def test_words_and_titles() -> None:
    assert action_words(4) == "4 — general action"
    assert action_words(2) == "2 — continuing action"
    assert action_words(None) == action_words(9) == ""
    assert action_title(5).startswith("5 — specific action: ") and "ratify" in action_title(5)
    assert [c.number for c in ACTION_SCALE.values()] == [1, 2, 3, 4, 5]


def test_scale_page_explains_with_examples_from_the_store(
    client_for, sqlite_settings: Settings, shared_data: Path
) -> None:
    rows = seeded(sqlite_settings, shared_data)
    counts = Counter(int(r["Action"]) for r in rows)
    texts = {r["Text"] for r in rows}
    viewer = client_for("viewer")
    page = viewer.get(SCALE_URL)
    assert page.status_code == 200
    html = page.text
    for number, category in ACTION_SCALE.items():
        assert f'id="action-{number}"' in html and category.words in html
        assert category.explanation in html
        row = html.split(f'id="action-{number}"', 1)[1].split("</tr>", 1)[0]
        assert f">{counts[number]:,}</a>" in row  # the count of that category in the store
    examples = re.findall(r'<li><a href="/recommendations/\d+">([^<]+)</a></li>', html)
    assert len(examples) >= 10
    assert {unescape(e) for e in examples} <= texts
    # the commonest opening of "continuing action" in the data is "continue"
    continuing = html.split('id="action-2"', 1)[1].split("</tr>", 1)[0]
    assert "continue" in continuing
    assert viewer.get(SCALE_URL, follow_redirects=False).status_code == 200


def test_scale_page_needs_a_login(client_for, sqlite_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.web.app import create_app

    anonymous = TestClient(create_app(sqlite_settings))
    assert anonymous.get(SCALE_URL, follow_redirects=False).status_code == 303


def test_pages_link_the_scale(client_for, sqlite_settings: Settings, shared_data: Path) -> None:
    seeded(sqlite_settings, shared_data, 60)
    viewer = client_for("viewer")
    listing = viewer.get("/recommendations").text
    assert f'href="{SCALE_URL}#action-' in listing  # each hit's category
    assert "What the action categories mean" in listing  # beside the facet
    rec_id = re.search(r'href="/recommendations/(\d+)"', listing)
    assert rec_id is not None
    detail = viewer.get(f"/recommendations/{rec_id.group(1)}").text
    assert f'href="{SCALE_URL}#action-' in detail and "title=" in detail
    review = viewer.get("/review").text
    assert f'href="{SCALE_URL}"' in review
    assert "action 4 — general action" in review  # the label menu names the categories


def test_cli_lists_the_scale_in_words(sqlite_settings: Settings, shared_data: Path) -> None:
    rows = seeded(sqlite_settings, shared_data, 200)
    counts = Counter(int(r["Action"]) for r in rows)
    result = CliRunner().invoke(
        app,
        [
            "--database",
            sqlite_settings.database_url,
            "monitoring",
            "action-categories",
            "--format",
            "json",
        ],
        env={"RIGHTSDESK_DATA_DIR": str(sqlite_settings.data_dir)},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["category"] for d in data] == [c.words for c in ACTION_SCALE.values()]
    assert [d["recommendations"] for d in data] == [counts[n] for n in ACTION_SCALE]
    assert data[2]["opening words"].startswith("consider")
    table = CliRunner().invoke(
        app,
        [
            "--database",
            sqlite_settings.database_url,
            "monitoring",
            "action-categories",
            "--format",
            "csv",
        ],
        env={"RIGHTSDESK_DATA_DIR": str(sqlite_settings.data_dir), "COLUMNS": "120"},
    )
    assert table.exit_code == 0 and "4 — general action" in table.stdout


def test_scale_in_data_on_both_stores(session: Session, shared_data: Path) -> None:
    rows = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 150)
    seed_store(session, rows)
    session.commit()
    found = scale_in_data(session)
    counts = Counter(int(r["Action"]) for r in rows)
    assert [c.count for c in found] == [counts[n] for n in ACTION_SCALE]
    assert sum(c.share for c in found) == pytest.approx(1.0)
    for c in found:
        assert all(text in {r["Text"] for r in rows} for _id, text in c.examples)
