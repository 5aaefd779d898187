"""Evidence behind a rating: parsing ``KIND:REF``, checking the record exists where another
form offers a service to ask, and showing each link as the reader may see it.

Evidence names records of other forms by id or key, never by foreign key, and reads them only
through their forms' declared services (``rightsdesk.forms.service``). Documented violation
events carry a confidentiality level: a link to an event the reader may not read shows neither
its title, nor its id, nor the analyst's note on it (the note may describe the event). Until the
monitoring form offers ``violation_events_by_ids`` the links are shown that way to every web
reader: closed, never open, by default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.security.models import User
from rightsdesk.forms import service
from rightsdesk.interventions.framework.models import EVIDENCE_KINDS, Evidence

__all__ = [
    "EVIDENCE_LABELS",
    "EvidenceIn",
    "EvidenceView",
    "check_evidence",
    "parse_evidence",
    "show_evidence",
]

EVIDENCE_LABELS: dict[str, str] = {
    "violation-event": "documented violation event",
    "recommendation": "UN recommendation",
    "vote": "UN vote",
    "gdelt-month": "GDELT events of a month",
    "register-entry": "register of responses",
    "url": "web page",
}
HIDDEN_EVENT = "a documented violation event you may not read at your access level"
_MONTH = re.compile(r"^(?:([A-Za-z]{3}):)?(\d{4})-(\d{2})$")
_MAX_REF = 300


@dataclass(frozen=True)
class EvidenceIn:
    """Evidence as given to ``rate``: a kind, the record's reference, an optional note."""

    kind: str
    ref: str
    note: str | None = None


@dataclass(frozen=True)
class EvidenceView:
    """One evidence link as this reader may see it."""

    kind: str
    kind_label: str
    ref: str | None  # None when the reader may not know which record it is
    label: str
    url: str | None
    note: str | None
    visible: bool  # False: a record the reader may not read (nothing about it is shown)
    checked: bool  # the record was found through its form's service


def parse_evidence(text: str, note: str | None = None) -> EvidenceIn:
    """``KIND:REF`` (``recommendation:1234``, ``violation-event:17``, ``url:https://...``)."""
    kind, sep, ref = text.strip().partition(":")
    kind = kind.strip().lower()
    if not sep or not ref.strip():
        raise InputError(f"evidence {text!r} is not KIND:REF", field="evidence")
    if kind not in EVIDENCE_KINDS:
        raise InputError(
            f"unknown evidence kind {kind!r}; use one of: {', '.join(EVIDENCE_KINDS)}",
            field="evidence",
        )
    return EvidenceIn(kind, ref.strip(), (note or "").strip() or None)


def _violation_lookup() -> Callable[..., Any]:
    """``(session, ids, reader) -> {id: ref}`` with only the events ``reader`` may read
    (reader None: the store's operator at the command line); the monitoring form decides."""
    return service("monitoring", "violation_events_by_ids")


def _register_public() -> Any:
    """This form's register room, read through its public module."""
    return import_module("rightsdesk.interventions.register.public")


def _int_ref(ev: EvidenceIn) -> int:
    if not ev.ref.isascii() or not ev.ref.isdecimal() or len(ev.ref) > 18:
        raise InputError(f"{ev.kind} reference {ev.ref!r} must be a record id", field="evidence")
    return int(ev.ref)


def _check_recommendation(session: Session, ev: EvidenceIn) -> EvidenceIn:
    """Stored by natural key (row ids change when recommendations are re-imported)."""
    if ev.ref.isdecimal():
        found = service("monitoring", "recommendations_by_ids")(session, [_int_ref(ev)])
        rec = found.get(int(ev.ref))
    else:
        rec = service("monitoring", "recommendations_by_keys")(session, [ev.ref]).get(ev.ref)
    if rec is None:
        raise InputError(f"no recommendation {ev.ref!r} is stored", field="evidence")
    return EvidenceIn(ev.kind, rec.natural_key, ev.note)


def _check_violation(session: Session, ev: EvidenceIn, writer: User | None) -> EvidenceIn:
    event_id = _int_ref(ev)
    lookup = _violation_lookup()
    if event_id not in lookup(session, [event_id], writer):
        # the same answer whether it does not exist or the writer may not read it
        raise InputError(f"no violation event {event_id} that you may read", field="evidence")
    return EvidenceIn(ev.kind, str(event_id), ev.note)


def _check_month(ev: EvidenceIn, iso3: str) -> EvidenceIn:
    match = _MONTH.match(ev.ref)
    if match is None or not 1 <= int(match.group(3)) <= 12:
        raise InputError(
            f"GDELT month {ev.ref!r} must be YYYY-MM or ISO3:YYYY-MM", field="evidence"
        )
    state = (match.group(1) or iso3).upper()
    return EvidenceIn(ev.kind, f"{state}:{match.group(2)}-{match.group(3)}", ev.note)


def check_evidence(
    session: Session, iso3: str, ev: EvidenceIn, writer: User | None = None
) -> EvidenceIn:
    """The evidence in its stored form, after checking what can be checked; InputError (naming
    the reference) for a record that does not exist or a malformed reference."""
    if len(ev.ref) > _MAX_REF:
        raise InputError(f"evidence reference longer than {_MAX_REF} characters", field="evidence")
    if "\x00" in ev.ref + (ev.note or ""):
        raise InputError("evidence contains a NUL byte", field="evidence")
    if ev.kind == "recommendation":
        return _check_recommendation(session, ev)
    if ev.kind == "violation-event":
        return _check_violation(session, ev, writer)
    if ev.kind == "register-entry":
        return EvidenceIn(ev.kind, str(_int_ref(ev)), ev.note)
    if ev.kind == "gdelt-month":
        return _check_month(ev, iso3)
    if ev.kind == "url":
        if not re.match(r"^https?://[^\s<>\"']+$", ev.ref):
            raise InputError(f"URL {ev.ref!r} must start with http:// or https://", "evidence")
        return ev
    return EvidenceIn(ev.kind, " ".join(ev.ref.split()), ev.note)  # a vote: id or symbol


def _view(e: Evidence, label: str, url: str | None, checked: bool) -> EvidenceView:
    return EvidenceView(e.kind, EVIDENCE_LABELS[e.kind], e.ref, label, url, e.note, True, checked)


def _hidden(e: Evidence) -> EvidenceView:
    label = EVIDENCE_LABELS[e.kind]
    return EvidenceView(e.kind, label, None, HIDDEN_EVENT, None, None, False, True)


def _violations(session: Session, items: list[Evidence], reader: User | None) -> dict[int, Any]:
    ids = {int(e.ref) for e in items if e.kind == "violation-event" and e.ref.isdecimal()}
    lookup = _violation_lookup()
    if not ids:
        return {}
    found: dict[int, Any] = lookup(session, sorted(ids), reader)
    return found


def _recommendations(session: Session, items: Iterable[Evidence]) -> dict[str, Any]:
    keys = {e.ref for e in items if e.kind == "recommendation"}
    if not keys:
        return {}
    found: dict[str, Any] = service("monitoring", "recommendations_by_keys")(session, keys)
    return found


def _register(session: Session, iso3: str, items: list[Evidence]) -> dict[str, Any]:
    module = _register_public()
    if not any(e.kind == "register-entry" for e in items):
        return {}
    return {str(entry.id): entry for entry in module.entries_for_state(session, iso3)}


def _one(
    e: Evidence, reader: User | None, events: dict[int, Any], recs: dict[str, Any], reg: Any
) -> EvidenceView:
    if e.kind == "violation-event":
        event = events.get(int(e.ref)) if e.ref.isdecimal() else None
        if event is not None:
            return _view(e, f"{event.title}", f"/violations/events/{e.ref}", True)
        if reader is None:  # the operator: the id, without the service's title
            return _view(e, f"violation event {e.ref}", None, False)
        return _hidden(e)
    if e.kind == "recommendation":
        rec = recs.get(e.ref)
        if rec is None:
            return _view(e, f"recommendation {e.ref} (no longer stored)", None, False)
        text = rec.text if len(rec.text) <= 160 else rec.text[:157] + "..."
        return _view(e, f"{rec.mechanism}: {text}", f"/recommendations/{rec.id}", True)
    if e.kind == "vote":
        url = f"/votes/{e.ref}" if e.ref.isdecimal() else None
        return _view(e, f"roll call {e.ref}" if url else e.ref, url, False)
    if e.kind == "gdelt-month":
        iso3, _, month = e.ref.partition(":")
        return _view(e, f"GDELT events, {iso3}, {month}", f"/interventions/states/{iso3}", False)
    if e.kind == "register-entry":
        entry, url = reg.get(e.ref), f"/interventions/register/{e.ref}"
        if entry is not None:
            return _view(e, entry.title, url, True)
        return _view(e, f"register entry {e.ref}", url, False)
    return _view(e, e.ref, e.ref, False)


def show_evidence(
    session: Session, iso3: str, items: list[Evidence], reader: User | None
) -> list[EvidenceView]:
    """Each evidence link as ``reader`` may see it (None: the store's operator)."""
    events = _violations(session, items, reader)
    recs = _recommendations(session, items)
    reg = _register(session, iso3, items)
    return [_one(e, reader, events, recs, reg) for e in items]
