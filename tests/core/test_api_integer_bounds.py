"""Every integer a caller puts in a query of the JSON API has a maximum, unless the route
documents 404: PostgreSQL refuses a number its column cannot hold, which the app answers as
"no such record" (404), a status such routes would not declare. The fuzz run found
``/api/v1/votes?session=<20 digits>``; this test finds the next one before it does."""

from __future__ import annotations

from typing import Any

from rightsdesk.core.config import Settings
from rightsdesk.web.app import create_app


def _integer(schema: dict[str, Any]) -> tuple[bool, bool]:
    """(is an integer, has a maximum) of a parameter schema, ``anyOf`` with null included."""
    parts = [schema, *schema.get("anyOf", [])]
    ints = [p for p in parts if p.get("type") == "integer"]
    return bool(ints), all("maximum" in p or "maximum" in schema for p in ints)


def test_integer_query_parameters_are_bounded(sqlite_settings: Settings) -> None:
    spec = create_app(sqlite_settings).openapi()
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if "404" in op.get("responses", {}):
                continue
            for param in op.get("parameters", []):
                is_int, bounded = _integer(param.get("schema", {}))
                if is_int and not bounded:
                    unbounded.append(f"{method.upper()} {path} {param['name']}")
    assert unbounded == []


def test_a_huge_session_number_is_a_validation_error(client_for: Any) -> None:
    client = client_for("viewer")
    answer = client.get("/api/v1/votes", params={"session": "9" * 20})
    assert answer.status_code == 422
    assert client.get("/api/v1/votes", params={"session": 73}).status_code == 200
