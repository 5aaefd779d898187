"""The responses a state has drawn so far, each dated and cited, gathered from the register,
the sanctions lists, UN decisions and recommendations, and the date each source runs to.

Each response is tied to the rung of the ladder it shows was used (``Used.option``), or to
none when it shows no rung (a Security Council resolution naming the state may be a mandate,
a condemnation or a thank-you; a veto is a response that failed). Nothing here says that
something did not happen: only what the stored data holds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.resolver import reference_states
from rightsdesk.interventions.escalation.inputs import EntryLike, Inputs
from rightsdesk.interventions.escalation.ladder import LADDER, counts_for

__all__ = [
    "RESPONSE_ROLES",
    "SourceNote",
    "Used",
    "collect_used",
    "source_notes",
    "state_names",
]

#: the roles in which a register entry is a response *to* the state (an ICJ case it brought
#: as applicant is not)
RESPONSE_ROLES = frozenset({"situation", "respondent", "host", "target"})
#: register statuses that mean the response has ended
_CLOSED = frozenset(
    {"closed", "completed", "concluded", "ended", "terminated", "withdrawn", "dismissed"}
)
_MANDATE = re.compile(r"special rapporteur|independent expert|\bmandate\b", re.IGNORECASE)
_INQUIRY = re.compile(
    r"commission of inquiry|fact[- ]finding|investigative mechanism|inquiry", re.IGNORECASE
)
_UPR = re.compile(r"universal periodic review", re.IGNORECASE)
_ASSISTANCE = re.compile(
    r"technical assistance|capacity[- ]building|advisory services", re.IGNORECASE
)
_ASSEMBLY_COUNCIL = frozenset({"hrc", "chr", "unga", "unga-c3"})


@dataclass(frozen=True)
class Used:
    """One response the state drew, as stored: ``option`` is the ladder rung it shows was
    used (None: none); ``ongoing`` that it is still in force or open."""

    option: str | None
    # register, sanctions (designations), sanctions-regime, un-decision, veto, recommendations
    category: str
    title: str
    date: dt.date | None
    end: dt.date | None
    ongoing: bool
    detail: str
    source: str
    url: str | None = None


@dataclass(frozen=True)
class SourceNote:
    """A source the view read and the latest date its data speaks for."""

    name: str
    data_up_to: dt.date | None
    note: str = ""


def state_names(codes: Iterable[str]) -> list[str]:
    """Display names of ISO3 codes (the code itself when unknown)."""
    refs = reference_states()
    return [refs[c].name if c in refs else c for c in codes]


def _register_option(kind: str, title: str) -> str | None:
    if not counts_for(kind, title):
        return None
    return next((o.key for o in LADDER if kind in o.register_kinds), None)


def _register(entries: Sequence[EntryLike], iso3: str) -> list[Used]:
    out = []
    for entry in entries:
        roles = sorted({role for role, code in entry.states if code == iso3} & RESPONSE_ROLES)
        if not roles:
            continue
        ongoing = entry.end is None and entry.status.lower() not in _CLOSED
        label = f"{entry.identifier}: {entry.title}" if entry.identifier else entry.title
        out.append(
            Used(
                option=_register_option(entry.kind, entry.title),
                category="register",
                title=label,
                date=entry.start,
                end=entry.end,
                ongoing=ongoing,
                detail=f"{entry.kind}, {entry.status}; the state as {', '.join(roles)}",
                source=entry.source,
                url=f"/interventions/register/{entry.id}",
            )
        )
    return out


def _designations(rows: Sequence[Any]) -> list[Used]:
    out = []
    for r in rows:
        span = " to ".join(
            d.isoformat() for d in dict.fromkeys((r.first_listed, r.last_listed)) if d
        )
        out.append(
            Used(
                option="targeted-sanctions",
                category="sanctions",
                title=f"{r.title or r.program}: {r.active} in force, {r.ended} ended",
                date=r.first_listed,
                end=None if r.active else r.last_listed,
                ongoing=r.active > 0,
                detail=f"{r.authority}; the state's nationals and entities"
                + (f"; listed {span}" if span else "; the list gives no listing dates"),
                source=f"sanctions list {r.list_key}",
            )
        )
    return out


def _regimes(rows: Sequence[Any]) -> list[Used]:
    out = []
    for r in rows:
        option = "arms-embargo" if (r.arms or r.security_council) else "targeted-sanctions"
        held = (
            f"{r.designations} designations in the stored lists ({r.active} in force)"
            if r.designations
            else "no designations under it in the stored lists"
        )
        measures = ", ".join(r.measures) or "measures not stated"
        out.append(
            Used(
                option=option,
                category="sanctions-regime",
                title=f"{r.title} ({r.key})",
                date=r.first_listed,
                end=None,
                ongoing=True,
                detail=f"a regime aimed at the state: {measures}; {held}",
                source="OpenSanctions programme registry",
                url=r.url,
            )
        )
    return out


def _decision_option(body: str, title: str) -> str | None:
    if body not in _ASSEMBLY_COUNCIL:
        return None
    if _UPR.search(title):  # the Council's decision adopting the state's UPR outcome
        return "upr-special-procedures"
    if _INQUIRY.search(title):
        return "inquiry"
    if _MANDATE.search(title):
        return "country-mandate"
    return "country-resolution"


def _decisions(resolutions: Sequence[Any], vetoes: Sequence[Any]) -> list[Used]:
    out = []
    for r in resolutions:
        counted = f"{r.yes}-{r.no}-{r.abstain}" if r.yes is not None and r.no is not None else None
        how = f"adopted by vote {counted}" if counted else r.adoption.replace("-", " ")
        if _ASSISTANCE.search(r.title):
            how += "; technical assistance (cooperation with the state, not scrutiny)"
        out.append(
            Used(
                option=_decision_option(r.body, r.title),
                category="un-decision",
                title=f"{r.symbol}: {r.title}" if r.symbol else r.title,
                date=r.date,
                end=None,
                ongoing=False,
                detail=f"{r.body_name}; {how}; its title names the state",
                source=f"UN votes ({r.body_name})",
                url=r.url,
            )
        )
    for v in vetoes:
        by = ", ".join(state_names(v.vetoed_by))
        out.append(
            Used(
                option=None,
                category="veto",
                title=f"{v.draft}: Security Council draft vetoed by {by}",
                date=v.date,
                end=None,
                ongoing=False,
                detail=f"topic: {v.topic or 'not stated'}; meeting {v.meeting or 'not stated'}",
                source="Security Council vetoes dataset",
            )
        )
    return out


def _recommendations(recs: Sequence[Any]) -> list[Used]:
    groups: dict[tuple[str, int | None], list[Any]] = defaultdict(list)
    for rec in recs:
        groups[(rec.mechanism, rec.cycle)].append(rec)
    out = []
    for (mechanism, cycle), rows in sorted(groups.items(), key=lambda g: (g[0][0], g[0][1] or 0)):
        dates = [r.date for r in rows if r.date is not None]
        supported = sum(1 for r in rows if r.response == "supported")
        out.append(
            Used(
                option="upr-special-procedures",
                category="recommendations",
                title=f"{len(rows)} recommendations ({mechanism}"
                + (f", cycle {cycle})" if cycle else ")"),
                date=max(dates) if dates else None,
                end=None,
                ongoing=False,
                detail=f"{supported} supported by the state",
                source="monitoring records",
                url=f"/recommendations?state={rows[0].state_iso3}",
            )
        )
    return out


def collect_used(session: Session, iso3: str, inputs: Inputs) -> list[Used]:
    """Every stored response to the state, oldest first (undated last)."""
    used = [
        *_register(inputs.register_entries(session, iso3), iso3),
        *_designations(inputs.hr_designations(session, iso3)),
        *_regimes(inputs.regimes_on_state(session, iso3)),
        *_decisions(
            inputs.country_resolutions(session, iso3), inputs.council_vetoes(session, iso3)
        ),
        *_recommendations(inputs.recommendations(session, iso3)),
    ]
    return sorted(used, key=lambda u: (u.date is None, u.date or dt.date.min, u.title))


def source_notes(session: Session, inputs: Inputs, used: Sequence[Used]) -> list[SourceNote]:
    """Up to when each source the view read runs, and which could not be read."""
    notes: list[SourceNote] = []
    for row in inputs.register_coverage(session):
        notes.append(SourceNote(f"Register: {row['source']}", row.get("data_up_to")))
    for lst in inputs.sanctions_coverage(session):
        notes.append(SourceNote(f"Sanctions list: {lst.title}", lst.version_date))
    for body, latest in sorted(inputs.votes_coverage(session).items()):
        name = "Security Council vetoes" if body == "unsc-vetoes" else f"UN decisions: {body}"
        notes.append(SourceNote(name, latest))
    recs = [u for u in used if u.category == "recommendations"]
    if recs:
        latest = max((u.date for u in recs if u.date), default=None)
        notes.append(SourceNote("Recommendations to the state", latest, "latest dated one"))
    missing = {
        "register_entries": "Register of responses",
        "latest_risk": "Statistical risk model",
        "latest_assessment": "Framework of Analysis assessments",
        "hr_designations": "Sanctions lists",
        "country_resolutions": "UN votes",
        "recommendations": "Recommendations",
        "violations_count": "Documented violations",
    }
    for key, name in missing.items():
        if key not in inputs.available:
            notes.append(SourceNote(name, None, "not available in this installation yet"))
    return notes
