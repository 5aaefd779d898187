"""Generations: "Morris Klein II" is not "Morris Klein I", nor "John Smith Jr" his father.

Prepared person names carry generation markers as tokens ("junior" → "jr", "senior" → "sr",
"ii"/"iii"/"iv" → "2"/"3"/"4": ``text._NUMBER_WORDS``). Two names that both carry one and not
the same are two people of one family, however alike the rest: a conflict as strong as
another birth year. A lone "I" after the first part is usually an initial, so it counts as
"the first" only when the other name carries a numbered generation; one name with a marker
and one without says nothing (records often leave "Jr" out).
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.evidence import DATE_CONFLICT, Finding
from rightsdesk.sanctions.matching.model import PreparedName

MARKERS = frozenset({"jr", "sr", "2", "3", "4"})
NUMBERED = frozenset({"2", "3", "4"})
GENERATION_CONFLICT = DATE_CONFLICT


def _markers(name: PreparedName) -> set[str]:
    return {t.text for t in name.tokens if t.text in MARKERS}


def generation(a: PreparedName, b: PreparedName) -> Finding | None:
    """A conflict when the two aligned names name different generations, else None."""
    left, right = _markers(a), _markers(b)
    if not left and right & NUMBERED and any(t.text == "i" for t in a.tokens[1:]):
        left = {"1"}
    if not right and left & NUMBERED and any(t.text == "i" for t in b.tokens[1:]):
        right = {"1"}
    if not left or not right or left & right:
        return None
    detail = f"{a.original} vs {b.original}"
    return Finding("generation", "conflict", detail, GENERATION_CONFLICT)
