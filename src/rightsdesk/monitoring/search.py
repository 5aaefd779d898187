"""Full-text and faceted search of recommendations, the same on SQLite and PostgreSQL.

Users type one query language: words (stemmed: "tortured" finds "torture"), "quoted phrases",
AND (implicit between terms), OR, NOT or a leading minus, and parentheses. The query is parsed
once into a small tree and compiled for each engine: an FTS5 MATCH expression (porter
tokenizer) on SQLite, a ``tsquery`` built from ``plainto_tsquery``/``phraseto_tsquery`` with
``&&``, ``||`` and ``!!`` on PostgreSQL (English configuration). Every user word is a bound
parameter: nothing the user types is pasted into SQL.

To make both engines return the same recommendations:
- English stop words are dropped from words on both sides (PostgreSQL drops them anyway);
- irregular plurals the stemmers leave apart (woman/women, child/children...) are expanded
  into an OR of both forms;
- a word with inner punctuation ("non-discrimination", "women's") is split into its tokens and
  searched as a phrase of the tokens that are not stop words.
The Porter (FTS5) and Snowball (PostgreSQL) stemmers differ on a few rare words; tests pin the
common cases.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from markupsafe import Markup
from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    column,
    func,
    literal,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import InputError
from rightsdesk.core.states import GroupMembership, State, lookup_state
from rightsdesk.monitoring.models import (
    ACTION_CATEGORIES,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)

__all__ = [
    "FACETS",
    "FacetValue",
    "Hit",
    "SearchResult",
    "parse_query",
    "search_ids",
    "search_recommendations",
]

Order = Literal["relevance", "date"]

_STOP_TEXT = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves what which who whom
this that these those am is are was were be been being have has had having do does did doing a an
the and but if or because as until while of at by for with about against between into through
during before after above below to from up down in out on off over under again further then once
here there when where why how all any both each few more most other some such no nor not only own
same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_TEXT.split())  # PostgreSQL's english.stop
# forms the stemmers do not bring together; searching one finds the others
IRREGULAR = [
    ("woman", "women"),
    ("man", "men"),
    ("child", "children"),
    ("person", "people"),
    ("girl", "girls"),
    ("boy", "boys"),
]
_VARIANTS = {form: group for group in IRREGULAR for form in group}
_TOKEN = re.compile(r"[^\W_]+")
_LEX = re.compile(r'\s*(-?"[^"]*"?|\(|\)|[^\s()"]+)')
START, STOP = "\u27e6", "\u27e7"  # highlight markers, turned into <mark> after escaping
_HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=45, MinWords=20, MaxFragments=2, "
    'FragmentDelimiter=" … "'
)

FACETS: dict[str, str] = {
    "state": "State under review",
    "from_state": "Recommending state",
    "group": "Regional group (under review)",
    "from_group": "Regional group (recommending)",
    "session": "Session",
    "cycle": "Cycle",
    "response": "Response",
    "theme": "Theme",
    "action": "Action category",
    "mechanism": "Mechanism",
}

# --- the query tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or phrase: ``tokens`` in order; ``variants`` are alternative single words."""

    tokens: tuple[str, ...]
    phrase: bool = False


@dataclass(frozen=True)
class Node:
    op: Literal["and", "or", "not"]
    children: tuple[Node | Term, ...]


Expr = Node | Term


def _term(raw: str, phrase: bool) -> Expr | None:
    tokens = [t.casefold() for t in _TOKEN.findall(raw)]
    if not phrase:
        tokens = [t for t in tokens if t not in STOP_WORDS]
    if not tokens:
        return None
    if len(tokens) == 1 and tokens[0] in _VARIANTS:
        forms = _VARIANTS[tokens[0]]
        return Node("or", tuple(Term((f,)) for f in forms))
    return Term(tuple(tokens), phrase or len(tokens) > 1)


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary+; unary :=
    NOT unary | -atom | atom; atom := ( or_expr ) | "phrase" | word."""

    def __init__(self, query: str) -> None:
        self.tokens = [m.group(1) for m in _LEX.finditer(query) if m.group(1)]
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Expr | None:
        expr = self.or_expr()
        while self.peek() is not None:  # stray ")": ignore it and go on
            self.take()
            more = self.or_expr()
            expr = _combine("and", [expr, more])
        return expr

    def or_expr(self) -> Expr | None:
        parts = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.and_expr())
        return _combine("or", parts)

    def and_expr(self) -> Expr | None:
        parts: list[Expr | None] = []
        while (tok := self.peek()) is not None and tok not in ("OR", ")"):
            if tok == "AND":
                self.take()
                continue
            parts.append(self.unary())
        return _combine("and", parts)

    def unary(self) -> Expr | None:
        tok = self.take()
        if tok == "NOT":
            if self.peek() in (None, ")", "OR"):
                return None
            inner = self.unary()
            return Node("not", (inner,)) if inner is not None else None
        if tok.startswith("-") and len(tok) > 1:
            inner = self.atom(tok[1:])
            return Node("not", (inner,)) if inner is not None else None
        return self.atom(tok)

    def atom(self, tok: str) -> Expr | None:
        if tok == "(":
            inner = self.or_expr()
            if self.peek() == ")":
                self.take()
            return inner
        if tok.startswith('"'):
            return _term(tok.strip('"'), phrase=True)
        return _term(tok, phrase=False)


def _combine(op: Literal["and", "or"], parts: Sequence[Expr | None]) -> Expr | None:
    kept = [p for p in parts if p is not None]
    if not kept:
        return None
    if len(kept) == 1:
        return kept[0]
    return Node(op, tuple(kept))


def parse_query(query: str) -> Expr | None:
    """The query as a tree, or None when it holds no searchable word."""
    return _Parser(query or "").parse()


def _positive_terms(expr: Expr, negated: bool = False) -> list[Term]:
    if isinstance(expr, Term):
        return [] if negated else [expr]
    out: list[Term] = []
    for child in expr.children:
        out += _positive_terms(child, negated ^ (expr.op == "not"))
    return out


# --- compilation per engine ----------------------------------------------------------------


class _Params:
    """Bound parameters of one fragment; the prefix keeps fragments of a statement apart."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.values: dict[str, str] = {}

    def add(self, value: str) -> str:
        name = f"{self.prefix}{len(self.values)}"
        self.values[name] = value
        return name


def _fts5_term(term: Term) -> str:
    # tokens are alphanumeric (see _TOKEN), so quoting them is enough
    return '"' + " ".join(term.tokens) + '"'


def _fts5_expressible(expr: Expr) -> bool:
    """FTS5 has no unary NOT: a negation must sit in an AND beside a positive part."""
    if isinstance(expr, Term):
        return True
    if expr.op == "not":
        return False
    if expr.op == "or":
        return all(_fts5_expressible(c) for c in expr.children)
    positives = [c for c in expr.children if not (isinstance(c, Node) and c.op == "not")]
    negatives = [c.children[0] for c in expr.children if isinstance(c, Node) and c.op == "not"]
    return bool(positives) and all(_fts5_expressible(c) for c in positives + negatives)


def _fts5(expr: Expr) -> str:
    if isinstance(expr, Term):
        return _fts5_term(expr)
    if expr.op == "or":
        return "(" + " OR ".join(_fts5(c) for c in expr.children) + ")"
    positives = [c for c in expr.children if not (isinstance(c, Node) and c.op == "not")]
    negatives = [c.children[0] for c in expr.children if isinstance(c, Node) and c.op == "not"]
    out = "(" + " AND ".join(_fts5(c) for c in positives) + ")"
    if negatives:
        out = "(" + out + " NOT (" + " OR ".join(_fts5(c) for c in negatives) + "))"
    return out


_FTS_IN = (
    "recommendation.id IN (SELECT rowid FROM recommendation_fts WHERE recommendation_fts MATCH :{})"
)


def _sqlite_condition(expr: Expr, params: _Params) -> str:
    """A SQL condition on recommendation.id; FTS5 does the matching, SQL the set logic."""
    if _fts5_expressible(expr):
        return _FTS_IN.format(params.add(_fts5(expr)))
    assert isinstance(expr, Node)
    if expr.op == "not":
        return "NOT (" + _sqlite_condition(expr.children[0], params) + ")"
    joiner = " AND " if expr.op == "and" else " OR "
    return "(" + joiner.join(_sqlite_condition(c, params) for c in expr.children) + ")"


def _tsquery(expr: Expr, params: _Params) -> str:
    if isinstance(expr, Term):
        name = params.add(" ".join(expr.tokens))
        fn = "phraseto_tsquery" if expr.phrase else "plainto_tsquery"
        return f"{fn}('english', :{name})"
    if expr.op == "not":
        return "(!! " + _tsquery(expr.children[0], params) + ")"
    joiner = " && " if expr.op == "and" else " || "
    return "(" + joiner.join(_tsquery(c, params) for c in expr.children) + ")"


def _text_condition(session: Session, expr: Expr) -> ColumnElement[bool]:
    params = _Params("w")
    if _dialect(session) == "sqlite":
        sql = _sqlite_condition(expr, params)
    else:
        sql = "recommendation.search_vector @@ " + _tsquery(expr, params)
    return text(sql).bindparams(**params.values)  # type: ignore[return-value]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


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
            raise InputError(f"{FACETS[name]} must be a number, not {value!r}", field=name)
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
    unknown = set(facets) - set(FACETS)
    if unknown:
        raise InputError(
            f"unknown filter {sorted(unknown)[0]!r}; filters: {', '.join(FACETS)}",
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
        sub = select(Response.recommendation_id).where(
            Response.response.in_([r.casefold() for r in responses])
        )
        conds.append(rec.id.in_(sub))
    if themes := _values(facets, "theme"):
        sub = (
            select(RecommendationTheme.recommendation_id)
            .join(Theme, Theme.id == RecommendationTheme.theme_id)
            .where(func.lower(Theme.label).in_([t.casefold() for t in themes]))
        )
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
class Hit:
    id: int
    text: str
    snippet: Markup
    mechanism: str
    state_iso3: str
    state_name: str
    recommending: list[str]
    session: int | None
    cycle: int | None
    response: str | None
    action_category: int | None
    themes: list[str]
    document_symbol: str | None
    paragraph: str | None


@dataclass
class SearchResult:
    query: str
    facets_applied: dict[str, list[str]]
    order: str
    page: int
    per_page: int
    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(
    session: Session, query: str, facets: Mapping[str, Any]
) -> list[ColumnElement[bool]]:
    conds = _filters(facets)
    expr = parse_query(query)
    if expr is not None:
        conds.append(_text_condition(session, expr))
    return conds


def _matched(session: Session, query: str, facets: Mapping[str, Any]) -> Select[int]:
    return select(Recommendation.id).where(*_conditions(session, query, facets))


def _order(session: Session, stmt: Select[Any], query: str, order: Order) -> Select[Any]:
    date_order = (
        Recommendation.date.desc().nulls_last(),
        Recommendation.session.desc().nulls_last(),
        Recommendation.id.desc(),
    )
    expr = parse_query(query)
    terms = _positive_terms(expr) if expr is not None else []
    if order == "date" or not terms:
        return stmt.order_by(*date_order)
    rank_expr = _combine("or", terms)
    assert rank_expr is not None
    params = _Params("r")
    if _dialect(session) == "sqlite":
        ranked = (
            text(
                "SELECT rowid AS rid, bm25(recommendation_fts) AS score FROM recommendation_fts "
                "WHERE recommendation_fts MATCH :rankq"
            )
            .bindparams(rankq=_fts5(rank_expr))
            .columns(column("rid", Integer), column("score", Float))
            .subquery("ranked")
        )
        stmt = stmt.outerjoin(ranked, ranked.c.rid == Recommendation.id)
        return stmt.order_by(ranked.c.score.asc().nulls_last(), *date_order)
    score = text(
        "ts_rank_cd(recommendation.search_vector, " + _tsquery(rank_expr, params) + ") DESC"
    )
    return stmt.order_by(score.bindparams(**params.values), *date_order)


def search_ids(
    session: Session,
    query: str,
    facets: Mapping[str, Any] | None = None,
    order: Order = "relevance",
) -> list[int]:
    """Ids of every matching recommendation, in the requested order (exports, tests)."""
    stmt = _order(session, _matched(session, query, facets or {}), query, order)
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
        part("theme", Theme.label, distinct)
        .select_from(
            m.join(RecommendationTheme, RecommendationTheme.recommendation_id == m.c.id).join(
                Theme, Theme.id == RecommendationTheme.theme_id
            )
        )
        .group_by(Theme.label),
    ]
    names = dict(session.execute(select(State.iso3, State.name)).all())
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
        else:
            label = key
        chosen = {v.casefold() for v in _values(facets, name)}
        out[name].append(FacetValue(key, label, int(count), key.casefold() in chosen))
    for name, values in out.items():
        if name in ("session", "cycle", "action"):
            values.sort(key=lambda v: int(v.value))
        else:
            values.sort(key=lambda v: (-v.count, v.label))
    return total, out


def _snippets(session: Session, ids: list[int], query: str) -> dict[int, str]:
    """Highlighted extracts of the matched texts (markers, escaped later)."""
    expr = parse_query(query)
    terms = _positive_terms(expr) if expr is not None else []
    if not ids or not terms:
        return {}
    rank_expr = _combine("or", terms)
    assert rank_expr is not None
    params = _Params("r")
    if _dialect(session) == "sqlite":
        stmt = text(
            "SELECT rowid, snippet(recommendation_fts, 0, :start, :stop, '…', 40) "
            "FROM recommendation_fts WHERE recommendation_fts MATCH :rankq AND rowid IN :ids"
        ).bindparams(rankq=_fts5(rank_expr), start=START, stop=STOP)
    else:
        # only bound-parameter names are pasted in (see _tsquery); values stay parameters
        tsquery = _tsquery(rank_expr, params)
        stmt = text(
            "SELECT id, ts_headline('english', text, " + tsquery + ", :options) "
            "FROM recommendation WHERE id IN :ids"
        ).bindparams(**params.values, options=_HEADLINE)
    stmt = stmt.bindparams(bindparam("ids", expanding=True))
    rows = session.execute(stmt, {"ids": ids})
    return {int(i): str(s) for i, s in rows}


def highlight(marked: str) -> Markup:
    """Escape the text, then turn the markers into <mark> tags."""
    safe = html.escape(marked).replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(safe)  # built from escaped text


def _hits(session: Session, ids: list[int], query: str) -> list[Hit]:
    if not ids:
        return []
    recs = {
        r.id: r
        for r in session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_(ids))
            .options(
                selectinload(Recommendation.recommending_states),
                selectinload(Recommendation.responses),
                selectinload(Recommendation.themes).selectinload(RecommendationTheme.theme),
            )
        )
    }
    names = dict(session.execute(select(State.iso3, State.name)).all())
    snippets = _snippets(session, ids, query)
    hits = []
    for rid in ids:
        rec = recs[rid]
        marked = snippets.get(rid)
        if marked is None:
            marked = rec.text if len(rec.text) <= 300 else rec.text[:297] + "…"
        hits.append(
            Hit(
                id=rec.id,
                text=rec.text,
                snippet=highlight(marked),
                mechanism=rec.mechanism,
                state_iso3=rec.state_iso3,
                state_name=names.get(rec.state_iso3, rec.state_iso3),
                recommending=sorted(s.iso3 for s in rec.recommending_states),
                session=rec.session,
                cycle=rec.cycle,
                response=rec.responses[0].response if rec.responses else None,
                action_category=rec.action_category,
                themes=sorted(rt.theme.label for rt in rec.themes),
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
    page_stmt = _order(session, matched, query, order).limit(per_page).offset((page - 1) * per_page)
    ids = [int(i) for i in session.scalars(page_stmt)]
    return SearchResult(
        query=query,
        facets_applied={k: _values(facets, k) for k in FACETS if _values(facets, k)},
        order=order,
        page=page,
        per_page=per_page,
        total=total,
        hits=_hits(session, ids, query),
        facets=counts,
    )
