"""Postal addresses as comparable word sets, and when two of them are the same place.

Sanctions lists and customer files write addresses freely ("123 Main Street, Las Vegas NV
89132", "123 Main St, Las Vegas"). An address is reduced to its lower-case ASCII words with the
usual street-type and direction abbreviations spelled one way ("street" → "st", "east" → "e").
Two addresses agree when they share the house number and most of their words, or the house
number, a street word and the postal code; without a shared number, when they share at least
three words and most of their words. Country names never count ("Pyongyang, Democratic
People's Republic of Korea" on two records of two banks is a city, not a place). Agreement is
weak evidence (households, offices and
company registration agents share addresses); different addresses prove nothing, since people
move and entities hold several.
"""

from __future__ import annotations

from functools import lru_cache

from rightsdesk.sanctions.matching.text import split_tokens

_SPELLING = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "road": "rd", "lane": "ln",
    "drive": "dr", "boulevard": "blvd", "court": "ct", "place": "pl", "square": "sq",
    "highway": "hwy", "parkway": "pkwy", "suite": "ste", "apartment": "apt", "building": "bldg",
    "floor": "fl", "north": "n", "south": "s", "east": "e", "west": "w", "saint": "st",
    "ulitsa": "ul", "prospekt": "pr",
}  # fmt: skip
MIN_SHARED = 0.6  # share of the shorter address's words found in the other
MIN_WORDS_UNNUMBERED = 3  # words two addresses without a shared number must share


@lru_cache(maxsize=1)
def country_words() -> frozenset[str]:
    """The words of country names, short and official (FollowTheMoney's registry, ISO 3166
    through pycountry: "democratic", "peoples", "korea"), except those an address spells its
    own way ("saint", "north")."""
    import pycountry
    from followthemoney.types import registry

    names = list(registry.country.names.values())
    for country in pycountry.countries:
        names += [getattr(country, f, "") for f in ("name", "official_name", "common_name")]
    words = {t for name in names if name for t in split_tokens(name)}
    return frozenset(w for w in words if w not in _SPELLING and not w.isdigit())


def address_words(text: str) -> frozenset[str]:
    """The words of an address in one spelling; empty when nothing comparable is left."""
    return frozenset(_SPELLING.get(t, t) for t in split_tokens(text[:300]))


def _numbers(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if any(ch.isdigit() for ch in w))


def same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two address word sets name the same place (see the module docstring)."""
    a, b = a - country_words(), b - country_words()
    if not a or not b:
        return False
    numbers_a, numbers_b = _numbers(a), _numbers(b)
    if numbers_a and numbers_b and not numbers_a & numbers_b:
        return False  # another house number or postal code: another place
    shared = a & b
    words = shared - numbers_a
    most = len(shared) >= MIN_SHARED * min(len(a), len(b))
    if not numbers_a & numbers_b:
        return most and len(words) >= MIN_WORDS_UNNUMBERED
    if most and len(shared) >= 2:
        return True
    return len(numbers_a & numbers_b) >= 2 and bool(words)


__all__ = ["address_words", "same_place"]
