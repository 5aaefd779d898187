"""Property-based API test (schemathesis): no request the OpenAPI schema allows may crash,
and every answer has the shape, status code and content type the schema declares.

Every documented operation gets generated paths, queries and bodies, with an admin token, on
a store holding real treaty and Council vote data; a 5xx answer is a bug (a user mistake must
get a clear 4xx error), and so is a response the OpenAPI document does not describe (the
response models and the declared errors are the API's contract). Runs on SQLite and
PostgreSQL, whose errors differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
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
from rightsdesk.core.importing import run_import
from rightsdesk.core.security.users import create_user, issue_token
from rightsdesk.forms import get_importer
from rightsdesk.web.app import create_app
from tests.conftest import StoreTemplate
from tests.negotiation.conftest import build_hrc


@pytest.fixture
def store_template(shared_data: Path) -> StoreTemplate:
    """The Council's votes: the store starts as a copy of the one other modules of this
    process imported too (``tests/conftest.py``)."""
    return "hrc", build_hrc(shared_data)


def test_no_operation_crashes(
    store_template: StoreTemplate, settings: Settings, shared_data: Path
) -> None:
    with session_scope(settings.database_url) as s:
        treaties = shared_data / "negotiation" / "treaties" / "un_hr_ratifications.csv"
        run_import(s, get_importer("untc-ratifications"), treaties)
        create_user(s, "fuzz", "admin", "a long fuzzing password", actor="test")
        token = issue_token(s, "fuzz", actor="test")
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(settings))
    crashes: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    assert len(operations) > 20
    for operation in operations:

        @hsettings(
            max_examples=15,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases every run: CI must not flake
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except Exception as exc:  # a failed check: collect them all, report once
                crashes.append(
                    f"{case.method} {case.formatted_path} {case.query} {case.body!r}"
                    f" -> {response.status_code}: {str(exc)[:400]}"
                )

        check()
    assert crashes == [], "\n".join(crashes[:20])
