"""What an editor gives for a programme or an activity, and the checks it passes.

The models take text and numbers as the form sends them (text), so that each mistake gets a
message naming its field (``sectors.1.percentage``) instead of a generic type error; ``Check``
collects every fault of one input and raises them together as ``FieldErrors``, so the form
shows them all at once. The parsers return the rows to store; ``edit`` writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import (
    PARTICIPANT_ROLES,
    Budget,
    CodelistItem,
    Participant,
    Recipient,
    Sector,
)
from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.states import get_state

__all__ = [
    "ActivityIn",
    "BudgetIn",
    "Check",
    "FieldErrors",
    "ParticipantIn",
    "ProgrammeIn",
    "RecipientIn",
    "SectorIn",
    "parse_budgets",
    "parse_participants",
    "parse_recipients",
    "parse_sectors",
]

Number = str | float | int | None
BUDGET_KINDS = ("budget", "planned-disbursement")
ACTIVITY_STATUSES = ("1", "2", "3", "4", "5", "6")  # IATI ActivityStatus, when not loaded
_CURRENCY = re.compile(r"^[A-Z]{3}$")
ORG_REF = re.compile(r"^\S{1,100}$")
_MAX_VALUE = Decimal("999999999999999999")  # Numeric(20, 2): 18 digits before the point


class ParticipantIn(BaseModel):
    role: str = Field(description="funding, accountable, extending or implementing (or 1-4).")
    name: str = ""
    ref: str = Field(default="", description="IATI organisation identifier, e.g. GB-GOV-1.")
    type: str = Field(default="", description="IATI OrganisationType code, e.g. 10 government.")


class RecipientIn(BaseModel):
    state: str = Field(description="Recipient state: ISO3, ISO2 or name.")
    percentage: Number = None


class SectorIn(BaseModel):
    code: str = Field(
        default="", description="DAC 5-digit code (15160 human rights) for vocabulary 1."
    )
    vocabulary: str = Field(
        default="1", description="IATI SectorVocabulary: 1 DAC 5-digit, 2 DAC 3-digit."
    )
    name: str = ""
    percentage: Number = None


class BudgetIn(BaseModel):
    kind: str = Field(default="budget", description="budget or planned-disbursement.")
    status: str = Field(default="", description="1 indicative, 2 committed.")
    period_start: str
    period_end: str
    value: Number
    currency: str = Field(default="", description="ISO 4217; the programme's default when empty.")
    value_date: str = Field(
        default="", description="Date of the value; the period start when empty."
    )


class ProgrammeIn(BaseModel):
    """A programme as an editor gives it (form or API). Text and numbers arrive as text and
    are checked here, so each mistake gets a message naming its field."""

    title: str
    description: str = ""
    reporting_org_ref: str = ""
    reporting_org_name: str = ""
    reporting_org_type: str = ""
    status_code: str = ""
    planned_start: str = ""
    actual_start: str = ""
    planned_end: str = ""
    actual_end: str = ""
    default_currency: str = ""
    participants: list[ParticipantIn] = []
    recipients: list[RecipientIn] = []
    sectors: list[SectorIn] = []
    budgets: list[BudgetIn] = []


class ActivityIn(BaseModel):
    title: str
    description: str = ""
    start_date: str = ""
    end_date: str = ""
    status_code: str = ""


class FieldErrors(InputError):
    """Several fields are wrong: ``errors`` maps each (``sectors.1.percentage``) to why."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        first = next(iter(errors))
        said = "; ".join(f"{field}: {why}" for field, why in errors.items())
        super().__init__(said, field=first)

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(), "fields": self.errors}


class Check:
    """Collects the faults of one input, then raises them together."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: dict[str, str] = {}
        self._codes: dict[str, set[str]] = {}

    def fail(self, field: str, why: str) -> None:
        self.errors.setdefault(field, why)

    def done(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)

    def text(self, value: str, field: str, required: bool = False, limit: int = 5000) -> str | None:
        cleaned = value.strip()
        if required and not cleaned:
            self.fail(field, "is required")
        elif len(cleaned) > limit:
            self.fail(field, f"is longer than {limit} characters")
            return None
        elif "\x00" in cleaned:  # no store keeps it (PostgreSQL refuses it in text)
            self.fail(field, "contains a NUL character")
            return None
        return cleaned or None

    def date(self, value: str, field: str) -> dt.date | None:
        if not value.strip():
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.fail(field, f"{value.strip()[:40]!r} is not a date (expected YYYY-MM-DD)")
            return None

    def number(self, value: Number, field: str, upper: Decimal = _MAX_VALUE) -> Decimal | None:
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            self.fail(field, f"{text[:40]!r} is not a number")
            return None
        if not amount.is_finite() or amount < 0 or amount > upper:
            self.fail(field, f"must be between 0 and {upper}")
            return None
        return amount

    def order(self, start: dt.date | None, end: dt.date | None, field: str) -> None:
        if start and end and end < start:
            self.fail(field, "ends before it starts")

    def codes(self, codelist: str) -> set[str]:
        """The codes of a loaded IATI codelist (empty when it was not imported)."""
        if codelist not in self._codes:
            stmt = select(CodelistItem.code).where(CodelistItem.codelist == codelist)
            self._codes[codelist] = set(self.session.scalars(stmt))
        return self._codes[codelist]

    def code(self, value: str, codelist: str, field: str, fallback: re.Pattern[str]) -> str | None:
        code = value.strip()
        known = self.codes(codelist)
        if code and ((known and code not in known) or (not known and not fallback.match(code))):
            self.fail(field, f"{code[:40]!r} is not a code of the IATI {codelist} codelist")
            return None
        return code or None

    def shares(self, values: list[float | None], field: str) -> None:
        """Percentages, when given, are given for all and add up to 100 (IATI's rule)."""
        given = [v for v in values if v is not None]
        if given and (len(given) != len(values) or abs(sum(given) - 100) > 0.01):
            self.fail(
                field, f"percentages must be given for all and add up to 100 (now {sum(given):g})"
            )


DIGITS = re.compile(r"^\d{1,3}$")


def currency_code(check: Check, value: str, field: str) -> str | None:
    code = value.strip().upper()
    if code and not _CURRENCY.match(code):
        check.fail(field, f"{value.strip()[:40]!r} is not an ISO 4217 currency code (e.g. EUR)")
        return None
    return code or None


def parse_participants(check: Check, data: ProgrammeIn) -> list[Participant]:
    codes = {**{c: c for c in PARTICIPANT_ROLES}, **{w: c for c, w in PARTICIPANT_ROLES.items()}}
    out: list[Participant] = []
    for i, part in enumerate(data.participants):
        where = f"participants.{i}"
        if not (part.name.strip() or part.ref.strip()):
            continue  # an empty row of the form
        role = codes.get(part.role.strip().casefold())
        if role is None:
            check.fail(f"{where}.role", "one of: " + ", ".join(PARTICIPANT_ROLES.values()))
        out.append(
            Participant(
                role=role or "1",
                name=check.text(part.name, f"{where}.name", limit=300),
                org_ref=check.text(part.ref, f"{where}.ref", limit=100),
                org_type=check.code(part.type, "OrganisationType", f"{where}.type", DIGITS),
            )
        )
    return out


def parse_recipients(check: Check, data: ProgrammeIn) -> list[Recipient]:
    out: list[Recipient] = []
    for i, rec in enumerate(data.recipients):
        if not rec.state.strip():
            continue
        share = check.number(rec.percentage, f"recipients.{i}.percentage", Decimal(100))
        try:
            state = get_state(check.session, rec.state.strip())
        except (UnknownStateError, InputError) as exc:  # unknown, ambiguous, or no name
            check.fail(f"recipients.{i}.state", exc.message)
            continue
        if any(r.state_iso3 == state.iso3 for r in out):
            check.fail(f"recipients.{i}.state", f"{state.name} is listed twice")
        percentage = None if share is None else float(share)
        out.append(Recipient(state_iso3=state.iso3, name=state.name, percentage=percentage))
    check.shares([r.percentage for r in out], "recipients")
    return out


def parse_sectors(check: Check, data: ProgrammeIn) -> list[Sector]:
    out: list[Sector] = []
    for i, sec in enumerate(data.sectors):
        where = f"sectors.{i}"
        code = check.text(sec.code, f"{where}.code", limit=20)
        name = check.text(sec.name, f"{where}.name", limit=300)
        if not (code or name):
            continue
        vocabulary = check.text(sec.vocabulary, f"{where}.vocabulary", limit=10) or "1"
        share = check.number(sec.percentage, f"{where}.percentage", Decimal(100))
        if vocabulary in ("1", "2"):
            pattern = r"^\d{5}$" if vocabulary == "1" else r"^\d{3}$"
            known = (
                {c for c in check.codes("Sector") if re.match(pattern, c)}
                if vocabulary == "1"
                else set()
            )
            if not code or not re.match(pattern, code) or (known and code not in known):
                digits = "5" if vocabulary == "1" else "3"
                check.fail(
                    f"{where}.code", f"{code or 'empty'!s}: not a DAC {digits}-digit sector code"
                )
            elif name is None and vocabulary == "1":
                name = code_name(check.session, "Sector", code)
        percentage = None if share is None else float(share)
        out.append(Sector(vocabulary=vocabulary, code=code, name=name, percentage=percentage))
    for vocabulary in {s.vocabulary for s in out}:
        check.shares([s.percentage for s in out if s.vocabulary == vocabulary], "sectors")
    return out


def code_name(session: Session, codelist: str, code: str) -> str | None:
    stmt = select(CodelistItem.name).where(
        CodelistItem.codelist == codelist, CodelistItem.code == code
    )
    return session.scalars(stmt).first()


def parse_budgets(check: Check, data: ProgrammeIn, currency: str | None) -> list[Budget]:
    out: list[Budget] = []
    for i, line in enumerate(data.budgets):
        where = f"budgets.{i}"
        if not (
            line.period_start.strip() or line.period_end.strip() or str(line.value or "").strip()
        ):
            continue
        if line.kind not in BUDGET_KINDS:
            check.fail(f"{where}.kind", "one of: " + ", ".join(BUDGET_KINDS))
        start = check.date(line.period_start, f"{where}.period_start")
        end = check.date(line.period_end, f"{where}.period_end")
        for field, day in (("period_start", start), ("period_end", end)):
            if day is None:
                check.fail(f"{where}.{field}", "is required (YYYY-MM-DD)")
        check.order(start, end, f"{where}.period_end")
        value = check.number(line.value, f"{where}.value")
        if value is None:
            check.fail(f"{where}.value", "is required")
        own = currency_code(check, line.currency, f"{where}.currency") or currency
        if own is None:
            check.fail(f"{where}.currency", "is required (or set the default currency)")
        if line.status.strip() not in ("", "1", "2"):
            check.fail(f"{where}.status", "1 (indicative) or 2 (committed)")
        out.append(
            Budget(
                kind=line.kind,
                status=line.status.strip() or None,
                period_start=start,
                period_end=end,
                value=(value or Decimal(0)).quantize(Decimal("0.01")),
                currency=own,
                value_date=check.date(line.value_date, f"{where}.value_date") or start,
            )
        )
    return out
