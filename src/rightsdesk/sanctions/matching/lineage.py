"""Arabic lineage in names: "Omar bin Abdullah" is Omar, son of Abdullah, not his father.

A name of the form "X bin Y" (ibn, ben, bint, ould) links a son to his father. Two names
holding the same parts with a link the other way round ("Abdullah bin Omar") name two people
of one family, so those parts must not count as agreeing. Parts that only moved without
crossing a link (the family name put first, "AL-AMDOUNI Mehrez ben Mahmoud" for "Mehrez ben
Mahmoud AL-AMDOUNI", as lists that write the surname first do) change nothing.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.model import PreparedName
from rightsdesk.sanctions.matching.text import PATRONYMIC


def links(name: PreparedName) -> list[tuple[int, int]]:
    """(son, father) part indices of each "X bin Y" in the name."""
    tokens = name.tokens
    return [
        (k - 1, k + 1)
        for k in range(1, len(tokens) - 1)
        if tokens[k].text in PATRONYMIC and tokens[k].particle
    ]


def _reversed(link: tuple[int, int], partner: dict[int, int], markers: list[int]) -> bool:
    """Whether the son and father of ``link`` sit on the other name in the other order, with
    a "bin" between them."""
    son, father = partner.get(link[0], -1), partner.get(link[1], -1)
    return 0 <= father < son and any(father < m < son for m in markers)


def swapped_parts(q: PreparedName, c: PreparedName, partner: dict[int, int]) -> set[int]:
    """Indices of the parts of ``q`` in a link that ``c`` holds reversed; ``partner`` maps
    each aligned part of ``q`` to its part of ``c``."""
    markers = [k + 1 for k, _ in links(c)]
    swapped: set[int] = set()
    for link in links(q):
        if _reversed(link, partner, markers):
            swapped.update(link)
    return swapped


def lineage_differs(q: PreparedName, c: PreparedName) -> bool:
    """Same parts, but a son and his father the other way round (so not the same person)."""
    if q.patronymic <= 0 or c.patronymic <= 0:
        return False
    texts = {t.text: j for j, t in enumerate(c.tokens)}
    partner = {i: texts.get(t.text, -1) for i, t in enumerate(q.tokens)}
    return bool(swapped_parts(q, c, partner))


__all__ = ["lineage_differs", "links", "swapped_parts"]
