"""UPR Info's action category (Edward McMahon's 1-5 scale) in words, with examples from the data.

Why a module of its own: the number alone ("action 5") means nothing to a reader who has not
read UPR Info's methodology, yet pages, the review queue, facets and the command line all show
it. Every place that shows the number takes its words and its one-line explanation from here,
and links to the page (``/monitoring/action-categories``) that explains the whole scale with
examples drawn from the store, so the explanation matches the data a reader is looking at.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import cached
from rightsdesk.monitoring.recommendations.models import Recommendation

__all__ = [
    "ACTION_SCALE",
    "SCALE_URL",
    "ActionCategory",
    "CategoryInData",
    "action_title",
    "action_words",
    "scale_in_data",
]

#: The page that explains the scale; every place that shows a category links here.
SCALE_URL = "/monitoring/action-categories"


@dataclass(frozen=True)
class ActionCategory:
    """One step of the scale: its number, short name, one-line explanation, typical verbs."""

    number: int
    name: str
    explanation: str
    verbs: tuple[str, ...]

    @property
    def words(self) -> str:
        """``"4 — general action"``: the number with its name, as pages and the CLI show it."""
        return f"{self.number} — {self.name}"

    @property
    def anchor(self) -> str:
        """Link to this category's line of the scale page."""
        return f"{SCALE_URL}#action-{self.number}"


ACTION_SCALE: dict[int, ActionCategory] = {
    c.number: c
    for c in (
        ActionCategory(
            1,
            "minimal action",
            "Addressed to other states, or asks the state under review to seek or share "
            "assistance, information or experience: it asks nothing of the state at home.",
            ("call on", "seek", "share", "request"),
        ),
        ActionCategory(
            2,
            "continuing action",
            "Asks the state to go on with what it already does.",
            ("continue", "maintain", "pursue", "carry on"),
        ),
        ActionCategory(
            3,
            "considering action",
            "Asks the state to consider, examine or review a step, without committing to it.",
            ("consider", "review", "examine", "explore"),
        ),
        ActionCategory(
            4,
            "general action",
            "Asks for action without saying exactly what: measures, efforts, a stronger "
            "policy; progress is hard to check.",
            ("take measures", "ensure", "strengthen", "promote"),
        ),
        ActionCategory(
            5,
            "specific action",
            "Asks for a precise step whose completion can be checked: ratify a treaty, "
            "adopt or repeal a law, abolish a practice, set up a body.",
            ("ratify", "accede", "adopt", "abolish", "establish"),
        ),
    )
}


def action_words(number: int | None) -> str:
    """``"4 — general action"``, or an empty string when there is no (valid) category."""
    category = ACTION_SCALE.get(number or 0)
    return category.words if category else ""


def action_title(number: int | None) -> str:
    """The one-line explanation shown on hover (an HTML ``title``)."""
    category = ACTION_SCALE.get(number or 0)
    return f"{category.words}: {category.explanation}" if category else ""


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: Words skipped when naming how a recommendation opens ("Further continue ..." opens with
#: "continue"), so the opening verbs of each category read as the scale's typical verbs.
_FILLERS = frozenset({"further", "fully", "effectively", "also", "to", "that", "urgently"})
EXAMPLES = 3
OPENINGS = 5


@dataclass
class CategoryInData:
    """How one category looks in the store: how many, how they open, a few short examples."""

    category: ActionCategory
    count: int = 0
    share: float = 0.0
    openings: list[tuple[str, int]] = field(default_factory=list)
    examples: list[tuple[int, str]] = field(default_factory=list)


def _opening(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text[:80])]
    while words and words[0] in _FILLERS:
        words.pop(0)
    return words[0] if words else ""


def _compute(session: Session) -> list[CategoryInData]:
    rows = session.execute(
        select(Recommendation.id, Recommendation.action_category, Recommendation.text)
        .where(Recommendation.action_category.is_not(None))
        .order_by(Recommendation.id)
    ).all()
    by_category: dict[int, list[tuple[int, str]]] = {n: [] for n in ACTION_SCALE}
    for rec_id, number, text in rows:
        if number in by_category:
            by_category[number].append((rec_id, text))
    total = sum(len(v) for v in by_category.values())
    out: list[CategoryInData] = []
    for number, category in ACTION_SCALE.items():
        recs = by_category[number]
        openings = Counter(_opening(text) for _id, text in recs)
        openings.pop("", None)
        top = openings.most_common(OPENINGS)
        examples: list[tuple[int, str]] = []
        seen: set[str] = set()
        # a typical example: short, opening with one of the commonest verbs, no repeats
        for verb, _n in top:
            for rec_id, text in sorted(
                (r for r in recs if 40 <= len(r[1]) <= 140 and _opening(r[1]) == verb),
                key=lambda r: (len(r[1]), r[0]),
            )[:1]:
                if text.lower() not in seen:
                    seen.add(text.lower())
                    examples.append((rec_id, text))
            if len(examples) >= EXAMPLES:
                break
        out.append(
            CategoryInData(
                category=category,
                count=len(recs),
                share=len(recs) / total if total else 0.0,
                openings=top,
                examples=examples,
            )
        )
    return out


def scale_in_data(session: Session) -> list[CategoryInData]:
    """Every category with its count, commonest opening words and examples from the store.

    Computed once per data version (``core.cache``): it reads every categorised text once.
    """
    return cached(session, "action-scale", (), lambda: _compute(session))
