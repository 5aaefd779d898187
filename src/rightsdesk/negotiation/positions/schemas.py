"""What the positions and forecast API returns, and the forecast request it reads."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rightsdesk.web.schemas import ApiModel, ProvenanceOut


class PositionOut(ApiModel):
    """A state's ideal point in one session (United States positive) and its standard error."""

    iso3: str
    session: int
    year: int
    ideal_point: float
    se: float


class ForecastRequest(BaseModel):
    """A draft to forecast: a past text tabled again (``like``) and/or a title and text."""

    body: str = "unga"
    like: str | None = Field(None, description="Symbol or roll call id of a past text.")
    title: str | None = None
    text: str = ""
    sponsors: list[str] = Field(default_factory=list, description="Names or ISO3 codes.")
    session: int | None = None


class PastText(ApiModel):
    """The past roll call a draft repeats."""

    roll_call_id: int
    symbol: str | None
    title: str
    session: int
    sponsors: list[str] = Field(default_factory=list, description="Its sponsors (ISO3).")


class ExpectedVotes(ApiModel):
    """Sums of the members' probabilities."""

    no: float
    abstain: float
    yes: float
    absent: float = Field(description="Expected members not voting.")


class PredictedVotes(ApiModel):
    """Counts of the members' most likely outcomes."""

    no: int
    abstain: int
    yes: int
    absent: int


class SwingState(ApiModel):
    """A member close to voting otherwise, and why."""

    iso3: str
    name: str
    predicted: str
    p_no: float
    p_abstain: float
    p_yes: float
    p_absent: float
    reasons: list[str]


class ModelInfo(ApiModel):
    trained_on_sessions: list[int] = Field(description="First and last session trained on.")
    training_votes: int
    method: str


class MemberForecast(ApiModel):
    """One member's probabilities and most likely outcome."""

    iso3: str
    name: str
    p_no: float
    p_abstain: float
    p_yes: float
    p_absent: float = Field(description="Probability that the member does not vote.")
    sponsor: bool
    predicted: str
    swing: float = Field(description="1: a coin toss between two votes, 0: certain.")


class ForecastOut(ApiModel):
    """Predicted votes on a draft, the expected result and the states worth lobbying."""

    title: str
    session: int
    like: PastText | None
    sponsors: list[str]
    sponsors_not_members: list[str] = Field(
        description="Sponsors that are not members of the body: shown, not counted."
    )
    members: int = Field(description="Members voting (the rows of ``votes``).")
    expected: ExpectedVotes
    predicted: PredictedVotes
    margin: float = Field(description="Expected yes minus expected no.")
    adopted: bool
    swing: list[SwingState]
    model: ModelInfo
    votes: list[MemberForecast]
    provenance: ProvenanceOut
