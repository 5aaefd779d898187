"""Treaty actions, competence declarations and reservation items: the questions over them.

A state's full standing per instrument (the ``treaties status`` contract), the list of
declarations accepting a committee's competence (the ``treaties declarations`` contract),
which individual-complaint procedures a state accepts, and parties at a date, where a
denunciation ends participation from its effective date and a former state's from its end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.periods import iso_date
from rightsdesk.core.states import State, get_state
from rightsdesk.negotiation.treaties.instruments import instrument_ref
from rightsdesk.negotiation.treaties.matrix import PARTY_STATUSES, list_instruments
from rightsdesk.negotiation.treaties.models import (
    Competence,
    Instrument,
    Ratification,
    ReservationItem,
    TreatyAction,
)

# The individual-complaint procedures: (instrument, article or None for a whole protocol).
COMPLAINT_PROCEDURES: tuple[tuple[str, str | None], ...] = (
    ("ICERD", "14"),
    ("ICCPR-OP1", None),
    ("OP-ICESCR", None),
    ("OP-CEDAW", None),
    ("CAT", "22"),
    ("OP-CRC-IC", None),
    ("ICMW", "77"),
    ("OP-CRPD", None),
    ("CPED", "31"),
)
CONSENT_ACTIONS = frozenset(
    {
        "ratification",
        "accession",
        "succession",
        "acceptance",
        "approval",
        "formal confirmation",
        "re-accession",
    }
)
STATUS_JSON_KEYS = (
    "instrument",
    "status",
    "signature",
    "consent",
    "consent_type",
    "denunciation",
    "competence",
    "reservations",
)
DECLARATION_COLUMNS = ["iso3", "instrument", "article", "procedure", "date", "withdrawn"]


def procedure_label(short: str, article: str | None) -> str:
    """``CAT art. 22`` or ``OP-CEDAW``: how a complaint procedure is named on pages."""
    return f"{short} art. {article}" if article else short


def status_label(row: Ratification | None) -> str:
    """The status as a sentence: "denounced (effective 2000-06-27)", "ratified (until
    1990-10-03, end of state)", "signed", "none"."""
    if row is None:
        return "none"
    if row.status == "denounced":
        when = iso_date(row.denunciation_effective or row.denounced_on)
        return f"denounced (effective {when})" if when else "denounced"
    if row.party_until is not None and row.status in PARTY_STATUSES:
        return f"{row.status} (until {row.party_until.isoformat()}, end of state)"
    return row.status


def competences(
    session: Session, iso3: str | None = None, instrument: str | None = None
) -> list[Competence]:
    """Stored declarations and opt-outs, by state then instrument order then article."""
    stmt = select(Competence).join(Instrument)
    if iso3 is not None:
        stmt = stmt.where(Competence.iso3 == iso3)
    if instrument is not None:
        stmt = stmt.where(Competence.instrument_short == instrument_ref(instrument).short)
    rows = list(session.scalars(stmt.order_by(Competence.iso3, Instrument.position)))
    return sorted(rows, key=lambda c: (c.iso3, _pos(c.instrument_short), _num(c.article)))


def _pos(short: str) -> int:
    return instrument_ref(short).position


def _num(article: str) -> tuple[int, str]:
    digits = "".join(ch for ch in article if ch.isdigit())
    return (int(digits) if digits else 0, article)


def declaration_rows(session: Session, instrument: str | None = None) -> list[dict[str, Any]]:
    """Every declaration recognising a committee's competence or accepting a procedure (a
    withdrawn opt-out counts from its withdrawal), one row each: iso3, instrument, article,
    procedure, date, withdrawn (ISO dates or None)."""
    return [
        {
            "iso3": c.iso3,
            "instrument": c.instrument_short,
            "article": c.article,
            "procedure": c.procedure,
            "date": iso_date(c.declared_on),
            "withdrawn": iso_date(c.withdrawn),
        }
        for c in competences(session, None, instrument)
        if c.kind == "acceptance"
    ]


def reservation_items(session: Session, iso3: str) -> list[ReservationItem]:
    """A state's reservation items (its objections included), in instrument and page order."""
    stmt = (
        select(ReservationItem)
        .join(Instrument)
        .where(ReservationItem.iso3 == iso3)
        .order_by(Instrument.position, ReservationItem.ordinal)
    )
    return list(session.scalars(stmt))


def accepted_complaints(session: Session, iso3: str) -> list[str]:
    """The individual-complaint procedures a state accepts today, e.g. ["ICERD art. 14",
    "ICCPR-OP1", "CAT art. 22"]: a declaration in force, or party to the protocol."""
    rows = {
        r.instrument_short: r
        for r in session.scalars(select(Ratification).where(Ratification.iso3 == iso3))
    }
    declared = {
        (c.instrument_short, c.article)
        for c in competences(session, iso3)
        if c.kind == "acceptance" and c.withdrawn is None and c.procedure == "individual"
    }
    out = []
    for short, article in COMPLAINT_PROCEDURES:
        row = rows.get(short)
        party = row is not None and row.status in PARTY_STATUSES and row.party_until is None
        if (article is None and party) or (
            article is not None and party and (short, article) in declared
        ):
            out.append(procedure_label(short, article))
    return out


def complaint_gaps(session: Session, query: str) -> list[dict[str, Any]]:
    """The individual-complaint procedures a state does not accept, with why (not party to
    the treaty, or party without the declaration)."""
    state = get_state(session, query)
    accepted = set(accepted_complaints(session, state.iso3))
    rows = {
        r.instrument_short: r
        for r in session.scalars(select(Ratification).where(Ratification.iso3 == state.iso3))
    }
    out = []
    for short, article in COMPLAINT_PROCEDURES:
        label = procedure_label(short, article)
        if label in accepted:
            continue
        row = rows.get(short)
        if article is None or row is None or row.status not in PARTY_STATUSES:
            note = f"not party to {short} ({status_label(row)})"
        else:
            note = f"party to {short} without the article {article} declaration"
        out.append({"procedure": label, "instrument": short, "article": article, "note": note})
    return out


def state_status(session: Session, query: str) -> list[dict[str, Any]]:
    """The ``treaties status ISO3 --format json`` contract: one object per instrument."""
    state = get_state(session, query)
    rows = {
        r.instrument_short: r
        for r in session.scalars(select(Ratification).where(Ratification.iso3 == state.iso3))
    }
    comp: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in competences(session, state.iso3):
        if c.kind == "acceptance" and c.withdrawn is None:
            comp[c.instrument_short].append(
                {"article": c.article, "procedure": c.procedure, "date": iso_date(c.declared_on)}
            )
    res: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in reservation_items(session, state.iso3):
        if item.kind == "objection":
            continue
        res[item.instrument_short].append(
            {
                "kind": item.kind,
                "articles": [a for a in item.articles.split(",") if a],
                "date": iso_date(item.made_on),
                "withdrawn": item.withdrawn,
            }
        )
    out = []
    for inst in list_instruments(session):
        row = rows.get(inst.short)
        out.append(
            {
                "instrument": inst.short,
                "status": status_label(row),
                "signature": iso_date(row.signature_date) if row else None,
                "consent": iso_date(row.consent_date) if row else None,
                "consent_type": row.consent_type if row else None,
                "denunciation": iso_date(row.denunciation_effective or row.denounced_on)
                if row and row.status == "denounced"
                else None,
                "competence": comp.get(inst.short, []),
                "reservations": res.get(inst.short, []),
            }
        )
    return out


@dataclass(frozen=True)
class Interval:
    """A stretch of participation: from consent to a denunciation's effect or a state's end."""

    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


def party_intervals(session: Session, short: str) -> dict[str, list[Interval]]:
    """Per state, the periods it was party to an instrument (from the actions where the
    status pages were imported, else from the summary row)."""
    acts: dict[str, list[TreatyAction]] = defaultdict(list)
    for a in session.scalars(select(TreatyAction).where(TreatyAction.instrument_short == short)):
        acts[a.iso3].append(a)
    out: dict[str, list[Interval]] = {}
    for row in session.scalars(select(Ratification).where(Ratification.instrument_short == short)):
        spans: list[Interval] = []
        start: date | None = None
        events = sorted(acts.get(row.iso3, []), key=lambda a: a.effective_date or a.action_date)
        consents = [a.action_date for a in events if a.action in CONSENT_ACTIONS]
        for a in events:
            if a.action in CONSENT_ACTIONS and start is None:
                start = a.action_date
            elif a.action == "denunciation" and start is not None:
                end = a.effective_date or a.action_date
                # re-accession between notice and effect (Guyana, Trinidad and Tobago in
                # 1998-99): participation did not stop
                if not any(a.action_date <= c <= end for c in consents):
                    spans.append(Interval(start, end))
                    start = None
        if not events and row.consent_date and row.status in (*PARTY_STATUSES, "denounced"):
            start = row.consent_date
            if row.status == "denounced":
                spans.append(Interval(start, row.denunciation_effective or row.denounced_on))
                start = None
        if start is not None:
            spans.append(Interval(start, row.party_until))
        if spans:
            out[row.iso3] = spans
    return out


def parties_at(session: Session, short: str, day: date) -> list[str]:
    """ISO3 of the states party to an instrument on a day (denounced ones no longer count)."""
    ref = instrument_ref(short)
    return sorted(
        iso3
        for iso3, spans in party_intervals(session, ref.short).items()
        if any(s.covers(day) for s in spans)
    )


def historical_states(session: Session) -> set[str]:
    return set(session.scalars(select(State.iso3).where(State.status == "historical")))
