"""Where register entries come from: each import kind (and editors), with the label a page
shows and where the source lives. Kept apart so importers, pages and ``public`` agree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Origin:
    """One source of register entries."""

    kind: str
    label: str
    url: str | None
    licence: str | None = None
    precision: str = "day"  # of its "data up to": the ICJ list gives years only


PKO = Origin(
    "un-peacekeeping",
    "UN Department of Peace Operations / DPPA-DPO shared services: peacekeeping operations",
    "https://psdata.un.org/dataset/DPPADPOSS-PKO",
    "UN terms of use",
)
ICC = Origin(
    "icc-aba",
    "American Bar Association ICC Project: situations, cases, accused and charges",
    "https://github.com/aba-icc/aba-icc.github.io",
    "MIT",
)
ICJ = Origin(
    "icj-cases",
    "International Court of Justice: list of cases",
    "https://www.icj-cij.org/list-of-all-cases",
    None,
    "year",
)
CSV = Origin("responses-csv", "Responses entered from a CSV file (rightsdesk format)", None, None)
EDITOR = Origin("editor", "Entered or updated by editors in rightsdesk", None, None)

ORIGINS: dict[str, Origin] = {o.kind: o for o in (PKO, ICC, ICJ, CSV, EDITOR)}


def origin_label(kind: str) -> str:
    """The plain label of a source kind (the kind itself when unknown)."""
    found = ORIGINS.get(kind)
    return found.label if found else kind


def up_to_text(kind: str, as_of: date | None) -> str:
    """ "2022-04-05", or "2025" for a source dated by year; "" when unknown."""
    if as_of is None:
        return ""
    found = ORIGINS.get(kind)
    return str(as_of.year) if found and found.precision == "year" else as_of.isoformat()
