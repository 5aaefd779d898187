"""The capacity pages and JSON API on the real IATI files and one CRS year (both stores): who
may open them, facets in the URL, the programme page in words, exports, API shapes."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.capacity.models import Programme
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from tests.capacity.conftest import import_file
from tests.capacity.test_crs_import import crs_file
from tests.conftest import add_user, login


@pytest.fixture(scope="module")
def client_as(capacity_store: Settings, shared_data: Path) -> Iterator[Callable[[str], TestClient]]:
    """Logged-in clients (one per role) on the module's store, with CRS 2016 imported."""
    from rightsdesk.web.app import create_app

    import_file(capacity_store, "oecd-crs-sectors", crs_file(shared_data, 2016))
    web = create_app(capacity_store)
    made: dict[str, TestClient] = {}

    def make(role: str) -> TestClient:
        if role not in made:
            name = f"pages-{role}"
            add_user(capacity_store, name, role)
            made[role] = TestClient(web)
            login(made[role], name)
        return made[role]

    made["anonymous"] = TestClient(web)
    yield make
    for c in made.values():
        c.close()


def _programme_id(settings: Settings, key_prefix: str) -> int:
    with session_scope(settings.database_url) as s:
        found = s.scalars(
            select(Programme.id)
            .where(Programme.natural_key.like(key_prefix + "%"))
            .order_by(Programme.id)
        ).first()
    assert found is not None
    return int(found)


PAGES = ("/capacity", "/capacity/programmes", "/capacity/aid", "/capacity/aid/COD")


def test_anonymous_is_sent_to_login(client_as: Callable[[str], TestClient]) -> None:
    anon = client_as("anonymous")
    for path in (*PAGES, "/capacity/programmes/1"):
        r = anon.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    for path in ("/api/v1/capacity/programmes", "/api/v1/capacity/aid/COD"):
        assert anon.get(path).status_code == 401, path


def test_viewer_pages(client_as: Callable[[str], TestClient], capacity_store: Settings) -> None:
    viewer = client_as("viewer")
    for path in PAGES:
        r = viewer.get(path)
        assert r.status_code == 200, (path, r.text[:300])
    landing = viewer.get("/capacity").text
    assert "663 programmes" in landing and "2016–2016" in landing
    listing = viewer.get("/capacity/programmes?donor=GB-1&per_page=20").text
    assert re.search(r"<strong>205</strong> programmes", listing)
    assert 'aria-current="page"' in listing  # the pagination macro
    assert "Department for International Development" in listing
    assert "export" not in listing  # a viewer may not take the list away
    pid = _programme_id(capacity_store, "GB-1-")
    page = viewer.get(f"/capacity/programmes/{pid}").text
    for words in ("Organisations", "Money by year", "Recommendations addressed", "Source:"):
        assert words in page
    assert "dfid-drc-v1.01.xml" in page
    aid = viewer.get("/capacity/aid/COD").text
    assert 'data-vega-spec="crs-aid-spec"' in aid and "USD million" in aid
    assert "African" in aid and "current or constant" in aid
    assert viewer.get("/capacity/programmes/export.csv").status_code == 403
    assert viewer.get("/capacity/programmes?start=later").status_code == 400
    assert viewer.get("/capacity/programmes/999999").status_code == 404


def test_exports_for_analysts(client_as: Callable[[str], TestClient]) -> None:
    analyst = client_as("analyst")
    assert "export" in analyst.get("/capacity/programmes?donor=GB-1").text
    r = analyst.get("/capacity/programmes/export.csv?donor=GB-1")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 205 and all(row["reporting_org_ref"] == "GB-1" for row in rows)
    j = analyst.get("/capacity/programmes/export.json?recipient=COD&sector=15160")
    assert j.status_code == 200 and all("Congo" in x["recipients"] for x in j.json())


def test_api_shapes(client_as: Callable[[str], TestClient], capacity_store: Settings) -> None:
    viewer = client_as("viewer")
    listing = viewer.get("/api/v1/capacity/programmes?recipient=COD&per_page=5").json()
    assert set(listing) >= {"total", "page", "pages", "items", "facets", "filters"}
    assert len(listing["items"]) == 5 and listing["filters"] == {"recipient": ["COD"]}
    assert set(listing["facets"]) == {"donor", "recipient", "sector", "status"}
    pid = _programme_id(capacity_store, "GB-CHC-285776-")
    detail = viewer.get(f"/api/v1/capacity/programmes/{pid}").json()
    for key in (
        "participants",
        "recipients",
        "sectors",
        "budgets",
        "transactions",
        "totals",
        "indicators",
        "documents",
        "activities",
        "links",
        "dataset",
    ):
        assert key in detail, key
    if detail["transactions"]:
        money = detail["transactions"][0]["amount"]
        assert set(money) >= {"value", "currency", "value_date", "text", "usd", "rate_source"}
    assert viewer.get("/api/v1/capacity/programmes/999999").status_code == 404
    aid = viewer.get("/api/v1/capacity/aid/COD").json()
    assert aid["iso3"] == "COD" and [y["year"] for y in aid["years"]] == [2016]
    assert aid["years"][0]["group"] == "UN-AFRICA" and aid["unit"] == "USD million"
    assert viewer.get("/api/v1/capacity/aid/Atlantis").status_code == 404
