"""Score a prepared query against a prepared entity: best name pair, then the evidence.

The fast path (:func:`score`) and the explained path (:func:`explain`) share
:func:`best_alignment` and the same evidence checks, so an explanation's score is by
construction the score a screening run reported.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from rightsdesk.sanctions.matching.align import Alignment, align_names
from rightsdesk.sanctions.matching.evidence import Finding, findings
from rightsdesk.sanctions.matching.generation import generation
from rightsdesk.sanctions.matching.married import married_name
from rightsdesk.sanctions.matching.model import Prepared, PreparedName

# Scores at or above this count as a match (CLI ``match`` column, screening alerts). Chosen on
# a development share of the labelled name pairs (F1 is flat from 0.55 to 0.62 there), never
# on all of them; benchmarks/sanctions_names.py reports it on held-out folds.
DEFAULT_THRESHOLD = 0.62
# Screening compares one query with every listed name, so a namesake among thousands reaches a
# given score far more often than in one labelled pair: alerts use a higher bar. Chosen on one
# half of the screening benchmark's set (the lowest value keeping alerts on people who are not
# listed at or under 1%), reported on the other half (benchmarks/sanctions_screening.py):
# recall 0.997 on varied listed names, alerts 0.95%. Pairs and entity pairs keep 0.62.
SCREENING_THRESHOLD = 0.80
UNNAMED = 0.4  # name score of a pair where one side has no name at all
SHORTLIST = 3  # name pairs aligned per query name when an entity has many names


def allows_initials(q: Prepared, c: Prepared) -> bool:
    """Initials stand for given names of people, not for words of company names."""
    return q.kind in ("person", "entity") and c.kind in ("person", "entity")


def name_pairs(q: Prepared, c: Prepared) -> list[tuple[PreparedName, PreparedName]]:
    """The pairs of names worth aligning: all of them for a few names, else the closest few.

    An entity with 30 aliases would cost 30 alignments per query name; a C-level token-set
    ratio on the sorted keys first picks the ``SHORTLIST`` most alike per query name.
    """
    if len(q.names) * len(c.names) <= SHORTLIST:
        return [(qn, cn) for qn in q.names for cn in c.names]
    keys = [cn.key for cn in c.names]
    pairs = []
    for qn in q.names:
        for _key, _sim, index in process.extract(
            qn.key, keys, scorer=fuzz.token_set_ratio, limit=SHORTLIST
        ):
            pairs.append((qn, c.names[index]))
    return pairs


def best_alignment(q: Prepared, c: Prepared) -> tuple[PreparedName, PreparedName, Alignment] | None:
    """The best-scoring pair of names (query name, entity name) and their alignment."""
    initials = allows_initials(q, c)
    best: tuple[PreparedName, PreparedName, Alignment] | None = None
    for qn, cn in name_pairs(q, c):
        found = align_names(qn, cn, initials)
        if best is None or found.score > best[2].score:
            best = (qn, cn, found)
            if found.score >= 1.0:
                return best
    return best


def combine(name_score: float, effects: list[float]) -> float:
    """Name score moved by the evidence, clipped to 0..1."""
    total = name_score + sum(effects)
    return 0.0 if total < 0.0 else 1.0 if total > 1.0 else total


def all_findings(
    q: Prepared, c: Prepared, best: tuple[PreparedName, PreparedName, Alignment] | None
) -> list[Finding]:
    """The evidence beyond the names, and what depends on the names aligned: the married-name
    lift, and different generations ("Jr" vs "Sr", "II" vs "III")."""
    found = findings(q, c)
    if best is not None and q.kind == c.kind == "person":
        other_generation = generation(best[0], best[1])
        if other_generation is not None:
            found.append(other_generation)
    if best is not None and q.birth_dates and c.birth_dates and q.kind == c.kind == "person":
        married = married_name(q, c, best, found)
        if married is not None:
            found.append(married)
    return found


def score(q: Prepared, c: Prepared) -> float:
    """Similarity of a query and an entity, 0..1, without an explanation (the fast path)."""
    best = best_alignment(q, c)
    if best is None:
        return unnamed_score(q, c)
    return round(combine(best[2].score, [f.effect for f in all_findings(q, c, best)]), 4)


def scored(q: Prepared, c: Prepared) -> tuple[float, list[Finding]]:
    """The score of :func:`score` with the evidence it used (collective resolution weighs
    links by what corroborates them)."""
    best = best_alignment(q, c)
    if best is None:
        return unnamed_score(q, c), findings(q, c)
    found = all_findings(q, c, best)
    return round(combine(best[2].score, [f.effect for f in found]), 4), found


def unnamed_score(q: Prepared, c: Prepared) -> float:
    """A pair of which one side has no name: when they share an identifier or a contact,
    judged on their other details from a neutral ``UNNAMED`` (a shared tax number and e-mail
    make a match); else 0, as for two names of which no pair aligns."""
    if q.names and c.names:
        return 0.0
    found = findings(q, c)
    if not any(f.kind in ("identifier", "contact") and f.outcome == "agree" for f in found):
        return 0.0
    return round(combine(UNNAMED, [f.effect for f in found]), 4)
