"""Treaties and ratifications: the questions a delegation asks, as pure functions over the session.

What a state has not joined yet (its gaps, the usual material of UPR recommendations and
bilateral demarches), who joined an instrument and how fast, and which reservations a state
made; the matrix itself is in ``matrix``. A signature alone is not participation, so a
signed-only instrument is a gap. Every answer carries the Dataset id of each fact, so pages and
the API can name the source; the ``*_report`` and ``*_page`` functions shape the answers for
the JSON API and the pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import cached
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.periods import iso_date
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.states import State, get_state, list_groupings
from rightsdesk.negotiation.treaties import actions as acts
from rightsdesk.negotiation.treaties.instruments import (
    BODIES,
    OPEN_TO_ORGANISATIONS,
    instrument_ref,
)
from rightsdesk.negotiation.treaties.layers import LAYER_NAMES
from rightsdesk.negotiation.treaties.matrix import (
    PARTY_STATUSES,
    STATUS_LETTER,
    Cell,
    cell_of,
    list_instruments,
    matrix_data,
    party_counts,
    ratifications,
    signatory_counts,
)
from rightsdesk.negotiation.treaties.models import Instrument, Ratification, Reservation
from rightsdesk.reports.charts import script_json
from rightsdesk.reports.maps import world_map_spec


@dataclass(frozen=True)
class Gap:
    """An instrument a state is not party to; ``signed`` says it signed without ratifying."""

    instrument: str
    name: str
    signed: bool
    signature_date: date | None
    denounced: date | None = None

    @property
    def note(self) -> str:
        if self.denounced is not None:
            return f"denounced (effective {self.denounced.isoformat()}); no longer a party"
        if self.signed:
            signed = iso_date(self.signature_date)
            return f"signed {signed}, not ratified (signature is not consent)"
        return "neither signed nor ratified"

    def to_dict(self) -> dict[str, Any]:
        return {
            "instrument": self.instrument,
            "name": self.name,
            "signed": self.signed,
            "signature_date": iso_date(self.signature_date),
            "denounced": iso_date(self.denounced),
            "note": self.note,
        }


@dataclass
class StateTreaties:
    """Everything the state page and ``treaties gaps`` show about one state."""

    iso3: str
    name: str
    cells: list[Cell]
    gaps: list[Gap]
    reservations: list[Reservation] = field(default_factory=list)

    @property
    def dataset_ids(self) -> list[int]:
        ids = {c.dataset_id for c in self.cells if c.dataset_id is not None}
        ids |= {r.dataset_id for r in self.reservations if r.dataset_id is not None}
        return sorted(ids)


def get_instrument(session: Session, query: str) -> Instrument:
    """An instrument by short name, UNTC id or MTDSG number; NotFoundError lists the choices."""
    ref = instrument_ref(query)
    found = session.get(Instrument, ref.short)
    if found is None:
        raise NotFoundError(f"instrument {ref.short} is not in the store; run `rightsdesk init`")
    return found


def state_treaties(session: Session, query: str) -> StateTreaties:
    """A state's standing towards all 18 instruments, its gaps and its reservations."""
    state = get_state(session, query)
    instruments = list_instruments(session)
    rows = {r.instrument_short: r for r in ratifications(session, [state.iso3])}
    cells = [cell_of(state.iso3, i.short, rows.get(i.short)) for i in instruments]
    open_to = {i.short for i in instruments}
    if state.status == "organisation":
        open_to = set(OPEN_TO_ORGANISATIONS)
    gaps = [
        Gap(
            i.short,
            i.name,
            cell.status == "signed" or (cell.status == "denounced" and bool(cell.signature_date)),
            cell.signature_date,
            cell.denunciation_effective if cell.status == "denounced" else None,
        )
        for i, cell in zip(instruments, cells, strict=True)
        if not cell.is_party and i.short in open_to
    ]
    return StateTreaties(
        state.iso3, state.name, cells, gaps, list_reservations(session, state.iso3)
    )


def state_gaps(session: Session, query: str) -> list[Gap]:
    """The instruments a state is not party to (signed-only ones included, flagged as signed)."""
    return state_treaties(session, query).gaps


def list_reservations(
    session: Session, iso3: str | None = None, instrument: str | None = None
) -> list[Reservation]:
    """Reservations and declarations, filtered by state (ISO3) and/or instrument short name."""
    stmt = select(Reservation).join(Instrument)
    if iso3 is not None:
        stmt = stmt.where(Reservation.iso3 == iso3)
    if instrument is not None:
        stmt = stmt.where(Reservation.instrument_short == get_instrument(session, instrument).short)
    stmt = stmt.order_by(Reservation.iso3, Instrument.position, Reservation.ordinal)
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Party:
    """A state party to an instrument, with its dates."""

    iso3: str
    name: str
    status: str
    consent_type: str | None
    signature_date: date | None
    consent_date: date | None
    dataset_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "iso3": self.iso3,
            "state": self.name,
            "status": self.status,
            "consent_type": self.consent_type,
            "signature_date": iso_date(self.signature_date),
            "consent_date": iso_date(self.consent_date),
            "dataset_id": self.dataset_id,
        }


def instrument_parties(
    session: Session, short: str, include_signatories: bool = False
) -> list[Party]:
    """States parties (and, if asked, signatories) to an instrument, by date of consent."""
    inst = get_instrument(session, short)
    wanted = set(PARTY_STATUSES) | ({"signed"} if include_signatories else set())
    stmt = (
        select(Ratification, State)
        .join(State, State.iso3 == Ratification.iso3)
        .where(Ratification.instrument_short == inst.short, Ratification.status.in_(wanted))
    )
    parties = [
        Party(
            r.iso3,
            s.name,
            r.status,
            r.consent_type,
            r.signature_date,
            r.consent_date,
            r.dataset_id,
        )
        for r, s in session.execute(stmt)
    ]
    return sorted(parties, key=lambda p: (p.consent_date or date.max, p.name))


def parties_over_time(session: Session, short: str) -> pd.DataFrame:
    """Columns year, new, cumulative: states becoming party each year since adoption.

    Former states are counted in the year they joined (the curve is the history of consents,
    not today's list), so the last cumulative figure can exceed ``party_counts`` by them.
    """
    inst = get_instrument(session, short)
    years = [p.consent_date.year for p in instrument_parties(session, inst.short) if p.consent_date]
    if not years:
        return pd.DataFrame({"year": [], "new": [], "cumulative": []}, dtype="int64")
    start = min(inst.adopted.year, min(years))
    span = range(start, max(years) + 1)
    new = pd.Series(years).value_counts().reindex(span, fill_value=0).sort_index()
    return pd.DataFrame(
        {"year": list(span), "new": new.to_list(), "cumulative": new.cumsum().to_list()}
    )


def datasets_by_id(session: Session, ids: Iterable[int | None]) -> list[Dataset]:
    """The Dataset records behind a set of facts, for "source" footers."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return []
    return list(session.scalars(select(Dataset).where(Dataset.id.in_(wanted)).order_by(Dataset.id)))


# --- shapes of the JSON API and the pages ------------------------------------------------------


def instrument_facts(inst: Instrument, parties: int, signed: int) -> dict[str, Any]:
    """An instrument's catalogue facts with its numbers of parties and of signatories only."""
    return {
        "short": inst.short,
        "name": inst.name,
        "kind": inst.kind,
        "parent": inst.parent_short,
        "mtdsg_no": inst.mtdsg_no,
        "body": inst.body,
        "body_name": BODIES.get(inst.body),
        "adopted": inst.adopted.isoformat(),
        "entry_into_force": iso_date(inst.entry_into_force),
        "parties": parties,
        "signed_only": signed,
    }


def instrument_list(session: Session) -> list[dict[str, Any]]:
    """The 18 instruments with their numbers of parties and signatories (``/api/v1/treaties``)."""
    counts, signed = party_counts(session), signatory_counts(session)
    return [
        instrument_facts(i, counts[i.short], signed[i.short]) for i in list_instruments(session)
    ]


def over_time_rows(frame: pd.DataFrame) -> list[dict[str, int]]:
    """``parties_over_time`` as plain ints (numpy's do not serialise to JSON)."""
    return [{str(k): int(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def instrument_report(session: Session, short: str) -> dict[str, Any]:
    """One instrument: its facts, parties (with dates), signatories and parties per year."""
    inst = get_instrument(session, short)
    entries = instrument_parties(session, inst.short, include_signatories=True)
    out = instrument_facts(
        inst, party_counts(session)[inst.short], signatory_counts(session)[inst.short]
    )
    out["parties_list"] = [p.to_dict() for p in entries if p.status in PARTY_STATUSES]
    out["signatories"] = [p.to_dict() for p in entries if p.status == "signed"]
    out["over_time"] = over_time_rows(parties_over_time(session, inst.short))
    return out


def state_report(session: Session, code: str) -> dict[str, Any]:
    """A state's standing towards the 18 instruments, its gaps and reservations, with sources."""
    info = state_treaties(session, get_state(session, code).iso3)
    return {
        "iso3": info.iso3,
        "state": info.name,
        "treaties": [c.to_dict() for c in info.cells],
        "gaps": [g.to_dict() for g in info.gaps],
        "reservations": [
            {
                "instrument": r.instrument_short,
                "ordinal": r.ordinal,
                "refers_to": r.refers_to,
                "text": r.text,
                "dataset_id": r.dataset_id,
            }
            for r in info.reservations
        ],
        "dataset_ids": info.dataset_ids,
        "status": acts.state_status(session, info.iso3),
        "accepts_individual_complaints": acts.accepted_complaints(session, info.iso3),
        "complaint_gaps": acts.complaint_gaps(session, info.iso3),
    }


#: The title of the map above the matrix.
MAP_TITLE = "Core instruments each state is party to (of 18)"


def _matrix_view(session: Session, group: str | None, layer: str) -> dict[str, Any]:
    """The heavy, plain part of ``/treaties``: the matrix and its map (as the page embeds
    it, JSON), where each state is coloured by its number of instruments; a group's map is
    fitted to its members."""
    payload = matrix_data(session, group, layer)
    totals = {
        str(row["iso3"]): sum(1 for cell in row["cells"].values() if cell["party"])
        for row in payload["states"]
    }
    names = {str(row["iso3"]): str(row["state"]) for row in payload["states"]}
    zoom = list(totals) if group else None
    spec = (
        world_map_spec(totals, MAP_TITLE, names=names, legend="instruments", zoom_to=zoom)
        if totals
        else None
    )
    return {"matrix": payload, "map_json": script_json(spec)}


def matrix_page(
    session: Session, group: str | None = None, layer: str = "status"
) -> dict[str, Any]:
    """What ``/treaties`` shows: the matrix in a layer, its map, the group choices and the
    sources. The matrix and the map are kept per data version (``core.cache``) and warmed
    after each import: seconds of work, never a visitor's wait."""
    view = cached(
        session,
        "treaty-matrix-page",
        (group or "", layer),
        lambda: _matrix_view(session, group, layer),
        edits=False,  # imports change it, not edits (nor logins, which are audited too)
    )
    payload = view["matrix"]
    return {
        "layers": LAYER_NAMES,
        "matrix": payload,
        "map_json": view["map_json"],
        "instruments": list_instruments(session),
        "groupings": list_groupings(session),
        "letters": STATUS_LETTER,
        "datasets": datasets_by_id(session, payload["dataset_ids"]),
    }


def instrument_page(session: Session, short: str) -> dict[str, Any]:
    """What ``/treaties/SHORT`` shows: facts, parties, signatories, the curve, the sources."""
    inst = get_instrument(session, short)
    parties = instrument_parties(session, inst.short, include_signatories=True)
    return {
        "inst": inst,
        "body_name": BODIES.get(inst.body, inst.body),
        "parties": [p for p in parties if p.status in PARTY_STATUSES],
        "signatories": [p for p in parties if p.status == "signed"],
        "over_time": over_time_rows(parties_over_time(session, inst.short)),
        "party_count": party_counts(session)[inst.short],
        "datasets": datasets_by_id(session, [p.dataset_id for p in parties]),
    }


def state_panel(session: Session, iso3: str) -> dict[str, Any]:
    """The state page's treaty section: standing, gaps, reservations and their sources."""
    info = state_treaties(session, iso3)
    items = acts.reservation_items(session, info.iso3)
    return {
        "info": info,
        "complaints": acts.accepted_complaints(session, info.iso3),
        "status": {row["instrument"]: row for row in acts.state_status(session, info.iso3)},
        "competences": acts.competences(session, info.iso3),
        "reservation_items": items,
        "names": {i.short: i.name for i in list_instruments(session)},
        "has_data": session.scalars(select(Ratification.id).limit(1)).first() is not None,
        "datasets": datasets_by_id(session, info.dataset_ids),
    }
