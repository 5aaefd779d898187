"""``POST /api/v1/sanctions/match-entities``: the ``match-entities`` command as an API call.

A deduplication tool or a notebook on another machine sends labelled or candidate pairs of
FollowTheMoney entities and gets, per pair, the score, the decision at the default threshold
and why: the same ``resolve_pairs`` as the command, so records that recur across the pairs are
resolved together (``"resolve": false`` decides each pair alone). Nothing is read from or
written to the store but the audit line (who asked, how many pairs: not the names). At most
``MAX_PAIRS`` pairs and 1 MB of JSON per call (larger sets: the command); a bad entity is a 400
(``input-error``) naming the pair.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from rightsdesk.core.errors import InputError
from rightsdesk.sanctions.matching import DEFAULT_THRESHOLD, prepare, resolve_pairs
from rightsdesk.sanctions.matching.entity import EntityFormatError, query_from_ftm
from rightsdesk.sanctions.matching.resolve import record_key
from rightsdesk.sanctions.routes_match_api import ApiKeyRoute
from rightsdesk.sanctions.screen_service import audit_screening
from rightsdesk.web.deps import DbSession, Viewer
from rightsdesk.web.schemas import error_responses

MAX_PAIRS = 2_000

router = APIRouter(route_class=ApiKeyRoute)


class EntityPair(BaseModel):
    """One line of the command's input: an id and two FtM entities."""

    id: Annotated[str, Field(min_length=1, max_length=200)]
    left: dict[str, Any]
    right: dict[str, Any]


class PairsRequest(BaseModel):
    """The pairs, and whether recurring records are resolved together."""

    pairs: Annotated[list[EntityPair], Field(min_length=1, max_length=MAX_PAIRS)]
    resolve: bool = True


class PairResult(BaseModel):
    """The command's ``--explain`` columns for one pair."""

    id: str
    score: float
    match: bool
    pair_score: float
    resolution: str


class PairsResponse(BaseModel):
    """Every pair in the order sent, and the threshold ``match`` was decided at."""

    threshold: float
    results: list[PairResult]


def _record_id(entity: dict[str, Any], resolve: bool) -> str | None:
    return record_key(entity) if resolve else None


@router.post(
    "/api/v1/sanctions/match-entities",
    tags=["Matching"],
    summary="Score and resolve pairs of FollowTheMoney entities",
    response_model=PairsResponse,
    responses=error_responses(InputError),
)
def match_entities(body: PairsRequest, db: DbSession, user: Viewer) -> PairsResponse:
    """Score pairs of FtM entities as ``rightsdesk sanctions match-entities --explain`` does."""
    prepared = []
    for number, pair in enumerate(body.pairs, start=1):
        try:
            left, right = query_from_ftm(pair.left), query_from_ftm(pair.right)
        except EntityFormatError as exc:
            message = f"pair {number} ({pair.id[:60]}): {exc}"
            raise InputError(message, field=f"pairs[{number - 1}]") from None
        prepared.append(
            (_record_id(pair.left, body.resolve), prepare(left),
             _record_id(pair.right, body.resolve), prepare(right))
        )  # fmt: skip
    decided = resolve_pairs(prepared, DEFAULT_THRESHOLD)
    matches = sum(found.match for found in decided)
    audit_screening(db, user.name, "match-entities-api", [{"pairs": len(body.pairs)}], matches)
    db.commit()
    return PairsResponse(
        threshold=DEFAULT_THRESHOLD,
        results=[
            PairResult(
                id=pair.id,
                score=found.score,
                match=found.match,
                pair_score=found.pair_score,
                resolution=found.reason,
            )
            for pair, found in zip(body.pairs, decided, strict=True)
        ],
    )
