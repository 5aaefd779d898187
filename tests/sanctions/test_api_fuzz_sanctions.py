"""Property-based check (schemathesis) of the sanctions API on the seeded store: no request
the OpenAPI schema allows may crash, and every answer has the status code, content type and
shape the schema declares (``tests/core/test_api_fuzz.py`` does the same for the whole API on
a store without sanctions data, where these operations mostly answer "not found")."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.users import create_user, issue_token
from rightsdesk.web.app import create_app
from tests.sanctions.pages_seed import seeded_fixture  # noqa: F401


def test_no_sanctions_operation_crashes(seeded: Settings) -> None:
    with session_scope(seeded.database_url) as s:
        create_user(s, "fuzz-sx", "analyst", "a long fuzzing password", actor="test")
        token = issue_token(s, "fuzz-sx", actor="test")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(seeded))
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())  # type: ignore[union-attr]
        if "sanctions" in op.path
    ]
    assert len(operations) >= 8
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    failures: list[str] = []
    for operation in operations:

        @hsettings(
            max_examples=12,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except Exception as exc:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
                    f" -> {response.status_code}: {str(exc)[:400]}"
                )

        check()
    assert failures == [], "\n".join(failures[:20])
