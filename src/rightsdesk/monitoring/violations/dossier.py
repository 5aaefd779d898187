"""A designation dossier: what a proposal to list a perpetrator under a human rights sanctions
regime rests on, as plain values every export (page, JSON, FollowTheMoney, PDF) renders alike.

The dossier holds only what its reader may read (``dossier_build`` decides, through
``access``): acts of events the reader may read, sources the reader may read, and never a
sensitive value. Witnesses appear by the type of source and its organisation, never by name,
even for a reader who may read names: a dossier leaves the house, a witness's name must not.
Victims appear by description (sex, age group, occupation), never by name.

Footnote numbers (``DossierSource.number``) are the order in which sources are first cited,
so the PDF's numbered footnotes, the page and the JSON agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rightsdesk.monitoring.violations.dossier_criteria import Regime

__all__ = [
    "AbuseFinding",
    "CriterionFinding",
    "DesignationRow",
    "Dossier",
    "DossierAct",
    "DossierSource",
    "Identity",
    "PersonRef",
    "Strength",
    "jsonable",
]

#: reliability and credibility ratings counted as strong (Admiralty code)
STRONG_RELIABILITY = ("A", "B")
STRONG_CREDIBILITY = ("1", "2")


@dataclass(frozen=True)
class PersonRef:
    """Another perpetrator in the chain of command (a commander, a subordinate unit)."""

    id: int
    name: str
    kind: str
    position: str | None


@dataclass(frozen=True)
class Identity:
    """Who the dossier is about: identity, position, state and chain of command."""

    id: int
    natural_key: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    position: str | None
    state_iso3: str | None
    state_name: str | None
    nationality: str | None
    birth_date: str | None
    confidentiality: str
    commanders: tuple[PersonRef, ...]  # nearest first
    subordinates: tuple[PersonRef, ...]


@dataclass(frozen=True)
class DossierSource:
    """A source cited by the dossier: its type and organisation, never its reporter."""

    number: int
    source_id: int
    event_id: int
    source_type: str
    organisation: str | None
    reported_on: dt.date | None
    method: str | None
    reliability: str
    credibility: str
    summary: str | None
    citation: str | None
    url: str | None
    confidentiality: str

    @property
    def strong(self) -> bool:
        """Rated A/B for reliability and 1/2 for credibility."""
        return self.reliability in STRONG_RELIABILITY and self.credibility in STRONG_CREDIBILITY

    @property
    def rating(self) -> str:
        """The Admiralty rating as printed: "B2"."""
        return f"{self.reliability}{self.credibility}"


@dataclass(frozen=True)
class DossierAct:
    """One documented act supporting the dossier, with how the perpetrator (or, for chain of
    command criteria, a related perpetrator) took part."""

    act_id: int
    event_id: int
    event_title: str
    date: dt.date | None
    date_precision: str
    state_iso3: str | None
    area: str | None
    act_type: str
    act_label: str
    description: str | None
    victim: str | None  # a description (sex, age group, occupation), never a name
    perpetrator_id: int
    perpetrator_name: str
    relation: str  # "self", "subordinate", "superior"
    role: str
    established: bool
    abuse_key: str | None
    abuse_citation: str | None
    needs_pattern: bool
    source_numbers: tuple[int, ...]
    confidentiality: str

    @property
    def date_text(self) -> str | None:
        """The date as precisely as it is known: "2019-03-04", "2019-03" or "2019"."""
        if self.date is None or self.date_precision == "unknown":
            return None
        iso = self.date.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(self.date_precision, iso)

    @property
    def standing(self) -> str:
        """Whether the involvement is "established" or "alleged"."""
        return "established" if self.established else "alleged"


@dataclass(frozen=True)
class CriterionFinding:
    """One criterion of the regime with the acts that support it; no act: a gap."""

    key: str
    citation: str
    title: str
    text: str
    acts: tuple[DossierAct, ...]
    note: str | None = None

    @property
    def gap(self) -> bool:
        return not self.acts

    @property
    def sources(self) -> tuple[int, ...]:
        """Footnote numbers of the sources behind this criterion's acts."""
        return tuple(sorted({n for a in self.acts for n in a.source_numbers}))


@dataclass(frozen=True)
class AbuseFinding:
    """One abuse the regime lists and how many of the perpetrator's acts fall under it."""

    key: str
    citation: str
    text: str
    acts: int
    needs_pattern: bool


@dataclass(frozen=True)
class Strength:
    """How strong the evidence is: counts of acts and of sources by rating."""

    acts: int
    acts_established: int
    acts_alleged: int
    events: int
    sources: int
    reliable_sources: int  # reliability A or B
    credible_sources: int  # credibility 1 or 2
    strong_sources: int  # both
    criteria_met: int
    criteria_total: int
    out_of_scope_acts: int


@dataclass(frozen=True)
class DesignationRow:
    """A designation of a confirmed linked sanctions entity (the sanctions form's lists)."""

    entity_id: str
    caption: str
    list_key: str
    authority: str
    program: str
    program_key: str | None
    listed_on: dt.date | None
    delisted_on: dt.date | None
    active: bool
    under_this_regime: bool = False


@dataclass(frozen=True)
class Dossier:
    """A proposal to designate one perpetrator under one regime."""

    regime: Regime
    identity: Identity
    criteria: tuple[CriterionFinding, ...]
    abuses: tuple[AbuseFinding, ...]
    acts: tuple[DossierAct, ...]  # the perpetrator's own acts within the regime's scope
    out_of_scope: tuple[DossierAct, ...]  # own acts the regime does not list
    # every act shown (own, subordinates', superiors'), in the order footnotes are numbered
    evidence: tuple[DossierAct, ...]
    sources: tuple[DossierSource, ...]  # by footnote number
    strength: Strength
    designations: tuple[DesignationRow, ...]
    prepared_at: dt.datetime
    prepared_by: str
    levels: tuple[str, ...] = field(default_factory=tuple)  # levels of the records included

    @property
    def already_designated(self) -> bool:
        """Whether a confirmed link shows a designation in force."""
        return any(d.active for d in self.designations)

    def source(self, number: int) -> DossierSource:
        return self.sources[number - 1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the API's ``format=json`` and ``--format json``)."""
        data = jsonable(dataclasses.asdict(self))
        data["criteria"] = [
            {**jsonable(dataclasses.asdict(c)), "gap": c.gap, "sources": list(c.sources)}
            for c in self.criteria
        ]
        for src, out in zip(self.sources, data["sources"], strict=True):
            out["rating"] = src.rating
            out["strong"] = src.strong
        data["already_designated"] = self.already_designated
        return dict(data)


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, tuples as lists, all the way down."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
