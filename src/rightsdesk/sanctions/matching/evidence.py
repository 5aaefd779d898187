"""Evidence beyond the name: birth dates, nationalities, gender, identifiers, contacts, type.

Each check returns what it found and by how much it moves the name score. Agreement adds a
little (names are the main signal, shared details only confirm), conflict subtracts clearly: two
people born years apart are not the same person however alike their names (-0.45 takes a
perfect name match below the default threshold). A shared identifier (passport, registration
number) is strong enough to lift a weak name match (a married name, a nickname); a different
identifier of an unknown kind proves nothing. Two numbers of the *same* kind that differ (one
passport number on each record, not the same one; two tax numbers) count against: one person
can hold several passports, but records that each name one and not the same are more often two
people (a father and son, two namesakes) than one. A shared address confirms a little.
"""

from __future__ import annotations

from typing import NamedTuple

from rightsdesk.sanctions.matching.address import same_place
from rightsdesk.sanctions.matching.model import Prepared

DATE_AGREE = 0.05
DATE_YEAR_AGREE = 0.02
DATE_CONFLICT = -0.45
DATE_NEAR = -0.1  # one year apart, or same year but another day: a data-entry slip is possible
DATE_SWAPPED = 0.0  # day and month swapped (US vs European order): neither for nor against
COUNTRY_AGREE = 0.02
COUNTRY_CONFLICT = -0.08
GENDER_CONFLICT = -0.15
IDENTIFIER_AGREE = 0.4
IDENTIFIER_CONFLICT = -0.5  # a different number of the same kind (passport vs passport)
ADDRESS_AGREE = 0.05  # households, offices and registration agents share addresses
HOUSEHOLD = frozenset({"contact", "address"})  # count nothing when birth years conflict
CONTACT_AGREE = 0.15  # a shared e-mail or phone: households and offices share them too
KIND_CONFLICT = -0.4


class Finding(NamedTuple):
    """One piece of evidence: what, whether it agrees, the detail, the change to the score."""

    kind: str
    outcome: str
    detail: str
    effect: float


def _date_relation(a: str, b: str) -> str:
    """How two ISO date prefixes relate: agree, year (same year only), near, conflict."""
    common = min(len(a), len(b))
    if a[:common] == b[:common]:
        return "agree" if common >= 10 else "year"
    if a[:4] == b[:4]:
        if len(a) == len(b) == 10 and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
            return "swapped"
        return "near"
    try:
        return "near" if abs(int(a[:4]) - int(b[:4])) <= 1 else "conflict"
    except ValueError:
        return "conflict"


def birth_dates(q: Prepared, c: Prepared) -> Finding | None:
    """The best relation between any birth date of ``q`` and any of ``c``."""
    if not q.birth_dates or not c.birth_dates:
        return None
    rank = {"agree": 4, "year": 3, "swapped": 2, "near": 1, "conflict": 0}
    best = max(
        ((_date_relation(a, b), a, b) for a in q.birth_dates for b in c.birth_dates),
        key=lambda item: rank[item[0]],
    )
    relation, a, b = best
    effect = {
        "agree": DATE_AGREE,
        "year": DATE_YEAR_AGREE,
        "swapped": DATE_SWAPPED,
        "near": DATE_NEAR,
        "conflict": DATE_CONFLICT,
    }[relation]
    outcome = {"agree": "agree", "year": "agree", "swapped": "unclear"}.get(relation, "conflict")
    return Finding("birth_date", outcome, f"{a} vs {b}", effect)


def nationalities(q: Prepared, c: Prepared) -> Finding | None:
    """Shared nationality confirms a little; disjoint nationalities cast some doubt."""
    if not q.nationalities or not c.nationalities:
        return None
    shared = q.nationalities & c.nationalities
    if shared:
        return Finding("nationality", "agree", ", ".join(sorted(shared)), COUNTRY_AGREE)
    detail = f"{', '.join(sorted(q.nationalities))} vs {', '.join(sorted(c.nationalities))}"
    return Finding("nationality", "conflict", detail, COUNTRY_CONFLICT)


def gender(q: Prepared, c: Prepared) -> Finding | None:
    """Different recorded genders lower the score."""
    if q.gender is None or c.gender is None:
        return None
    if q.gender == c.gender:
        return Finding("gender", "agree", q.gender, 0.0)
    return Finding("gender", "conflict", f"{q.gender} vs {c.gender}", GENDER_CONFLICT)


def identifiers(q: Prepared, c: Prepared) -> Finding | None:
    """A shared identifier is strong evidence; a different one of the same kind counts against."""
    if not q.identifiers or not c.identifiers:
        return None
    shared = q.identifiers & c.identifiers
    if shared:
        return Finding("identifier", "agree", ", ".join(sorted(shared)), IDENTIFIER_AGREE)
    kinds = {k for k, _ in q.typed_identifiers} & {k for k, _ in c.typed_identifiers}
    if not kinds:
        return None
    kind = min(kinds)
    left = ", ".join(sorted(v for k, v in q.typed_identifiers if k == kind))
    right = ", ".join(sorted(v for k, v in c.typed_identifiers if k == kind))
    return Finding("identifier", "conflict", f"{kind} {left} vs {right}", IDENTIFIER_CONFLICT)


def addresses(q: Prepared, c: Prepared) -> Finding | None:
    """A shared address confirms a little; different addresses prove nothing (people move)."""
    for a in q.addresses:
        for b in c.addresses:
            if same_place(a, b):
                detail = " ".join(sorted(a & b))
                return Finding("address", "agree", detail, ADDRESS_AGREE)
    return None


# Mailboxes of a role, not of a person: two people of one office share info@ or contact@.
ROLE_MAILBOXES = frozenset(
    [
        "info", "contact", "contacts", "admin", "office", "sales", "support", "hello", "mail",
        "enquiries", "enquiry", "inquiries", "help", "team", "hr", "jobs", "careers", "billing",
        "accounts", "noreply", "no-reply", "webmaster", "press", "media", "service",
        "reception", "secretariat", "general",
    ]
)  # fmt: skip


def _personal(contact: str) -> bool:
    return "@" not in contact or contact.split("@", 1)[0] not in ROLE_MAILBOXES


def contacts(q: Prepared, c: Prepared) -> Finding | None:
    """A shared e-mail address or phone number confirms, a different one proves nothing; a
    role mailbox (info@, contact@) shared by two people says nothing of who they are."""
    shared = q.contacts & c.contacts
    if q.kind == "person" or c.kind == "person":
        shared = frozenset(v for v in shared if _personal(v))
    if not shared:
        return None
    return Finding("contact", "agree", ", ".join(sorted(shared)), CONTACT_AGREE)


_COMPATIBLE = {
    ("person", "organization"): False,
    ("organization", "person"): False,
    ("person", "vessel"): False,
    ("vessel", "person"): False,
    ("organization", "vessel"): False,
    ("vessel", "organization"): False,
}


def entity_kind(q: Prepared, c: Prepared) -> Finding | None:
    """A person is never a company or a vessel, whatever their names."""
    if _COMPATIBLE.get((q.kind, c.kind), True):
        return None
    return Finding("schema", "conflict", f"{q.query.schema} vs {c.query.schema}", KIND_CONFLICT)


CHECKS = (entity_kind, birth_dates, nationalities, gender, identifiers, contacts, addresses)


def findings(q: Prepared, c: Prepared) -> list[Finding]:
    """Every piece of evidence beyond the names that bears on this pair.

    The checks of details that one side lacks are skipped without a call: most screening
    queries carry a name only, and this runs for every candidate.
    """
    out = []
    if q.kind != c.kind and (found := entity_kind(q, c)) is not None:
        out.append(found)
    if q.birth_dates and c.birth_dates and (found := birth_dates(q, c)) is not None:
        out.append(found)
    if q.nationalities and c.nationalities and (found := nationalities(q, c)) is not None:
        out.append(found)
    if q.gender and c.gender and (found := gender(q, c)) is not None:
        out.append(found)
    if q.identifiers and c.identifiers and (found := identifiers(q, c)) is not None:
        out.append(found)
    if q.contacts and c.contacts and (found := contacts(q, c)) is not None:
        out.append(found)
    if q.addresses and c.addresses and (found := addresses(q, c)) is not None:
        out.append(found)
    if len(out) > 1 and any(f.kind == "birth_date" and f.effect == DATE_CONFLICT for f in out):
        # Born years apart but sharing a phone or a house: a household, not one person.
        return [f._replace(effect=0.0) if f.kind in HOUSEHOLD else f for f in out]
    return out
