"""What the recommendations API returns (``/api/v1/recommendations``)."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup
from pydantic import AliasChoices, Field

from rightsdesk.monitoring.tracking.schemas import RecordOut, StateRef
from rightsdesk.web.schemas import ApiModel

__all__ = [
    "FacetOut",
    "HitOut",
    "RecommendationDetail",
    "RecommendationOut",
    "ResponseOut",
    "SearchOut",
    "StateRef",
    "ThemeOut",
]


class ResponseOut(ApiModel):
    response: str = Field(
        description="supported, noted, pending or other (one vocabulary for every source)"
    )
    source_word: str | None = Field(
        description="The source's own word, e.g. 'accepted' (UPR Info) for supported."
    )
    source: str = Field(description="'UPR Info' or the symbol of the addendum stating it.")


class ThemeOut(ApiModel):
    taxonomy: str = Field(description="upr-info, uhri, affected-persons or sdg")
    label: str
    origin: str = Field(description="human or model")
    confidence: float | None
    reviewed_by: str | None


class RecommendationOut(ApiModel):
    """One recommendation with its states, responses, themes and cluster."""

    id: int
    mechanism: str
    document_symbol: str | None
    paragraph: str | None
    text: str
    original_text: str | None = Field(
        description="The text as the source wrote it, when the import repaired it (a line "
        "break lost between two words)."
    )
    language: str
    type: str
    state: StateRef = Field(description="The state under review.")
    recommending_states: list[StateRef]
    cycle: int | None
    session: int | None
    date: dt.date | None
    responses: list[ResponseOut]
    action_category: int | None = Field(description="UPR Info's scale, 1 (minimal) to 5.")
    action_label: str | None
    themes: list[ThemeOut] = Field(description="Every theme, with its taxonomy and origin.")
    issues: list[str] = Field(description="UPR Info issues.")
    uhri_themes: list[str] = Field(description="Themes of the Universal Human Rights Index.")
    sdgs: list[str] = Field(description="Sustainable Development Goals, '5 - Gender equality'.")
    affected_persons: list[str] = Field(description="Groups of persons the text concerns.")
    cluster_id: int | None = Field(description="The cluster of identical texts, if any.")
    dataset_id: int | None


class RecommendationDetail(RecommendationOut):
    implementation: RecordOut | None


class HitOut(ApiModel):
    """A matching recommendation, with an extract where the matched words are marked.

    The search page shows the same object: ``snippet`` is the extract as safe markup and
    ``recommending`` the recommending states."""

    id: int
    text: str
    snippet_html: str = Field(description="Escaped HTML; matches inside <mark> tags.")
    mechanism: str
    state_iso3: str
    state_name: str
    recommending_states: list[str]
    recommending_names: list[str] = Field(
        description="The recommending states' names, in the order of recommending_states."
    )
    session: int | None
    cycle: int | None
    response: str | None = Field(description="supported, noted, pending or other.")
    response_source_word: str | None = Field(description="The source's own word for it.")
    action_category: int | None
    action_label: str | None = Field(default=None, description="The action category in words.")
    themes: list[str] = Field(description="Every theme label, each once, all taxonomies.")
    issues: list[str] = Field(description="UPR Info issues.")
    uhri_themes: list[str] = Field(description="UHRI themes.")
    sdgs: list[str] = Field(description="SDG targets.")
    affected_persons: list[str] = Field(description="Affected persons.")
    document_symbol: str | None
    paragraph: str | None

    @property
    def snippet(self) -> Markup:
        return Markup(self.snippet_html)  # escaped by search.highlight when the hit was made

    @property
    def recommending(self) -> list[str]:
        return self.recommending_states


class FacetOut(ApiModel):
    value: str
    label: str
    count: int


class SearchOut(ApiModel):
    """One page of a search, with the counts of every facet over all matches.

    Built from a ``search.SearchResult``."""

    query: str
    filters: dict[str, list[str]] = Field(
        description="The filters applied, with their values.",
        validation_alias=AliasChoices("filters", "facets_applied"),
    )
    order: str
    total: int
    page: int
    per_page: int
    pages: int
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]
