"""Faceted search of recommendations: filters, facet counts, pages of highlighted hits.

The query language and its SQL per engine (FTS5 on SQLite, ``tsvector`` on PostgreSQL) are in
``query``; this module adds the filters (state, recommending state, regional groups, session,
cycle, response, theme, action category, mechanism) and counts every facet over all matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, literal, select, union_all
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.labels import group_label
from rightsdesk.core.states import GroupMembership, State, lookup_state
from rightsdesk.monitoring.recommendations.models import (
    ACTION_CATEGORIES,
    RELATIONS,
    TAXONOMIES,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)
from rightsdesk.monitoring.recommendations.query import (
    Order,
    highlight,
    match_condition,
    order_by,
    parse_query,
    snippets,
)
from rightsdesk.monitoring.recommendations.schemas import HitOut
from rightsdesk.monitoring.recommendations.sources.cleaning import (
    RESPONSE_LABELS,
    normalise_response,
)

__all__ = [
    "FACETS",
    "FILTERS",
    "TAXONOMY_FACETS",
    "FacetValue",
    "HitOut",
    "Order",
    "SearchResult",
    "parse_query",
    "search_ids",
    "search_recommendations",
    "state_names",
    "themes_by_taxonomy",
]

# the facet (and URL parameter) of each taxonomy of themes
TAXONOMY_FACETS: dict[str, str] = {
    "issue": "upr-info",
    "uhri": "uhri",
    "sdg": "sdg",
    "affected": "affected-persons",
}
# the facets counted and shown, in the order the page lists them
FACETS: dict[str, str] = {
    "state": "State under review",
    "from_state": "Recommending state",
    "group": "Regional group (under review)",
    "from_group": "Regional group (recommending)",
    "session": "Session",
    "cycle": "Cycle",
    "response": "Response",
    **{name: TAXONOMIES[taxonomy] for name, taxonomy in TAXONOMY_FACETS.items()},
    "action": "Action category",
    "mechanism": "Mechanism",
}
# every filter a search takes: the facets and ``theme`` (a label of any taxonomy)
FILTERS: dict[str, str] = {**FACETS, "theme": "Theme (any taxonomy)"}


def state_names(session: Session) -> dict[str, str]:
    """Every state's name by ISO3, for labels."""
    return dict(session.execute(select(State.iso3, State.name)).all())


# --- facets and filters --------------------------------------------------------------------


def _values(facets: Mapping[str, Any], name: str) -> list[str]:
    raw = facets.get(name)
    if raw is None or raw == "":
        return []
    items = [raw] if isinstance(raw, str | int) else list(raw)
    return [str(v).strip() for v in items if str(v).strip()]


def _ints(facets: Mapping[str, Any], name: str) -> list[int]:
    out = []
    for value in _values(facets, name):
        if not value.isdecimal():
            raise InputError(f"{FILTERS[name]} must be a number, not {value!r}", field=name)
        out.append(int(value))
    return out


def _states(facets: Mapping[str, Any], name: str) -> list[str]:
    out = []
    for value in _values(facets, name):
        iso3 = lookup_state(value)
        if iso3 is None:
            raise InputError(f"unknown state {value!r}", field=name)
        out.append(iso3)
    return out


def _filters(facets: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    unknown = set(facets) - set(FILTERS)
    if unknown:
        raise InputError(
            f"unknown filter {sorted(unknown)[0]!r}; filters: {', '.join(FILTERS)}",
            field=sorted(unknown)[0],
        )
    conds: list[ColumnElement[bool]] = []
    rec = Recommendation
    if states := _states(facets, "state"):
        conds.append(rec.state_iso3.in_(states))
    if states := _states(facets, "from_state"):
        sub = select(RecommendingState.recommendation_id).where(RecommendingState.iso3.in_(states))
        conds.append(rec.id.in_(sub))
    if groups := _values(facets, "group"):
        members = select(GroupMembership.iso3).where(
            GroupMembership.grouping_code.in_(groups), GroupMembership.end_year.is_(None)
        )
        conds.append(rec.state_iso3.in_(members))
    if groups := _values(facets, "from_group"):
        sub = (
            select(RecommendingState.recommendation_id)
            .join(GroupMembership, GroupMembership.iso3 == RecommendingState.iso3)
            .where(GroupMembership.grouping_code.in_(groups), GroupMembership.end_year.is_(None))
        )
        conds.append(rec.id.in_(sub))
    if sessions := _ints(facets, "session"):
        conds.append(rec.session.in_(sessions))
    if cycles := _ints(facets, "cycle"):
        conds.append(rec.cycle.in_(cycles))
    if actions := _ints(facets, "action"):
        conds.append(rec.action_category.in_(actions))
    if responses := _values(facets, "response"):
        # "accepted" (UPR Info's word) finds what is stored as "supported"
        wanted = [normalise_response(r) or r.casefold() for r in responses]
        sub = select(Response.recommendation_id).where(Response.response.in_(wanted))
        conds.append(rec.id.in_(sub))
    for name, taxonomy in [("theme", None), *TAXONOMY_FACETS.items()]:
        if themes := _values(facets, name):
            sub = (
                select(RecommendationTheme.recommendation_id)
                .join(Theme, Theme.id == RecommendationTheme.theme_id)
                .where(func.lower(Theme.label).in_([t.casefold() for t in themes]))
            )
            if taxonomy is not None:
                sub = sub.where(Theme.taxonomy == taxonomy)
            conds.append(rec.id.in_(sub))
    if mechanisms := _values(facets, "mechanism"):
        conds.append(rec.mechanism.in_(mechanisms))
    return conds


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    query: str
    facets_applied: dict[str, list[str]]
    order: str
    page: int
    per_page: int
    total: int
    hits: list[HitOut] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(
    session: Session, query: str, facets: Mapping[str, Any]
) -> list[ColumnElement[bool]]:
    conds = _filters(facets)
    text_match = match_condition(session, query)
    if text_match is not None:
        conds.append(text_match)
    return conds


def _matched(session: Session, query: str, facets: Mapping[str, Any]) -> Select[int]:
    return select(Recommendation.id).where(*_conditions(session, query, facets))


def search_ids(
    session: Session,
    query: str,
    facets: Mapping[str, Any] | None = None,
    order: Order = "relevance",
) -> list[int]:
    """Ids of every matching recommendation, in the requested order (exports, tests)."""
    stmt = order_by(session, _matched(session, query, facets or {}), query, order)
    return [int(i) for i in session.scalars(stmt)]


def _facet_counts(
    session: Session, query: str, facets: Mapping[str, Any]
) -> tuple[int, dict[str, list[FacetValue]]]:
    """The total and every facet's counts in ONE statement over a materialised CTE of the
    matches, so the full-text match and the filters are evaluated once, not once per facet."""
    rec = Recommendation
    m = (
        select(rec.id, rec.state_iso3, rec.session, rec.cycle, rec.action_category, rec.mechanism)
        .where(*_conditions(session, query, facets))
        .cte("m")
        .prefix_with("MATERIALIZED")
    )
    un_group = and_(GroupMembership.grouping_code.like("UN-%"), GroupMembership.end_year.is_(None))

    def part(name: str, value: Any, count: Any) -> Select[Any]:
        return select(
            literal(name).label("facet"), cast(value, String).label("value"), count.label("n")
        )

    distinct = func.count(func.distinct(m.c.id))
    parts = [
        part("total", literal(""), func.count()).select_from(m),
        part("state", m.c.state_iso3, func.count()).group_by(m.c.state_iso3),
        part("session", m.c.session, func.count()).group_by(m.c.session),
        part("cycle", m.c.cycle, func.count()).group_by(m.c.cycle),
        part("action", m.c.action_category, func.count()).group_by(m.c.action_category),
        part("mechanism", m.c.mechanism, func.count()).group_by(m.c.mechanism),
        part("from_state", RecommendingState.iso3, distinct)
        .select_from(m.join(RecommendingState, RecommendingState.recommendation_id == m.c.id))
        .group_by(RecommendingState.iso3),
        part("group", GroupMembership.grouping_code, distinct)
        .select_from(m.join(GroupMembership, GroupMembership.iso3 == m.c.state_iso3))
        .where(un_group)
        .group_by(GroupMembership.grouping_code),
        part("from_group", GroupMembership.grouping_code, distinct)
        .select_from(
            m.join(RecommendingState, RecommendingState.recommendation_id == m.c.id).join(
                GroupMembership, GroupMembership.iso3 == RecommendingState.iso3
            )
        )
        .where(un_group)
        .group_by(GroupMembership.grouping_code),
        part("response", Response.response, distinct)
        .select_from(m.join(Response, Response.recommendation_id == m.c.id))
        .group_by(Response.response),
        *(
            part(name, Theme.label, distinct)
            .select_from(
                m.join(RecommendationTheme, RecommendationTheme.recommendation_id == m.c.id).join(
                    Theme, Theme.id == RecommendationTheme.theme_id
                )
            )
            .where(Theme.taxonomy == taxonomy)
            .group_by(Theme.label)
            for name, taxonomy in TAXONOMY_FACETS.items()
        ),
    ]
    names = state_names(session)
    total = 0
    out: dict[str, list[FacetValue]] = {name: [] for name in FACETS}
    for name, value, count in session.execute(union_all(*parts)):
        if name == "total":
            total = int(count)
            continue
        if value is None:
            continue
        key = str(value)
        if name in ("state", "from_state"):
            label = names.get(key, key)
        elif name == "action":
            label = f"{key} – {ACTION_CATEGORIES.get(int(key), '')}"
        elif name in ("session", "cycle"):
            label = f"{FACETS[name]} {key}"
        elif name == "response":
            label = RESPONSE_LABELS.get(key, key)
        elif name in ("group", "from_group"):
            label = group_label(key)
        else:
            label = key
        chosen = {v.casefold() for v in _values(facets, name)}
        if name == "response":
            chosen = {normalise_response(v) or v for v in chosen}
        out[name].append(FacetValue(key, label, int(count), key.casefold() in chosen))
    for name, values in out.items():
        if name in ("session", "cycle", "action"):
            values.sort(key=lambda v: int(v.value))
        elif name == "sdg":  # "1 - No poverty" ... "17 - Partnerships for the goals"
            values.sort(key=lambda v: (_leading_number(v.value), v.value))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
    return total, out


def _leading_number(label: str) -> int:
    head = label.split(" ", 1)[0]
    return int(head) if head.isdecimal() else 10_000


def themes_by_taxonomy(rec: Recommendation) -> dict[str, list[str]]:
    """The recommendation's theme labels per taxonomy, each once, sorted."""
    out: dict[str, set[str]] = {taxonomy: set() for taxonomy in TAXONOMIES}
    for rt in rec.themes:
        out.setdefault(rt.theme.taxonomy, set()).add(rt.theme.label)
    return {
        taxonomy: sorted(labels, key=lambda x: (_leading_number(x), x))
        for taxonomy, labels in out.items()
    }


def _hits(session: Session, ids: list[int], query: str) -> list[HitOut]:
    if not ids:
        return []
    recs = {
        r.id: r
        for r in session.scalars(
            select(Recommendation).where(Recommendation.id.in_(ids)).options(*RELATIONS)
        )
    }
    names = state_names(session)
    marks = snippets(session, ids, query)
    hits = []
    for rid in ids:
        rec = recs[rid]
        themes = themes_by_taxonomy(rec)
        response = rec.responses[0] if rec.responses else None
        recommending = sorted(s.iso3 for s in rec.recommending_states)
        marked = marks.get(rid)
        if marked is None:
            marked = rec.text if len(rec.text) <= 300 else rec.text[:297] + "…"
        hits.append(
            HitOut(
                id=rec.id,
                text=rec.text,
                snippet_html=str(highlight(marked)),
                mechanism=rec.mechanism,
                state_iso3=rec.state_iso3,
                state_name=names.get(rec.state_iso3, rec.state_iso3),
                recommending_states=recommending,
                recommending_names=[names.get(i, i) for i in recommending],
                session=rec.session,
                cycle=rec.cycle,
                response=response.response if response else None,
                response_source_word=response.source_word if response else None,
                action_category=rec.action_category,
                action_label=ACTION_CATEGORIES.get(rec.action_category or 0),
                themes=sorted({label for labels in themes.values() for label in labels}),
                issues=themes["upr-info"],
                uhri_themes=themes["uhri"],
                sdgs=themes["sdg"],
                affected_persons=themes["affected-persons"],
                document_symbol=rec.document_symbol,
                paragraph=rec.paragraph,
            )
        )
    return hits


def search_recommendations(
    session: Session,
    query: str = "",
    facets: Mapping[str, Any] | None = None,
    order: Order = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchResult:
    """One page of matching recommendations with highlighted snippets, the total and the
    counts of every facet over all matches (not only this page)."""
    facets = dict(facets or {})
    if order not in ("relevance", "date"):
        raise InputError(f"order must be 'relevance' or 'date', not {order!r}", field="order")
    if page < 1 or not 1 <= per_page <= 1000:
        raise InputError("page must be >= 1 and per_page between 1 and 1000", field="page")
    matched = _matched(session, query, facets)
    total, counts = _facet_counts(session, query, facets)
    page_stmt = (
        order_by(session, matched, query, order).limit(per_page).offset((page - 1) * per_page)
    )
    ids = [int(i) for i in session.scalars(page_stmt)]
    return SearchResult(
        query=query,
        facets_applied={k: _values(facets, k) for k in FILTERS if _values(facets, k)},
        order=order,
        page=page,
        per_page=per_page,
        total=total,
        hits=_hits(session, ids, query),
        facets=counts,
    )
