"""The query language of recommendation search and its SQL, the same on SQLite and PostgreSQL.

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from markupsafe import Markup
from sqlalchemy import ColumnElement, Float, Integer, Select, bindparam, column, text
from sqlalchemy.orm import Session

from rightsdesk.monitoring.recommendations.models import Recommendation

__all__ = [
    "Expr",
    "Node",
    "Order",
    "Term",
    "highlight",
    "match_condition",
    "order_by",
    "parse_query",
    "snippets",
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


def _ranking(query: str) -> Expr | None:
    """The positive terms of the query joined by OR: what ranks and highlights a match."""
    expr = parse_query(query)
    return _combine("or", _positive_terms(expr)) if expr is not None else None


def match_condition(session: Session, query: str) -> ColumnElement[bool] | None:
    """The full-text condition of ``query`` on this engine, or None when it has no word."""
    expr = parse_query(query)
    return _text_condition(session, expr) if expr is not None else None


def order_by(session: Session, stmt: Select[Any], query: str, order: Order) -> Select[Any]:
    """``stmt`` (over recommendations) ordered by relevance to ``query`` (BM25 on SQLite,
    ``ts_rank_cd`` on PostgreSQL), or by date; the newest first among equals."""
    date_order = (
        Recommendation.date.desc().nulls_last(),
        Recommendation.session.desc().nulls_last(),
        Recommendation.id.desc(),
    )
    rank_expr = _ranking(query)
    if order == "date" or rank_expr is None:
        return stmt.order_by(*date_order)
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


def snippets(session: Session, ids: list[int], query: str) -> dict[int, str]:
    """Highlighted extracts of the matched texts (markers, escaped by ``highlight``)."""
    rank_expr = _ranking(query)
    if not ids or rank_expr is None:
        return {}
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
