"""Where the escalation view reads its facts: the register, the risk model and the framework
(rooms of this form), and the sanctions, negotiation and monitoring forms (through their
declared services).

Why one adapter object: every input is optional. A room still being built, a form whose
service is not declared yet, a store with nothing imported: each then answers None or an
empty list, and the view says what it could not read instead of failing. Tests pass an
``Inputs`` of small fakes; ``default_inputs()`` wires the real functions. Another form is
read through ``rightsdesk.forms.service`` when it declares the service, else through the
module named beside it (the one line to drop once the lead has declared it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from rightsdesk.core.security.models import User

__all__ = [
    "AssessmentLike",
    "EntryLike",
    "Inputs",
    "RiskLike",
    "default_inputs",
]


class RiskLike(Protocol):
    """What the view reads of ``risk.public.RiskSummary``."""

    @property
    def year(self) -> int: ...
    @property
    def risk(self) -> float: ...
    @property
    def rank(self) -> int: ...
    @property
    def n_ranked(self) -> int: ...
    @property
    def level(self) -> str: ...


class AssessmentLike(Protocol):
    """What the view reads of ``framework.public.AssessmentSummary``."""

    @property
    def version(self) -> int: ...
    @property
    def assessed_on(self) -> dt.date: ...
    @property
    def author(self) -> str: ...
    @property
    def factors_rated(self) -> int: ...
    @property
    def high_factors(self) -> list[str]: ...


class EntryLike(Protocol):
    """What the view reads of ``register.public.RegisterEntry``."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def identifier(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def states(self) -> list[tuple[str, str]]: ...
    @property
    def start(self) -> dt.date | None: ...
    @property
    def end(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def url(self) -> str | None: ...


def _nothing(*_args: Any, **_kwargs: Any) -> None:
    return None


def _empty(*_args: Any, **_kwargs: Any) -> list[Any]:
    return []


@dataclass(frozen=True)
class Inputs:
    """The functions the view calls; each may be a fake, or answer nothing."""

    latest_risk: Callable[[Session, str], RiskLike | None] = _nothing
    latest_assessment: Callable[[Session, str], AssessmentLike | None] = _nothing
    register_entries: Callable[[Session, str], Sequence[EntryLike]] = _empty
    precedents: Callable[[Session, str, int], Sequence[EntryLike]] = _empty
    register_coverage: Callable[[Session], Sequence[dict[str, Any]]] = _empty
    hr_designations: Callable[[Session, str], Sequence[Any]] = _empty
    regimes_on_state: Callable[[Session, str], Sequence[Any]] = _empty
    sanctions_coverage: Callable[[Session], Sequence[Any]] = _empty
    country_resolutions: Callable[[Session, str], Sequence[Any]] = _empty
    council_vetoes: Callable[[Session, str], Sequence[Any]] = _empty
    votes_coverage: Callable[[Session], dict[str, dt.date | None]] = lambda _s: {}
    recommendations: Callable[[Session, str], Sequence[Any]] = _empty
    violations_count: Callable[[Session, str, User | None], int | None] = _nothing
    # which inputs are wired to something real (the view lists the others as not available)
    available: frozenset[str] = frozenset()


def default_inputs() -> Inputs:
    """The real functions: the other rooms' public functions and the other forms' declared
    services (a missing one is an error at once, not a silently empty section)."""
    from rightsdesk.core.forms import load_callable
    from rightsdesk.forms import service

    room = "rightsdesk.interventions"
    wired: dict[str, Callable[..., Any]] = {
        "latest_risk": load_callable(f"{room}.risk.public:latest_risk"),
        "latest_assessment": load_callable(f"{room}.framework.public:latest_assessment"),
        "register_entries": load_callable(f"{room}.register.public:entries_for_state"),
        "precedents": load_callable(f"{room}.register.public:precedents"),
        "register_coverage": load_callable(f"{room}.register.public:sources_coverage"),
        "hr_designations": service("sanctions", "human_rights_designations"),
        "regimes_on_state": service("sanctions", "regimes_on_state"),
        "sanctions_coverage": service("sanctions", "lists_coverage"),
        "country_resolutions": service("negotiation", "country_resolutions"),
        "council_vetoes": service("negotiation", "council_vetoes_on"),
        "votes_coverage": service("negotiation", "votes_coverage"),
        "recommendations": service("monitoring", "recommendations_of_state"),
        "violations_count": service("monitoring", "violations_count_of_state"),
    }
    return Inputs(**wired, available=frozenset(wired))
