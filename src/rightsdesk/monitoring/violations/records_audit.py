"""What the audit log says about a write to documented records: the non-sensitive fields
before and after, and only the *names* of the sensitive fields that changed.

The audit log is kept forever and read by admins who may have no business knowing a victim's
name; it must not become a second, unencrypted copy of what the tables protect. So a change to
a sensitive field is recorded as ``{"victims.name": "changed"}`` and nothing more.
"""

from __future__ import annotations

from typing import Any

from rightsdesk.monitoring.violations.models import Event, Source, Victim

__all__ = ["SENSITIVE_FIELDS", "changes", "event_snapshot", "sensitive_values"]

#: the encrypted fields, as the audit log names them
SENSITIVE_FIELDS = (
    "exact_location",
    "victims.name",
    "victims.identity",
    "victims.contact",
    "sources.reporter_name",
    "sources.reporter_contact",
)
_EVENT_FIELDS = (
    "natural_key",
    "title",
    "description",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "state_iso3",
    "area",
    "place",
    "latitude",
    "longitude",
    "location_sensitive",
    "status",
    "confidentiality",
)
_VICTIM_FIELDS = (
    "id",
    "kind",
    "sex",
    "age_group",
    "occupation",
    "group_membership",
    "group_size",
    "confidentiality",
)
_SOURCE_FIELDS = (
    "id",
    "source_type",
    "organisation",
    "reported_on",
    "method",
    "reliability",
    "credibility",
    "summary",
    "citation",
    "url",
    "confidentiality",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _fields(record: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(record, name)) for name in names}


def event_snapshot(event: Event) -> dict[str, Any]:
    """The event and its children without any sensitive value (for ``before``/``after``)."""
    out = _fields(event, _EVENT_FIELDS)
    out["victims"] = [_fields(v, _VICTIM_FIELDS) for v in event.victims]
    out["acts"] = [
        {
            "id": a.id,
            "act_type": a.act_type,
            "victim_id": a.victim_id,
            "date": _plain(a.date),
            "description": a.description,
            "perpetrators": sorted([i.perpetrator_id, i.role] for i in a.involvements),
        }
        for a in event.acts
    ]
    out["sources"] = [_fields(s, _SOURCE_FIELDS) for s in event.sources]
    return out


def sensitive_values(event: Event) -> dict[str, list[str]]:
    """The sensitive values of an event, by audit name, to compare before and after a write
    (kept in memory only; never written anywhere)."""
    victims: list[Victim] = list(event.victims)
    sources: list[Source] = list(event.sources)
    return {
        "exact_location": [event.exact_location or ""],
        "victims.name": sorted(str(v.id) + ":" + (v.name or "") for v in victims),
        "victims.identity": sorted(str(v.id) + ":" + (v.identity or "") for v in victims),
        "victims.contact": sorted(str(v.id) + ":" + (v.contact or "") for v in victims),
        "sources.reporter_name": sorted(str(s.id) + ":" + (s.reporter_name or "") for s in sources),
        "sources.reporter_contact": sorted(
            str(s.id) + ":" + (s.reporter_contact or "") for s in sources
        ),
    }


def changes(
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    secrets_before: dict[str, list[str]] | None,
    secrets_after: dict[str, list[str]] | None,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The audit entry's ``before`` and ``after``: the fields that differ (all of them for a
    creation or a deletion), and ``"<field>": "changed"`` for each sensitive field that did."""
    old = before or {}
    new = after or {}
    keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
    out_before = {k: old.get(k) for k in keys} if before is not None else None
    out_after = {k: new.get(k) for k in keys} if after is not None else {}
    a = secrets_after or {}
    b = secrets_before or {}
    for name in SENSITIVE_FIELDS:
        if _meaningful(a.get(name)) != _meaningful(b.get(name)):
            out_after = out_after or {}
            out_after[name] = "changed"
    return out_before, out_after if after is not None or out_after else None


def _meaningful(values: list[str] | None) -> list[str]:
    """Values without those that say "nothing stored" (``id:`` with an empty value)."""
    return [v for v in values or [] if v and not v.endswith(":")]
