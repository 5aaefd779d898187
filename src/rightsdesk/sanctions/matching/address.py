"""Postal addresses as comparable word sets, and when two of them are the same place.

Sanctions lists and customer files write addresses freely ("123 Main Street, Las Vegas NV
89132", "123 Main St, Las Vegas"). An address is reduced to its lower-case ASCII words with the
usual street-type and direction abbreviations spelled one way ("street" → "st", "east" → "e").
Two addresses agree when they share the house number and most of their words, or the house
number, a street word and the postal code. Agreement is weak evidence (households, offices and
company registration agents share addresses); different addresses prove nothing, since people
move and entities hold several.
"""

from __future__ import annotations

from rightsdesk.sanctions.matching.text import split_tokens

_SPELLING = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd", "lane": "ln",
    "drive": "dr", "boulevard": "blvd", "court": "ct", "place": "pl", "square": "sq",
    "highway": "hwy", "parkway": "pkwy", "suite": "ste", "apartment": "apt", "building": "bldg",
    "floor": "fl", "north": "n", "south": "s", "east": "e", "west": "w", "saint": "st",
    "ulitsa": "ul", "prospekt": "pr",
}  # fmt: skip
MIN_SHARED = 0.6  # share of the shorter address's words found in the other


def address_words(text: str) -> frozenset[str]:
    """The words of an address in one spelling; empty when nothing comparable is left."""
    return frozenset(_SPELLING.get(t, t) for t in split_tokens(text[:300]))


def _numbers(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if any(ch.isdigit() for ch in w))


def same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two address word sets name the same place (see the module docstring)."""
    if not a or not b:
        return False
    numbers_a, numbers_b = _numbers(a), _numbers(b)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return False  # another house number or postal code: another place
    shared = a & b
    if len(shared) >= MIN_SHARED * min(len(a), len(b)) and len(shared) >= 2:
        return True
    words = shared - numbers_a
    return len(numbers_a & numbers_b) >= 2 and bool(words)


__all__ = ["address_words", "same_place"]
