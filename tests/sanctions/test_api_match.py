"""The OpenSanctions-compatible ``POST /api/v1/sanctions/match/{dataset}`` on the seeded
store, called exactly as yente's clients call it (nomenklatura's yente enricher:
``Authorization: ApiKey KEY``, ``?fuzzy=false&algorithm=best``, a body of named FtM query
entities), and its answer checked field by field against yente 5.5's response models;
errors in yente's ``{"detail": ...}``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from tests.sanctions import pages_seed as seed
from tests.sanctions.pages_seed import (  # noqa: F401
    Client,
    api_key_fixture,
    client_as_fixture,
    seeded_fixture,
    tool_fixture,
)

#: the members of yente 5.5's ScoredEntityResponse (yente/data/common.py), and ours added
SCORED_KEYS = {
    "id",
    "caption",
    "schema",
    "properties",
    "datasets",
    "referents",
    "target",
    "first_seen",
    "last_seen",
    "last_change",
    "score",
    "explanations",
    "match",
}


def _query(**properties: list[str]) -> dict[str, object]:
    return {"schema": "Person", "properties": properties}


def test_match_answers_in_yentes_shape(tool: TestClient, seeded: Settings) -> None:
    body = {
        "queries": {
            "q1": _query(name=["Ramzan Kadyrov"], birthDate=["1976-10-05"], nationality=["ru"]),
            "q2": {"schema": "Company", "properties": {"name": "Nothing Like It Ltd"}},
        }
    }
    resp = tool.post("/api/v1/sanctions/match/default?fuzzy=false&algorithm=best", json=body)
    assert resp.status_code == 200, resp.text
    assert resp.headers["x-batch-size"] == "2"
    data = resp.json()
    assert set(data) == {"responses", "limit"} and data["limit"] == 5
    q1 = data["responses"]["q1"]
    assert set(q1) == {"status", "results", "total", "query"} and q1["status"] == 200
    assert q1["query"]["schema"] == "Person"
    assert q1["query"]["properties"]["birthDate"] == ["1976-10-05"]
    assert q1["total"] == {"value": 1, "relation": "eq"}
    top = q1["results"][0]
    assert set(top) >= SCORED_KEYS and top["id"] == seed.KADYROV
    assert top["match"] is True and top["target"] is True and 0 < top["score"] <= 1
    assert top["datasets"] == [seed.OFAC] and top["last_seen"] == "2024-05-03T00:00:00"
    assert "Рамзан Ахматович Кадыров" in top["properties"]["alias"]
    name = top["explanations"]["name"]
    assert set(name) == {"detail", "score", "query", "candidate"}
    assert name["candidate"] and "kadyrov" in name["detail"].lower()
    assert "birth_date" in top["explanations"]
    q2 = data["responses"]["q2"]
    assert q2["results"] == [] and q2["total"]["value"] == 0
    # the request is audited with its query entities
    actor, _, _, after = seed.last_audit(seeded)
    assert (actor, after["channel"]) == ("sx-tool", "match-api")
    assert [q["query"] for q in after["queries"]] == ["q1", "q2"]


def test_match_parameters_filter_as_yente_does(tool: TestClient) -> None:
    body = {"queries": {"v": {"schema": "Vessel", "properties": {"name": ["Sea Tester"]}}}}
    found = tool.post("/api/v1/sanctions/match/us_ofac_sdn", json=body).json()["responses"]["v"][
        "results"
    ]
    assert [r["id"] for r in found] == [seed.VESSEL]
    assert (
        tool.post("/api/v1/sanctions/match/un_sc_sanctions", json=body).json()["responses"]["v"][
            "results"
        ]
        == []
    )
    excluded = tool.post(
        f"/api/v1/sanctions/match/default?exclude_entity_ids={seed.VESSEL}", json=body
    ).json()
    assert excluded["responses"]["v"]["results"] == []
    schema_out = tool.post(
        "/api/v1/sanctions/match/default?exclude_schema=Vessel", json=body
    ).json()
    assert schema_out["responses"]["v"]["results"] == []
    topics = tool.post("/api/v1/sanctions/match/default?topics=sanction", json=body).json()
    assert [r["id"] for r in topics["responses"]["v"]["results"]] == [seed.VESSEL]
    later = tool.post("/api/v1/sanctions/match/default?changed_since=2025-01-01", json=body).json()
    assert later["responses"]["v"]["results"] == []
    # a first and last name make the name when "name" is not given
    parts = {"queries": {"p": _query(firstName=["Ramzan"], lastName=["Kadyrov"])}}
    assert (
        tool.post("/api/v1/sanctions/match/default", json=parts).json()["responses"]["p"][
            "results"
        ][0]["id"]
        == seed.KADYROV
    )


@pytest.mark.parametrize(
    ("url", "body", "status", "detail"),
    [
        (
            "/api/v1/sanctions/match/nowhere",
            {"queries": {"a": _query(name=["X"])}},
            404,
            "No such dataset.",
        ),
        ("/api/v1/sanctions/match/default", {"queries": {}}, 400, "No queries provided."),
        (
            "/api/v1/sanctions/match/default?algorithm=magic",
            {"queries": {"a": _query(name=["X"])}},
            400,
            "Invalid algorithm: magic",
        ),
        (
            "/api/v1/sanctions/match/default",
            {"queries": {"a": {"schema": "Banana", "properties": {"name": ["X"]}}}},
            400,
            "Cannot parse example entity: Unknown schema: 'Banana'",
        ),
        (
            "/api/v1/sanctions/match/default",
            {"queries": {f"q{i}": _query(name=["X"]) for i in range(101)}},
            400,
            "Too many queries in one batch (limit: 100)",
        ),
    ],
)
def test_match_errors_come_as_yente_details(
    tool: TestClient, url: str, body: dict[str, object], status: int, detail: str
) -> None:
    resp = tool.post(url, json=body)
    assert (resp.status_code, resp.json()) == (status, {"detail": detail})


def test_match_needs_a_token_and_keeps_names_out_of_errors(client_as: Client, api_key: str) -> None:
    anonymous = client_as("anonymous")
    body = {"queries": {"a": _query(name=["Secret Person"])}}
    # no key: 401 as JSON, not a redirect to the login page
    assert (
        anonymous.post("/api/v1/sanctions/match/default", json=body, headers={}).status_code == 401
    )
    wrong = anonymous.post(
        "/api/v1/sanctions/match/default", json=body, headers={"Authorization": "ApiKey nope"}
    )
    assert wrong.status_code == 401 and "detail" in wrong.json()
    # a logged-in browser must send the page's CSRF token, as for every API write
    browser = client_as("viewer").post("/api/v1/sanctions/match/default", json=body)
    assert browser.status_code == 403 and "X-CSRF-Token" in browser.json()["detail"]
    bearer = anonymous.post(
        "/api/v1/sanctions/match/default", json=body, headers={"Authorization": f"Bearer {api_key}"}
    )
    assert bearer.status_code == 200
    invalid = anonymous.post(
        "/api/v1/sanctions/match/default?limit=9999",
        json=body,
        headers={"Authorization": f"ApiKey {api_key}"},
    )
    assert invalid.status_code == 422 and "Secret Person" not in invalid.text
    bad_body = anonymous.post(
        "/api/v1/sanctions/match/default",
        json={"queries": {"a": {"properties": {"name": ["Secret Person"]}}}},
        headers={"Authorization": f"ApiKey {api_key}"},
    )
    assert bad_body.status_code == 422 and "Secret Person" not in bad_body.text


class _ToApp:
    """A ``requests`` transport adapter that hands each request to the app in-process, so
    a real ``requests``-based OpenSanctions client can call it without a server."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def send(self, request: Any, **_: Any) -> Any:
        import requests
        from requests.structures import CaseInsensitiveDict

        url = urlsplit(request.url)
        answer = self.client.request(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            content=request.body,
            headers=dict(request.headers),
        )
        out = requests.Response()
        out.status_code = answer.status_code
        out._content = answer.content
        out.headers = CaseInsensitiveDict(answer.headers)
        out.url, out.request, out.encoding = request.url, request, "utf-8"
        return out

    def close(self) -> None:
        return None


class _NoCache:
    """nomenklatura's cache, reduced to "nothing cached" (``cache_days`` is 0)."""

    def get_json(self, key: str, max_age: int | None = None) -> None:
        return None

    def get(self, key: str, max_age: int | None = None) -> None:
        return None


def test_nomenklaturas_yente_enricher_works_unchanged(seeded: Settings, api_key: str) -> None:
    """The OpenSanctions matcher's own client (nomenklatura's ``YenteEnricher``, the code
    OpenSanctions uses against yente) pointed at rightsdesk: it finds the listed person and
    reads the answer into FollowTheMoney entities."""
    import requests
    from followthemoney import Dataset, StatementEntity
    from nomenklatura.enrich.yente import YenteEnricher

    from rightsdesk.web.app import create_app

    with TestClient(create_app(seeded)) as app:
        session = requests.Session()
        session.mount("http://testserver/", _ToApp(app))  # type: ignore[arg-type]
        dataset = Dataset.make({"name": "rightsdesk_test", "title": "rightsdesk test"})
        config = {
            "api": "http://testserver/api/v1/sanctions/",
            "api_key": api_key,
            "dataset": "default",
            "cache_days": 0,
        }
        enricher = YenteEnricher(dataset, _NoCache(), config, session=session)  # type: ignore[arg-type]
        query = StatementEntity.from_data(
            dataset,
            {
                "id": "my-client-1",
                "schema": "Person",
                "properties": {"name": ["Ramzan Kadyrov"], "birthDate": ["1976-10-05"]},
            },
        )
        found = list(enricher.match(query))
        # following the match to its entity (GET entities/{id}?nested=true), as yente's
        # clients do, reads rightsdesk's entity page as an FtM entity
        expanded = list(enricher.expand(query, found[0]))
    assert [e.id for e in found] == [seed.KADYROV]
    assert [e.id for e in expanded] == [seed.KADYROV]
    assert "Рамзан Ахматович Кадыров" in expanded[0].get("alias")
    assert found[0].schema.name == "Person"
    assert "1976-10-05" in found[0].get("birthDate")
