"""How alike two name parts are, and why: exact, transliteration, typo, initial, phonetic.

The verdict for a pair of token texts is cached: in screening, the same few thousand given and
family names meet again and again, so most comparisons are one dictionary look-up.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from rightsdesk.sanctions.matching.model import Token
from rightsdesk.sanctions.matching.nicknames import same_given_name

# The Arabic article "al" as romanisations write it, assimilated before sun letters or not:
# "az-Zawahiri", "ar-Rahman", "as-Sayyid" and "al-Zawahiri" carry the same article.
ARABIC_ARTICLE = frozenset(("al", "el", "ul", "ad", "ar", "as", "at", "az"))

EXACT = "exact"
TRANSLITERATION = "transliteration"
TYPO = "typo"
INITIAL = "initial"
PHONETIC = "phonetic"
JOINED = "joined"
PREFIX = "prefix"
NICKNAME = "nickname"
SWAPPED = "swapped"  # agrees, but on the other side of "bin" (father and son)
ACRONYM = "acronym"  # "PLA" ~ "People's Liberation Army"
MISSING = "missing"
GENDER_FORM = "gender_form"  # "Ivanova" ~ "Ivanov": one family, another person
MISMATCH = "mismatch"

_CACHE: dict[tuple[str, str, bool, bool, bool, bool], tuple[float, str]] = {}
_CACHE_LIMIT = 300_000  # ~100 MB at most; cleared when full
_VOWELS = frozenset("aeiou")
TYPO_COST = 1.0  # similarity lost per edit, relative to the token's length
NICKNAME_SCORE = 0.8
SHORT_FORM = 0.65  # "Ben" ~ "Benjamin", "Alex" ~ "Alexander"
GENDER_FORM_SCORE = 0.5
_FEMININE = ("ova", "eva", "ina", "yna")
_MASCULINE = ("ov", "ev", "in", "yn")
MAX_SHORTENED = 5  # letters a short form leaves out: "Hamid" is no short form of "Hamidiravari"


def allowed_edits(length: int) -> int:
    """Typos tolerated in a token of this length: none in short ones, more in long ones."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 10:
        return 2
    return 3


def _compare_texts(a: Token, b: Token, initials: bool) -> tuple[float, str]:
    """Similarity and kind of two different texts (see :func:`compare_tokens`)."""
    if a.text == b.text:
        return 1.0, EXACT
    if a.numeric or b.numeric:
        return 0.0, MISMATCH
    la, lb = len(a.text), len(b.text)
    if la == 1 or lb == 1:  # an initial ("y" too, though it is also a Spanish particle)
        if initials and a.text[0] == b.text[0]:
            return 0.8, INITIAL
        return 0.0, MISMATCH
    if a.particle or b.particle:  # "al" is no typo of "ali": particles agree only as spellings
        if a.roman == b.roman or (a.particle and b.particle and a.loose == b.loose):
            return 0.9, PHONETIC  # "abu" ~ "abou", "al" ~ "el"
        if a.particle and b.particle and {a.text, b.text} <= ARABIC_ARTICLE:
            return 0.9, PHONETIC  # "az" (Zawahiri) ~ "al"
        return 0.0, MISMATCH
    best, kind = 0.0, MISMATCH
    if _squeeze(a.text) == _squeeze(b.text):  # "uun" ~ "un", "Mohamad" ~ "Mohammad"
        best, kind = 0.9, TYPO
    budget = allowed_edits(min(la, lb))
    if not budget and min(la, lb) >= 3 and max(la, lb) >= 4:
        budget = 1  # "Bai" ~ "Baqi": a letter lost in a short part
    same_start = a.text[0] == b.text[0] or (a.text[0] in _VOWELS and b.text[0] in _VOWELS)
    if not same_start:
        budget -= 1  # people rarely mistype the first letter (Osama/Usama is no typo) ...
        if a.text[:2] == b.text[1::-1] and a.text[2:] == b.text[2:]:
            best, kind = 1.0 - 1.0 / la, TYPO  # ... but swap the first two ("Arbii" ~ "Rabii")
    if budget > 0:
        distance = OSA.distance(a.text, b.text, score_cutoff=budget)
        typo = 1.0 - TYPO_COST * distance / max(la, lb)
        if distance <= budget and typo > best:
            best, kind = typo, TYPO
    if a.roman == b.roman and best < 0.9:
        best, kind = 0.9, PHONETIC
    if same_start and min(la, lb) >= 2:
        if (
            a.skeleton == b.skeleton
            and (len(a.skeleton) >= 3 or (len(a.skeleton) == 2 and abs(la - lb) <= 1))
            and best < 0.85
        ):  # "Susan" and "Son" share "sn", yet two letters of five are no typo
            best, kind = 0.85, PHONETIC
        elif a.phonetic == b.phonetic and min(la, lb) >= 4 and abs(la - lb) <= 2 and best < 0.8:
            best, kind = 0.8, PHONETIC
    if not (a.latin and b.latin) and a.loose == b.loose and len(a.loose) >= 2 and best < 0.85:
        best, kind = 0.85, TRANSLITERATION
    if best and _gender_forms(a.text, b.text):
        return min(best, GENDER_FORM_SCORE), GENDER_FORM
    if initials and best < NICKNAME_SCORE and same_given_name(a.text, b.text):
        best, kind = NICKNAME_SCORE, NICKNAME
    if (
        initials
        and best < SHORT_FORM
        and 3 <= min(la, lb) <= 5
        and abs(la - lb) <= MAX_SHORTENED
        and (a.text.startswith(b.text) or b.text.startswith(a.text))
    ):
        best, kind = SHORT_FORM, PREFIX
    return best, kind


def _gender_forms(a: str, b: str) -> bool:
    """The feminine and the masculine form of a Slavic family name ("Ivanova" / "Ivanov",
    "Barynova" / "Baranov", "Putina" / "Putin"): a wife, a daughter, a sister, not the man."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.endswith(_FEMININE) and short.endswith(_MASCULINE) and len(long) - len(short) == 1


def _squeeze(text: str) -> str:
    """The text with doubled letters written once."""
    out = text[:1]
    for char in text[1:]:
        if char != out[-1]:
            out += char
    return out


def compare_tokens(a: Token, b: Token, initials: bool) -> tuple[float, str]:
    """Similarity (0..1) of two tokens and the kind of agreement.

    A pair that agrees only after one side was transliterated from another script is labelled
    "transliteration" rather than "exact" or "phonetic", so the explanation says why it counted.
    """
    both_latin = a.latin and b.latin
    if a.text == b.text:
        return (1.0, EXACT) if both_latin else (1.0, TRANSLITERATION)
    key = (a.text, b.text, initials, both_latin, a.particle, b.particle)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > _CACHE_LIMIT:
            _CACHE.clear()
        found = _compare_texts(a, b, initials)
        _CACHE[key] = found
    if not both_latin and found[0] and found[1] in (PHONETIC, TYPO):
        return found[0], TRANSLITERATION
    return found
