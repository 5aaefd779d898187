"""The "Sanctions and rewards" panel of the state page: designations of the state's nationals
and entities by regime (human rights regimes first), the designations listed per year and
authority as a chart, and the trade incentives the state benefits from or could qualify for
(the GSP+ room's partial, ``sanctions/_gsp_state.html``, when that room is present).

"The state's nationals and entities" are the entities tied to it by any FtM country property
(nationality, citizenship, country of registration or operation, jurisdiction, flag): what
the lists say, not what a person may claim. The panel says so.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.sanctions.models import SanctionCountry, SanctionEntity
from rightsdesk.sanctions.queries import (
    NATIONAL_PROPS,
    state_designations_by_year,
    state_programs,
)
from rightsdesk.web.panels import Panel

GSP_TEMPLATE = "sanctions/_gsp_state.html"


def _tied(iso3: str) -> Any:
    """Entities tied to ``iso3`` as H1's queries count "nationals and entities": a person by
    nationality or citizenship, an organisation, vessel, ... also by country or jurisdiction."""
    return select(SanctionCountry.entity_pk).where(
        SanctionCountry.iso3 == iso3,
        or_(
            SanctionCountry.prop.in_(NATIONAL_PROPS),
            and_(
                SanctionCountry.prop == "country",
                SanctionCountry.entity_pk.in_(
                    select(SanctionEntity.id).where(SanctionEntity.schema != "Person")
                ),
            ),
        ),
    )


def regimes(session: Session, iso3: str) -> list[dict[str, Any]]:
    """Designations of the state's nationals and entities per programme and list (H1's
    ``state_programs``): in force and ended, human rights regimes first, then the most in
    force."""
    rows = [asdict(r) for r in state_programs(session, iso3)]
    rows.sort(key=lambda r: (not r["human_rights"], -r["active"], -r["ended"], r["program"]))
    return rows


def per_year_authority(
    session: Session, iso3: str, authorities: dict[str, str]
) -> tuple[list[dict[str, Any]], int]:
    """Designations listed per year and authority (the chart's rows), and how many carry no
    listing date (OFAC's legacy files give none), from H1's ``state_designations_by_year``."""
    counts: dict[tuple[int, str], int] = {}
    undated = 0
    for row in state_designations_by_year(session, iso3):
        if row.year is None:
            undated += row.listed
            continue
        if row.listed:
            slot = (row.year, authorities.get(row.list_key, row.list_key))
            counts[slot] = counts.get(slot, 0) + row.listed
    years = [{"year": y, "authority": a, "count": n} for (y, a), n in sorted(counts.items())]
    return years, undated


def _incentives(session: Session, iso3: str) -> Any:
    """The GSP+ room's summary of the state, or None until that room's partial exists."""
    from importlib import resources

    from rightsdesk.sanctions.gsp import state_incentives

    template = resources.files("rightsdesk.web") / "templates" / GSP_TEMPLATE
    if not template.is_file():
        return None
    return state_incentives(session, iso3)


def sanctions_panel(session: Session, iso3: str) -> Panel | None:
    """The sanctions section of a state's page, or None when no loaded list ties an entity
    to the state and the GSP+ room has nothing to say about it."""
    from rightsdesk.reports.charts import script_json
    from rightsdesk.reports.sanctions_charts import designations_per_year_chart

    code = iso3.upper()
    counts = session.execute(
        select(
            func.count(SanctionEntity.id),
            func.sum(case((SanctionEntity.active.is_(True), 1), else_=0)),
        ).where(SanctionEntity.id.in_(_tied(code)))
    ).one()
    entities, active = int(counts[0] or 0), int(counts[1] or 0)
    incentives = _incentives(session, code)
    if not entities and incentives is None:
        return None
    rows = regimes(session, code) if entities else []
    authorities = {r["list_key"]: r["authority"] for r in rows}
    years, undated = per_year_authority(session, code, authorities) if entities else ([], 0)
    spec = designations_per_year_chart(years, "Designations listed per year, by authority")
    context: dict[str, Any] = {
        "iso3": code,
        "entities": entities,
        "active": active,
        "regimes": rows,
        "years": years,
        "undated": undated,
        "spec_json": script_json(spec),
        "incentives": incentives,
        "gsp_template": GSP_TEMPLATE if incentives is not None else None,
    }
    return Panel(
        title="Sanctions and rewards",
        template="sanctions/panel_state.html",
        order=70,
        context=context,
    )
