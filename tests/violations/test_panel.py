"""The state page's "Documented violations" panel counts only what its reader may read."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.violations.conftest import SECRETS

# the scenario: Syria, one event per level by the editor and one by the collector
EXPECTED = {"viewer": 2, "collector": 4, "analyst": 4, "editor": 7, "admin": 8}


def _count(body: str) -> int | None:
    found = re.search(r"(\d+) documented events? you may read", body)
    return int(found.group(1)) if found else None


def test_panel_counts_what_each_role_may_read(client_as: Callable[[str], TestClient]) -> None:
    for role, expected in EXPECTED.items():
        page = client_as(role).get("/states/SYR")
        assert page.status_code == 200, role
        assert _count(page.text) == expected, role
        for secret in SECRETS.values():
            assert secret not in page.text, (role, secret)


def test_no_panel_for_a_state_without_events(client_as: Callable[[str], TestClient]) -> None:
    page = client_as("admin").get("/states/NOR")
    assert page.status_code == 200
    assert _count(page.text) is None
