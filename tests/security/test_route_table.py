"""The matrix's own rules, on a toy app: a route it cannot place is named, not skipped, and
the expected answers follow ``access.may`` (the docstring table of ``access.py``).

No store is needed: the routes are declared, never called.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from rightsdesk.monitoring.violations.access import Action, Principal
from tests.security.route_table import Rule, Scope, classify, expect, violation_routes
from tests.security.scenario import Family, Ref

EDITOR, COLLECTOR = 10, 20


def _app(*paths: tuple[str, str]) -> FastAPI:
    router = APIRouter()
    for method, path in paths:
        router.add_api_route(path, lambda: None, methods=[method])
    app = FastAPI()
    app.include_router(router)
    return app


def _family(owner_id: int, level: str) -> Family:
    def ref(kind: str, n: int) -> Ref:
        return Ref(kind, n, level, owner_id)

    return Family(
        "editor" if owner_id == EDITOR else "collector",
        level,
        ref("event", 1),
        ref("victim", 2),
        ref("source", 3),
        ref("perpetrator", 4),
        ref("attachment", 5),
        (),
    )


def test_unknown_routes_are_named() -> None:
    app = _app(
        ("GET", "/violations/events/{event_id}"),
        ("GET", "/violations/events/{event_id}/frobnicate"),
        ("GET", "/violations/witnesses/{witness_id}"),
        ("POST", "/violations/rebuild"),
        ("GET", "/elsewhere/{event_id}"),
    )
    cases = {c.label: c for c in violation_routes(app)}
    assert set(cases) == {
        "GET /violations/events/{event_id}",
        "GET /violations/events/{event_id}/frobnicate",
        "GET /violations/witnesses/{witness_id}",
        "POST /violations/rebuild",
    }
    assert classify(cases["GET /violations/events/{event_id}"]) == Rule(Action.READ, Scope.RECORD)
    assert "RECORD_WORDS" in str(classify(cases["GET /violations/events/{event_id}/frobnicate"]))
    assert "RECORD_PARAMS" in str(cases["GET /violations/witnesses/{witness_id}"].check_params())
    assert "NO_RECORD_WRITES" in str(classify(cases["POST /violations/rebuild"]))


def test_expected_answers_follow_access() -> None:
    app = _app(
        ("GET", "/violations/victims/{victim_id}"),
        ("POST", "/violations/events/{event_id}/edit"),
        ("DELETE", "/api/v1/violations/events/{event_id}"),
        ("POST", "/violations/events/{event_id}/responses"),
    )
    cases = {c.label: c for c in violation_routes(app)}
    rules = {label: classify(case) for label, case in cases.items()}
    viewer = Principal(1, "viewer", "viewer")
    collector = Principal(COLLECTOR, "collector", "collector")
    editor = Principal(EDITOR, "editor", "editor")

    def status(label: str, who: Principal | None, family: Family) -> frozenset[int]:
        rule = rules[label]
        assert isinstance(rule, Rule)
        return expect(cases[label], rule, who, family).statuses

    public = _family(EDITOR, "public")
    theirs = _family(COLLECTOR, "confidential")
    strict = _family(COLLECTOR, "strictly_confidential")
    victim = "GET /violations/victims/{victim_id}"
    assert status(victim, viewer, public) == {200}
    assert status(victim, viewer, theirs) == {404}  # not disclosed
    assert status(victim, collector, theirs) == {200}  # its own
    assert status(victim, collector, public) == {404}  # only its own
    assert status(victim, None, public) == {303}  # login page
    edit = "POST /violations/events/{event_id}/edit"
    assert status(edit, viewer, public) == {403}  # readable, not editable
    assert 303 in status(edit, editor, theirs) and 404 not in status(edit, editor, theirs)
    assert status(edit, editor, strict) == {404}
    delete = "DELETE /api/v1/violations/events/{event_id}"
    assert status(delete, editor, public) == {403}  # admins only, even for the owner
    assert status(delete, None, public) == {401, 403}
    respond = "POST /violations/events/{event_id}/responses"
    assert rules[respond] == Rule(Action.CREATE, Scope.CHILD)
    assert status(respond, viewer, public) == {403}
    assert 201 in status(respond, collector, strict)
