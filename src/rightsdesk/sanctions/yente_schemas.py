"""The request and response shapes of OpenSanctions' yente ``POST /match/{dataset}`` (yente
5.5: ``yente/data/common.py``), field for field, so that a tool written for the OpenSanctions
API (nomenklatura's yente enricher, the OpenSanctions client libraries, a compliance
system's connector) reads rightsdesk's answer unchanged.

Kept apart from rightsdesk's own screening API (``screen_service``) because this one must
follow yente when yente changes, while ours follows what practitioners need.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EntityExample(BaseModel):
    """A query entity: an FtM schema and properties (a value or a list of values each)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["my-entity-id"])
    schema_: str = Field(..., examples=["Person"], alias="schema")
    properties: dict[str, str | list[Any]] = Field(..., examples=[{"name": ["John Doe"]}])


class EntityMatchQuery(BaseModel):
    """The body of ``POST /match/{dataset}``: named queries; ``weights`` and ``config`` are
    yente's scoring options (rightsdesk's matcher takes none: weights are accepted and not
    used, a config key is refused as yente refuses one its algorithm does not know)."""

    weights: dict[str, float] = Field({}, examples=[{"name_literal": 0.8}])
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    """An explained part of a score (nomenklatura's ``FeatureResult``)."""

    detail: str | None
    score: float
    query: str | None = None
    candidate: str | None = None


class ScoredEntityResponse(BaseModel):
    """A listed entity as yente returns it, with its score and whether it is a match."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(..., alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str] = []
    referents: list[str] = []
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    explanations: dict[str, FeatureResult] = Field(
        description="Subscores of the features with how they were found (yente 4.x and later)."
    )
    features: dict[str, float] = Field(
        {}, description="The same subscores as plain numbers (as yente 3.x returned them)."
    )
    match: bool = Field(description="Whether the score is at or above the threshold.")


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    """The answer to one named query."""

    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class EntityMatchResponse(BaseModel):
    """The answer to ``POST /match/{dataset}``: one entry per named query."""

    responses: dict[str, EntityMatches]
    limit: int


class ErrorResponse(BaseModel):
    detail: str
