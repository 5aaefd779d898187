"""Screening as the web page and the JSON API offer it: one query in, explained hits out,
each query written to the audit log.

Why the audit log: screening a name says that someone took an interest in that person, which
is itself sensitive. The query (name, birth date, nationality) is written to the audit log,
the one place a person answerable for it can read it, and nowhere else: error messages name
the field, never the value of a name, and the page answers a POST, so the name is not in a
URL that a proxy, a browser history or an access log keeps.

The single query is read with the batch contract's own rules (``screening.row_query``), so
the page, the API and ``rightsdesk sanctions screen`` read a birth date or a country alike.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.security.audit import record
from rightsdesk.sanctions.matching import SCREENING_THRESHOLD, Query
from rightsdesk.sanctions.screening import Hit, load_index, row_query, screen

#: where a screening query is recorded in the audit log (``entity`` column)
AUDIT_ENTITY = "sanctions_screening"
MAX_NAME = 300
MAX_LIMIT = 100


class ScreenRequest(BaseModel):
    """One screening query. Only ``name`` is required; every detail given raises or lowers
    the score (a birth date that conflicts, a nationality that agrees)."""

    name: str = Field(min_length=1, max_length=MAX_NAME, description="Full name, any script.")
    birth_date: str | None = Field(None, max_length=40, description="YYYY, YYYY-MM or YYYY-MM-DD.")
    nationality: str | None = Field(None, max_length=100, description="Country name or code.")
    gender: str | None = Field(None, max_length=10, description="male, female or empty.")
    schema_: str | None = Field(
        None,
        alias="schema",
        max_length=40,
        description="FtM schema: Person, Organization, Company, LegalEntity, Vessel... "
        "Default: Person when a birth date or gender is given, else LegalEntity.",
    )
    threshold: float = Field(SCREENING_THRESHOLD, ge=0.0, le=1.0)
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    include_delisted: bool = Field(False, description="Also match entities no longer listed.")

    model_config = {"populate_by_name": True}


class PartOut(BaseModel):
    """A name part of the query and the listed name's part it was aligned with."""

    query: str
    candidate: str
    kind: str = Field(
        description="exact, transliteration, typo, initial, phonetic, joined, missing"
    )
    similarity: float
    weight: float


class EvidenceOut(BaseModel):
    """A detail beyond the name that raised or lowered the score."""

    kind: str
    outcome: str
    detail: str
    effect: float


class ProgramOut(BaseModel):
    code: str
    key: str | None = None
    title: str | None = None
    human_rights: bool = False


class DesignationRefOut(BaseModel):
    list: str
    authority: str
    program: str
    measure: str | None = None
    listed_on: str | None = None
    source_ref: str = ""


class ExplanationOut(BaseModel):
    score: float
    name_score: float
    query_name: str
    matched_name: str
    parts: list[PartOut]
    evidence: list[EvidenceOut]


class HitOut(BaseModel):
    """A listed entity matching the query, with the reasons for its score."""

    entity_id: str
    caption: str
    schema_: str = Field(alias="schema")
    score: float
    active: bool
    matched_name: str
    lists: list[str]
    programs: list[ProgramOut]
    designations: list[DesignationRefOut]
    weak_aliases: list[str]
    explanation: ExplanationOut
    summary: str

    model_config = {"populate_by_name": True}


class ScreenResponse(BaseModel):
    """The hits of one query, best first, at or above ``threshold``."""

    threshold: float
    total: int
    hits: list[HitOut]


def to_query(req: ScreenRequest) -> Query:
    """The matcher's query of a request; an InputError naming the field (never its value
    when the field is the name)."""
    values = {
        "full_name": req.name,
        "date_of_birth": req.birth_date,
        "nationality": req.nationality,
        "gender": req.gender,
        "schema": req.schema_,
    }
    try:
        return row_query(values, 1, "query")
    except InputError as exc:
        field = {"full_name": "name", "date_of_birth": "birth_date"}.get(
            exc.location.field or "", exc.location.field
        )
        message = "the name is empty" if field == "name" else exc.reason
        raise InputError(message, field=field) from None


def hit_out(hit: Hit) -> HitOut:
    return HitOut.model_validate(hit.to_dict())


def audit_screening(
    session: Session, actor: str, channel: str, queries: list[dict[str, Any]], hits: int
) -> None:
    """Write one audit entry for a screening request (not committed: the caller commits).

    ``channel``: page, api, match-api or batch; ``queries``: what was asked (for a batch,
    its size and digest instead of every name)."""
    record(
        session,
        actor,
        "screen",
        AUDIT_ENTITY,
        None,
        after={"channel": channel, "queries": queries, "hits": hits},
    )


def run_query(session: Session, actor: str, req: ScreenRequest, channel: str) -> ScreenResponse:
    """Screen one request against every loaded list and audit it; committed here, so the
    audit entry stays even if rendering the answer fails afterwards."""
    query = to_query(req)
    index = load_index(session)
    hits = screen(index, query, req.threshold, req.limit, active_only=not req.include_delisted)
    asked = {
        "name": req.name,
        "birth_date": req.birth_date,
        "nationality": req.nationality,
        "gender": req.gender,
        "schema": query.schema,
        "threshold": req.threshold,
    }
    audit_screening(session, actor, channel, [asked], len(hits))
    session.commit()
    return ScreenResponse(threshold=req.threshold, total=len(hits), hits=[hit_out(h) for h in hits])
