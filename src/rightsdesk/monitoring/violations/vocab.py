"""The controlled vocabularies of violations documentation and their words for people.

The act vocabulary is a table (``ActType``), seeded by the migration and extended by an admin,
because practitioners need codes the Events Standard Formats did not foresee (a new kind of
reprisal, a local practice) without waiting for a release. The small closed lists (sex, age
group, source type, the Admiralty ratings) are constants: their meaning is fixed by the
standards they come from, and counts across records depend on them not drifting.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import ConflictError, InputError, PermissionDenied
from rightsdesk.core.security import audit
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.models import ActType

__all__ = [
    "AGE_GROUPS",
    "CREDIBILITY_LABELS",
    "RELIABILITY_LABELS",
    "SEXES",
    "SOURCE_METHODS",
    "SOURCE_TYPES",
    "STATUS_LABELS",
    "WITHHELD",
    "act_type_codes",
    "date_text",
    "act_type_labels",
    "act_types",
    "add_act_type",
    "words",
]

#: what pages, the API and the command line show instead of a sensitive value
WITHHELD = "[withheld]"

SEXES = ("female", "male", "other", "unknown")
AGE_GROUPS = ("child", "adult", "older", "unknown")
SOURCE_TYPES = ("witness", "victim", "relative", "media", "ngo", "official", "un", "other")
SOURCE_METHODS = ("interview", "phone", "message", "document", "media", "visit", "other")

STATUS_LABELS = {
    "reported": "Reported",
    "under_review": "Under review",
    "verified": "Verified",
    "closed": "Closed",
}
# the Admiralty code (NATO AJP-2.1): how far the source, and then the information, is trusted
RELIABILITY_LABELS = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY_LABELS = {
    "1": "Confirmed by other sources",
    "2": "Probably true",
    "3": "Possibly true",
    "4": "Doubtful",
    "5": "Improbable",
    "6": "Truth cannot be judged",
}
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")


def words(code: str | None) -> str:
    """A code as words for a page ("under_review" → "Under review")."""
    if not code:
        return ""
    return code.replace("_", " ").capitalize()


def date_text(when: dt.date | None, precision: str) -> str:
    """A date as precisely as it is known: "4 March 2019", "March 2019", "2019", "unknown"."""
    if when is None or precision == "unknown":
        return "unknown"
    if precision == "year":
        return str(when.year)
    month = calendar.month_name[when.month]
    return f"{month} {when.year}" if precision == "month" else f"{when.day} {month} {when.year}"


def act_types(session: Session) -> list[ActType]:
    """The act vocabulary, by label (the order a form's select shows it)."""
    return list(session.scalars(select(ActType).order_by(ActType.label)))


def act_type_labels(session: Session) -> dict[str, str]:
    """Code → label of every act type."""
    return {a.code: a.label for a in act_types(session)}


def act_type_codes(session: Session) -> set[str]:
    """The codes an act may carry."""
    return set(session.scalars(select(ActType.code)))


def add_act_type(
    session: Session, who: Principal, code: str, label: str, explanation: str | None = None
) -> ActType:
    """Extend the vocabulary (admins only: a code, once used, is evidence's vocabulary).

    The caller commits; the addition is audited in the same transaction.
    """
    if who.role != "admin":
        raise PermissionDenied(f"your role ({who.role}) does not allow extending the vocabulary")
    code = code.strip()
    label = label.strip()
    if not _CODE.match(code):
        raise InputError(
            "2 to 60 lower-case letters, digits or underscores, starting with a letter",
            field="code",
        )
    if not label or len(label) > 200:
        raise InputError("is required, at most 200 characters", field="label")
    text = (explanation or "").strip() or None
    if text is not None and len(text) > 2000:
        raise InputError("at most 2000 characters", field="explanation")
    if session.get(ActType, code) is not None:
        raise ConflictError(f"act type {code!r} exists already")
    act_type = ActType(code=code, label=label, explanation=text, added_by=who.actor)
    session.add(act_type)
    session.flush()
    audit.record(
        session,
        who.actor,
        "create",
        "violation_act_type",
        code,
        after={"code": code, "label": label, "explanation": text},
    )
    return act_type
