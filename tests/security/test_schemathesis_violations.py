"""Property-based check (schemathesis) of the violations API on the seeded scenario: no request
the OpenAPI schema allows may crash, and every answer has the status code, content type and
shape the schema declares.

``tests/core/test_api_fuzz.py`` walks every operation of the API too, but on a store with no
documented events, where these operations mostly answer "not found"; here the ids it draws land
on events, victims and perpetrators at every level (the scenario's ids are small integers), as
an admin (who reaches every code path) and as the data collector (who is refused most records).
Runs on SQLite and PostgreSQL, whose errors differ.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from rightsdesk.core.db import session_scope
from rightsdesk.core.security.users import issue_token
from rightsdesk.web.app import create_app
from tests.security.scenario import Scenario

PREFIX = "/api/v1/violations"
#: examples per operation: the admin reaches the deepest code, the collector mostly refusals
EXAMPLES = {"admin": 8, "collector": 4}


def fuzz(
    operation: Any,
    role: str,
    token: str,
    examples: int,
    checks: list[Any],
    failures: list[str],
    calls: list[int],
) -> None:
    """Call one operation with ``examples`` generated cases as ``role``; collect failures."""
    headers = {"Authorization": f"Bearer {token}"}

    @hsettings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: CI must not flake
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
        calls[0] += 1
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except Exception as exc:  # a failed check: collect them all, report once
            failures.append(
                f"{role} {case.method} {case.formatted_path} {case.query} "
                f"{case.body!r} -> {response.status_code}: {str(exc)[:400]}"
            )

    check()


def test_no_violations_operation_crashes(scenario: Scenario) -> None:
    with session_scope(scenario.settings.database_url) as s:
        tokens = {role: issue_token(s, role, actor="test") for role in ("collector", "admin")}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(scenario.settings))
    operations = [
        op
        for op in (result.ok() for result in schema.get_all_operations())  # type: ignore[union-attr]
        if op.path.startswith(PREFIX)
    ]
    assert len(operations) >= 10, [op.path for op in operations]
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    failures: list[str] = []
    calls = [0]
    for role, token in tokens.items():
        for operation in operations:
            fuzz(operation, role, token, EXAMPLES[role], checks, failures, calls)
    print(f"\nschemathesis: {len(operations)} operations, {calls[0]} generated calls")
    for op in operations:
        print(f"  {op.method.upper()} {op.path}")
    assert failures == [], "\n".join(failures[:20])
