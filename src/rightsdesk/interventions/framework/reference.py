"""The reference data: the 14 risk factors of the UN Framework of Analysis for Atrocity Crimes
(2014) and their numbered indicators, read once from ``data/framework_2014.yaml``.

The framework is a published document, not a dataset that changes: it ships with the package
rather than being imported into the store, so every store rates against the same list and an
indicator code ("7.14") means the same thing everywhere. The file names its citation and which
indicator wordings still need checking against the published PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from rightsdesk.core.errors import InputError, NotFoundError

__all__ = [
    "CRIMES",
    "RATINGS",
    "RATING_LABELS",
    "Factor",
    "Framework",
    "Indicator",
    "check_rating",
    "framework",
    "indicator",
]

DATA_FILE = "framework_2014.yaml"
#: the ratings an analyst gives an indicator, weakest first ("not-assessed": not looked at yet)
RATINGS: tuple[str, ...] = ("not-present", "low", "moderate", "high", "not-assessed")
RATING_LABELS: dict[str, str] = {
    "not-present": "not present",
    "low": "low",
    "moderate": "moderate",
    "high": "high",
    "not-assessed": "not assessed",
}
#: the crimes the specific risk factors relate to (the common ones relate to all three)
CRIMES: tuple[str, ...] = ("genocide", "crimes against humanity", "war crimes")


@dataclass(frozen=True)
class Indicator:
    """One numbered indicator of a risk factor, e.g. 7.14."""

    code: str
    factor: int
    text: str
    check: bool  # wording least certain: check against the published PDF before quoting


@dataclass(frozen=True)
class Factor:
    """One risk factor: common (1-8) or specific to one crime (9-14)."""

    number: int
    group: str  # "common" or "specific"
    crime: str | None  # for specific factors: genocide, crimes against humanity, war crimes
    title: str
    description: str
    indicators: tuple[Indicator, ...]

    @property
    def label(self) -> str:
        return f"Risk factor {self.number}: {self.title}"


@dataclass(frozen=True)
class Framework:
    """The whole document: citation and factors in their published order."""

    citation: str
    short: str
    url: str
    wording_checked: bool
    factors: tuple[Factor, ...]

    def factor(self, number: int) -> Factor:
        for factor in self.factors:
            if factor.number == number:
                return factor
        raise NotFoundError(f"no risk factor {number} (the framework has 1 to 14)")

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for f in self.factors for i in f.indicators)


def _indicator(raw: Any, factor: int, position: int) -> Indicator:
    text, check = (raw["text"], bool(raw.get("check"))) if isinstance(raw, dict) else (raw, False)
    return Indicator(f"{factor}.{position}", factor, " ".join(str(text).split()), check)


def _factor(raw: dict[str, Any]) -> Factor:
    number = int(raw["number"])
    items = tuple(_indicator(r, number, i) for i, r in enumerate(raw["indicators"], start=1))
    return Factor(
        number=number,
        group=str(raw["group"]),
        crime=raw.get("crime"),
        title=str(raw["title"]),
        description=" ".join(str(raw["description"]).split()),
        indicators=items,
    )


@cache
def framework() -> Framework:
    """The framework as the package's data file gives it (read once per process)."""
    text = (resources.files(__package__) / "data" / DATA_FILE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return Framework(
        citation=" ".join(str(raw["citation"]).split()),
        short=str(raw["short"]),
        url=str(raw["url"]),
        wording_checked=bool(raw.get("wording_checked_against_pdf")),
        factors=tuple(_factor(f) for f in raw["factors"]),
    )


def indicator(code: str) -> Indicator:
    """The indicator numbered ``code`` ("7.14"); an InputError naming the code otherwise."""
    wanted = code.strip()
    for item in framework().indicators:
        if item.code == wanted:
            return item
    factor, _, _ = wanted.partition(".")
    hint = ""
    if factor.isdecimal() and 1 <= int(factor) <= len(framework().factors):
        last = framework().factor(int(factor)).indicators[-1].code
        hint = f"; risk factor {factor} has {factor}.1 to {last}"
    raise InputError(f"unknown indicator {code!r}{hint}", field="indicator")


def check_rating(rating: str) -> str:
    """The rating in its stored form ("not present" and "not-present" both work)."""
    word = rating.strip().lower().replace(" ", "-").replace("_", "-")
    if word not in RATINGS:
        allowed = ", ".join(RATING_LABELS[r] for r in RATINGS)
        raise InputError(f"unknown rating {rating!r}; use one of: {allowed}", field="rating")
    return word
