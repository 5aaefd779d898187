"""Why a score is what it is: the aligned names, each part's agreement, the evidence.

An :class:`Explanation` is plain data (``to_dict`` gives JSON) and reads as a sentence through
:meth:`Explanation.summary`, so the page, the API and the CLI all show the same reasons.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from rightsdesk.sanctions.matching.align import LEGAL_FORM_CONFLICT
from rightsdesk.sanctions.matching.model import Prepared
from rightsdesk.sanctions.matching.score import (
    UNNAMED,
    all_findings,
    best_alignment,
    combine,
    unnamed_score,
)
from rightsdesk.sanctions.matching.tokens import JOINED

LEGAL_FORM = "legal_form"


@dataclass(frozen=True)
class PartMatch:
    """One name part of the query and the entity part it was aligned with.

    ``kind``: exact, transliteration (agrees once romanised), typo, phonetic, initial
    ("J." ~ John), nickname (Bob ~ Robert), prefix ("Ben" ~ Benjamin, or a last part cut
    short), joined (the parts agree once spaces are ignored: "patr ushev" ~ "patrushev"),
    swapped (agrees, but on the other side of "bin": father and son), missing (no partner
    on the other side), or legal_form (the companies' legal forms in generic form, "llc" for
    ООО or GmbH: weight 0 when one name has none or they agree; when both have one and they
    differ, "AG" vs "GmbH", the name score loses ``weight``).
    """

    query: str
    candidate: str
    kind: str
    similarity: float
    weight: float


@dataclass(frozen=True)
class Evidence:
    """A detail beyond the name: birth_date, nationality, gender, identifier, contact, address,
    schema, married_name (see ``married``: lifts the name score of one person's two family
    names) or generation (see ``generation``: "Jr" vs "Sr", "II" vs "III")."""

    kind: str
    outcome: str  # agree / conflict / unclear (a birth date with day and month swapped)
    detail: str
    effect: float  # added to the name score


@dataclass(frozen=True)
class Explanation:
    """The score of a query against an entity with its reasons."""

    score: float
    name_score: float
    query_name: str
    matched_name: str
    parts: tuple[PartMatch, ...]
    evidence: tuple[Evidence, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (lists instead of tuples)."""
        return asdict(self)

    def summary(self) -> str:
        """One human-readable line, e.g. for a CLI table or a tooltip."""
        parts = ", ".join(f"{p.query or '–'}~{p.candidate or '–'} ({p.kind})" for p in self.parts)
        text = f"{self.score:.2f}: {self.query_name!r} ≈ {self.matched_name!r} [{parts}]"
        for e in self.evidence:
            text += f"; {e.kind} {e.outcome} ({e.detail}, {e.effect:+.2f})"
        return text


def explain(q: Prepared, c: Prepared) -> Explanation:
    """Score ``q`` against ``c`` and say why; ``explain(q, c).score == score(q, c)``."""
    best = best_alignment(q, c)
    found = all_findings(q, c, best)
    evidence = tuple(Evidence(f.kind, f.outcome, f.detail, f.effect) for f in found)
    if best is None:
        total = unnamed_score(q, c)
        return Explanation(total, UNNAMED if total else 0.0, "", "", (), evidence)
    qn, cn, alignment = best
    parts = []
    joined_q: set[int] = set()
    joined_c: set[int] = set()
    joined_sim = 1.0
    for p in alignment.pairs:
        if p.kind == JOINED:  # shown as one part: "patr ushev" ~ "patrushev"
            joined_q.update([p.q] if p.q >= 0 else [])
            joined_c.update([p.c] if p.c >= 0 else [])
            joined_sim = min(joined_sim, p.similarity)
            continue
        qt = qn.tokens[p.q] if p.q >= 0 else None
        ct = cn.tokens[p.c] if p.c >= 0 else None
        weight = max(t.weight for t in (qt, ct) if t is not None)
        parts.append(
            PartMatch(
                query=qt.text if qt else "",
                candidate=ct.text if ct else "",
                kind=p.kind,
                similarity=round(p.similarity, 3),
                weight=round(weight, 2),
            )
        )
    if joined_q or joined_c:
        tokens = [qn.tokens[i] for i in sorted(joined_q)] + [cn.tokens[j] for j in joined_c]
        parts.append(
            PartMatch(
                query=" ".join(qn.tokens[i].text for i in sorted(joined_q)),
                candidate=" ".join(cn.tokens[j].text for j in sorted(joined_c)),
                kind=JOINED,
                similarity=round(joined_sim, 3),
                weight=round(max(t.weight for t in tokens), 2),
            )
        )
    if qn.legal_forms or cn.legal_forms:
        # shown; they count only when both names carry one and no form is shared
        differ = bool(qn.legal_forms and cn.legal_forms and not qn.legal_forms & cn.legal_forms)
        parts.append(
            PartMatch(
                query=" ".join(sorted(qn.legal_forms)),
                candidate=" ".join(sorted(cn.legal_forms)),
                kind=LEGAL_FORM,
                similarity=0.0 if differ else 1.0,
                weight=LEGAL_FORM_CONFLICT if differ else 0.0,
            )
        )
    total = round(combine(alignment.score, [f.effect for f in found]), 4)
    return Explanation(
        score=total,
        name_score=round(alignment.score, 4),
        query_name=qn.original,
        matched_name=cn.original,
        parts=tuple(parts),
        evidence=evidence,
    )
