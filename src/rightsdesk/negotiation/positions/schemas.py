"""What the positions and forecast API returns, and the forecast request it reads."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rightsdesk.web.schemas import ApiModel


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


class ExpectedVotes(ApiModel):
    """Sums of the members' probabilities."""

    no: float
    abstain: float
    yes: float


class PredictedVotes(ApiModel):
    """Counts of the members' most likely votes."""

    no: int
    abstain: int
    yes: int


class SwingState(ApiModel):
    """A member close to voting otherwise, and why."""

    iso3: str
    name: str
    predicted: str
    p_no: float
    p_abstain: float
    p_yes: float
    reasons: list[str]


class ModelInfo(ApiModel):
    trained_on_sessions: list[int] = Field(description="First and last session trained on.")
    training_votes: int
    method: str


class MemberForecast(ApiModel):
    """One member's probabilities and most likely vote (sponsors count as yes)."""

    iso3: str
    name: str
    p_no: float
    p_abstain: float
    p_yes: float
    sponsor: bool
    predicted: str
    swing: float = Field(description="1: a coin toss between two votes, 0: certain.")


class ForecastOut(ApiModel):
    """Predicted votes on a draft, the expected result and the states worth lobbying."""

    title: str
    session: int
    like: PastText | None
    sponsors: list[str]
    expected: ExpectedVotes
    predicted: PredictedVotes
    margin: float = Field(description="Expected yes minus expected no.")
    adopted: bool
    swing: list[SwingState]
    model: ModelInfo
    votes: list[MemberForecast]
