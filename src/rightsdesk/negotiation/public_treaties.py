"""What the negotiation form offers other forms about treaties: each state's standing towards
the core human rights instruments, as plain values (``rightsdesk.forms.service("negotiation",
NAME)``).

The sanctions form's GSP+ table needs the UN human rights conventions a trade incentive is
conditional on. It must not import this form nor hold its ORM rows, so these functions return
frozen dataclasses built from the ``ratification`` rows, each naming the file (Dataset) its fact
came from and the latest date that file speaks for. ``instrument_coverage`` says which
instruments any depositary data was loaded for at all: a state absent from a loaded
depositary table took no action, while an instrument with no data loaded is *unknown* for
every state, and the caller must not confuse the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.provenance import Dataset
from rightsdesk.negotiation.treaties.models import Instrument, Ratification

__all__ = [
    "InstrumentCoverage",
    "TreatyStanding",
    "instrument_coverage",
    "treaty_instruments",
    "treaty_standings",
]

#: statuses that mean consent to be bound was given (ratification, accession, succession)
CONSENT_STATUSES = frozenset({"ratified", "acceded", "succeeded"})


@dataclass(frozen=True)
class TreatyStanding:
    """One state's recorded standing towards one instrument.

    ``status`` is the treaties module's word: ratified, acceded, succeeded, signed or
    denounced; ``source`` names the imported file, ``as_of`` is the latest date that file
    speaks for (its period end), so a reader knows how recent the fact is.
    """

    iso3: str
    instrument: str
    status: str
    consent_type: str | None
    signature_date: dt.date | None
    consent_date: dt.date | None
    denounced_on: dt.date | None
    denunciation_effective: dt.date | None
    party_until: dt.date | None
    source_kind: str
    source: str | None
    dataset_id: int | None
    as_of: dt.date | None

    @property
    def consented(self) -> bool:
        """Consent to be bound given and in force (not denounced, the state still exists)."""
        return self.status in CONSENT_STATUSES and self.party_until is None


@dataclass(frozen=True)
class InstrumentCoverage:
    """Whether any depositary data is loaded for an instrument, from which files, up to when."""

    instrument: str
    rows: int
    sources: tuple[str, ...]
    as_of: dt.date | None


def treaty_instruments(session: Session) -> dict[str, str]:
    """The instruments the treaties module knows, short name -> official name."""
    return dict(session.execute(select(Instrument.short, Instrument.name)).all())


def _describe(dataset: Dataset | None) -> str | None:
    return None if dataset is None else dataset.describe()


def treaty_standings(
    session: Session, instruments: Iterable[str], iso3: str | None = None
) -> list[TreatyStanding]:
    """The recorded standings towards ``instruments`` (short names, e.g. "ICCPR"), of one
    state when ``iso3`` is given, ordered by state and instrument."""
    wanted = sorted({i.upper() for i in instruments})
    if not wanted:
        return []
    stmt = (
        select(Ratification, Dataset)
        .outerjoin(Dataset, Dataset.id == Ratification.dataset_id)
        .where(Ratification.instrument_short.in_(wanted))
        .order_by(Ratification.iso3, Ratification.instrument_short)
    )
    if iso3 is not None:
        stmt = stmt.where(Ratification.iso3 == iso3.upper())
    out: list[TreatyStanding] = []
    for rat, dataset in session.execute(stmt).all():
        out.append(
            TreatyStanding(
                iso3=rat.iso3,
                instrument=rat.instrument_short,
                status=rat.status,
                consent_type=rat.consent_type,
                signature_date=rat.signature_date,
                consent_date=rat.consent_date,
                denounced_on=rat.denounced_on,
                denunciation_effective=rat.denunciation_effective,
                party_until=rat.party_until,
                source_kind=rat.source_kind,
                source=_describe(dataset),
                dataset_id=rat.dataset_id,
                as_of=None if dataset is None else dataset.period_end,
            )
        )
    return out


def instrument_coverage(
    session: Session, instruments: Iterable[str]
) -> dict[str, InstrumentCoverage]:
    """For each of ``instruments`` that has depositary rows loaded: how many, from which
    files, and the latest date those files speak for. Instruments with no rows are left out."""
    wanted = sorted({i.upper() for i in instruments})
    if not wanted:
        return {}
    counts = session.execute(
        select(Ratification.instrument_short, Ratification.dataset_id, func.count())
        .where(Ratification.instrument_short.in_(wanted))
        .group_by(Ratification.instrument_short, Ratification.dataset_id)
    ).all()
    ids = {dataset_id for _, dataset_id, _ in counts if dataset_id is not None}
    datasets = {d.id: d for d in session.scalars(select(Dataset).where(Dataset.id.in_(ids)))}
    rows: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    as_of: dict[str, dt.date] = {}
    for short, dataset_id, count in counts:
        rows[short] = rows.get(short, 0) + int(count)
        dataset = datasets.get(dataset_id) if dataset_id is not None else None
        if dataset is None:
            continue
        sources.setdefault(short, set()).add(dataset.describe())
        end = dataset.period_end
        if end is not None and (short not in as_of or end > as_of[short]):
            as_of[short] = end
    return {
        short: InstrumentCoverage(
            instrument=short,
            rows=count,
            sources=tuple(sorted(sources.get(short, ()))),
            as_of=as_of.get(short),
        )
        for short, count in rows.items()
    }
