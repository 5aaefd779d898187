"""The name and entity matcher of the sanctions form (issue 11, item 3).

Use: ``p = prepare(Query("Person", ("Vladimir Putin",), birth_dates=("1952-10-07",)))`` once
per query or list entity, then ``score(p, q)`` (fast, a float) or ``explain(p, q)`` (the same
score with its reasons); ``resolve_pairs`` decides a set of entity pairs with every record in
view (collective resolution). ``compare_names`` scores two bare names; ``blocking_keys`` gives the
keys a screening index files an entity under. How the score is built: ``align`` (names),
``tokens`` (name parts), ``evidence`` (dates, countries, gender, identifiers).
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.blocking import blocking_keys
from rightsdesk.sanctions.matching.explain import Evidence, Explanation, PartMatch, explain
from rightsdesk.sanctions.matching.model import Prepared, PreparedName, Query, Token
from rightsdesk.sanctions.matching.prepare import prepare
from rightsdesk.sanctions.matching.resolve import Resolution, resolve_pairs
from rightsdesk.sanctions.matching.score import DEFAULT_THRESHOLD, SCREENING_THRESHOLD, score


def compare_names(schema: str, a: str, b: str) -> float:
    """Score two bare names of entities of ``schema`` (the match-pairs contract)."""
    return score(prepare(Query(schema, (a,))), prepare(Query(schema, (b,))))


__all__ = [
    "DEFAULT_THRESHOLD",
    "SCREENING_THRESHOLD",
    "Evidence",
    "Explanation",
    "PartMatch",
    "Prepared",
    "PreparedName",
    "Query",
    "Resolution",
    "Token",
    "blocking_keys",
    "compare_names",
    "explain",
    "prepare",
    "resolve_pairs",
    "score",
]
