"""Security Council vetoes from the vetoes dataset (``CouncilVeto``), merged with the failed
drafts of the vote exports, for the Security Council page and ``/api/v1/security-council``.

Why merge: the UN Digital Library export holds the recent failed drafts with every member's
vote (a roll call to link to); the vetoes dataset holds every veto since 1946 with its topic
and region but no roll call. A draft in both is one veto, shown with the facts of both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.periods import iso_date
from rightsdesk.negotiation.votes.models import CouncilVeto
from rightsdesk.negotiation.votes.symbols import symbol_key


def listed_vetoes(session: Session) -> list[dict[str, Any]]:
    """Every veto of the vetoes dataset, newest first, in the page's row shape."""
    rows = session.scalars(
        select(CouncilVeto).order_by(CouncilVeto.date.desc(), CouncilVeto.seq.desc())
    )
    return [
        {
            "roll_call_id": None,
            "symbol": v.draft,
            "title": v.agenda_item or v.topic or v.draft,
            "date": iso_date(v.date),
            "vetoed_by": v.vetoed_by.split(","),
            "meeting": v.meeting,
            "topic": v.topic,
            "region": v.region,
        }
        for v in rows
    ]


def merge_listed_vetoes(session: Session, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``found`` (vetoes seen in roll calls) with the dataset's vetoes added: a draft in both
    (same symbol and date) keeps its roll call and gains the topic, meeting and region."""
    by_key = {(symbol_key(v["symbol"]), v["date"]): v for v in found}
    out = list(found)
    for v in out:
        v.setdefault("meeting", None)
        v.setdefault("topic", None)
        v.setdefault("region", None)
    for listed in listed_vetoes(session):
        seen = by_key.get((symbol_key(listed["symbol"]), listed["date"]))
        if seen is None:
            out.append(listed)
            continue
        for name in ("meeting", "topic", "region"):
            seen[name] = seen[name] or listed[name]
        seen["vetoed_by"] = sorted(set(seen["vetoed_by"]) | set(listed["vetoed_by"]))
    out.sort(key=lambda v: (v["date"] or "", v["symbol"] or ""), reverse=True)
    return out
