"""Pseudonymised export of documented events, for sharing with partners.

Why pseudonyms rather than plain omission: a partner that receives several exports must be
able to tell that the victim of two acts is the same person, and that an event in March's
export is the one in June's, without learning who anyone is. So every event, victim, source
and withheld perpetrator gets a stable pseudonym: an HMAC-SHA256 of the record's natural key
(or id) under a key derived from the instance secret (``derive_key(secret, b"rightsdesk
pseudonyms v1")``). The same record has the same pseudonym in every export of this store; no
one without the secret can link a pseudonym back to a record or compute one for a guessed name.
Pseudonyms are ten base-32 characters (50 bits): six would make collisions likely among a few
thousand victims.

What is left out, always: victims' names, identity details and contacts; reporters' names and
contacts; attachment file names; witness summaries (they tend to identify the witness); the exact
place and coordinates (the event keeps its state and coarse area only). What the reader may
not read at all (an event, a victim or a source above their level, someone else's record for
a collector) is not in the export; a perpetrator the reader may not read appears by pseudonym
only. Perpetrators the reader may read keep their names: they are the accused, not the
protected.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import hmac
import io
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.security import audit
from rightsdesk.core.security.crypto import derive_key
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import Act, Event, Involvement, Perpetrator
from rightsdesk.monitoring.violations.search import EventFilters, event_select

__all__ = [
    "CSV_COLUMNS",
    "PSEUDONYM_LABEL",
    "Export",
    "Pseudonymiser",
    "build_export",
    "to_csv",
    "to_json",
]

PSEUDONYM_LABEL = b"rightsdesk pseudonyms v1"
CSV_COLUMNS = (
    "event",
    "title",
    "start_date",
    "start_precision",
    "end_date",
    "country",
    "area",
    "status",
    "confidentiality",
    "act_type",
    "act_date",
    "victim",
    "victim_kind",
    "victim_sex",
    "victim_age_group",
    "victim_occupation",
    "victim_group",
    "perpetrators",
    "sources",
)


class Pseudonymiser:
    """Stable pseudonyms for one store: ``V-`` victims, ``S-`` sources, ``P-`` perpetrators,
    ``E-`` events."""

    def __init__(self, secret_key: str) -> None:
        self._key = derive_key(secret_key, PSEUDONYM_LABEL)

    def __call__(self, prefix: str, natural: str) -> str:
        mac = hmac.new(self._key, f"{prefix}:{natural}".encode(), hashlib.sha256).digest()
        return f"{prefix}-{base64.b32encode(mac).decode()[:10]}"


@dataclass
class Export:
    """The events of an export as plain data (what JSON and CSV are written from)."""

    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.events)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _perpetrator(who: Principal, perp: Perpetrator, pseudo: Pseudonymiser) -> dict[str, Any]:
    if access.may(who, Action.READ, perp):
        return {
            "perpetrator": perp.name,
            "kind": perp.kind,
            "position": perp.position,
            "country": perp.state_iso3,
        }
    return {"perpetrator": pseudo("P", perp.natural_key), "kind": None}


def _event(who: Principal, event: Event, pseudo: Pseudonymiser) -> dict[str, Any]:
    victims = [v for v in event.victims if access.may(who, Action.READ, v, event)]
    sources = [s for s in event.sources if access.may(who, Action.READ, s, event)]
    shown = {v.id: pseudo("V", str(v.id)) for v in victims}
    acts = []
    for act in event.acts:
        involvements: list[Involvement] = list(act.involvements)
        acts.append(
            {
                "act_type": act.act_type,
                "date": _date(act.date),
                "victim": shown.get(act.victim_id) if act.victim_id is not None else None,
                "perpetrators": [
                    {**_perpetrator(who, i.perpetrator, pseudo), "role": i.role}
                    | {"established": i.established}
                    for i in involvements
                ],
            }
        )
    return {
        "event": pseudo("E", event.natural_key),
        "title": event.title,
        "description": event.description,
        "start_date": _date(event.start_date),
        "start_precision": event.start_precision,
        "end_date": _date(event.end_date),
        "end_precision": event.end_precision,
        "country": event.state_iso3,
        "area": event.area,  # never the place or the coordinates
        "status": event.status,
        "confidentiality": event.confidentiality,
        "victims": [
            {
                "victim": shown[v.id],
                "kind": v.kind,
                "sex": v.sex,
                "age_group": v.age_group,
                "occupation": v.occupation,
                "group": v.group_membership,
                "group_size": v.group_size,
            }
            for v in victims
        ],
        "hidden_victims": len(event.victims) - len(victims),
        "acts": acts,
        "sources": [
            {
                "source": pseudo("S", str(s.id)),
                "source_type": s.source_type,
                "organisation": s.organisation,
                "reported_on": _date(s.reported_on),
                "method": s.method,
                "reliability": s.reliability,
                "credibility": s.credibility,
                "citation": s.citation,
                "url": s.url,
            }
            for s in sources
        ],
        "hidden_sources": len(event.sources) - len(sources),
    }


def build_export(
    session: Session,
    who: Principal,
    filters: EventFilters,
    secret_key: str,
    fmt: str,
) -> Export:
    """The pseudonymised events ``who`` may export among those ``filters`` select, with the
    export and each confidential event's read written to the audit log (the caller commits)."""
    ids = select(event_select(session, who, filters).subquery().c.id)
    events = session.scalars(
        select(Event)
        .where(Event.id.in_(ids))
        .order_by(Event.start_date, Event.id)
        .options(
            selectinload(Event.victims),
            selectinload(Event.sources),
            selectinload(Event.acts)
            .selectinload(Act.involvements)
            .selectinload(Involvement.perpetrator),
        )
    ).all()
    pseudo = Pseudonymiser(secret_key)
    out = Export()
    for event in events:
        if not access.may(who, Action.EXPORT, event):  # visible() said yes: belt and braces
            continue
        out.events.append(_event(who, event, pseudo))
        access.audit_read(session, who, "violation_event", event)
    criteria = {k: (str(v) if v is not None else None) for k, v in vars(filters).items()}
    audit.record_export(
        session,
        who.actor,
        "violation_event",
        out.rows,
        {k: v for k, v in criteria.items() if v is not None} | {"pseudonymised": "yes"},
        fmt,
    )
    return out


def to_json(export: Export) -> str:
    """The export as JSON: a header saying what it is, then the events."""
    return json.dumps(
        {
            "format": "rightsdesk pseudonymised violations export v1",
            "note": "names, contacts, identity details, witness summaries and exact places "
            "are removed; V-/S-/P-/E- pseudonyms are stable across exports of one store",
            "events": export.events,
        },
        ensure_ascii=False,
        indent=1,
    )


def _cell(value: Any) -> str:
    """A cell as text; spreadsheet formulas (= + - @) are neutralised with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _perp_text(items: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p['perpetrator']} ({p['role']})" for p in items)


def to_csv(export: Export, bom: bool = False) -> str:
    """The export as CSV: one row per act (an event without acts has one row of its own)."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in export.events:
        victims = {v["victim"]: v for v in event["victims"]}
        sources = "; ".join(
            f"{s['source']} {s['source_type']} {s['reliability']}{s['credibility']}"
            for s in event["sources"]
        )
        head = [
            event["title"],
            event["start_date"],
            event["start_precision"],
            event["end_date"],
            event["country"],
            event["area"],
            event["status"],
            event["confidentiality"],
        ]
        for act in event["acts"] or [None]:
            victim = victims.get(act["victim"]) if act and act["victim"] else None
            v = victim or {}
            tail = [
                act and act["act_type"],
                act and act["date"],
                act and act["victim"],
                v.get("kind"),
                v.get("sex"),
                v.get("age_group"),
                v.get("occupation"),
                v.get("group"),
                _perp_text(act["perpetrators"]) if act else None,
                sources,
            ]
            writer.writerow([_cell(x) for x in [event["event"], *head, *tail]])
    return buffer.getvalue()
