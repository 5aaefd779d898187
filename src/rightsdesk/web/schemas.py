"""What the JSON API returns when something goes wrong, and the shapes every form reuses.

Each route declares ``responses=error_responses(NotFoundError, ...)`` so the OpenAPI document
names the errors from the catalogue (``core/errors.py``) that it can return; authentication,
permission and validation errors are declared on every route.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rightsdesk.core.errors import (
    AuthenticationError,
    InputError,
    PermissionDenied,
    RightsdeskError,
)


def _as_utc(value: datetime) -> datetime:
    """The store keeps UTC without a zone (SQLite has none): say so, as RFC 3339 wants."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]
"""A timestamp in the API: always UTC, always with its offset (``...Z``)."""


class ApiModel(BaseModel):
    """Base of the API's response models: built from ORM objects or dicts alike."""

    model_config = ConfigDict(from_attributes=True)


class ErrorBody(BaseModel):
    """A user-facing error: a stable code from the catalogue and a message naming the fault."""

    error: str = Field(description="Stable code from the error catalogue, e.g. not-found.")
    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None


def error_responses(*errors: type[RightsdeskError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the given error classes, plus those every route can return."""
    out: dict[int | str, dict[str, Any]] = {}
    codes: dict[int, list[str]] = {422: [InputError.code]}  # request validation
    classes: tuple[type[RightsdeskError], ...] = (AuthenticationError, PermissionDenied, *errors)
    for cls in classes:
        codes.setdefault(cls.http_status, [])
        if cls.code not in codes[cls.http_status]:
            codes[cls.http_status].append(cls.code)
    for status, names in sorted(codes.items()):
        out[status] = {"model": ErrorBody, "description": "Error: " + ", ".join(names)}
    return out


class StateOut(ApiModel):
    """A state (UN member, observer or historical), keyed by ISO 3166-1 alpha-3."""

    iso3: str
    iso2: str | None
    name: str
    official_name: str | None
    status: str
    cow_code: int | None
    un_member_from: int | None = Field(description="Year of admission to the UN.")
    un_member_to: int | None
    successor_iso3: str | None
    continent: str | None
    un_subregion: str | None


class GroupingOut(ApiModel):
    code: str
    name: str
    kind: str


class StateDetail(StateOut):
    groupings: list[GroupingOut]


class DatasetOut(ApiModel):
    """Where imported rows came from: source, licence, checksum and counts."""

    id: int
    kind: str
    source: str
    source_url: str | None
    licence: str | None
    file_name: str
    sha256: str
    imported_at: UtcDateTime
    rows_read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    period_start: date | None = Field(None, description="Earliest dated fact in the dataset.")
    period_end: date | None = Field(None, description="Latest dated fact in the dataset.")


class DatasetUseOut(ApiModel):
    """A dataset a result was computed from, with the period its facts cover."""

    id: int
    kind: str
    file: str
    source: str
    imported: str = Field(description="Import date, YYYY-MM-DD.")
    period_start: str | None
    period_end: str | None


class ProvenanceOut(ApiModel):
    """Where a figure comes from and how recent it is: the datasets used and the date of the
    latest fact seen ("UN votes to 2021-12-30")."""

    datasets: list[DatasetUseOut]
    latest: str | None = Field(description="Date of the latest fact, YYYY-MM-DD.")
    label: str
