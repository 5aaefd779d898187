"""What the treaty API returns (``/api/v1/treaties``, ``/api/v1/states/{code}/treaties``).

Dates are ISO 8601 strings (``YYYY-MM-DD``), null where the depositary records none; every fact
names the Dataset it came from (``dataset_id``).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from rightsdesk.web.schemas import ApiModel


class InstrumentOut(ApiModel):
    """One of the 18 core instruments, with its numbers of parties and of signatories only."""

    short: str = Field(description="Short name, the key everywhere, e.g. ICCPR.")
    name: str
    kind: str = Field(description="treaty or protocol")
    parent: str | None = Field(description="The treaty a protocol belongs to.")
    mtdsg_no: str = Field(description="UN Treaty Collection number, e.g. IV-4.")
    body: str = Field(description="Code of the monitoring body, e.g. CCPR.")
    body_name: str | None
    adopted: dt.date
    entry_into_force: dt.date | None
    parties: int = Field(description="States parties (former states not counted).")
    signed_only: int = Field(description="States that signed but are not party.")


class PartyOut(ApiModel):
    """A state party to (or signatory of) an instrument."""

    iso3: str
    state: str
    status: str = Field(description="ratified, acceded, succeeded or signed")
    consent_type: str | None
    signature_date: dt.date | None
    consent_date: dt.date | None
    dataset_id: int | None


class YearCount(ApiModel):
    """States becoming party in a year, and the running total."""

    year: int
    new: int
    cumulative: int


class InstrumentDetail(InstrumentOut):
    """An instrument with its parties, signatories and parties per year."""

    parties_list: list[PartyOut]
    signatories: list[PartyOut]
    over_time: list[YearCount]


class CellOut(ApiModel):
    """A state's standing towards one instrument."""

    status: str = Field(description="ratified, acceded, succeeded, signed or none")
    party: bool = Field(description="Consent to be bound given (a signature is not).")
    signature_date: dt.date | None
    consent_date: dt.date | None
    consent_type: str | None
    dataset_id: int | None
    denunciation_effective: dt.date | None = Field(
        default=None, description="When the last denunciation took effect (status denounced)."
    )
    party_until: dt.date | None = Field(
        default=None, description="A former state's end (the GDR 1990-10-03)."
    )
    value: str | None = Field(
        default=None, description="The cell in the matrix's layer (the status by default)."
    )


class MatrixRow(ApiModel):
    iso3: str
    state: str
    cells: dict[str, CellOut] = Field(description="By instrument short name.")


class MatrixOut(ApiModel):
    """The ratification matrix, states sorted by name."""

    group: str | None = Field(description="The grouping the rows are limited to, if any.")
    layer: str = Field(
        default="status", description="status, competence, complaints or reservations."
    )
    instruments: list[str] = Field(description="Short names in catalogue order.")
    parties: dict[str, int] = Field(description="States parties per instrument.")
    dataset_ids: list[int]
    states: list[MatrixRow]


class StandingOut(CellOut):
    instrument: str


class GapOut(ApiModel):
    """An instrument a state is not party to (``signed``: signed, not ratified)."""

    instrument: str
    name: str
    signed: bool
    signature_date: dt.date | None
    denounced: dt.date | None = Field(default=None, description="Denunciation effective date.")
    note: str


class CompetenceOut(ApiModel):
    """A declaration recognising a committee's competence, in force."""

    article: str
    procedure: str = Field(description="individual, inter-state or inquiry")
    date: dt.date | None


class ReservationItemOut(ApiModel):
    """One reservation, declaration or understanding."""

    kind: str = Field(description="reservation, declaration or understanding")
    articles: list[str]
    date: dt.date | None
    withdrawn: str | None = Field(description="full or partial, null if in force")


class TreatyStatusOut(ApiModel):
    """A state's standing towards one instrument (``treaties status ISO3 --format json``)."""

    instrument: str
    status: str = Field(description='e.g. ratified, signed, none, "denounced (effective ...)"')
    signature: dt.date | None
    consent: dt.date | None
    consent_type: str | None
    denunciation: dt.date | None = Field(description="When the last denunciation took effect.")
    competence: list[CompetenceOut]
    reservations: list[ReservationItemOut]


class DeclarationOut(ApiModel):
    """A declaration accepting a procedure (``treaties declarations --format csv``)."""

    iso3: str
    instrument: str
    article: str
    procedure: str
    date: dt.date | None
    withdrawn: dt.date | None


class ComplaintGapOut(ApiModel):
    """An individual-complaint procedure a state does not accept, and why."""

    procedure: str
    instrument: str
    article: str | None
    note: str


class ReservationOut(ApiModel):
    instrument: str
    ordinal: int
    refers_to: str | None = Field(description="MTDSG number of the treaty the text is under.")
    text: str
    dataset_id: int | None


class StateTreatiesOut(ApiModel):
    """A state's standing towards the 18 instruments, its gaps and its reservations."""

    iso3: str
    state: str
    treaties: list[StandingOut]
    gaps: list[GapOut]
    reservations: list[ReservationOut]
    dataset_ids: list[int]
    status: list[TreatyStatusOut] = Field(default_factory=list)
    accepts_individual_complaints: list[str] = Field(
        default_factory=list, description='e.g. ["ICERD art. 14", "ICCPR-OP1"]'
    )
    complaint_gaps: list[ComplaintGapOut] = Field(default_factory=list)
