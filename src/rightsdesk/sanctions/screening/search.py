"""One query against the index: candidates from the inverted index, then the matcher's score.

Scoring every one of ~38,000 listed names would cost ~38,000 alignments per query; the
inverted index narrows that to the names sharing the most (idf-weighted) keys with the query,
rapidfuzz to the few closest of those, and the matcher scores only these (see
``candidates``). How much this loses is measured, not assumed: the benchmark
(``benchmarks/sanctions_screening.py``) reports recall on listed names and the alert rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from rightsdesk.sanctions.matching import (
    SCREENING_THRESHOLD,
    Explanation,
    Prepared,
    Query,
    explain,
    prepare,
    score,
)
from rightsdesk.sanctions.screening.index import ScreeningIndex, rerank_text
from rightsdesk.sanctions.screening.keys import screening_keys
from rightsdesk.sanctions.screening.records import DesignationRef, EntityRecord, ProgramRef

__all__ = ["POOL", "Hit", "best_match", "candidates", "screen", "screen_prepared"]

#: Names drawn from the inverted index per query, by key overlap (Dice of idf weights).
POOL = 64
#: Of the pool, the matcher scores the few closest by rapidfuzz's token-set ratio (a C
#: routine, ~1 µs per name) and any other that is close enough: the matcher costs ~50-100 µs
#: per name, so scoring the whole pool would cost ten times more for the same hits.
SCORE_FIRST = 4
SCORE_RATIO = 80.0


@dataclass(frozen=True)
class Hit:
    """A listed entity that matches a query, with the matcher's reasons and where it is
    listed: lists, programmes and the designations in force."""

    entity_id: str
    caption: str
    schema: str
    score: float
    active: bool
    lists: tuple[str, ...]
    programs: tuple[ProgramRef, ...]
    designations: tuple[DesignationRef, ...]
    weak_aliases: tuple[str, ...]
    explanation: Explanation

    @property
    def matched_name(self) -> str:
        """The entity's name the query matched best."""
        return self.explanation.matched_name

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the API, ``--format json``)."""
        return {
            "entity_id": self.entity_id,
            "caption": self.caption,
            "schema": self.schema,
            "score": self.score,
            "active": self.active,
            "matched_name": self.matched_name,
            "lists": list(self.lists),
            "programs": [
                {"code": p.code, "key": p.key, "title": p.title, "human_rights": p.human_rights}
                for p in self.programs
            ],
            "designations": [
                {
                    "list": d.list_key,
                    "authority": d.authority,
                    "program": d.program,
                    "measure": d.measure,
                    "listed_on": d.listed_on,
                    "source_ref": d.source_ref,
                }
                for d in self.designations
            ],
            "weak_aliases": list(self.weak_aliases),
            "explanation": self.explanation.to_dict(),
            "summary": self.explanation.summary(),
        }


def candidates(
    index: ScreeningIndex, query: Prepared, active_only: bool = True
) -> npt.NDArray[np.int64]:
    """Positions of the index's names (items) worth scoring, closest first.

    Two cheap stages before the matcher: the inverted index gives the ``POOL`` names sharing
    the most key weight with the query (Dice: shared / (query's + name's), so a long name
    sharing one common part ranks low); rapidfuzz then keeps the ``SCORE_FIRST`` closest of
    them and any other at ``SCORE_RATIO`` or above."""
    arrays: list[npt.NDArray[np.int32]] = []
    weights: list[float] = []
    # in sorted order: a set's order changes with each process's string hashes, and the float
    # sums below (hence ties between candidates) must not, or a Spark executor and this
    # process could score different candidates for the same row
    for key in sorted(screening_keys(query)):
        found = index.postings.get(key)
        if found is not None:
            arrays.append(found[0])
            weights.append(found[1])
    if not arrays:
        return np.empty(0, dtype=np.int64)
    positions = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
    # sparse sums (a sort of ~2,000 positions) rather than a dense array over every name
    found_at, inverse = np.unique(positions, return_inverse=True)
    shared = np.bincount(inverse, weights=np.repeat(np.asarray(weights), [len(a) for a in arrays]))
    masks = index.masks if active_only else index.masks_all
    allowed = masks.get(query.kind, masks["other"])[found_at]
    found_at, shared = found_at[allowed], shared[allowed]
    if found_at.size == 0:
        return found_at.astype(np.int64)
    dice = shared / (sum(weights) + index.item_weights[found_at])
    if found_at.size > POOL:
        keep = np.argpartition(-dice, POOL - 1)[:POOL]
        found_at, dice = found_at[keep], dice[keep]
    found_at = found_at[np.argsort(-dice, kind="stable")]
    texts = index.item_texts
    ratios = cdist(
        [rerank_text(n) for n in query.names],
        [texts[i] for i in found_at.tolist()],
        scorer=fuzz.token_set_ratio,
        dtype=np.float32,
    ).max(axis=0)
    order = np.argsort(-ratios, kind="stable")
    close = int(np.count_nonzero(ratios >= SCORE_RATIO))
    return found_at[order[: max(SCORE_FIRST, close)]].astype(np.int64)


def _scored(index: ScreeningIndex, query: Prepared, active_only: bool) -> list[tuple[float, int]]:
    """(score, entity position) of every candidate entity, best first (ties: index order).
    An entity's score is the best of its scored names'."""
    items, owners = index.items, index.item_entity
    best: dict[int, float] = {}
    for i in candidates(index, query, active_only):
        entity = int(owners[i])
        value = score(query, items[i])
        if value > best.get(entity, -1.0):
            best[entity] = value
    return sorted(((v, e) for e, v in best.items()), key=lambda item: (-item[0], item[1]))


def best_match(
    index: ScreeningIndex,
    query: Prepared,
    threshold: float = SCREENING_THRESHOLD,
    active_only: bool = True,
) -> tuple[float, int, int] | None:
    """(score, position, count) of the best entity at or above ``threshold`` and how many
    reach it, or None: the batch's fast path (no explanation built for the others)."""
    scored = _scored(index, query, active_only)
    if not scored or scored[0][0] < threshold:
        return None
    count = sum(1 for s, _ in scored if s >= threshold)
    return scored[0][0], scored[0][1], count


def hit_at(index: ScreeningIndex, query: Prepared, position: int) -> Hit:
    """The explained hit of the entity at ``position`` for ``query``."""
    record: EntityRecord = index.records[position]
    why = explain(query, index.entity(position))
    return Hit(
        entity_id=record.entity_id,
        caption=record.caption,
        schema=record.schema,
        score=why.score,
        active=record.active,
        lists=record.lists,
        programs=record.programs,
        designations=record.designations,
        weak_aliases=record.weak_aliases,
        explanation=why,
    )


def screen_prepared(
    index: ScreeningIndex,
    query: Prepared,
    threshold: float = SCREENING_THRESHOLD,
    limit: int = 10,
    active_only: bool = True,
) -> list[Hit]:
    """``screen`` for a query already prepared. The hits' scores are the explained ones
    (all the entity's names), so a hit never shows a score other than its explanation's."""
    kept = [i for s, i in _scored(index, query, active_only) if s >= threshold][:limit]
    hits = [hit_at(index, query, i) for i in kept]
    hits.sort(key=lambda h: -h.score)
    return hits


def screen(
    index: ScreeningIndex,
    query: Query,
    threshold: float = SCREENING_THRESHOLD,
    limit: int = 10,
    active_only: bool = True,
) -> list[Hit]:
    """The listed entities matching ``query`` at or above ``threshold``, best first, each
    with its explanation, lists, programmes and designations in force. ``active_only=False``
    also searches entities whose designations all ended (delisted)."""
    return screen_prepared(index, prepare(query), threshold, limit, active_only)
