"""Valid bodies for the room's write routes, so the write matrix reaches the access check
rather than stopping at input validation (a refusal for a missing field would prove nothing).

One entry per write route template; a write route without an entry fails the matrix with a
message pointing here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.scenario import SANCTIONS_ENTITY, Family

#: the request's keyword arguments for ``TestClient.request``, from the family and CSRF token
Body = Callable[[Family, str], dict[str, Any]]

TEXT_FILE = ("note.txt", b"Plain text note for the write matrix.\n", "text/plain")


def _event_json(family: Family, _: str) -> dict[str, Any]:
    return {
        "json": {
            "title": f"Matrix event ({family.tag})",
            "start_date": "2021-06",
            "state_iso3": "SYR",
            "confidentiality": family.level,
            "acts": [{"act_type": "arbitrary_detention"}],
        }
    }


def _event_form(family: Family, csrf: str) -> dict[str, Any]:
    return {
        "data": {
            "csrf_token": csrf,
            "title": f"Matrix event ({family.tag})",
            "start_date": "2021-06",
            "state_iso3": "SYR",
            "status": "reported",
            "confidentiality": family.level,
            "acts[0].act_type": "arbitrary_detention",
        }
    }


def _upload(family: Family, csrf: str) -> dict[str, Any]:
    return {
        "data": {"csrf_token": csrf, "description": "matrix", "confidentiality": family.level},
        "files": {"file": TEXT_FILE},
    }


def _response_json(family: Family, _: str) -> dict[str, Any]:
    return {"json": {"kind": "statement", "actor": "Matrix mission", "date": "2021-07-01"}}


def _response_form(family: Family, csrf: str) -> dict[str, Any]:
    return {"data": {"csrf_token": csrf, "kind": "statement", "actor": "Matrix mission"}}


def _csrf_only(family: Family, csrf: str) -> dict[str, Any]:
    return {"data": {"csrf_token": csrf}}


def _nothing(family: Family, csrf: str) -> dict[str, Any]:
    return {}


def _decide_json(family: Family, _: str) -> dict[str, Any]:
    return {"json": {"entity_id": SANCTIONS_ENTITY}}


def _decide_form(family: Family, csrf: str) -> dict[str, Any]:
    return {"data": {"csrf_token": csrf, "entity_id": SANCTIONS_ENTITY, "decision": "reject"}}


WRITE_BODIES: dict[tuple[str, str], Body] = {
    ("POST", "/api/v1/violations/events"): _event_json,
    ("PUT", "/api/v1/violations/events/{event_id}"): _event_json,
    ("DELETE", "/api/v1/violations/events/{event_id}"): _nothing,
    ("POST", "/api/v1/violations/events/{event_id}/attachments"): _upload,
    ("POST", "/api/v1/violations/events/{event_id}/responses"): _response_json,
    ("POST", "/api/v1/violations/perpetrators/{perpetrator_id}/sanctions/suggest"): _nothing,
    ("POST", "/api/v1/violations/perpetrators/{perpetrator_id}/sanctions/{decision}"): (
        _decide_json
    ),
    ("POST", "/violations/new"): _event_form,
    ("POST", "/violations/events/{event_id}/edit"): _event_form,
    ("POST", "/violations/events/{event_id}/attachments"): _upload,
    ("POST", "/violations/events/{event_id}/responses"): _response_form,
    ("POST", "/violations/perpetrators/{perpetrator_id}/sanctions/suggest"): _csrf_only,
    ("POST", "/violations/perpetrators/{perpetrator_id}/sanctions/decide"): _decide_form,
}
