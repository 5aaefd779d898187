"""``POST /api/v1/sanctions/match-entities``: the match-entities command as an API call.

The same decisions as the command (resolved by default, ``"resolve": false`` pair by pair),
a token or a browser session with its CSRF token, bad entities as a 400 naming the pair, too
many pairs refused, and an audit line that counts pairs without keeping names.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.sanctions.routes_pairs_api import MAX_PAIRS
from tests.sanctions.pages_seed import (  # noqa: F401
    Client,
    api_key_fixture,
    client_as_fixture,
    last_audit,
    seeded_fixture,
    tool_fixture,
)

URL = "/api/v1/sanctions/match-entities"


def person(entity_id: str, **props: list[str]) -> dict[str, Any]:
    return {"id": entity_id, "schema": "Person", "properties": props}


# Robert Smith born 1978; Robbie Smith, who holds the licence of Robert Smith born 1954.
JUNIOR = person("j", firstName=["Robert"], lastName=["Smith"], birthDate=["1978-12-11"],
                address=["123 Main Street, Las Vegas NV 89132"])  # fmt: skip
ROBBIE = person("r", firstName=["Robbie"], lastName=["Smith"], idNumber=["112233"],
                address=["123 Main St, Las Vegas, NV 89132"])  # fmt: skip
SENIOR = person("s", firstName=["Robert"], lastName=["Smith"], birthDate=["1954-03-31"],
                idNumber=["112233"])  # fmt: skip
PAIRS = [
    {"id": "j-r", "left": JUNIOR, "right": ROBBIE},
    {"id": "r-s", "left": ROBBIE, "right": SENIOR},
    {"id": "j-s", "left": JUNIOR, "right": SENIOR},
]


def test_pairs_are_resolved_as_the_command_resolves_them(tool: TestClient) -> None:
    resp = tool.post(URL, json={"pairs": PAIRS})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["threshold"] == 0.62
    got = {r["id"]: r for r in body["results"]}
    assert [r["id"] for r in body["results"]] == ["j-r", "r-s", "j-s"]
    assert got["j-r"]["pair_score"] >= 0.62 and not got["j-r"]["match"]
    assert got["j-r"]["resolution"].startswith("held apart")
    assert got["r-s"]["match"] and not got["j-s"]["match"]
    alone = tool.post(URL, json={"pairs": PAIRS, "resolve": False}).json()["results"]
    assert alone[0]["match"] and alone[0]["resolution"] == "pair"


def test_bad_input_is_refused_with_the_pair_named(tool: TestClient) -> None:
    bad = [
        *PAIRS,
        {"id": "x", "left": {"properties": {"name": ["Secret Person"]}}, "right": JUNIOR},
    ]
    resp = tool.post(URL, json={"pairs": bad})
    assert resp.status_code == 400
    assert "pair 4" in resp.json()["message"] and "Secret Person" not in resp.text
    assert tool.post(URL, json={"pairs": []}).status_code == 422
    tiny = {"id": "t", "left": {"schema": "Person"}, "right": {"schema": "Person"}}
    many = [tiny] * (MAX_PAIRS + 1)
    assert tool.post(URL, json={"pairs": many}).status_code == 422
    assert tool.post(URL, json={"pairs": [{"id": "a", "left": 3, "right": 4}]}).status_code == 422


def test_a_token_or_a_csrf_checked_session_is_needed(
    client_as: Client, seeded: Settings, api_key: str
) -> None:
    anonymous = client_as("anonymous")
    assert anonymous.post(URL, json={"pairs": PAIRS}, headers={}).status_code == 401
    browser = client_as("viewer").post(URL, json={"pairs": PAIRS})
    assert browser.status_code == 403
    keyed = anonymous.post(
        URL, json={"pairs": PAIRS}, headers={"Authorization": f"ApiKey {api_key}"}
    )
    assert keyed.status_code == 200
    actor, _action, _entity, after = last_audit(seeded)
    assert actor == "sx-tool"
    assert "match-entities-api" in str(after) and "Smith" not in str(after)
