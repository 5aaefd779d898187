"""How alike two name parts are, and why: exact, transliteration, typo, initial, phonetic.

The verdict for a pair of token texts is cached: in screening, the same few thousand given and
family names meet again and again, so most comparisons are one dictionary look-up.
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from rightsdesk.sanctions.matching.model import Token
from rightsdesk.sanctions.matching.nicknames import same_given_name
from rightsdesk.sanctions.matching.text import roman_key

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
DRIFT_SCORE = 0.6  # a long part whose ending drifts ("Abdurrahim" ~ "Abdurrahman"): weak
DRIFT_PREFIX = 7  # ... the letters both must share from the start
ROMANISED = 0.8  # the same Chinese syllable in another romanisation ("Xi" ~ "Shi" ~ "Hsi")
# Initials of Chinese syllables that romanisation systems (Pinyin, Wade-Giles, Yale, ad-hoc
# English spellings) write differently for the same or a near sound: Pinyin x is Wade-Giles
# hs and often "sh"/"s" in the press; q, ch, j, zh and ts/tz are one family the same way.
_CHINESE_INITIALS = (
    ("tsh", "c"), ("hs", "s"), ("sh", "s"), ("x", "s"), ("zh", "c"), ("ch", "c"),
    ("ts", "c"), ("tz", "c"), ("q", "c"), ("j", "c"), ("z", "c"), ("s", "s"),
)  # fmt: skip
_FINALS = (
    "a ai an ang ao e ei en eng er i ia ian iang iao ie ieh in ing iong iu ih o ong ou u ua "
    "uai uan uang ue ueh ui un ung uo v ve yu yi"
)
_CHINESE_FINALS = frozenset(_FINALS.split())
# Masculine nominative endings that Latvian and Lithuanian add to every name, foreign ones too
# ("Sergejs Lavrovs" for Sergey Lavrov, "Vladimiras Putinas").
_BALTIC_ENDINGS = ("as", "is", "us", "ys", "s")


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
    elif (
        a.phonetic == b.phonetic
        and len(a.phonetic) >= 2
        and min(la, lb) >= 4
        and abs(la - lb) <= 1
        and best < 0.8
    ):  # another first letter for the same sound: "Zara" ~ "Sarah", "Cathy" ~ "Kathy"
        best, kind = 0.8, PHONETIC
    if not (a.latin and b.latin) and a.loose == b.loose and len(a.loose) >= 2 and best < 0.85:
        best, kind = 0.85, TRANSLITERATION
    if best < ROMANISED and la <= 6 and lb <= 6:
        syllable = chinese_syllable(a.text)
        if syllable and syllable == chinese_syllable(b.text):
            best, kind = ROMANISED, PHONETIC
    if initials and best < 0.9 and (la >= 5 or lb >= 5):
        stem_a, stem_b = baltic_stem(a.text), baltic_stem(b.text)
        if (stem_a and _roman_eq(stem_a, b.text)) or (stem_b and _roman_eq(stem_b, a.text)):
            best, kind = 0.9, PHONETIC
    if best < DRIFT_SCORE and _drift(a.text, b.text):
        best, kind = DRIFT_SCORE, TYPO
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


def chinese_syllable(text: str) -> str:
    """A Chinese syllable with its initial folded across romanisations ("xi", "shi", "hsi"
    → "si"), or "" when ``text`` is not a single syllable of that shape."""
    if len(text) > 6:
        return ""
    for initial, folded in _CHINESE_INITIALS:
        if text.startswith(initial):
            final = text[len(initial) :]
            return folded + ("i" if final == "ih" else final) if final in _CHINESE_FINALS else ""
    return ""


def baltic_stem(text: str) -> str:
    """``text`` without a Latvian/Lithuanian masculine ending, with a final Baltic "j" read as
    "y" ("sergejs" → "sergey", "lavrovas" → "lavrov"); "" when it has none."""
    for ending in _BALTIC_ENDINGS:
        if text.endswith(ending) and len(text) - len(ending) >= 4:
            stem = text[: -len(ending)]
            return stem[:-1] + "y" if stem.endswith("j") else stem
    return ""


def _drift(a: str, b: str) -> bool:
    """Two long parts that share their first ``DRIFT_PREFIX``+ letters (two thirds of the
    shorter at least) and differ in three letters or fewer after them."""
    if min(len(a), len(b)) < DRIFT_PREFIX + 1:
        return False
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    if shared < DRIFT_PREFIX or 3 * shared < 2 * min(len(a), len(b)):
        return False
    return OSA.distance(a[shared:], b[shared:], score_cutoff=3) <= 3


def _gender_forms(a: str, b: str) -> bool:
    """The feminine and the masculine form of a Slavic family name ("Ivanova" / "Ivanov",
    "Barynova" / "Baranov", "Putina" / "Putin"): a wife, a daughter, a sister, not the man."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.endswith(_FEMININE) and short.endswith(_MASCULINE) and len(long) - len(short) == 1


def _roman_eq(a: str, b: str) -> bool:
    return a == b or roman_key(a) == roman_key(b)


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
