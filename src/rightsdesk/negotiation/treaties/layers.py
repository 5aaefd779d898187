"""The non-status layers of the ratification matrix, one short text per state x instrument.

``competence``: the articles whose competence declarations are in force ("21,22"; an opt-out
of an inquiry procedure in force reads "-20"); ``complaints``: "accepts" where the
instrument's individual-complaint procedure is accepted (party to the protocol, or the
article 14 / 22 / 31 / 77 declaration); ``reservations``: the number of reservations,
declarations and understandings in force (objections not counted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.treaties.models import Competence, Ratification, ReservationItem

LAYER_NAMES: tuple[str, ...] = ("status", "competence", "complaints", "reservations")
# instrument -> the article of its individual-complaint declaration (None: the whole protocol)
COMPLAINT_ARTICLE: dict[str, str | None] = {
    "ICERD": "14",
    "ICCPR-OP1": None,
    "OP-ICESCR": None,
    "OP-CEDAW": None,
    "CAT": "22",
    "OP-CRC-IC": None,
    "ICMW": "77",
    "OP-CRPD": None,
    "CPED": "31",
}
_PARTY = frozenset({"ratified", "acceded", "succeeded"})


def check_layer(layer: str) -> str:
    """The layer name, or an InputError listing the layers."""
    if layer not in LAYER_NAMES:
        raise InputError(f"unknown layer {layer!r}; choose one of {', '.join(LAYER_NAMES)}")
    return layer


def layer_values(
    session: Session, layer: str, iso3s: Iterable[str] | None = None
) -> dict[tuple[str, str], str]:
    """(iso3, instrument) -> the text of a non-status layer; missing keys mean empty."""
    wanted = None if iso3s is None else list(iso3s)
    out: dict[tuple[str, str], str] = {}
    if layer == "reservations":
        stmt = select(ReservationItem).where(
            ReservationItem.kind != "objection", ReservationItem.withdrawn.is_distinct_from("full")
        )
        if wanted is not None:
            stmt = stmt.where(ReservationItem.iso3.in_(wanted))
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for item in session.scalars(stmt):
            counts[(item.iso3, item.instrument_short)] += 1
        return {k: str(v) for k, v in counts.items()}
    comp_stmt = select(Competence).where(Competence.withdrawn.is_(None))
    if wanted is not None:
        comp_stmt = comp_stmt.where(Competence.iso3.in_(wanted))
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in session.scalars(comp_stmt):
        mark = c.article if c.kind == "acceptance" else f"-{c.article}"
        found[(c.iso3, c.instrument_short)].append(mark)
    if layer == "competence":
        return {
            k: ",".join(sorted(v, key=lambda a: int(a.lstrip("-") or 0))) for k, v in found.items()
        }
    rat_stmt = select(Ratification).where(Ratification.instrument_short.in_(COMPLAINT_ARTICLE))
    if wanted is not None:
        rat_stmt = rat_stmt.where(Ratification.iso3.in_(wanted))
    for row in session.scalars(rat_stmt):
        if row.status not in _PARTY or row.party_until is not None:
            continue
        article = COMPLAINT_ARTICLE[row.instrument_short]
        key = (row.iso3, row.instrument_short)
        if article is None or article in found.get(key, []):
            out[key] = "accepts"
    return out
