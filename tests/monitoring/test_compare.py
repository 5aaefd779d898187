"""A state's recommendations received by theme and by response against its regional group's
average member (issue 10): the figures, the chart specs and the state page."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.config import Settings
from rightsdesk.core.groups import group_members
from rightsdesk.monitoring.recommendations.compare import (
    compare_chart,
    compare_with_group,
    narrow_bars,
)
from rightsdesk.monitoring.recommendations.models import Recommendation
from tests.monitoring.conftest import do_import, head_copy, upr_file

AFRICAN_STATES_IN_SAMPLE = {"TCD", "CAF", "BDI", "BWA", "CMR", "BFA", "CPV", "DZA", "BEN"}


def _load(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    """The first 1,499 recommendations of UPR sessions 1-5: states A-C, nine of them African."""
    do_import(settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "p.csv", 1500))


def _expected(session: Session, members: set[str]) -> tuple[dict[str, Counter[str]], int]:
    """Counts per member and response, computed row by row from the stored objects."""
    recs = session.scalars(
        select(Recommendation)
        .where(Recommendation.state_iso3.in_(members))
        .options(selectinload(Recommendation.responses))
    ).all()
    per_state: dict[str, Counter[str]] = defaultdict(Counter)
    for rec in recs:
        words = {r.response for r in rec.responses} or {"no response"}
        for word in words:
            per_state[rec.state_iso3][word] += 1
    return per_state, len(per_state)


def test_a_state_beside_its_group_average(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    _load(settings, shared_data, tmp_path)
    found = compare_with_group(session, "TCD")
    assert found is not None
    assert found.group == "UN-AFRICA" and "Africa" in found.group_name
    members = set(group_members(session, "UN-AFRICA"))
    per_state, reviewed = _expected(session, members)
    assert set(per_state) == AFRICAN_STATES_IN_SAMPLE and found.members == reviewed == 9
    for row in found.responses:
        assert row["state"] == per_state["TCD"][row["label"]]
        total = sum(c[row["label"]] for c in per_state.values())
        assert row["average"] == round(total / 9, 1)
    assert sum(r["state"] for r in found.responses) == sum(per_state["TCD"].values()) == 123
    assert found.taxonomy == "upr-info"
    assert 0 < len(found.themes) <= 12
    counts = [r["state"] for r in found.themes]
    assert counts == sorted(counts, reverse=True)
    assert all(r["average"] > 0 for r in found.themes)  # Chad counts in its group's average
    # a state outside every regional group, or without recommendations: nothing to compare
    assert compare_with_group(session, "TUV") is None


def test_compare_chart_has_a_bar_and_a_tick_per_row() -> None:
    rows = [
        {"label": "Torture", "state": 7, "average": 3.5},
        {"label": "Women's rights", "state": 4, "average": 6.0},
    ]
    spec = compare_chart(rows, "Chad", "African Group", "Theme")
    assert spec is not None
    assert spec["height"] == {"step": 22}  # rows a fixed height apart, never stretched
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "tick"]
    values = spec["data"]["values"]
    assert {(v["label"], v["who"], v["count"]) for v in values} == {
        ("Torture", "Chad", 7),
        ("Torture", "Average member of the African Group", 3.5),
        ("Women's rights", "Chad", 4),
        ("Women's rights", "Average member of the African Group", 6.0),
    }
    assert spec["encoding"]["y"]["sort"] == ["Torture", "Women's rights"]
    assert compare_chart([], "Chad", "African Group", "Theme") is None


def test_few_bars_are_not_stretched_over_the_page() -> None:
    spec: dict[str, Any] = {"mark": "bar", "width": "container"}
    narrowed = narrow_bars(spec, 1)
    assert narrowed is not None and narrowed["width"] == {"step": 44}
    assert narrow_bars(spec, 40) == spec
    assert narrow_bars(None, 1) is None


def _script(page: str, spec_id: str) -> dict[str, Any]:
    match = re.search(rf'<script type="application/json" id="{spec_id}">(.*?)</script>', page)
    assert match is not None, f"no {spec_id} on the page"
    spec: dict[str, Any] = json.loads(match.group(1))
    return spec


def test_the_state_page_shows_the_comparison(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    _load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    page = viewer.get("/states/TCD")
    assert page.status_code == 200, page.text
    assert 'id="rec-compare"' in page.text and 'id="rec-compare-table"' in page.text
    themes = _script(page.text, "rec-compare-themes-spec")
    responses = _script(page.text, "rec-compare-responses-spec")
    whos = {v["who"] for v in responses["data"]["values"]}
    assert "Chad" in whos and any(w.startswith("Average member of the") for w in whos)
    assert themes["layer"][1]["mark"]["type"] == "tick"
    # Chad was reviewed in one session: its bar chart is not one bar the page's width
    received = _script(page.text, "rec-received-spec")
    assert received["width"] == {"step": 44}
