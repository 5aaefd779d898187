"""The review queue: model suggestions for unlabelled recommendations, accepted or rejected
by a person.

Why a queue instead of writing predictions as labels: a model is right most of the time, not
always, and the labels of this store feed public briefs. A prediction therefore stays a
*suggestion* with a confidence until an editor accepts it; only then does it become a human
label (``RecommendationTheme`` with origin 'human', or ``Recommendation.action_category``),
with the reviewer's name, the time and an audit entry. Rejected suggestions are kept so the
next ``suggest`` run does not ask the same question again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session, joinedload

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.classification.classifier import Classifier, TrainingData
from rightsdesk.monitoring.classification.models import (
    SUGGESTION_KINDS,
    SUGGESTION_STATUSES,
    Suggestion,
)
from rightsdesk.monitoring.classification.schemas import SuggestionList, SuggestionOut
from rightsdesk.monitoring.recommendations.models import Recommendation, RecommendationTheme, Theme

__all__ = [
    "QueueFilter",
    "ReviewQueue",
    "SuggestReport",
    "accept",
    "decide",
    "generate",
    "queue",
    "queue_count",
    "queue_labels",
    "queue_view",
    "reject",
    "review_queue",
    "suggestion_view",
    "training_data",
]

TAXONOMY = "upr-info"
BATCH = 2000


def training_data(session: Session) -> TrainingData:
    """Human labels of the store: UPR Info themes given by people, and action categories.

    Model-made theme rows are left out on purpose: training on them would teach the model its
    own mistakes.
    """
    themes: dict[int, list[str]] = defaultdict(list)
    stmt = (
        select(RecommendationTheme.recommendation_id, Theme.label)
        .join(Theme, Theme.id == RecommendationTheme.theme_id)
        .where(Theme.taxonomy == TAXONOMY, RecommendationTheme.origin == "human")
        .order_by(RecommendationTheme.recommendation_id, RecommendationTheme.id)
    )
    for rec_id, label in session.execute(stmt):
        themes[rec_id].append(label)
    texts: list[str] = []
    labels: list[list[str]] = []
    actions: list[int | None] = []
    sessions: list[int | None] = []
    rows = session.execute(
        select(
            Recommendation.id,
            Recommendation.text,
            Recommendation.action_category,
            Recommendation.session,
        ).order_by(Recommendation.id)
    )
    for rec_id, text, action, sess in rows:
        if rec_id not in themes and action is None:
            continue
        texts.append(text)
        labels.append(themes.get(rec_id, []))
        actions.append(action)
        sessions.append(sess)
    return TrainingData(texts, labels, actions, sessions)


@dataclass
class SuggestReport:
    """What one ``suggest`` run did."""

    model_version: str
    recommendations: int = 0
    theme_suggestions: int = 0
    action_suggestions: int = 0
    already_asked: int = 0


def _unlabelled(session: Session) -> list[tuple[int, str, bool, bool]]:
    """(id, text, needs themes, needs action) of recommendations lacking human labels."""
    human = set(
        session.scalars(
            select(RecommendationTheme.recommendation_id)
            .join(Theme, Theme.id == RecommendationTheme.theme_id)
            .where(Theme.taxonomy == TAXONOMY, RecommendationTheme.origin == "human")
            .distinct()
        )
    )
    out: list[tuple[int, str, bool, bool]] = []
    rows = session.execute(
        select(Recommendation.id, Recommendation.text, Recommendation.action_category).order_by(
            Recommendation.id
        )
    )
    for rec_id, text, action in rows:
        needs_themes, needs_action = rec_id not in human, action is None
        if needs_themes or needs_action:
            out.append((rec_id, text, needs_themes, needs_action))
    return out


def generate(
    session: Session, clf: Classifier, actor: str, min_confidence: float = 0.0
) -> SuggestReport:
    """Store the model's suggestions for every recommendation lacking human labels.

    Idempotent: a (recommendation, kind, label) already suggested, whatever its status, is
    not suggested again, and no second action is proposed while one is pending.
    """
    version = str(clf.metadata.get("version", "unknown"))
    report = SuggestReport(model_version=version)
    targets = _unlabelled(session)
    asked: set[tuple[int, str, str]] = set()
    pending_action: set[int] = set()
    for rec_id, kind, label, status in session.execute(
        select(Suggestion.recommendation_id, Suggestion.kind, Suggestion.label, Suggestion.status)
    ):
        asked.add((rec_id, kind, label))
        if kind == "action" and status == "pending":
            pending_action.add(rec_id)
    now = utcnow()
    for start in range(0, len(targets), BATCH):
        chunk = targets[start : start + BATCH]
        predictions = clf.predict([text for _id, text, _t, _a in chunk])
        new: list[dict[str, Any]] = []
        for (rec_id, _text, needs_themes, needs_action), pred in zip(
            chunk, predictions, strict=True
        ):
            proposals: list[tuple[str, str, float]] = []
            if needs_themes:
                proposals += [("theme", lab, pred.theme_confidence[lab]) for lab in pred.themes]
            if needs_action and rec_id not in pending_action:
                proposals.append(("action", str(pred.action), pred.action_confidence))
            for kind, label, conf in proposals:
                if conf < min_confidence:
                    continue
                if (rec_id, kind, label) in asked:
                    report.already_asked += 1
                    continue
                asked.add((rec_id, kind, label))
                new.append(
                    {
                        "recommendation_id": rec_id,
                        "kind": kind,
                        "label": label,
                        "confidence": round(min(1.0, max(0.0, conf)), 4),
                        "status": "pending",
                        "model_version": version,
                        "created_at": now,
                    }
                )
                if kind == "theme":
                    report.theme_suggestions += 1
                else:
                    report.action_suggestions += 1
            if proposals:
                report.recommendations += 1
        if new:
            session.execute(insert(Suggestion), new)
    audit.record(
        session,
        actor,
        "suggest",
        "suggestion",
        None,
        after={
            "model_version": version,
            "theme_suggestions": report.theme_suggestions,
            "action_suggestions": report.action_suggestions,
            "min_confidence": min_confidence,
        },
    )
    return report


@dataclass(frozen=True)
class QueueFilter:
    """What the review page and the API can narrow the queue to."""

    kind: str | None = None
    label: str | None = None
    min_confidence: float | None = None
    max_confidence: float | None = None
    status: str = "pending"

    def check(self) -> None:
        if self.kind is not None and self.kind not in SUGGESTION_KINDS:
            raise InputError(f"kind must be one of {', '.join(SUGGESTION_KINDS)}", field="kind")
        if self.status not in SUGGESTION_STATUSES:
            raise InputError(
                f"status must be one of {', '.join(SUGGESTION_STATUSES)}", field="status"
            )
        for name in ("min_confidence", "max_confidence"):
            value = getattr(self, name)
            if value is not None and not 0.0 <= value <= 1.0:
                raise InputError("confidence must be between 0 and 1", field=name)


def _matching(filters: QueueFilter) -> Select[Suggestion]:
    filters.check()
    stmt = select(Suggestion).where(Suggestion.status == filters.status)
    if filters.kind:
        stmt = stmt.where(Suggestion.kind == filters.kind)
    if filters.label:
        stmt = stmt.where(Suggestion.label == filters.label)
    if filters.min_confidence is not None:
        stmt = stmt.where(Suggestion.confidence >= filters.min_confidence)
    if filters.max_confidence is not None:
        stmt = stmt.where(Suggestion.confidence <= filters.max_confidence)
    return stmt


def queue_count(session: Session, filters: QueueFilter) -> int:
    """How many suggestions match the filters (the page's heading, after each decision)."""
    stmt = _matching(filters)
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def queue(
    session: Session, filters: QueueFilter, limit: int = 50, offset: int = 0
) -> tuple[list[Suggestion], int]:
    """A page of suggestions, most confident first (quick wins), and the total matching."""
    stmt = _matching(filters)
    total = queue_count(session, filters)
    page = stmt.options(joinedload(Suggestion.recommendation))
    page = page.order_by(Suggestion.confidence.desc(), Suggestion.id).limit(limit).offset(offset)
    return list(session.scalars(page)), int(total)


def queue_labels(session: Session) -> list[str]:
    """Theme labels with pending suggestions, for the filter menu."""
    stmt = (
        select(Suggestion.label)
        .where(Suggestion.status == "pending", Suggestion.kind == "theme")
        .distinct()
        .order_by(Suggestion.label)
    )
    return list(session.scalars(stmt))


def suggestion_view(s: Suggestion) -> SuggestionOut:
    """The API form of a suggestion, with the text so a client needs no second request."""
    rec = s.recommendation
    return SuggestionOut(
        id=s.id,
        recommendation_id=s.recommendation_id,
        text=rec.text,
        state_iso3=rec.state_iso3,
        session=rec.session,
        kind=s.kind,
        label=s.label,
        confidence=s.confidence,
        status=s.status,
        model_version=s.model_version,
        created_at=s.created_at.isoformat(),
        reviewed_by=s.reviewed_by,
        reviewed_at=s.reviewed_at.isoformat() if s.reviewed_at else None,
    )


def queue_view(
    session: Session, filters: QueueFilter, limit: int = 100, offset: int = 0
) -> SuggestionList:
    """A page of the queue as the JSON API returns it."""
    items, total = queue(session, filters, limit, offset)
    return SuggestionList(total=total, offset=offset, items=[suggestion_view(s) for s in items])


@dataclass
class ReviewQueue:
    """What the review page shows: a page of suggestions, the total, the theme menu, and how
    many suggestions are pending whatever the filters (none at all: the page says how to
    fill the queue, instead of blaming the filters)."""

    items: list[Suggestion]
    total: int
    labels: list[str]
    pending_anywhere: int


def review_queue(
    session: Session, filters: QueueFilter, limit: int, offset: int = 0
) -> ReviewQueue:
    items, total = queue(session, filters, limit, offset)
    anywhere = queue_count(session, QueueFilter())
    return ReviewQueue(items, total, queue_labels(session), anywhere)


def _pending(session: Session, suggestion_id: int) -> Suggestion:
    s = session.get(Suggestion, suggestion_id)
    if s is None:
        raise NotFoundError(f"no suggestion #{suggestion_id}")
    if s.status != "pending":
        raise ConflictError(
            f"suggestion #{suggestion_id} was already {s.status} by {s.reviewed_by or 'someone'}"
        )
    return s


def _theme(session: Session, label: str) -> Theme:
    theme = session.scalars(
        select(Theme).where(Theme.taxonomy == TAXONOMY, Theme.label == label)
    ).first()
    if theme is None:
        theme = Theme(taxonomy=TAXONOMY, label=label)
        session.add(theme)
        session.flush()
    return theme


def accept(session: Session, suggestion_id: int, reviewer: str) -> Suggestion:
    """Make a suggestion a human label, in the caller's transaction, with an audit entry."""
    s = _pending(session, suggestion_id)
    now = utcnow()
    rec = s.recommendation
    before: dict[str, Any] = {"status": s.status}
    after: dict[str, Any] = {"status": "accepted", "kind": s.kind, "label": s.label}
    if s.kind == "theme":
        theme = _theme(session, s.label)
        link = session.scalars(
            select(RecommendationTheme).where(
                RecommendationTheme.recommendation_id == rec.id,
                RecommendationTheme.theme_id == theme.id,
            )
        ).first()
        if link is None:
            link = RecommendationTheme(recommendation_id=rec.id, theme_id=theme.id)
            session.add(link)
        else:
            before["theme_origin"] = link.origin
        link.origin = "human"
        link.confidence = s.confidence
        link.reviewed_by = reviewer
        link.reviewed_at = now
    else:
        before["action_category"] = rec.action_category
        rec.action_category = int(s.label)
        after["action_category"] = rec.action_category
        others = session.scalars(
            select(Suggestion).where(
                Suggestion.recommendation_id == rec.id,
                Suggestion.kind == "action",
                Suggestion.status == "pending",
                Suggestion.id != s.id,
            )
        ).all()
        for other in others:
            other.status, other.reviewed_by, other.reviewed_at = "rejected", reviewer, now
        if others:
            after["superseded"] = [o.id for o in others]
    s.status, s.reviewed_by, s.reviewed_at = "accepted", reviewer, now
    session.flush()
    audit.record(
        session,
        reviewer,
        "accept",
        "suggestion",
        s.id,
        before=before,
        after={**after, "recommendation_id": rec.id},
    )
    return s


def reject(session: Session, suggestion_id: int, reviewer: str) -> Suggestion:
    """Mark a suggestion wrong; it stays stored so it is not proposed again."""
    s = _pending(session, suggestion_id)
    s.status, s.reviewed_by, s.reviewed_at = "rejected", reviewer, utcnow()
    session.flush()
    audit.record(
        session,
        reviewer,
        "reject",
        "suggestion",
        s.id,
        before={"status": "pending"},
        after={
            "status": "rejected",
            "kind": s.kind,
            "label": s.label,
            "recommendation_id": s.recommendation_id,
        },
    )
    return s


Decision = Literal["accept", "reject"]


def decide(session: Session, suggestion_id: int, reviewer: str, decision: Decision) -> Suggestion:
    """``accept`` or ``reject``, as the reviewer chose."""
    if decision == "accept":
        return accept(session, suggestion_id, reviewer)
    return reject(session, suggestion_id, reviewer)
