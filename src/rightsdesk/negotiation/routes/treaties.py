"""Treaty pages and JSON API: the ratification matrix, instrument pages, the state-page panel.

Pages read without JavaScript (the group filter is a GET form, the chart has a table beside
it); the chart is a Vega-Lite spec made with Altair and drawn by the vendored vega-embed.
Every fact is shown with a link to the Dataset it came from.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.states import Grouping, get_state
from rightsdesk.negotiation import treaties as svc
from rightsdesk.negotiation.instruments import BODIES
from rightsdesk.negotiation.models.treaties import Instrument, Ratification
from rightsdesk.reports.maps import world_map_spec
from rightsdesk.web.deps import DbSession, Viewer, render
from rightsdesk.web.panels import Panel, register_state_panel

router = APIRouter()


def _instrument_dict(inst: Instrument, parties: int, signed: int) -> dict[str, Any]:
    return {
        "short": inst.short,
        "name": inst.name,
        "kind": inst.kind,
        "parent": inst.parent_short,
        "mtdsg_no": inst.mtdsg_no,
        "body": inst.body,
        "body_name": BODIES.get(inst.body),
        "adopted": inst.adopted.isoformat(),
        "entry_into_force": inst.entry_into_force.isoformat() if inst.entry_into_force else None,
        "parties": parties,
        "signed_only": signed,
    }


def _groupings(db: Session) -> list[Grouping]:
    return list(db.scalars(select(Grouping).order_by(Grouping.kind, Grouping.code)))


def parties_chart_spec(over_time: Any, short: str) -> dict[str, Any]:
    """Vega-Lite spec (via Altair) of the cumulative number of parties per year."""
    import altair as alt

    chart = (
        alt.Chart(over_time, title=f"States parties to the {short} over time")
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("year:Q", title="year", axis=alt.Axis(format="d")),
            y=alt.Y("cumulative:Q", title="states parties (cumulative)"),
            tooltip=["year:Q", "new:Q", "cumulative:Q"],
        )
        .properties(width="container", height=260)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _over_time_rows(frame: Any) -> list[dict[str, int]]:
    """Plain ints (numpy's do not serialise to JSON)."""
    return [{k: int(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def _script_json(data: object) -> str:
    """JSON safe to embed in a ``<script type="application/json">`` element."""
    return json.dumps(data, default=str).replace("</", "<\\/")


# --- pages -----------------------------------------------------------------------------------


@router.get("/treaties", include_in_schema=False)
def treaties_page(
    request: Request, db: DbSession, user: Viewer, group: str | None = None
) -> Response:
    payload = svc.matrix_payload(db, group or None)
    instruments = svc.list_instruments(db)
    counts = {
        str(row["iso3"]): sum(1 for cell in row["cells"].values() if cell["party"])
        for row in payload["states"]
    }
    names = {str(row["iso3"]): str(row["state"]) for row in payload["states"]}
    map_spec = (
        world_map_spec(
            counts,
            "Core instruments each state is party to (of 18)",
            names=names,
            legend="instruments",
        )
        if counts
        else None
    )
    return render(
        request,
        "negotiation/treaties.html",
        user,
        map_json=_script_json(map_spec) if map_spec else None,
        matrix=payload,
        instruments=instruments,
        groupings=_groupings(db),
        letters=svc.STATUS_LETTER,
        datasets=svc.datasets_by_id(db, payload["dataset_ids"]),
    )


@router.get("/treaties/{short}", include_in_schema=False)
def instrument_page(request: Request, db: DbSession, user: Viewer, short: str) -> Response:
    inst = svc.get_instrument(db, short)
    parties = svc.instrument_parties(db, inst.short, include_signatories=True)
    over_time = svc.parties_over_time(db, inst.short)
    spec = parties_chart_spec(over_time, inst.short) if not over_time.empty else None
    return render(
        request,
        "negotiation/treaties_instrument.html",
        user,
        inst=inst,
        body_name=BODIES.get(inst.body, inst.body),
        parties=[p for p in parties if p.status in svc.PARTY_STATUSES],
        signatories=[p for p in parties if p.status == "signed"],
        over_time=_over_time_rows(over_time),
        spec_json=_script_json(spec) if spec else None,
        party_count=svc.party_counts(db)[inst.short],
        datasets=svc.datasets_by_id(db, [p.dataset_id for p in parties if p.dataset_id]),
    )


@register_state_panel
def treaties_panel(session: Session, iso3: str) -> Panel | None:
    """The state page's treaty section: standing, gaps, reservations and their sources."""
    info = svc.state_treaties(session, iso3)
    names = {i.short: i.name for i in svc.list_instruments(session)}
    has_data = session.scalars(select(Ratification.id).limit(1)).first() is not None
    return Panel(
        title="Core human rights treaties",
        template="negotiation/_state_treaties.html",
        context={
            "info": info,
            "names": names,
            "has_data": has_data,
            "datasets": svc.datasets_by_id(session, info.dataset_ids),
        },
        order=20,
    )


# --- JSON API --------------------------------------------------------------------------------


@router.get("/api/v1/treaties", tags=["treaties"])
def api_instruments(db: DbSession, user: Viewer) -> list[dict[str, Any]]:
    """The 18 core instruments with their number of states parties and of signatories."""
    counts = svc.party_counts(db)
    signed = svc.signatory_counts(db)
    return [_instrument_dict(i, counts[i.short], signed[i.short]) for i in svc.list_instruments(db)]


@router.get("/api/v1/treaties/matrix", tags=["treaties"])
def api_matrix(db: DbSession, user: Viewer, group: str | None = None) -> dict[str, Any]:
    """State x instrument status with dates; ``group`` limits it to a grouping's members."""
    return svc.matrix_payload(db, group or None)


@router.get("/api/v1/treaties/{short}", tags=["treaties"])
def api_instrument(db: DbSession, user: Viewer, short: str) -> dict[str, Any]:
    """One instrument: its facts, parties (with dates), signatories and parties per year."""
    inst = svc.get_instrument(db, short)
    entries = svc.instrument_parties(db, inst.short, include_signatories=True)
    out = _instrument_dict(
        inst, svc.party_counts(db)[inst.short], svc.signatory_counts(db)[inst.short]
    )
    out["parties_list"] = [p.to_dict() for p in entries if p.status in svc.PARTY_STATUSES]
    out["signatories"] = [p.to_dict() for p in entries if p.status == "signed"]
    out["over_time"] = _over_time_rows(svc.parties_over_time(db, inst.short))
    return out


@router.get("/api/v1/states/{code}/treaties", tags=["treaties"])
def api_state_treaties(db: DbSession, user: Viewer, code: str) -> dict[str, Any]:
    """A state's standing towards the 18 instruments, its gaps and reservations, with sources."""
    state = get_state(db, code)
    info = svc.state_treaties(db, state.iso3)
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
    }
