"""A person's other family name: same given names, same birth day, one surname differing.

"Maria Sentosa" and "Maria Medina" born on the same day, sharing an e-mail address, are most
likely one woman before and after marriage; the name alignment alone calls the differing family
names a contradiction. The lift is narrow on purpose, since namesakes are many and screening
compares millions of pairs: both are people, every part but one on each side agrees, the one
left on each side is a full name part (no initial or particle) that does not open either name
(a first part is a given name: "Mark" and "Marsha Kusha", born the same day, are twins), a
complete birth date agrees
(not 1 January, which lists use when only the year is known), and something beyond name and
date confirms it: a shared identifier, contact or address, or both records are of women.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.align import RARE_WEIGHT, Alignment
from rightsdesk.sanctions.matching.evidence import Finding
from rightsdesk.sanctions.matching.model import Prepared, PreparedName

MARRIED_NAME = 0.6  # the name score a married name is lifted to (before the evidence)
AGREED_PART = 0.8  # every other part must agree at least this well
CONFIRMING = frozenset({"identifier", "contact", "address"})


def _same_birth_day(q: Prepared, c: Prepared) -> str | None:
    for day in q.birth_dates:
        if len(day) == 10 and not day.endswith("-01-01") and day in c.birth_dates:
            return day
    return None


def married_name(
    q: Prepared,
    c: Prepared,
    names: tuple[PreparedName, PreparedName, Alignment],
    found: list[Finding],
) -> Finding | None:
    """The lift for a married (or maiden) name, or None when the pair does not qualify."""
    if q.kind != "person" or c.kind != "person":
        return None
    qn, cn, alignment = names
    if alignment.score >= MARRIED_NAME:
        return None
    day = _same_birth_day(q, c)
    if day is None:
        return None
    women = q.gender == c.gender == "female"
    if not women and not any(f.kind in CONFIRMING and f.outcome == "agree" for f in found):
        return None
    left_q = [p.q for p in alignment.pairs if p.c < 0 and p.q >= 0]
    left_c = [p.c for p in alignment.pairs if p.q < 0 and p.c >= 0]
    if len(left_q) != 1 or len(left_c) != 1 or left_q[0] == 0 or left_c[0] == 0:
        return None  # the differing part opens a name: a given name ("Mark" / "Marsha", twins)
    surname_q, surname_c = qn.tokens[left_q[0]], cn.tokens[left_c[0]]
    if min(surname_q.weight, surname_c.weight) < RARE_WEIGHT:
        return None
    agreed = [p for p in alignment.pairs if p.q >= 0 and p.c >= 0]
    if not agreed or any(p.similarity < AGREED_PART for p in agreed):
        return None
    if not any(max(qn.tokens[p.q].weight, cn.tokens[p.c].weight) >= RARE_WEIGHT for p in agreed):
        return None
    detail = f"{surname_q.text} / {surname_c.text}, born {day}"
    return Finding("married_name", "agree", detail, MARRIED_NAME - alignment.score)


__all__ = ["MARRIED_NAME", "married_name"]
