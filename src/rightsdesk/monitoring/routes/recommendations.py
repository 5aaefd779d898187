"""Pages and JSON API of recommendations: search, one recommendation, clusters, exports,
implementation tracking, and the "Recommendations" panel of the state page.

Reading needs ``Viewer``; exports ``Analyst`` (the role that may take data away in bulk);
every change ``Editor``. Page forms carry the CSRF token (``CsrfChecked``); API writes must
come with a bearer token, so a browser session cookie alone can never change a record.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import NotFoundError, PermissionDenied
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.states import State, get_state
from rightsdesk.monitoring import tracking
from rightsdesk.monitoring.exports import export_rows, to_csv, to_xlsx
from rightsdesk.monitoring.models import (
    ACTION_CATEGORIES,
    IMPLEMENTATION_STATUSES,
    Cluster,
    ClusterMember,
    ImplementationRecord,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Theme,
)
from rightsdesk.monitoring.models import (
    Response as RecResponse,
)
from rightsdesk.monitoring.search import FACETS, Order, SearchResult, search_recommendations
from rightsdesk.web.deps import Analyst, CsrfChecked, DbSession, Editor, Viewer, render
from rightsdesk.web.panels import Panel, register_state_panel

router = APIRouter()

# --- shared helpers -------------------------------------------------------------------------


def _facet_params(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {name: [v for v in params.getlist(name) if v.strip()] for name in FACETS}


def _order(value: str | None) -> Order:
    return "date" if value == "date" else "relevance"


def _search(request: Request, db: Session, per_page: int = 20) -> SearchResult:
    params = request.query_params
    page = params.get("page", "1")
    size = params.get("per_page", str(per_page))
    return search_recommendations(
        db,
        params.get("q", ""),
        {k: v for k, v in _facet_params(request).items() if v},
        _order(params.get("order")),
        int(page) if page.isdecimal() and int(page) > 0 else 1,
        min(200, int(size)) if size.isdecimal() and int(size) > 0 else per_page,
    )


def _url_builder(request: Request) -> Any:
    """``url(name=value, ...)``: the current search URL with some parameters changed."""
    base = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def url(
        path: str = "/recommendations", toggle: tuple[str, str] | None = None, **changes: Any
    ) -> str:
        items = [(k, v) for k, v in base if k not in changes]
        if toggle is not None:
            if toggle in items:
                items.remove(toggle)
            else:
                items.append(toggle)
        items += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
        return path + ("?" + urlencode(items) if items else "")

    return url


def _recommendation(db: Session, rec_id: int) -> Recommendation:
    rec = db.scalars(
        select(Recommendation)
        .where(Recommendation.id == rec_id)
        .options(
            selectinload(Recommendation.recommending_states),
            selectinload(Recommendation.responses),
            selectinload(Recommendation.themes).selectinload(RecommendationTheme.theme),
        )
    ).first()
    if rec is None:
        raise NotFoundError(f"no recommendation #{rec_id}")
    return rec


def _names(db: Session) -> dict[str, str]:
    return dict(db.execute(select(State.iso3, State.name)).all())


def recommendation_dict(db: Session, rec: Recommendation) -> dict[str, Any]:
    names = _names(db)
    cluster_id = db.scalar(
        select(ClusterMember.cluster_id).where(ClusterMember.recommendation_id == rec.id)
    )
    return {
        "id": rec.id,
        "mechanism": rec.mechanism,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "text": rec.text,
        "language": rec.language,
        "type": rec.type,
        "state": {"iso3": rec.state_iso3, "name": names.get(rec.state_iso3)},
        "recommending_states": [
            {"iso3": s.iso3, "name": names.get(s.iso3)} for s in rec.recommending_states
        ],
        "cycle": rec.cycle,
        "session": rec.session,
        "date": rec.date.isoformat() if rec.date else None,
        "responses": [{"response": r.response, "source": r.source} for r in rec.responses],
        "action_category": rec.action_category,
        "action_label": ACTION_CATEGORIES.get(rec.action_category or 0),
        "themes": [
            {
                "taxonomy": t.theme.taxonomy,
                "label": t.theme.label,
                "origin": t.origin,
                "confidence": t.confidence,
                "reviewed_by": t.reviewed_by,
            }
            for t in rec.themes
        ],
        "cluster_id": cluster_id,
        "dataset_id": rec.dataset_id,
    }


def _hit_dict(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "text": hit.text,
        "snippet_html": str(hit.snippet),
        "mechanism": hit.mechanism,
        "state_iso3": hit.state_iso3,
        "state_name": hit.state_name,
        "recommending_states": hit.recommending,
        "session": hit.session,
        "cycle": hit.cycle,
        "response": hit.response,
        "action_category": hit.action_category,
        "themes": hit.themes,
        "document_symbol": hit.document_symbol,
        "paragraph": hit.paragraph,
    }


def _safe_next(value: str, default: str) -> str:
    """Only same-site paths as redirect targets (no open redirect)."""
    return value if value.startswith("/") and not value.startswith("//") else default


# --- pages ----------------------------------------------------------------------------------


@router.get("/recommendations", include_in_schema=False)
def search_page(request: Request, db: DbSession, user: Viewer) -> Response:
    result = _search(request, db)
    template = (
        "monitoring/_results.html"
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "results"
        else "monitoring/recommendations.html"
    )
    return render(
        request,
        template,
        user,
        result=result,
        facet_names=FACETS,
        url=_url_builder(request),
        q=request.query_params.get("q", ""),
        can_export=user.role in ("analyst", "editor", "admin"),
    )


def _export_parts(request: Request) -> tuple[str, dict[str, list[str]], Order]:
    params = request.query_params
    facets = {k: v for k, v in _facet_params(request).items() if v}
    return params.get("q", ""), facets, _order(params.get("order"))


@router.get("/recommendations/export.csv", tags=["recommendations"])
def export_csv(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every recommendation matching the search (same parameters as the page) as CSV."""
    q, facets, order = _export_parts(request)
    body = to_csv(export_rows(db, q, facets, order))
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="recommendations.csv"'},
    )


@router.get("/recommendations/export.xlsx", tags=["recommendations"])
def export_xlsx(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every recommendation matching the search as an Excel workbook."""
    q, facets, order = _export_parts(request)
    body = to_xlsx(export_rows(db, q, facets, order))
    return Response(
        body,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="recommendations.xlsx"'},
    )


@router.get("/recommendations/clusters/{cluster_id}", include_in_schema=False)
def cluster_page(request: Request, db: DbSession, user: Viewer, cluster_id: int) -> Response:
    cluster = db.get(Cluster, cluster_id)
    if cluster is None:
        raise NotFoundError(f"no cluster #{cluster_id}")
    members = list(
        db.scalars(
            select(Recommendation)
            .join(ClusterMember, ClusterMember.recommendation_id == Recommendation.id)
            .where(ClusterMember.cluster_id == cluster_id)
            .options(selectinload(Recommendation.responses))
            .order_by(Recommendation.session, Recommendation.state_iso3)
        )
    )
    records = list(
        db.scalars(
            select(ImplementationRecord)
            .where(ImplementationRecord.cluster_id == cluster_id)
            .options(
                selectinload(ImplementationRecord.actions),
                selectinload(ImplementationRecord.indicators),
                selectinload(ImplementationRecord.reports),
            )
        )
    )
    return render(
        request,
        "monitoring/cluster.html",
        user,
        cluster=cluster,
        members=members,
        records=records,
        names=_names(db),
        statuses=IMPLEMENTATION_STATUSES,
        today=dt.date.today(),
        states=sorted({m.state_iso3 for m in members}),
    )


@router.get("/recommendations/{rec_id}", include_in_schema=False)
def recommendation_page(request: Request, db: DbSession, user: Viewer, rec_id: int) -> Response:
    rec = _recommendation(db, rec_id)
    data = recommendation_dict(db, rec)
    record = tracking.record_for(db, recommendation_id=rec.id)
    dataset = db.get(Dataset, rec.dataset_id) if rec.dataset_id else None
    return render(
        request,
        "monitoring/recommendation.html",
        user,
        rec=data,
        record=record,
        dataset=dataset,
        statuses=IMPLEMENTATION_STATUSES,
        today=dt.date.today(),
        can_edit=user.role in ("editor", "admin"),
    )


@router.post("/recommendations/{rec_id}/implementation", include_in_schema=False)
def post_status(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    rec_id: int,
    status: Annotated[str, Form()],
    responsible_institutions: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    tracking.set_status(
        db,
        user.name,
        status,
        recommendation_id=rec_id,
        responsible_institutions=responsible_institutions,
        notes=notes,
    )
    db.commit()
    return RedirectResponse(f"/recommendations/{rec_id}#implementation", status_code=303)


@router.post("/recommendations/clusters/{cluster_id}/implementation", include_in_schema=False)
def post_cluster_status(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    cluster_id: int,
    status: Annotated[str, Form()],
    state_iso3: Annotated[str, Form()],
    responsible_institutions: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    iso3 = get_state(db, state_iso3).iso3
    tracking.set_status(
        db,
        user.name,
        status,
        cluster_id=cluster_id,
        state_iso3=iso3,
        responsible_institutions=responsible_institutions,
        notes=notes,
    )
    db.commit()
    return RedirectResponse(f"/recommendations/clusters/{cluster_id}", status_code=303)


def _back(record: ImplementationRecord, next_url: str) -> RedirectResponse:
    default = (
        f"/recommendations/{record.recommendation_id}#implementation"
        if record.recommendation_id
        else f"/recommendations/clusters/{record.cluster_id}"
    )
    return RedirectResponse(_safe_next(next_url, default), status_code=303)


@router.post("/implementation/records/{record_id}/actions", include_in_schema=False)
def post_action(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    record_id: int,
    description: Annotated[str, Form()],
    due_date: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    action = tracking.add_action(db, user.name, record_id, description, due_date or None)
    db.commit()
    return _back(action.record, next)


@router.post("/implementation/actions/{action_id}/done", include_in_schema=False)
def post_action_done(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    action_id: int,
    done: Annotated[str, Form()] = "1",
    next: Annotated[str, Form()] = "",
) -> Response:
    action = tracking.update_action(db, user.name, action_id, done=done == "1")
    db.commit()
    return _back(action.record, next)


@router.post("/implementation/records/{record_id}/indicators", include_in_schema=False)
def post_indicator(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    record_id: int,
    name: Annotated[str, Form()],
    target: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    ind = tracking.add_indicator(db, user.name, record_id, name, target, value)
    db.commit()
    return _back(ind.record, next)


@router.post("/implementation/indicators/{indicator_id}/value", include_in_schema=False)
def post_indicator_value(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    indicator_id: int,
    value: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    ind = tracking.update_indicator(db, user.name, indicator_id, value=value)
    db.commit()
    return _back(ind.record, next)


@router.post("/implementation/records/{record_id}/reports", include_in_schema=False)
def post_report(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    record_id: int,
    text: Annotated[str, Form()],
    date: Annotated[str, Form()] = "",
    evidence_links: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    report = tracking.add_report(db, user.name, record_id, text, date or None, evidence_links)
    db.commit()
    return _back(report.record, next)


@router.get("/implementation/{code}", include_in_schema=False)
def implementation_page(request: Request, db: DbSession, user: Viewer, code: str) -> Response:
    state = get_state(db, code)
    board = tracking.dashboard(db, state.iso3)
    labels = _record_labels(db, board.records)
    return render(
        request,
        "monitoring/implementation.html",
        user,
        state=state,
        board=board,
        labels=labels,
        today=dt.date.today(),
    )


def _record_labels(db: Session, records: list[ImplementationRecord]) -> dict[int, str]:
    """A short text per record: the recommendation's or the cluster's beginning."""
    rec_ids = [r.recommendation_id for r in records if r.recommendation_id]
    cl_ids = [r.cluster_id for r in records if r.cluster_id]
    texts = (
        dict(
            db.execute(
                select(Recommendation.id, Recommendation.text).where(Recommendation.id.in_(rec_ids))
            ).all()
        )
        if rec_ids
        else {}
    )
    labels = (
        dict(db.execute(select(Cluster.id, Cluster.label).where(Cluster.id.in_(cl_ids))).all())
        if cl_ids
        else {}
    )
    out = {}
    for r in records:
        raw = texts.get(r.recommendation_id or 0) or labels.get(r.cluster_id or 0) or ""
        out[r.id] = raw if len(raw) <= 140 else raw[:137] + "…"
    return out


# --- state page panel -------------------------------------------------------------------------


def _chart(rows: list[dict[str, Any]]) -> str:
    import altair as alt

    chart = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X("session:O", title="UPR session"),
            y=alt.Y("count:Q", title="Recommendations"),
            color=alt.Color("response:N", title="Response"),
            tooltip=["session:O", "response:N", "count:Q"],
        )
        .properties(height=220, width="container")
    )
    return str(chart.to_json(indent=None))


@register_state_panel
def recommendations_panel(db: Session, iso3: str) -> Panel | None:
    """Recommendations received (by session and response, top themes) and made."""
    received = db.scalar(select(func.count()).where(Recommendation.state_iso3 == iso3)) or 0
    made = (
        db.scalar(
            select(func.count(func.distinct(RecommendingState.recommendation_id))).where(
                RecommendingState.iso3 == iso3
            )
        )
        or 0
    )
    if not received and not made:
        return None
    by_session = db.execute(
        select(Recommendation.cycle, Recommendation.session, RecResponse.response, func.count())
        .outerjoin(RecResponse, RecResponse.recommendation_id == Recommendation.id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Recommendation.cycle, Recommendation.session, RecResponse.response)
        .order_by(Recommendation.session)
    ).all()
    rows = [
        {"cycle": c, "session": s, "response": r or "none", "count": int(n)}
        for c, s, r, n in by_session
    ]
    themes = db.execute(
        select(Theme.label, func.count(func.distinct(RecommendationTheme.recommendation_id)))
        .join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .join(Recommendation, Recommendation.id == RecommendationTheme.recommendation_id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Theme.label)
        .order_by(func.count(func.distinct(RecommendationTheme.recommendation_id)).desc())
        .limit(12)
    ).all()
    responses = db.execute(
        select(RecResponse.response, func.count())
        .join(Recommendation, Recommendation.id == RecResponse.recommendation_id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(RecResponse.response)
    ).all()
    made_to = db.execute(
        select(Recommendation.state_iso3, func.count())
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(RecommendingState.iso3 == iso3)
        .group_by(Recommendation.state_iso3)
        .order_by(func.count().desc())
        .limit(12)
    ).all()
    names = _names(db)
    return Panel(
        title="Recommendations",
        template="monitoring/_state_panel.html",
        order=40,
        context={
            "iso3": iso3,
            "received": received,
            "made": made,
            "by_session": rows,
            "themes": list(themes),
            "responses": list(responses),
            "made_to": [(i, names.get(i, i), n) for i, n in made_to],
            "spec_json": _chart(rows) if rows else None,
        },
    )


# --- JSON API -------------------------------------------------------------------------------


@router.get("/api/v1/recommendations", tags=["recommendations"])
def api_search(request: Request, db: DbSession, user: Viewer) -> dict[str, Any]:
    """Full-text search with facets. Parameters: q (words, "phrases", OR, NOT, -term),
    order (relevance|date), page, per_page (max 200), and any of the filters state,
    from_state, group, from_group, session, cycle, response, theme, action, mechanism
    (repeat a parameter for several values)."""
    result = _search(request, db)
    return {
        "query": result.query,
        "filters": result.facets_applied,
        "order": result.order,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "hits": [_hit_dict(h) for h in result.hits],
        "facets": {
            name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
    }


@router.get("/api/v1/recommendations/{rec_id}", tags=["recommendations"])
def api_recommendation(db: DbSession, user: Viewer, rec_id: int) -> dict[str, Any]:
    """One recommendation with its states, responses, themes, cluster and implementation."""
    rec = _recommendation(db, rec_id)
    out = recommendation_dict(db, rec)
    record = tracking.record_for(db, recommendation_id=rec.id)
    out["implementation"] = tracking.record_dict(record) if record else None
    return out


def bearer_only(request: Request) -> None:
    """API writes need a bearer token: a browser cookie alone must not change records."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise PermissionDenied("API changes need an API token (Authorization: Bearer TOKEN)")


BearerOnly = Annotated[None, Depends(bearer_only)]


class StatusIn(BaseModel):
    status: str = Field(description=", ".join(IMPLEMENTATION_STATUSES))
    responsible_institutions: str | None = None
    notes: str | None = None


class ClusterStatusIn(StatusIn):
    state_iso3: str


class ActionIn(BaseModel):
    description: str
    due_date: dt.date | None = None


class ActionUpdate(BaseModel):
    done: bool | None = None
    description: str | None = None
    due_date: dt.date | None = None


class IndicatorIn(BaseModel):
    name: str
    target: str | None = None
    value: str | None = None


class IndicatorUpdate(BaseModel):
    target: str | None = None
    value: str | None = None


class ReportIn(BaseModel):
    text: str
    date: dt.date | None = None
    evidence_links: list[str] = Field(default_factory=list)


def _record_out(db: Session, record_id: int) -> dict[str, Any]:
    db.commit()
    record = tracking.get_record(db, record_id)
    db.refresh(record)
    return tracking.record_dict(record)


@router.get("/api/v1/implementation/records/{record_id}", tags=["implementation"])
def api_record(db: DbSession, user: Viewer, record_id: int) -> dict[str, Any]:
    """One implementation record with its actions, indicators and progress reports."""
    return tracking.record_dict(tracking.get_record(db, record_id))


@router.put("/api/v1/implementation/recommendations/{rec_id}", tags=["implementation"])
def api_set_status(
    db: DbSession, user: Editor, _b: BearerOnly, rec_id: int, body: StatusIn
) -> dict[str, Any]:
    """Create or update the implementation record of a recommendation."""
    record = tracking.set_status(
        db,
        user.name,
        body.status,
        recommendation_id=rec_id,
        responsible_institutions=body.responsible_institutions,
        notes=body.notes,
    )
    return _record_out(db, record.id)


@router.put("/api/v1/implementation/clusters/{cluster_id}", tags=["implementation"])
def api_set_cluster_status(
    db: DbSession, user: Editor, _b: BearerOnly, cluster_id: int, body: ClusterStatusIn
) -> dict[str, Any]:
    """Create or update a state's implementation record of a cluster of recommendations."""
    record = tracking.set_status(
        db,
        user.name,
        body.status,
        cluster_id=cluster_id,
        state_iso3=get_state(db, body.state_iso3).iso3,
        responsible_institutions=body.responsible_institutions,
        notes=body.notes,
    )
    return _record_out(db, record.id)


@router.post("/api/v1/implementation/records/{record_id}/actions", tags=["implementation"])
def api_add_action(
    db: DbSession, user: Editor, _b: BearerOnly, record_id: int, body: ActionIn
) -> dict[str, Any]:
    tracking.add_action(db, user.name, record_id, body.description, body.due_date)
    return _record_out(db, record_id)


@router.put("/api/v1/implementation/actions/{action_id}", tags=["implementation"])
def api_update_action(
    db: DbSession, user: Editor, _b: BearerOnly, action_id: int, body: ActionUpdate
) -> dict[str, Any]:
    action = tracking.update_action(
        db,
        user.name,
        action_id,
        done=body.done,
        description=body.description,
        due_date=body.due_date,
    )
    return _record_out(db, action.record_id)


@router.post("/api/v1/implementation/records/{record_id}/indicators", tags=["implementation"])
def api_add_indicator(
    db: DbSession, user: Editor, _b: BearerOnly, record_id: int, body: IndicatorIn
) -> dict[str, Any]:
    tracking.add_indicator(db, user.name, record_id, body.name, body.target, body.value)
    return _record_out(db, record_id)


@router.put("/api/v1/implementation/indicators/{indicator_id}", tags=["implementation"])
def api_update_indicator(
    db: DbSession, user: Editor, _b: BearerOnly, indicator_id: int, body: IndicatorUpdate
) -> dict[str, Any]:
    ind = tracking.update_indicator(
        db, user.name, indicator_id, value=body.value, target=body.target
    )
    return _record_out(db, ind.record_id)


@router.post("/api/v1/implementation/records/{record_id}/reports", tags=["implementation"])
def api_add_report(
    db: DbSession, user: Editor, _b: BearerOnly, record_id: int, body: ReportIn
) -> dict[str, Any]:
    tracking.add_report(
        db, user.name, record_id, body.text, body.date, "\n".join(body.evidence_links)
    )
    return _record_out(db, record_id)


@router.get("/api/v1/implementation/{code}", tags=["implementation"])
def api_dashboard(db: DbSession, user: Viewer, code: str) -> dict[str, Any]:
    """A state's implementation dashboard: status counts, untracked, overdue, timeline."""
    state = get_state(db, code)
    board = tracking.dashboard(db, state.iso3)
    return {
        "state": {"iso3": state.iso3, "name": state.name},
        "received": board.received,
        "status_counts": board.status_counts,
        "untracked": board.untracked,
        "overdue": [
            {
                "id": a.id,
                "record_id": a.record_id,
                "description": a.description,
                "due_date": a.due_date.isoformat() if a.due_date else None,
            }
            for a in board.overdue
        ],
        "records": [tracking.record_dict(r) for r in board.records],
        "timeline": [
            {
                "date": e.date.isoformat(),
                "kind": e.kind,
                "text": e.text,
                "record_id": e.record_id,
                "overdue": e.overdue,
            }
            for e in board.timeline
        ],
    }
