"""Pages, exports and the JSON search API of recommendations."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.recommendations.models import Cluster, Recommendation
from rightsdesk.monitoring.recommendations.search import search_ids
from tests.monitoring.conftest import do_import, head_copy, upr_file


def load(settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    do_import(settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "p.csv", 201))
    docx = (
        shared_data
        / "monitoring"
        / "ohchr-thematic-lists"
        / "UPR34_Slovenia_Thematic_list_of_Recommendations.docx"
    )
    do_import(settings, "ohchr-thematic", docx)


def expected_ids(settings: Settings, query: str, facets: dict[str, Any]) -> list[int]:
    with session_scope(settings.database_url) as s:
        return search_ids(s, query, facets, "date")


def test_search_page(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    page = viewer.get("/recommendations", params={"q": "tortured", "order": "date"})
    assert page.status_code == 200
    total = len(expected_ids(sqlite_settings, "tortured", {}))
    assert f"<strong>{total}</strong> recommendation" in page.text
    assert "<mark>torture</mark>" in page.text.lower() or "<mark>tortured</mark>" in page.text
    assert 'id="facet-state"' in page.text and 'id="facet-response"' in page.text
    assert "export" not in page.text.split('id="result-total"')[1].split("</p>")[0]  # viewer
    # a facet link narrows the search; its count is what the filtered page shows
    link = re.search(r'href="(/recommendations\?[^"]*state=AFG[^"]*)"', page.text)
    assert link is not None
    count = re.search(r'state=AFG[^>]*>[^<]*</a> <span class="count">(\d+)</span>', page.text)
    assert count is not None
    narrowed = viewer.get(link.group(1).replace("&amp;", "&"))
    assert f"<strong>{count.group(1)}</strong>" in narrowed.text
    assert int(count.group(1)) == len(expected_ids(sqlite_settings, "tortured", {"state": "AFG"}))
    # htmx asks for the results fragment only
    part = viewer.get(
        "/recommendations",
        params={"q": "women"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert part.status_code == 200 and "<html" not in part.text and "rec-hit" in part.text
    # pagination without JavaScript
    all_page = viewer.get("/recommendations", params={"order": "date"})
    assert 'rel="next"' in all_page.text
    second = viewer.get("/recommendations", params={"order": "date", "page": 2})
    ids = re.findall(r'<a href="/recommendations/(\d+)">', second.text)
    assert [int(i) for i in ids] == expected_ids(sqlite_settings, "", {})[20:40]


def test_recommendation_and_cluster_pages(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    with session_scope(sqlite_settings.database_url) as s:
        rec = s.scalars(select(Recommendation).where(Recommendation.paragraph == "121.1")).one()
        rec_id, dataset_id = rec.id, rec.dataset_id
        cluster = s.scalars(select(Cluster)).first()
        cluster_id = cluster.id if cluster else None
    page = viewer.get(f"/recommendations/{rec_id}")
    assert page.status_code == 200
    assert "Enforced Disappearance" in page.text
    assert "/states/FRA" in page.text and "/states/LTU" in page.text
    assert "supported" in page.text and "A/HRC/43/15" in page.text
    assert f'href="/datasets/{dataset_id}"' in page.text
    assert "Not tracked yet" in page.text
    assert viewer.get("/recommendations/999999").status_code == 404
    data = viewer.get(f"/api/v1/recommendations/{rec_id}").json()
    assert data["state"]["iso3"] == "SVN" and data["paragraph"] == "121.1"
    assert {s["iso3"] for s in data["recommending_states"]} == {"FRA", "LTU"}
    assert {t["taxonomy"] for t in data["themes"]} == {"uhri", "sdg", "affected-persons"}
    if cluster_id is not None:
        assert viewer.get(f"/recommendations/clusters/{cluster_id}").status_code == 200


def test_state_panel(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    page = viewer.get("/states/SVN")
    assert page.status_code == 200
    assert "Recommendations received" in page.text and "Recommendations made" in page.text
    spec = re.search(
        r'<script type="application/json" id="rec-received-spec">(.*?)</script>', page.text, re.S
    )
    assert spec is not None
    chart = json.loads(spec.group(1))
    assert chart["mark"]["type"] == "bar" if isinstance(chart["mark"], dict) else True
    values = chart["data"]["values"]
    assert sum(v["count"] for v in values) == 215
    assert {v["response"] for v in values} == {"supported", "noted"}
    assert "/static/vendor/vega-embed-bundle.js" in page.text
    assert 'id="rec-received-themes"' in page.text
    made = viewer.get("/states/FRA")
    assert "Recommendations made" in made.text and 'id="rec-made-to"' in made.text
    # a state with no recommendations shows no panel
    assert "Recommendations received" not in viewer.get("/states/TUV").text


def test_exports(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    analyst = client_for("analyst")
    # "supported" includes UPR Info's "accepted" now: Slovenia's rows are the OHCHR list's
    params = {"q": "women", "response": "supported", "state": "SVN"}
    assert viewer.get("/recommendations/export.csv", params=params).status_code == 403
    ids = expected_ids(sqlite_settings, "women", {"response": "supported", "state": "SVN"})
    assert ids
    r = analyst.get("/recommendations/export.csv", params={**params, "order": "date"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.startswith("\ufeff")  # the BOM: Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(r.text[1:])))
    assert [int(x["id"]) for x in rows] == ids
    assert all(x["response"] == "supported" and x["state_iso3"] == "SVN" for x in rows)
    assert all("OHCHR thematic list" in x["source"] for x in rows)
    x = analyst.get("/recommendations/export.xlsx", params={**params, "order": "date"})
    assert x.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet is not None
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == "id" and [row[0] for row in table[1:]] == ids
    page = analyst.get("/recommendations", params=params)
    assert "/recommendations/export.xlsx?" in page.text


def test_api_search(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    viewer = client_for("viewer")
    r = viewer.get(
        "/api/v1/recommendations",
        params=[
            ("q", '"death penalty" OR torture'),
            ("state", "AFG"),
            ("state", "SVN"),
            ("per_page", "5"),
            ("order", "date"),
        ],
    )
    assert r.status_code == 200
    data = r.json()
    ids = expected_ids(sqlite_settings, '"death penalty" OR torture', {"state": ["AFG", "SVN"]})
    assert data["total"] == len(ids) and [h["id"] for h in data["hits"]] == ids[:5]
    assert sum(v["count"] for v in data["facets"]["state"]) == len(ids)
    assert data["filters"] == {"state": ["AFG", "SVN"]}
    assert all("<mark>" in h["snippet_html"] for h in data["hits"])
    bad = viewer.get("/api/v1/recommendations", params={"session": "x"})
    assert bad.status_code == 400 and bad.json()["field"] == "session"
    from fastapi.testclient import TestClient

    assert TestClient(viewer.app).get("/api/v1/recommendations").status_code == 401
