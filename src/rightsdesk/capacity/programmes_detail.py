"""Everything stored about one programme, with codes in words and money as the source gave it
(``programme_detail``), for the programme page and ``/api/v1/capacity/programmes/{id}``.

The links to recommendations are the links room's (``capacity.links.links_for_programme``);
they are read through it so that a link shows the same here as on the review pages.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.capacity.codelists import code_label
from rightsdesk.capacity.models import PARTICIPANT_ROLES, Programme
from rightsdesk.capacity.money import RateBook
from rightsdesk.capacity.programmes_schemas import (
    ActivityOut,
    BudgetOut,
    DatasetRef,
    DocumentOut,
    IndicatorOut,
    ParticipantOut,
    ProgrammeDetail,
    RecipientOut,
    SectorOut,
    TransactionOut,
    YearTotal,
)
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.labels import state_label
from rightsdesk.core.provenance import Dataset

#: IATI TransactionType names (2.0x codes; 1.0x letters are mapped to these on import).
TRANSACTION_TYPES: dict[str, str] = {
    "1": "Incoming funds",
    "2": "Outgoing commitment",
    "3": "Disbursement",
    "4": "Expenditure",
    "5": "Interest payment",
    "6": "Loan repayment",
    "7": "Reimbursement",
    "8": "Purchase of equity",
    "9": "Sale of equity",
    "10": "Credit guarantee",
    "11": "Incoming commitment",
    "12": "Outgoing pledge",
    "13": "Incoming pledge",
}
BUDGET_STATUSES = {"1": "indicative", "2": "committed"}
#: IATI IndicatorMeasure names.
MEASURES = {"1": "unit", "2": "percentage", "3": "nominal", "4": "ordinal", "5": "qualitative"}
SECTOR_VOCABULARIES = {"1": "DAC 5-digit", "2": "DAC 3-digit"}


def _sector_name(session: Session, vocabulary: str, code: str | None, name: str | None) -> str:
    if code and vocabulary in ("1", "2"):
        words = code_label(session, "Sector", code)
        if words:
            return words
    return name or (f"sector {code}" if code else "unnamed sector")


#: IATI Region codes (the OECD DAC's recipient region codes, as in the CRS files) in words,
#: for stores without the Region codelist.
REGIONS: dict[str, str] = {
    "89": "Europe, regional",
    "189": "North of Sahara, regional",
    "289": "South of Sahara, regional",
    "298": "Africa, regional",
    "380": "West Indies, regional",
    "389": "North and Central America, regional",
    "489": "South America, regional",
    "498": "America, regional",
    "589": "Middle East, regional",
    "619": "Central Asia, regional",
    "679": "South Asia, regional",
    "689": "South and Central Asia, regional",
    "789": "Far East Asia, regional",
    "798": "Asia, regional",
    "889": "Oceania, regional",
    "998": "Developing countries, unspecified",
    "1027": "Eastern Africa, regional",
    "1028": "Middle Africa, regional",
    "1029": "Southern Africa, regional",
    "1030": "Western Africa, regional",
    "1031": "Caribbean, regional",
    "1032": "Central America, regional",
    "1033": "Melanesia, regional",
    "1034": "Micronesia, regional",
    "1035": "Polynesia, regional",
}


def region_label(session: Session, code: str | None, name: str | None = None) -> str:
    """A recipient region in words: the source's name, the Region codelist, the DAC names."""
    if name:
        return name
    if not code:
        return "a region"
    return code_label(session, "Region", code) or REGIONS.get(code) or "a region (not named)"


def _links(session: Session, programme_id: int) -> list[dict[str, Any]]:
    """The links room's view of the programme's links, as plain dicts."""
    from rightsdesk.capacity.links import links_for_programme

    return [dataclasses.asdict(v) for v in links_for_programme(session, programme_id)]


def programme_detail(session: Session, programme_id: int) -> ProgrammeDetail:
    """One programme and all its parts; NotFoundError when there is none with that id."""
    p = session.get(Programme, programme_id)
    if p is None:
        raise NotFoundError(f"no programme #{programme_id}")
    rates = RateBook(session)
    budgets = [
        BudgetOut(
            kind=b.kind,
            status=BUDGET_STATUSES.get(b.status or "", b.status),
            year=b.period_start.year if b.period_start else None,
            period_start=b.period_start,
            period_end=b.period_end,
            amount=rates.show(b.value, b.currency or p.default_currency, b.value_date),
        )
        for b in sorted(p.budgets, key=lambda b: (b.period_start is None, b.period_start, b.id))
    ]
    transactions = [
        TransactionOut(
            type_code=t.type_code,
            type_label=TRANSACTION_TYPES.get(t.type_code, f"transaction type {t.type_code}"),
            date=t.date,
            year=t.date.year if t.date else None,
            amount=rates.show(t.value, t.currency or p.default_currency, t.value_date or t.date),
            provider=t.provider,
            receiver=t.receiver,
            description=t.description,
        )
        for t in sorted(p.transactions, key=lambda t: (t.date is None, t.date, t.id))
    ]
    sums: dict[tuple[int | None, str, str | None], float] = defaultdict(float)
    for b in budgets:
        sums[(b.year, f"budget ({b.kind})", b.amount.currency)] += b.amount.value
    for t in transactions:
        sums[(t.year, t.type_label, t.amount.currency)] += t.amount.value
    totals = [
        YearTotal(year=y, what=w, currency=c, total=v)
        for (y, w, c), v in sorted(sums.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1]))
    ]
    dataset = session.get(Dataset, p.dataset_id) if p.dataset_id else None
    return ProgrammeDetail(
        id=p.id,
        iati_identifier=p.natural_key,
        title=p.title,
        description=p.description,
        reporting_org=p.reporting_org_name,
        reporting_org_ref=p.reporting_org_ref,
        reporting_org_type=code_label(session, "OrganisationType", p.reporting_org_type)
        or p.reporting_org_type,
        status_code=p.status_code,
        status=code_label(session, "ActivityStatus", p.status_code) or p.status_code,
        planned_start=p.planned_start,
        actual_start=p.actual_start,
        planned_end=p.planned_end,
        actual_end=p.actual_end,
        default_currency=p.default_currency,
        iati_version=p.iati_version,
        last_updated=p.last_updated,
        created_by=p.created_by,
        participants=[
            ParticipantOut(
                role=x.role,
                role_label=PARTICIPANT_ROLES.get(x.role, x.role),
                name=x.name,
                org_ref=x.org_ref,
                org_type=x.org_type,
                org_type_label=code_label(session, "OrganisationType", x.org_type),
            )
            for x in p.participants
        ],
        recipients=[
            RecipientOut(
                state_iso3=r.state_iso3,
                region_code=r.region_code,
                name=state_label(r.state_iso3)
                if r.state_iso3
                else region_label(session, r.region_code, r.name),
                percentage=r.percentage,
            )
            for r in p.recipients
        ],
        sectors=[
            SectorOut(
                vocabulary=SECTOR_VOCABULARIES.get(s.vocabulary, f"vocabulary {s.vocabulary}"),
                code=s.code,
                name=_sector_name(session, s.vocabulary, s.code, s.name),
                percentage=s.percentage,
            )
            for s in p.sectors
        ],
        budgets=budgets,
        transactions=transactions,
        totals=totals,
        indicators=[
            IndicatorOut(
                result_title=i.result_title,
                title=i.title,
                measure=MEASURES.get(i.measure or "", i.measure),
                baseline_year=i.baseline_year,
                baseline_value=i.baseline_value,
                target_year=i.target_year,
                target_value=i.target_value,
                actual_value=i.actual_value,
            )
            for i in p.indicators
        ],
        documents=[DocumentOut(url=d.url, title=d.title, format=d.format) for d in p.documents],
        activities=[
            ActivityOut(
                id=a.id,
                title=a.title,
                description=a.description,
                start_date=a.start_date,
                end_date=a.end_date,
                status=code_label(session, "ActivityStatus", a.status_code) or a.status_code,
            )
            for a in p.activities
        ],
        links=_links(session, p.id),
        dataset=DatasetRef(
            id=dataset.id,
            kind=dataset.kind,
            file=dataset.file_name,
            source=dataset.source,
            imported=f"{dataset.imported_at:%Y-%m-%d}",
        )
        if dataset
        else None,
    )
