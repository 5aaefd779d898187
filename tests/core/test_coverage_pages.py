"""Coverage everywhere (issue 10): the home page, the form landing pages, the state panels and
the dataset pages say how far the data reaches; files that added nothing are listed apart."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.coverage import (
    UPR_SESSION_YEARS,
    SourceCoverage,
    coverage,
    sessions_list,
    summary_line,
    upr_years,
)
from rightsdesk.core.db import session_scope
from tests.monitoring.conftest import do_import, head_copy, upr_file

Client = Callable[[str], TestClient]


def _text(html: str) -> str:
    """The words of a page, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


@pytest.fixture
def loaded(sqlite_settings: Settings, shared_data: Path, tmp_path: Path) -> Settings:
    """UPR sessions 1–5 (the first 999 rows of the export, which reach all five), Slovenia's
    cycles 2 and 3, and a treaty file with no core instrument."""
    thematic = shared_data / "monitoring" / "ohchr-thematic-lists"
    upr = head_copy(upr_file(shared_data), tmp_path / "sessions-1-5.csv", 1000)
    do_import(sqlite_settings, "upr-info", upr)
    do_import(
        sqlite_settings,
        "ohchr-thematic",
        thematic / "UPR20_Slovenia_ThematicListRecommendations_E.docx",
    )
    do_import(
        sqlite_settings,
        "ohchr-thematic",
        thematic / "UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
    )
    empty = shared_data / "negotiation" / "treaties" / "untreaties" / "treaties" / "4-1.csv"
    do_import(sqlite_settings, "untreaties", empty)
    return sqlite_settings


def test_coverage_of_the_sources_and_pages(client_for: Client, loaded: Settings) -> None:
    with session_scope(loaded.database_url) as s:
        recs = coverage(s, ("upr-info", "ohchr-thematic"), "Recommendations")
        assert recs.summary == (
            "Recommendations from UPR sessions 1–5 (2008–2009) and Slovenia's cycles 2–3 "
            "(2014–2019)"
        )
        upr = next(i for i in recs.sources if i.kind == "upr-info")
        assert upr.sessions == (1, 5) and upr.cycles == (1, 1) and upr.period == "2008–2009"
        assert upr.reach == "UPR sessions 1–5 (cycle 1)"
        slovenia = [i for i in recs.sources if i.kind == "ohchr-thematic"]
        assert {i.state for i in slovenia} == {"SVN"}
        assert {i.reach for i in slovenia} == {
            "UPR session 20 (cycle 2)",
            "UPR session 34 (cycle 3)",
        }
        treaties = coverage(s, ("untreaties",), "Treaty actions")
        assert not treaties.sources and len(treaties.empty) == 1
        assert "not one of the 18 core instruments" in (treaties.empty[0].notes or "")
        assert treaties.summary == "No treaty actions imported yet"
    viewer = client_for("viewer")
    _home(viewer)
    _recommendations_and_state(viewer)
    _dataset_pages(viewer, upr.id, treaties.empty[0].id)


def _home(viewer: TestClient) -> None:
    """The home page: each form's sources with their reach, empty files apart."""
    page = viewer.get("/")
    assert page.status_code == 200
    monitoring = page.text.split('id="coverage-monitoring"')[1].split("</section>")[0]
    words = _text(monitoring)
    assert "UPR sessions 1–5 (cycle 1)" in words and "2008–2009" in words
    assert "Slovenia's cycles 2–3 (2014–2019)" in words
    assert "999" in words  # rows of the cut-down export
    negotiation = _text(page.text.split('id="coverage-negotiation"')[1].split("</section>")[0])
    assert "1 file with no rows" in negotiation
    assert "IV-1 is not one of the 18 core instruments" in negotiation


def _recommendations_and_state(viewer: TestClient) -> None:
    """The monitoring landing page and a state's panel say the period of what they count."""
    page = viewer.get("/recommendations")
    assert page.status_code == 200
    line = _text(page.text.split('id="recommendations-period"')[1].split("</p>")[0])
    assert "UPR sessions 1–5 (2008–2009) and Slovenia's cycles 2–3 (2014–2019)" in line
    assert 'id="coverage-recommendations"' in page.text
    state = _text(viewer.get("/states/SVN").text)
    assert "received in UPR sessions 20 and 34 (2014–2019)" in state
    assert "counted over the data loaded: UPR sessions 1–5 (2008–2009)" in state


def _dataset_pages(viewer: TestClient, upr_id: int, empty_id: int) -> None:
    """A dataset's page says what it covers, or that it held no row."""
    covers = _text(viewer.get(f"/datasets/{upr_id}").text)
    assert "2008–2009; UPR sessions 1–5 (cycle 1)" in covers
    assert "held no row this importer reads" in viewer.get(f"/datasets/{empty_id}").text


def _item(
    sessions: tuple[int, int], state: str | None = None, cycles: tuple[int, int] | None = None
) -> SourceCoverage:
    return SourceCoverage(
        id=sessions[0],
        kind="upr-info",
        source="UPR Info",
        file=f"s{sessions[0]}.csv",
        rows=10,
        added=10,
        imported="2026-01-01 00:00",
        period_start=date(UPR_SESSION_YEARS[sessions[0]], 1, 1),
        period_end=date(UPR_SESSION_YEARS[sessions[1]], 12, 31),
        sessions=sessions,
        cycles=cycles,
        session_word="UPR sessions",
        state=state,
    )


def test_summary_merges_runs_of_sessions() -> None:
    items = [_item((6, 9)), _item((1, 5)), _item((14, 17)), _item((10, 13))]
    assert summary_line(items, "Recommendations") == (
        "Recommendations from UPR sessions 1–17 (2008–2013)"
    )
    gap = [_item((1, 5)), _item((10, 13))]
    assert summary_line(gap, "Recommendations") == (
        "Recommendations from UPR sessions 1–5 (2008–2009) and 10–13 (2011–2012)"
    )
    assert summary_line([], "Recommendations") == "No recommendations imported yet"


def test_session_helpers() -> None:
    assert sessions_list([6, 19, 7, None, 8]) == "6–8 and 19"
    assert sessions_list([3]) == "3"
    assert upr_years([1, 17]) == "2008–2013" and upr_years([48]) == "2025"
    assert upr_years([999]) == ""


def test_coverage_on_both_stores(settings: Settings, shared_data: Path) -> None:
    """The grouped queries behind coverage run on SQLite and PostgreSQL alike."""
    thematic = shared_data / "monitoring" / "ohchr-thematic-lists"
    do_import(
        settings, "ohchr-thematic", thematic / "UPR20_Slovenia_ThematicListRecommendations_E.docx"
    )
    empty = shared_data / "negotiation" / "treaties" / "untreaties" / "treaties" / "4-1.csv"
    do_import(settings, "untreaties", empty)
    with session_scope(settings.database_url) as s:
        cov = coverage(s)
        assert cov.summary == "Data from Slovenia's cycle 2 (2014)"
        (item,) = cov.sources
        assert (item.sessions, item.cycles, item.state, item.rows) == ((20, 20), (2, 2), "SVN", 163)
        assert [e.file for e in cov.empty] == ["4-1.csv"]
