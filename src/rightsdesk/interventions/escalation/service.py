"""The escalation view of one state: the responses used so far, the assessed risk, and the
proportionate next options, each with precedents from the register.

How the next options are chosen (``choose``): a rung is *proportionate* when the assessed
risk level (the risk model's ``RiskSummary.level``) is at or above the rung's ``min_level``;
it is *suggested* when it is proportionate and the stored data shows no use of it in the last
``STALE_YEARS`` years (never, or only long ago; a response still in force counts as used now).
Without a stored risk the view uses the lowest level and says so: it never escalates on a
guess. Everything is worded as what the data shows ("not in the register", "not in the
stored lists"), never as what happened in the world.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.security.models import User
from rightsdesk.core.states import State
from rightsdesk.interventions.escalation.inputs import (
    AssessmentLike,
    EntryLike,
    Inputs,
    RiskLike,
    default_inputs,
)
from rightsdesk.interventions.escalation.ladder import (
    LADDER,
    LEVEL_LABELS,
    Option,
    Source,
    counts_for,
    level_rank,
)
from rightsdesk.interventions.escalation.responses import (
    RESPONSE_ROLES,
    SourceNote,
    Used,
    collect_used,
    source_notes,
    state_names,
)

__all__ = [
    "STALE_YEARS",
    "STATUS_LABELS",
    "EscalationView",
    "Precedent",
    "Step",
    "choose",
    "escalation_view",
]

#: a response last used longer ago than this is suggested again
STALE_YEARS = 10
PRECEDENTS = 5
#: a rung's status in plain words
STATUS_LABELS = {
    "used": "used",
    "used-long-ago": "used long ago",
    "not-in-records": "not in the records",
    "unknown": "cannot tell (source not loaded)",
    "not-recorded": "not recorded by rightsdesk",
    "check-text": "may be in place: check the resolution",
}

#: a Council country resolution this recent may carry a country mandate or an inquiry
MANDATE_VEHICLE_YEARS = 2
#: the rungs such a resolution may carry, in words
_IN_RESOLUTIONS = {
    "country-mandate": "a country mandate (a special rapporteur or independent expert)",
    "inquiry": "a commission of inquiry or fact-finding mission",
}


def _mandate_vehicle(used: list[Used], today: dt.date) -> Used | None:
    """The latest Human Rights Council country resolution of the last two years, if any.

    Country mandates (special rapporteurs, independent experts) and investigative bodies
    (commissions of inquiry, fact-finding missions) are established and renewed inside
    country resolutions whose titles do not name them (A/HRC/RES/54/2 "Responding to the
    human rights and humanitarian crisis ... in the Sudan" created the Sudan fact-finding
    mission), so a title search alone would call a running mandate "not used"."""
    recent = [
        u
        for u in used
        if u.option == "country-resolution"
        and u.category == "un-decision"
        and "/HRC/" in u.title
        and u.date is not None
        and u.date.year >= today.year - MANDATE_VEHICLE_YEARS
    ]
    return max(recent, key=lambda u: u.date or dt.date.min) if recent else None


# what can still be done when the Security Council is blocked, per rung
_AROUND_VETO = {
    "arms-embargo": "a group of states (the EU, for its members) can impose its own arms embargo",
    "court": "a State Party can refer the situation to the ICC itself (Rome Statute art. 14), "
    "and a party to the Genocide Convention can bring a case before the ICJ (art. IX)",
    "peacekeeping": "the General Assembly can recommend collective measures when the Council "
    "fails to act (resolution 377 (V), Uniting for Peace)",
}
# which input shows each kind of evidence (for "nothing stored" versus "source not loaded")
_FEEDS = {
    "recommendations": "recommendations",
    "country-resolution": "votes",
    "mandate-resolution": "votes",
    "inquiry-resolution": "votes",
    "hr-designations": "sanctions",
    "arms-regime": "sanctions",
    "council-regime": "sanctions",
}
_FEED_WORDS = {
    "register": "the register",
    "votes": "the stored UN decisions",
    "sanctions": "the stored sanctions lists",
    "recommendations": "the monitoring records",
}


@dataclass(frozen=True)
class Precedent:
    """A register entry of another state where the same response was used."""

    identifier: str | None
    title: str
    kind: str
    states: list[str]  # names of the states it was a response to
    start: dt.date | None
    end: dt.date | None
    status: str
    url: str


@dataclass(frozen=True)
class Step:
    """A rung of the ladder as it stands for the state.

    ``status``: "used" (in the last ``STALE_YEARS`` years or still in force), "used-long-ago",
    "not-in-records" (the sources that would show it are loaded and show nothing),
    "unknown" (none of them is loaded), "not-recorded" (no source could show it)."""

    key: str
    step: int
    title: str
    what: str
    who: str
    coercive: bool
    min_level: str
    proportionate: bool
    status: str
    last_used: dt.date | None
    uses: int
    suggested: bool
    why: str
    precedents: list[Precedent] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class EscalationView:
    """Everything the page, the API and the command show for one state."""

    iso3: str
    name: str
    as_of: dt.date
    risk: dict[str, Any] | None
    assessment: dict[str, Any] | None
    level: str  # the level the options were chosen for
    level_note: str
    used: list[Used]
    steps: list[Step]
    violations: int | None
    sources: list[SourceNote]
    notes: list[str]

    @property
    def next_options(self) -> list[Step]:
        return [s for s in self.steps if s.suggested]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (dates as ISO strings)."""
        data = dataclasses.asdict(self)
        data["next_options"] = [s.key for s in self.next_options]
        return _jsonable(data)  # type: ignore[no-any-return]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _risk_dict(risk: RiskLike | None) -> dict[str, Any] | None:
    if risk is None:
        return None
    return {
        "level": risk.level,
        "level_label": LEVEL_LABELS.get(risk.level, risk.level),
        "risk": round(float(risk.risk), 4),
        "rank": risk.rank,
        "n_ranked": risk.n_ranked,
        "year": risk.year,
        "as_of": f"forecast from data up to {risk.year}, for {risk.year + 1}-{risk.year + 2}",
    }


def _assessment_dict(found: AssessmentLike | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "version": found.version,
        "assessed_on": found.assessed_on,
        "author": found.author,
        "factors_rated": found.factors_rated,
        "high_factors": list(found.high_factors),
        "as_of": f"assessed on {found.assessed_on.isoformat()} (version {found.version})",
    }


def _last_use(rows: list[Used], today: dt.date) -> dt.date | None:
    dates = [today if u.ongoing else (u.end or u.date) for u in rows]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def _precedents(session: Session, option: Option, iso3: str, inputs: Inputs) -> list[Precedent]:
    found: dict[int, EntryLike] = {}
    for kind in option.register_kinds:
        # most ICJ cases are on other subjects (``counts_for``): read further back for them
        limit = 50 if kind == "icj-case" else PRECEDENTS + 3
        for entry in inputs.precedents(session, kind, limit):
            if all(code != iso3 for _, code in entry.states) and counts_for(kind, entry.title):
                found.setdefault(entry.id, entry)
    ordered = sorted(found.values(), key=lambda e: e.start or dt.date.min, reverse=True)
    return [
        Precedent(
            identifier=e.identifier,
            title=e.title,
            kind=e.kind,
            states=state_names(dict.fromkeys(c for r, c in e.states if r in RESPONSE_ROLES)),
            start=e.start,
            end=e.end,
            status=e.status,
            url=f"/interventions/register/{e.id}",
        )
        for e in ordered[:PRECEDENTS]
    ]


def _loaded_feeds(session: Session, inputs: Inputs) -> set[str]:
    """The kinds of source that hold any data at all in this store."""
    feeds = set()
    if inputs.register_coverage(session):
        feeds.add("register")
    if {"hrc", "chr", "unga", "unga-c3"} & set(inputs.votes_coverage(session)):
        feeds.add("votes")
    if inputs.sanctions_coverage(session):
        feeds.add("sanctions")
    if "recommendations" in inputs.available:
        feeds.add("recommendations")
    return feeds


def _status(
    option: Option,
    rows: list[Used],
    last: dt.date | None,
    today: dt.date,
    feeds: set[str],
    name: str,
) -> tuple[str, str]:
    """The rung's status and the plain sentence that explains it."""
    if rows:
        cutoff = dt.date(today.year - STALE_YEARS, today.month, min(today.day, 28))
        what = f"{len(rows)} stored response{'s' if len(rows) > 1 else ''}"
        if last is not None and last < cutoff:
            return (
                "used-long-ago",
                f"{what}, the latest in {last.year}: over {STALE_YEARS} years ago.",
            )
        if any(u.ongoing for u in rows):
            return "used", f"{what}, at least one still in force or open."
        return "used", f"{what}, the latest in {last.year if last else 'an undated year'}."
    wanted = {_FEEDS[e] for e in option.evidence} | (
        {"register"} if option.register_kinds else set()
    )
    if not wanted:
        return "not-recorded", option.not_recorded or "rightsdesk holds no record of this."
    loaded = sorted(wanted & feeds)
    if not loaded:
        words = " or ".join(_FEED_WORDS[f] for f in sorted(wanted))
        return "unknown", f"Nothing is loaded in {words}, so rightsdesk cannot tell."
    words = " or ".join(_FEED_WORDS[f] for f in loaded)
    return (
        "not-in-records",
        f"Not in {words} for {name} (which says nothing of what is not stored).",
    )


def choose(
    session: Session,
    iso3: str,
    name: str,
    level: str,
    used: list[Used],
    inputs: Inputs,
    today: dt.date,
    vetoes: int = 0,
) -> list[Step]:
    """Every rung with its status for the state, ``suggested`` set on the next options."""
    feeds = _loaded_feeds(session, inputs)
    steps = []
    for option in LADDER:
        rows = [u for u in used if u.option == option.key]
        last = _last_use(rows, today)
        status, because = _status(option, rows, last, today, feeds, name)
        vehicle = _mandate_vehicle(used, today) if option.key in _IN_RESOLUTIONS else None
        if vehicle is not None and status != "used":
            status = "check-text"
            because += (
                f" But the Human Rights Council adopted a country resolution on {name} in "
                f"{vehicle.date.year if vehicle.date else 'recent years'} ({vehicle.title}): "
                f"such resolutions often establish or renew {_IN_RESOLUTIONS[option.key]} "
                "without saying so in their title. Check its text before proposing one."
            )
        proportionate = level_rank(option.min_level) <= level_rank(level)
        suggested = proportionate and status not in ("used", "check-text")
        reach = f"Proportionate from {LEVEL_LABELS[option.min_level]} upwards"
        why = f"{reach}; " if proportionate else f"{reach}: beyond the assessed level. "
        why += because
        if option.council and vetoes and option.key in _AROUND_VETO:
            why += (
                f" {vetoes} Security Council draft(s) on this situation were vetoed: the "
                f"Council route may be blocked, but {_AROUND_VETO[option.key]}."
            )
        steps.append(
            Step(
                key=option.key,
                step=option.step,
                title=option.title,
                what=option.what,
                who=option.who,
                coercive=option.coercive,
                min_level=option.min_level,
                proportionate=proportionate,
                status=status,
                last_used=last,
                uses=len(rows),
                suggested=suggested,
                why=why,
                precedents=_precedents(session, option, iso3, inputs) if suggested else [],
                sources=list(option.sources),
            )
        )
    return steps


def _level(
    risk: RiskLike | None, assessment: AssessmentLike | None, name: str
) -> tuple[str, str, list[str]]:
    notes = []
    if risk is None:
        level = "lower"
        note = (
            f"No statistical risk is stored for {name}: only the options proportionate at "
            "every level are suggested."
        )
    else:
        level = risk.level if risk.level in LEVEL_LABELS else "lower"
        note = f"Options chosen for {LEVEL_LABELS[level]}, the statistical risk level."
    if assessment is not None and assessment.high_factors and level in ("lower", "elevated"):
        notes.append(
            f"The Framework of Analysis assessment of {assessment.assessed_on.isoformat()} rates "
            f"{len(assessment.high_factors)} risk factor(s) high: the statistical level may "
            "understate the risk; read the assessment before ruling out stronger options."
        )
    return level, note, notes


def escalation_view(
    session: Session,
    iso3: str,
    reader: User | None,
    inputs: Inputs | None = None,
    today: dt.date | None = None,
) -> EscalationView:
    """The escalation view of a state (a name or code); UnknownStateError when there is no
    such state in the store."""
    code = resolve_state(iso3)
    state = session.get(State, code)
    if state is None:
        raise UnknownStateError(iso3, [])
    inputs = inputs or default_inputs()
    today = today or dt.date.today()
    risk = inputs.latest_risk(session, code)
    assessment = inputs.latest_assessment(session, code)
    used = collect_used(session, code, inputs)
    level, level_note, notes = _level(risk, assessment, state.name)
    vetoes = sum(1 for u in used if u.category == "veto")
    steps = choose(session, code, state.name, level, used, inputs, today, vetoes)
    return EscalationView(
        iso3=code,
        name=state.name,
        as_of=today,
        risk=_risk_dict(risk),
        assessment=_assessment_dict(assessment),
        level=level,
        level_note=level_note,
        used=used,
        steps=steps,
        violations=inputs.violations_count(session, code, reader),
        sources=source_notes(session, inputs, used),
        notes=notes,
    )
