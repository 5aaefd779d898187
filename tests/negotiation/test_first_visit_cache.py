"""First visits that do not wait (issue 10, item 4): the treaty matrix and the table of
positions are computed once per data version, kept on disk for the other workers, and
computed ahead by the warm-up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from rightsdesk.core import cache
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation import warmup
from rightsdesk.negotiation.positions import service as positions_service
from rightsdesk.negotiation.positions.page import positions_view
from rightsdesk.negotiation.treaties import matrix

TREATIES = "negotiation/treaties"


@pytest.fixture(autouse=True)
def _forget_results() -> Iterator[None]:
    yield
    cache.clear()


def _new_worker(settings: Settings) -> None:
    """What a fresh web worker has: nothing in memory, the results folder on disk."""
    cache.clear()
    cache.configure(settings.data_dir)


def _task(name: str) -> Callable[[Session, Settings], object]:
    return next(t.run for t in warmup.TASKS if t.name == name)


def _import(settings: Settings, kind: str, path: Path) -> None:
    with session_scope(settings.database_url) as s:
        run_import(s, get_importer(kind), path, actor="test")


@pytest.fixture
def counted_matrix(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = matrix.matrix_payload

    def counting(*args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(matrix, "matrix_payload", counting)
    return calls


def test_treaty_matrix_is_computed_once_per_data_version(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, counted_matrix: list[int]
) -> None:
    _import(
        sqlite_settings, "untc-ratifications", shared_data / TREATIES / "un_hr_ratifications.csv"
    )
    viewer = client_for("viewer")
    _new_worker(sqlite_settings)
    first = viewer.get("/treaties")
    assert first.status_code == 200 and 'id="treaty-matrix"' in first.text
    assert '"mark"' in first.text  # the map came with it
    assert viewer.get("/treaties").text == first.text
    api = viewer.get("/api/v1/treaties/matrix")
    assert api.status_code == 200 and len(api.json()["states"]) > 190
    assert len(counted_matrix) == 1  # the page twice and the API: one computation

    _new_worker(sqlite_settings)  # another process: reads what the first one wrote
    assert viewer.get("/treaties").text == first.text
    assert len(counted_matrix) == 1

    # a new import is a new data version: computed again, once
    _import(
        sqlite_settings,
        "untreaties-reservations",
        shared_data / TREATIES / "untreaties/declarations/4-9.txt",
    )
    assert viewer.get("/treaties").status_code == 200
    assert viewer.get("/api/v1/treaties/matrix").status_code == 200
    assert len(counted_matrix) == 2


def test_the_warm_up_computes_the_treaty_matrix(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, counted_matrix: list[int]
) -> None:
    _import(
        sqlite_settings, "untc-ratifications", shared_data / TREATIES / "un_hr_ratifications.csv"
    )
    _new_worker(sqlite_settings)
    with session_scope(sqlite_settings.database_url) as s:
        _task("treaties")(s, sqlite_settings)
    assert len(counted_matrix) == 1
    _new_worker(sqlite_settings)
    viewer = client_for("viewer")  # logs in after the warm-up: a login is audited, no import
    page = viewer.get("/treaties")
    assert page.status_code == 200 and "Norway" in page.text
    assert len(counted_matrix) == 1  # the first visit read the warm-up's result


def _fake_positions(calls: list[str]) -> Callable[..., pd.DataFrame]:
    """Positions of three states over a few sessions (the fit itself is tested elsewhere)."""

    def fake(
        session: Session, settings: Settings, body: str = "unga", issue: str | None = None
    ) -> pd.DataFrame:
        calls.append(body)
        rows = [
            {"iso3": iso3, "session": s, "year": 1945 + s, "ideal_point": 0.1 * s, "se": 0.05}
            for iso3 in ("USA", "CHN", "BRA")
            for s in range(70, 75)
        ]
        return pd.DataFrame(rows)

    return fake


def test_positions_page_reads_the_saved_table(
    client_for: Any, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(positions_service, "positions", _fake_positions(calls))
    _new_worker(sqlite_settings)
    with session_scope(sqlite_settings.database_url) as s:
        _task("positions")(s, sqlite_settings)  # the warm-up: the page's table and the API's
    computed = len(calls)
    assert computed >= 1
    _new_worker(sqlite_settings)  # a fresh worker
    viewer = client_for("viewer")  # logs in after the warm-up (audited: not a data change)
    page = viewer.get("/positions")
    assert page.status_code == 200
    assert "United States of America" in page.text and "China" in page.text
    assert viewer.get("/positions", params={"states": "Brazil"}).status_code == 200
    assert len(calls) == computed  # neither visit fitted nor loaded the fit
    with session_scope(sqlite_settings.database_url) as s:
        view = positions_view(s, sqlite_settings, "UNGA ", "", "USA", [], [])
    assert view["spec"] is not None and {r["iso3"] for r in view["rows"]} == {"USA"}
    assert len(calls) == computed  # "UNGA " is the same body: the same saved table


def test_positions_chart_spec_is_the_pages_chart() -> None:
    """The page's chart is built by ``reports.charts.positions_chart_spec`` (one spec for
    positions in the workbench)."""
    from rightsdesk.negotiation.positions.page import positions_chart
    from rightsdesk.reports.charts import positions_chart_spec

    rows = pd.DataFrame(
        [
            {"iso3": "ZAF", "session": s, "year": 1945 + s, "ideal_point": 0.2, "se": 0.1}
            for s in (28, 29, 49, 50)
        ]
    )
    spec = positions_chart(rows, {"ZAF": "South Africa"})
    assert spec is not None
    segments = {v["segment"] for v in spec["data"]["values"]}
    assert len(segments) == 2  # 1974 and 1994 are not joined
    records = [{**r, "segment": "ZAF-0"} for r in rows.to_dict("records")]
    direct = positions_chart_spec(records, {"ZAF": "South Africa"})
    assert direct is not None and direct["layer"] == spec["layer"]
    assert positions_chart_spec([], {}) is None
