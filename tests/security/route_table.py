"""The violations routes of the assembled app, and what each one should answer to whom.

Everything here is derived from ``create_app(settings).routes``: a route added later is in the
matrix the next time the tests run. What cannot be derived is spelled out in small explicit
tables (which seeded record a path parameter names, what the words of a path mean); a route
those tables cannot place fails the test with a message saying which table to extend, so no
route is silently left out.

The expected answer comes from ``access.may`` alone: allowed (200 for a page or a read, a
success or a validation answer for a write), 404 for a record the user may not read (its
existence is not disclosed), 403 for one it may read but not change, and, for anonymous
callers, the login redirect (pages) or 401 (API).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from fastapi import FastAPI
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from rightsdesk.monitoring.violations.access import Action, Principal, may
from tests.security.scenario import Family, Ref

PREFIXES = ("/violations", "/api/v1/violations")
SAFE = "GET"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: path parameter -> the kind of seeded record it names (a ``Family`` attribute)
RECORD_PARAMS: dict[str, str] = {
    "event_id": "event",
    "victim_id": "victim",
    "source_id": "source",
    "perpetrator_id": "perpetrator",
    "attachment_id": "attachment",
}
#: path parameters that name no documented record: the value to send
VALUE_PARAMS: dict[str, str] = {
    "code": "torture",
    "act_type": "torture",
    "regime": "eu-ghrsr",
    "fmt": "json",
    "format": "json",
    "decision": "reject",
}
#: records whose access needs their event's too (``access`` docstring)
CHILD_OF_EVENT = frozenset({"victim", "source", "attachment"})
#: required query parameters: the value to send
REQUIRED_QUERY: dict[str, str] = {"regime": "eu-ghrsr", "format": "json", "fmt": "json"}

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")

EXTEND = "tests/security/route_table.py"


class Scope(StrEnum):
    """What a route acts on."""

    RECORD = "record"  # the record of its last record parameter
    CHILD = "child"  # a new record under the record of its last record parameter
    LIST = "list"  # no record: a list or search, filtered for every logged-in user
    CREATE = "create"  # a new record with no parent
    ADMIN = "admin"  # the vocabulary and other admin-only settings


#: words after the last record parameter (first segment, extension dropped) -> action.
#: "" is the record itself.
RECORD_WORDS: dict[str, dict[str, Action]] = {
    "GET": {
        "": Action.READ,
        "edit": Action.EDIT,
        "delete": Action.DELETE,
        "download": Action.READ,
        "file": Action.READ,
        "view": Action.READ,
        "dossier": Action.EXPORT,
        "export": Action.EXPORT,
        "timeline": Action.READ,
        "history": Action.READ,
        "sanctions": Action.READ,
        "links": Action.READ,
        "link-sanctions": Action.READ,
        "sanctions-links": Action.READ,
    },
    "POST": {
        "": Action.EDIT,
        "edit": Action.EDIT,
        "delete": Action.DELETE,
        "dossier": Action.EXPORT,
        "export": Action.EXPORT,
        "link-sanctions": Action.EDIT,
        "sanctions-links": Action.EDIT,
        "links": Action.EDIT,
        "sanctions": Action.EDIT,
    },
    "PUT": {"": Action.EDIT},
    "PATCH": {"": Action.EDIT},
    "DELETE": {"": Action.DELETE},
}
#: child collections under a record: GET lists them (READ of the record), POST adds one
#: (CREATE under the record), GET .../new shows the form to add one
CHILD_WORDS = frozenset({"responses", "attachments", "victims", "sources", "acts", "involvements"})
#: routes with no record parameter that create (POST, or GET of a "new" form) or are admin-only
NO_RECORD_WRITES: dict[str, Scope] = {
    r"^/new$": Scope.CREATE,
    r"/events(/new)?$": Scope.CREATE,
    r"/perpetrators(/new)?$": Scope.CREATE,
    r"/act-types(/new)?$": Scope.ADMIN,
    r"/import$": Scope.CREATE,
    r"/export(\.\w+)?$": Scope.LIST,
}


@dataclass(frozen=True)
class RouteCase:
    """One method of one route."""

    method: str
    path: str
    route: APIRoute

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(_PARAM.findall(self.path))

    @property
    def record_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p in RECORD_PARAMS)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def check_params(self) -> str | None:
        """A message naming a parameter the tables do not know, or None."""
        for name in self.params:
            if name not in RECORD_PARAMS and name not in VALUE_PARAMS:
                return (
                    f"{self.label}: path parameter {{{name}}} is unknown to the security "
                    f"matrix; add it to RECORD_PARAMS (a seeded record) or VALUE_PARAMS "
                    f"(a fixed value) in {EXTEND}"
                )
        for dep in _query_params(self.route.dependant):
            if _required(dep) and dep.alias not in REQUIRED_QUERY:
                return (
                    f"{self.label}: required query parameter {dep.alias!r} is unknown to the "
                    f"security matrix; add a value to REQUIRED_QUERY in {EXTEND}"
                )
        return None

    def url(self, family: Family) -> str:
        """The path with every parameter filled from ``family``; required queries added."""

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in RECORD_PARAMS:
                return str(family.record(RECORD_PARAMS[name]).id)
            return VALUE_PARAMS[name]

        path = _PARAM.sub(fill, self.path)
        query = [
            f"{dep.alias}={REQUIRED_QUERY[dep.alias]}"
            for dep in _query_params(self.route.dependant)
            if _required(dep)
        ]
        return path + ("?" + "&".join(query) if query else "")

    def tail(self) -> str:
        """The first word after the last record parameter (or after the prefix), without an
        extension: ``/events/{event_id}/dossier.pdf`` -> ``dossier``."""
        if self.record_params:
            after = self.path.split("{" + self.record_params[-1], 1)[1].split("}", 1)[1]
        else:
            after = ""
        first = after.strip("/").split("/", 1)[0]
        return first.split(".", 1)[0]


@dataclass(frozen=True)
class Rule:
    """What a route does: an action on a scope."""

    action: Action
    scope: Scope


def _query_params(dep: Dependant) -> list[ModelField]:
    """The query parameters of a route and of its dependencies."""
    seen = list(dep.query_params)
    for sub in dep.dependencies:
        seen.extend(_query_params(sub))
    return seen


def _required(param: ModelField) -> bool:
    return bool(param.field_info.is_required())


def violation_routes(app: FastAPI) -> list[RouteCase]:
    """Every method of every route under ``PREFIXES``, in a stable order."""
    cases = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.route
        if not isinstance(route, APIRoute):
            continue
        if not any(route.path == p or route.path.startswith(p + "/") for p in PREFIXES):
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                cases.append(RouteCase(method, route.path, route))
    return sorted(cases, key=lambda c: (c.path, c.method))


def has_route(app: FastAPI, method: str, path: str) -> bool:
    """Whether the app answers ``method`` on the route template ``path``."""
    return any(
        isinstance(c.route, APIRoute) and c.route.path == path and method in (c.route.methods or ())
        for c in iter_route_contexts(app.routes)
    )


def classify(case: RouteCase) -> Rule | str:
    """The route's rule, or a message saying which table to extend."""
    bare = case.path.removeprefix("/api/v1").removeprefix("/violations")
    if not case.record_params:
        for pattern, scope in NO_RECORD_WRITES.items():
            if re.search(pattern, bare) and (case.method in WRITES or bare.endswith("/new")):
                action = Action.READ if scope is Scope.LIST else Action.CREATE
                return Rule(action, scope)
        if case.method == SAFE:
            return Rule(Action.READ, Scope.LIST)
        return (
            f"{case.label}: a write with no record parameter; say what it does in "
            f"NO_RECORD_WRITES of {EXTEND}"
        )
    word = case.tail()
    rest = case.path.rsplit("}", 1)[1].strip("/")
    if word in CHILD_WORDS:
        if case.method == "POST" or rest.endswith("/new"):
            return Rule(Action.CREATE, Scope.CHILD)
        if case.method == SAFE and rest == word:
            return Rule(Action.READ, Scope.RECORD)
    words = RECORD_WORDS.get(case.method, {})
    if word in words:
        return Rule(words[word], Scope.RECORD)
    return (
        f"{case.label}: the word {word!r} after the last record parameter is unknown to the "
        f"security matrix; add it to RECORD_WORDS (or CHILD_WORDS) in {EXTEND}"
    )


def target(case: RouteCase, family: Family) -> tuple[Ref, tuple[Ref, ...]]:
    """The record a route acts on for ``family``, and the records access also needs."""
    kinds = [RECORD_PARAMS[p] for p in case.record_params]
    record = family.record(kinds[-1])
    parents: list[Ref] = []
    for kind in kinds[:-1]:
        parents.append(family.record(kind))
    if record.kind in CHILD_OF_EVENT and "event" not in kinds[:-1]:
        parents.insert(0, family.event)
    return record, tuple(parents)


@dataclass(frozen=True)
class Expect:
    """The answers that are right for one request, and why."""

    allowed: bool
    statuses: frozenset[int]
    why: str


READ_OK = frozenset({200})
WRITE_OK = frozenset({200, 201, 204, 303, 400, 409, 422})
ANON_PAGE = frozenset({303})
ANON_API = frozenset({401})
ANON_PAGE_WRITE = frozenset({303, 403})  # login redirect, or the CSRF check first
ANON_API_WRITE = frozenset({401, 403})


def expect(case: RouteCase, rule: Rule, who: Principal | None, family: Family | None) -> Expect:
    """What ``who`` (None: anonymous) must get from ``case`` on ``family``'s records."""
    write = case.method in WRITES
    if who is None:
        if case.api:
            return Expect(False, ANON_API_WRITE if write else ANON_API, "anonymous (API)")
        return Expect(False, ANON_PAGE_WRITE if write else ANON_PAGE, "anonymous (login)")
    ok = WRITE_OK if write else READ_OK
    if rule.scope is Scope.LIST:
        return Expect(True, ok, "a list: filtered, open to every role")
    if rule.scope is Scope.ADMIN:
        if who.role == "admin":
            return Expect(True, ok, "admin")
        return Expect(False, frozenset({403}), "admin only")
    if rule.scope is Scope.CREATE:
        if may(who, Action.CREATE):
            return Expect(True, ok, "may create")
        return Expect(False, frozenset({403}), "may not create")
    assert family is not None
    record, parents = target(case, family)
    if rule.scope is Scope.CHILD:
        allowed = may(who, Action.CREATE, None, *parents, record)
    else:
        allowed = may(who, rule.action, record, *parents)
    if allowed:
        return Expect(True, ok, f"may {rule.action.value} {record.kind}")
    if not may(who, Action.READ, record, *parents):
        return Expect(False, frozenset({404}), f"may not read {record.kind}: not found")
    return Expect(False, frozenset({403}), f"may read but not {rule.action.value} {record.kind}")


def may_read_sensitive(who: Principal, family: Family) -> bool:
    """Whether ``who`` may see ``family``'s sensitive values (all of one level and owner)."""
    return may(who, Action.READ_SENSITIVE, family.event)
