"""A state's human-rights-related aid over time, and the same against its UN regional group.

The figures come from the OECD CRS aggregates (``sources/crs.py``), in USD million. Human
rights related means the four DAC purpose codes below; the whole of DAC category 151
(government and civil society, general) and all aid received are given for context.

Why the group comparison is computed per year from dated membership: a group's members change
(South Sudan joined the UN, and the African Group, in 2011), so the
median of "the group in 2013" must be taken over the states that were members in 2013, never
over today's members. The state's own group is also the one it belonged to that year. The
median and mean are taken over the members that were aid recipients in that year's file (a
donor member receives no aid and is not counted as receiving zero); a recipient member with
no human rights aid counts as zero.
"""

from __future__ import annotations

import datetime as dt
import statistics

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.codelists import code_label
from rightsdesk.capacity.models import CrsAid
from rightsdesk.capacity.sources.crs import KIND, UNIT, UNIT_NOTE
from rightsdesk.core.groups import UN_REGIONAL_GROUPS, members_at
from rightsdesk.core.labels import group_label
from rightsdesk.core.provenance import provenance_for
from rightsdesk.core.states import get_state
from rightsdesk.web.schemas import ApiModel

#: The human-rights-related DAC purpose codes, with their DAC names (used when the Sector
#: codelist is not loaded).
HR_SECTORS: dict[str, str] = {
    "15160": "Human rights",
    "15150": "Democratic participation and civil society",
    "15170": "Women's rights organisations and movements, and government institutions",
    "15180": "Ending violence against women and girls",
}
#: The DAC category of the four: government and civil society, general.
CATEGORY = "151"
CATEGORY_NAME = "Government and civil society, general (all of DAC category 151)"


def sector_name(session: Session, code: str) -> str:
    """The words of a DAC purpose code (IATI Sector codelist, else the built-in names)."""
    if code == CATEGORY:
        return CATEGORY_NAME
    return code_label(session, "Sector", code) or HR_SECTORS.get(code) or f"DAC sector {code}"


def year_day(year: int) -> dt.date:
    """The day a year's membership is read on: mid-year, so a state that joined in the
    course of the year counts for the year it spent most of as a member."""
    return dt.date(year, 7, 1)


class SectorAmount(ApiModel):
    code: str
    name: str
    amount: float = Field(description="USD million.")


class AidYear(ApiModel):
    """One year of a state's aid and its group's."""

    year: int
    recipient: bool = Field(description="Whether the state is in that year's CRS file.")
    sectors: list[SectorAmount]
    human_rights: float = Field(description="The four human-rights-related sectors, USD million.")
    category_151: float = Field(description="All of DAC category 151, USD million.")
    total: float = Field(description="All aid received in the file's sectors, USD million.")
    human_rights_share: float | None = Field(description="human_rights / total (0-1).")
    group: str | None = Field(description="The state's UN regional group that year.")
    group_name: str | None
    group_members: int = Field(description="Members of the group on 1 July of the year.")
    group_recipients: int = Field(description="Members in that year's CRS file.")
    group_median: float | None = Field(description="Median human rights aid per recipient.")
    group_mean: float | None = Field(description="Mean human rights aid per recipient.")


class StateAid(ApiModel):
    """A state's human-rights-related aid per year (OECD CRS), with its group's median."""

    iso3: str
    name: str
    unit: str = UNIT
    unit_note: str = UNIT_NOTE
    sectors: dict[str, str] = Field(description="The human-rights-related DAC codes, in words.")
    years: list[AidYear]
    provenance: dict[str, object]


def _group_of(session: Session, iso3: str, year: int) -> tuple[str | None, list[str]]:
    """The state's UN regional group in ``year`` and that group's members then."""
    day = year_day(year)
    for code in UN_REGIONAL_GROUPS:
        members = members_at(session, code, day)
        if iso3 in members:
            return code, members
    return None, []


def _is_151(code: str) -> bool:
    return code == CATEGORY or (len(code) == 5 and code.startswith(CATEGORY))


def state_aid(session: Session, query: str) -> StateAid:
    """A state's human-rights-related aid per CRS year and its regional group's median."""
    state = get_state(session, query)
    iso3 = state.iso3
    years = sorted(session.scalars(select(CrsAid.year).distinct()))
    cells = session.execute(
        select(CrsAid.year, CrsAid.sector_code, func.sum(CrsAid.amount_usd_m))
        .where(CrsAid.state_iso3 == iso3)
        .group_by(CrsAid.year, CrsAid.sector_code)
    ).all()
    by_year: dict[int, dict[str, float]] = {}
    for year, code, amount in cells:
        by_year.setdefault(int(year), {})[str(code)] = float(amount or 0.0)
    out: list[AidYear] = []
    for year in years:
        amounts = by_year.get(year, {})
        hr = {c: amounts[c] for c in HR_SECTORS if c in amounts}
        total = sum(amounts.values())
        group, members = _group_of(session, iso3, year)
        median, mean, recipients = _group_figures(session, year, members)
        out.append(
            AidYear(
                year=year,
                recipient=bool(amounts),
                sectors=[
                    SectorAmount(code=c, name=sector_name(session, c), amount=v)
                    for c, v in hr.items()
                ],
                human_rights=sum(hr.values()),
                category_151=sum(v for c, v in amounts.items() if _is_151(c)),
                total=total,
                human_rights_share=sum(hr.values()) / total if total > 0 else None,
                group=group,
                group_name=group_label(group) if group else None,
                group_members=len(members),
                group_recipients=recipients,
                group_median=median,
                group_mean=mean,
            )
        )
    prov = provenance_for(session, (KIND,), "OECD CRS aid")
    return StateAid(
        iso3=iso3,
        name=state.name,
        sectors={c: sector_name(session, c) for c in HR_SECTORS},
        years=out,
        provenance=prov.as_dict(),
    )


def _group_figures(
    session: Session, year: int, members: list[str]
) -> tuple[float | None, float | None, int]:
    """Median and mean human rights aid per member that received aid in ``year``, and how
    many members did."""
    if not members:
        return None, None, 0
    recipients = set(
        session.scalars(
            select(CrsAid.state_iso3)
            .distinct()
            .where(CrsAid.year == year, CrsAid.state_iso3.in_(members))
        )
    )
    if not recipients:
        return None, None, 0
    sums = dict(
        session.execute(
            select(CrsAid.state_iso3, func.sum(CrsAid.amount_usd_m))
            .where(
                CrsAid.year == year,
                CrsAid.state_iso3.in_(recipients),
                CrsAid.sector_code.in_(list(HR_SECTORS)),
            )
            .group_by(CrsAid.state_iso3)
        ).all()
    )
    values = [float(sums.get(m) or 0.0) for m in sorted(r for r in recipients if r)]
    return statistics.median(values), statistics.fmean(values), len(values)


def aid_rows(aid: StateAid) -> list[dict[str, object]]:
    """One row per year for tables, CSV and the CLI (sector columns by code)."""
    rows: list[dict[str, object]] = []
    for y in aid.years:
        amounts = {s.code: s.amount for s in y.sectors}
        row: dict[str, object] = {"year": y.year}
        row.update({c: amounts.get(c) for c in HR_SECTORS})
        row.update(
            {
                "human_rights": y.human_rights,
                "category_151": y.category_151,
                "total": y.total,
                "human_rights_share": y.human_rights_share,
                "group": y.group,
                "group_recipients": y.group_recipients,
                "group_median": y.group_median,
                "group_mean": y.group_mean,
            }
        )
        rows.append(row)
    return rows


class AidRecipient(ApiModel):
    """A recipient state's human rights related aid over the CRS years loaded."""

    iso3: str
    name: str
    human_rights: float = Field(description="USD million, all years loaded.")
    years: int = Field(description="Years in which the state is in the CRS files.")


def aid_recipients(session: Session) -> list[AidRecipient]:
    """Every state in the CRS files with its human rights related aid, most first."""
    from rightsdesk.core.labels import state_label

    hr = dict(
        session.execute(
            select(CrsAid.state_iso3, func.sum(CrsAid.amount_usd_m))
            .where(CrsAid.state_iso3.is_not(None), CrsAid.sector_code.in_(list(HR_SECTORS)))
            .group_by(CrsAid.state_iso3)
        ).all()
    )
    years = session.execute(
        select(CrsAid.state_iso3, func.count(func.distinct(CrsAid.year)))
        .where(CrsAid.state_iso3.is_not(None))
        .group_by(CrsAid.state_iso3)
    ).all()
    out = [
        AidRecipient(
            iso3=str(iso3), name=state_label(iso3), human_rights=float(hr.get(iso3) or 0.0), years=n
        )
        for iso3, n in years
    ]
    return sorted(out, key=lambda r: (-r.human_rights, r.name))


def aid_page(session: Session, query: str) -> dict[str, object]:
    """What the state aid page shows: the figures, their chart spec and the provenance."""
    from rightsdesk.core.provenance import Provenance
    from rightsdesk.reports.capacity_charts import state_aid_chart
    from rightsdesk.reports.charts import script_json

    aid = state_aid(session, query)
    return {
        "aid": aid,
        "spec_json": script_json(state_aid_chart(aid)),
        "provenance": Provenance.from_dict(aid.provenance),
    }
