"""Suggesting which recommendations a programme serves, for a person to confirm or reject.

Three kinds of evidence, each stated in the suggestion's reason:

- **same state**: only recommendations made to one of the programme's recipient states are
  candidates (a programme without a recipient state gets no suggestion: across every state
  the texts alone propose too much to review);
- **shared terms**: TF-IDF cosine similarity between the programme's own words (title,
  description, result and indicator titles, activities entered) and the recommendation's
  text, with at least ``MIN_TERMS`` words in common; the terms that weigh most in both are
  named. Vocabulary and weights are fitted per state, on that state's recommendations and
  programmes, so words every recommendation to that state uses ("ensure", the state's name)
  weigh little; plurals are folded and ``GENERIC`` words dropped;
- **shared theme**: a DAC sector of the programme serves one of the recommendation's themes
  (``sector_themes``: 15160 human rights ↔ "Human rights education and training", ...).

score = cosine + THEME_BONUS when a theme is shared. A programme keeps its ``TOP`` best
candidates with a cosine of at least ``MIN_COSINE`` and a score of at least ``MIN_SCORE``
(``Thresholds``). On the real files (DR Congo, d-portal COVID 2020) about two in three
suggestions read as right to us; lower thresholds find more, with more noise.

Suggestions are stored as ``suggested`` links. Running again updates their score and reason
instead of adding rows, withdraws the matcher's own suggestions that no longer qualify, and
never touches a link a person confirmed or rejected: a rejected pair is never proposed again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.capacity.links import ENTITY, MATCHER
from rightsdesk.capacity.models import Programme, ProgrammeLink, Recipient
from rightsdesk.capacity.sector_themes import sector_themes
from rightsdesk.core.security import audit
from rightsdesk.core.states import State
from rightsdesk.forms import service

if TYPE_CHECKING:
    from rightsdesk.monitoring.public import RecommendationRef

__all__ = [
    "MIN_COSINE",
    "MIN_SCORE",
    "THEME_BONUS",
    "TOP",
    "Candidate",
    "SuggestReport",
    "Thresholds",
    "score_programmes",
    "suggest_links",
]

TOP = 5
MIN_COSINE = 0.08
MIN_TERMS = 2
MIN_SCORE = 0.2
THEME_BONUS = 0.15
SHOWN_TERMS = 4
# words common to nearly every programme or recommendation text, which say nothing about
# what is served (added to the English stop words)
GENERIC = frozenset(
    {
        "ensure",
        "continue",
        "continued",
        "take",
        "taken",
        "measures",
        "measure",
        "state",
        "states",
        "country",
        "countries",
        "government",
        "governments",
        "national",
        "including",
        "include",
        "efforts",
        "effort",
        "support",
        "supporting",
        "strengthen",
        "strengthening",
        "human",
        "rights",
        "right",
        "programme",
        "programmes",
        "project",
        "projects",
        "activity",
        "activities",
        "provide",
        "providing",
        "implementation",
        "implement",
        "recommendation",
        "recommendations",
        "particular",
        "necessary",
        "adopt",
        "level",
        "levels",
        "member",
        "members",
        "order",
        "international",
        "process",
        "processes",
        "progress",
        "report",
        "reports",
        "effective",
        "effectively",
        "specific",
        "specifically",
        "promote",
        "area",
        "areas",
        "phase",
        "condition",
        "conditions",
        "tool",
        "tools",
        "free",
        "freely",
        "relevant",
        "steps",
        "step",
        "work",
        "new",
        "indicator",
        "number",
        "output",
        "outcome",
        "percentage",
        "result",
        "results",
    }
)
_WORD = re.compile(r"[a-z]{3,}")


def _stem(word: str) -> str:
    """A light plural fold ("prisons" → "prison", "bodies" → "body"): enough for matching
    programme words to recommendation words without a stemmer dependency."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and len(word) > 4 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokenizer(state_words: set[str]) -> Callable[[str], list[str]]:
    """Words of a text, stop words, GENERIC words and the state's own name dropped (every
    recommendation to the state names it), plurals folded."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    drop = GENERIC | ENGLISH_STOP_WORDS | state_words

    def tokens(text: str) -> list[str]:
        out = []
        for word in _WORD.findall(text.casefold()):
            if word in drop:
                continue
            stem = _stem(word)
            if stem not in drop:
                out.append(stem)
        return out

    return tokens


@dataclass(frozen=True)
class Thresholds:
    """What a pair needs to be suggested. The defaults favour precision (about two in three
    suggestions right on the DR Congo sample, by our reading); lower them to see more."""

    min_cosine: float = MIN_COSINE
    min_score: float = MIN_SCORE


@dataclass
class Candidate:
    """A programme-recommendation pair worth a person's look, with its evidence."""

    programme_id: int
    recommendation_key: str
    state_iso3: str
    score: float
    cosine: float
    terms: list[str]
    theme_pairs: list[tuple[str, str]]  # (sector code, theme label)
    state_name: str = ""

    @property
    def reason(self) -> str:
        parts = [f"same state ({self.state_name or self.state_iso3})"]
        if self.terms:
            parts.append("shared terms: " + ", ".join(f"'{t}'" for t in self.terms))
        for code, theme in self.theme_pairs:
            parts.append(f"sector {code} ↔ theme {theme}")
        return "; ".join(parts) + f" (text similarity {self.cosine:.2f})"


@dataclass
class SuggestReport:
    """What a run did: pairs scored, links created, updated, left as decided, withdrawn."""

    programmes: int = 0
    states: list[str] = field(default_factory=list)
    candidates: int = 0
    created: int = 0
    updated: int = 0
    decided: int = 0  # pairs a person already confirmed or rejected: left alone
    withdrawn: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "programmes": self.programmes,
            "states": self.states,
            "candidates": self.candidates,
            "created": self.created,
            "updated": self.updated,
            "decided": self.decided,
            "withdrawn": self.withdrawn,
        }


def _programme_text(p: Programme) -> str:
    """Title, description, result and indicator titles, and the activities people entered:
    the programme's own words. Sector names are left out: every programme of a sector would
    share them ("civil society" in 15150's name) and match the same recommendations; sectors
    count through themes instead."""
    words = [p.title or "", p.description or ""]
    words += sorted({i.result_title or "" for i in p.indicators} | {i.title for i in p.indicators})
    words += [f"{a.title} {a.description or ''}" for a in p.activities]
    return " ".join(words)


def _programmes(session: Session, state: str | None) -> list[Programme]:
    sub = select(Recipient.programme_id).where(Recipient.state_iso3.is_not(None))
    if state:
        sub = sub.where(Recipient.state_iso3 == state.upper())
    stmt = (
        select(Programme)
        .where(Programme.id.in_(sub))
        .options(
            selectinload(Programme.recipients),
            selectinload(Programme.sectors),
            selectinload(Programme.indicators),
            selectinload(Programme.activities),
        )
        .order_by(Programme.id)
    )
    return list(session.scalars(stmt))


def _theme_pairs(p: Programme, rec_themes: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    wanted = set(rec_themes)
    for s in p.sectors:
        for theme in sector_themes(s.code):
            if theme in wanted and all(theme != t for _, t in pairs):
                pairs.append((s.code or "", theme))
    return pairs


def _score_state(
    iso3: str,
    state_name: str,
    programmes: list[Programme],
    recs: list[RecommendationRef],
    thresholds: Thresholds,
) -> list[Candidate]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not recs or not programmes:
        return []
    own = set(_WORD.findall(state_name.casefold())) | {iso3.casefold()}
    vectorizer = TfidfVectorizer(analyzer=_tokenizer(own), sublinear_tf=True)
    corpus = [r.text for r in recs] + [_programme_text(p) for p in programmes]
    matrix = vectorizer.fit_transform(corpus)  # rows are L2-normalised: dot = cosine
    rec_m, prog_m = matrix[: len(recs)], matrix[len(recs) :]
    sims = (prog_m @ rec_m.T).toarray()
    vocab = vectorizer.get_feature_names_out()
    out: list[Candidate] = []
    for i, p in enumerate(programmes):
        scored: list[tuple[Candidate, int]] = []
        for j, rec in enumerate(recs):
            cosine = float(sims[i, j])
            if cosine < thresholds.min_cosine:
                continue
            shared = prog_m[i].multiply(rec_m[j]).nnz
            if shared < MIN_TERMS:  # one word in common is chance, not evidence
                continue
            pairs = _theme_pairs(p, rec.themes)
            score = cosine + (THEME_BONUS if pairs else 0.0)
            if score < thresholds.min_score:
                continue
            cand = Candidate(
                p.id, rec.natural_key, iso3, round(score, 4), cosine, [], pairs, state_name
            )
            scored.append((cand, j))
        scored.sort(key=lambda cj: (-cj[0].score, cj[0].recommendation_key))
        for cand, j in scored[:TOP]:
            weights = prog_m[i].multiply(rec_m[j]).toarray().ravel()
            top = weights.argsort()[::-1][:SHOWN_TERMS]
            cand.terms = [str(vocab[k]) for k in top if weights[k] > 0]
            out.append(cand)
    return out


def score_programmes(
    session: Session, state: str | None = None, thresholds: Thresholds | None = None
) -> tuple[list[Candidate], int]:
    """The candidates of every programme with a recipient state (of ``state`` only, when
    given), and the number of programmes looked at. Writes nothing."""
    programmes = _programmes(session, state)
    by_state: dict[str, list[Programme]] = defaultdict(list)
    for p in programmes:
        for r in p.recipients:
            wanted = r.state_iso3 and (state is None or r.state_iso3 == state.upper())
            if wanted and p not in by_state[r.state_iso3 or ""]:
                by_state[r.state_iso3 or ""].append(p)
    of_state = service("monitoring", "recommendations_of_state")
    state_names = dict(session.execute(select(State.iso3, State.name)).all())
    candidates: list[Candidate] = []
    for iso3 in sorted(by_state):
        recs = of_state(session, iso3)
        name = state_names.get(iso3, iso3)
        candidates += _score_state(iso3, name, by_state[iso3], recs, thresholds or Thresholds())
    return candidates, len(programmes)


def suggest_links(
    session: Session,
    actor: str,
    state: str | None = None,
    thresholds: Thresholds | None = None,
) -> SuggestReport:
    """Store the candidates as suggested links (in the caller's transaction), audited."""
    candidates, n_programmes = score_programmes(session, state, thresholds)
    report = SuggestReport(
        programmes=n_programmes,
        states=sorted({c.state_iso3 for c in candidates}),
        candidates=len(candidates),
    )
    programme_ids = [p.id for p in _programmes(session, state)]
    existing: dict[tuple[int, str], ProgrammeLink] = {}
    if programme_ids:
        stmt = select(ProgrammeLink).where(
            ProgrammeLink.programme_id.in_(programme_ids), ProgrammeLink.activity_id.is_(None)
        )
        existing = {(k.programme_id, k.recommendation_key): k for k in session.scalars(stmt)}
    wanted: set[tuple[int, str]] = set()
    for cand in candidates:
        pair = (cand.programme_id, cand.recommendation_key)
        if pair in wanted:  # a programme with two recipient states scores a pair once each
            continue
        wanted.add(pair)
        link = existing.get(pair)
        if link is None:
            session.add(
                ProgrammeLink(
                    programme_id=cand.programme_id,
                    recommendation_key=cand.recommendation_key,
                    status="suggested",
                    score=cand.score,
                    reason=cand.reason,
                    created_by=MATCHER,
                )
            )
            report.created += 1
        elif link.status == "suggested":
            link.score, link.reason = cand.score, cand.reason
            report.updated += 1
        else:
            report.decided += 1
    # a run for one state withdraws only suggestions of that state's recommendations (a
    # programme serving several states keeps its suggestions for the others)
    scope: set[str] | None = None
    if state:
        refs = service("monitoring", "recommendations_of_state")(session, state.upper())
        scope = {r.natural_key for r in refs}
    for pair, link in existing.items():
        if scope is not None and pair[1] not in scope:
            continue
        if pair not in wanted and link.status == "suggested" and link.created_by == MATCHER:
            session.delete(link)
            report.withdrawn += 1
    session.flush()
    audit.record(
        session,
        actor,
        "suggest",
        ENTITY,
        None,
        after={**report.as_dict(), "state": state},
        note="links suggested by the matcher (same state, shared terms, shared themes)",
    )
    return report
