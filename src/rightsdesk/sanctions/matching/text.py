"""Text normalisation: one name string → comparable lower-case ASCII tokens.

Every script is transliterated to Latin with ICU (through ``rigour.text.ascii_text``), so that
"Владимир Путин" and "Vladimir Putin" meet as the same tokens. Company legal forms are
rewritten to a generic form first (ООО, GmbH, S.à r.l. → "llc"; S.A., PJSC → "jsc") and then
set aside: two companies are the same whatever form they were registered under, and a form
alone never makes a match. Honorifics ("Dr", "Sheikh", "Mr") are dropped from person names.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from rigour.names import remove_org_types, remove_person_prefixes, replace_org_types_compare
from rigour.text import ascii_text, metaphone


def _words(text: str) -> list[str]:
    return text.split()


# Tokens that carry little identity: name particles and generic organisation words.
PARTICLES = frozenset(
    _words(
        "al el ul ad ar as at az ben bin bn bint ibn abu van von der den de del della "
        "di da dos das du la le ter y e i of the and und et"
    )
)
# "A bin B" is A, son of B: "Omar bin Abdullah" is not "Abdullah bin Omar" (his father or son).
PATRONYMIC = frozenset(_words("bin bn ibn ben bint binti ould"))
ORG_GENERIC = frozenset(
    _words(
        "company co corporation corp group holding holdings international intl trading trade "
        "enterprise enterprises industries industrial services service general limited "
        "investment investments bank national state federal republic global management "
        "development import export shipping partners"
    )
)
_SPLIT = re.compile(r"[^a-z0-9]+")
_VOWELS = str.maketrans("", "", "aeiouy")
# The loose key drops what Arabic and Hebrew scripts do not write (short vowels) or write as a
# consonant (y, w for long vowels) and folds sounds the scripts lack (p → b, v → f); x is
# written ks in Cyrillic ("Callixte" ~ "Калликсте").
_LOOSE = str.maketrans({**str.maketrans("pvqcz", "bfkks", "aeiouywh"), ord("x"): "ks"})
# Common abbreviations of organisation words, spelled out so both forms meet as one token.
ABBREVIATIONS = {
    "co": "company",
    "corp": "corporation",
    "intl": "international",
    "ltd": "limited",
    "inc": "incorporated",
    "bros": "brothers",
    "mfg": "manufacturing",
    "natl": "national",
    "assn": "association",
    "dept": "department",
    "univ": "university",
    "svcs": "services",
    "tech": "technology",
    "mt": "mount",
    "ft": "fort",
}
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "first": "1", "second": "2",
    "third": "3", "fourth": "4", "fifth": "5", "1st": "1", "2nd": "2", "3rd": "3", "4th": "4",
    "5th": "5", "eleven": "11", "twelve": "12", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "hundred": "100",
    # Generations ("John Smith III", "Senior" and "Junior" are different people).
    "ii": "2", "iii": "3", "iv": "4", "junior": "jr", "senior": "sr",
}  # fmt: skip
# Roman numerals of funds, vessels and series (not for people: "Vi" is a given name; "I", "V",
# "X" alone are more often initials).
_ROMAN_NUMERALS = {
    "vi": "6", "vii": "7", "viii": "8", "ix": "9", "xi": "11", "xii": "12", "xiii": "13",
    "xiv": "14", "xv": "15", "xvi": "16", "xx": "20",
}  # fmt: skip


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin (accents allowed)."""
    for char in text:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True


@lru_cache(maxsize=200_000)
def _ascii(text: str) -> str:
    """ICU's romanisation, and anyascii's for the words of scripts ICU has no rules for
    (Khmer, Ethiopic, Tibetan, Myanmar come back from ICU as question marks)."""
    out = ascii_text(text)
    if "?" in out and "?" not in text:
        words = [(w, ascii_text(w)) for w in text.split()]
        out = " ".join(a if "?" not in a else anyascii(w) for w, a in words)
    return out.lower()


def split_tokens(text: str) -> list[str]:
    """Lower-case ASCII tokens of ``text``; apostrophes join ("O'Brien" → "obrien")."""
    text = text.replace("'", "").replace("’", "").replace("`", "").replace("&", " and ")
    return [t for t in _SPLIT.split(_ascii(text)) if t]


def legal_form_split(name: str) -> tuple[str, frozenset[str]]:
    """``name`` without its legal forms, and the generic forms found ("llc", "jsc", ...)."""
    folded = name.casefold()
    kept = split_tokens(remove_org_types(folded, replacement=" "))
    if not kept:  # the name is only a legal form ("LLC"): keep it as the name
        return name, frozenset()
    generic = split_tokens(replace_org_types_compare(folded, generic=True))
    return " ".join(kept), frozenset(generic) - frozenset(kept)


def person_core(name: str) -> str:
    """``name`` without honorifics such as "Dr", "Mr", "Sheikh"."""
    stripped = remove_person_prefixes(name.casefold())
    return stripped if stripped.strip() else name


def canonical_number(token: str, person: bool) -> str:
    """Digits for number words, ordinals and (not in people's names) Roman numerals."""
    found = _NUMBER_WORDS.get(token)
    if found is None and not person:
        found = _ROMAN_NUMERALS.get(token)
    return token if found is None else found


def merge_numbers(tokens: list[str]) -> list[str]:
    """Join a tens word with the unit after it: "forty four" → "40" "4" → "44"."""
    out: list[str] = []
    for token in tokens:
        if (
            out
            and len(token) == 1
            and token.isdigit()
            and len(out[-1]) == 2
            and out[-1].endswith("0")
            and out[-1].isdigit()
        ):
            out[-1] = out[-1][0] + token
        else:
            out.append(token)
    return out


def merge_letters(tokens: list[str]) -> list[str]:
    """Join runs of single letters into one acronym: "A.B.C. Company" → "abc company"."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        out.append(token)
    if run:
        out.append(run)
    return out


# Spellings that differ between romanisation systems (English, French, German, BGN/PCGN
# and Russian passport systems): "Dzhafar"/"Jafar", "Soleymani"/"Soleimani", "Qasem"/"Kasem".
_ROMAN = (
    ("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("sch", "sh"), ("tch", "ch"),
    ("ou", "u"), ("oo", "u"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"), ("y", "i"),
    ("ee", "i"), ("ie", "i"), ("ii", "i"), ("aa", "a"),
)  # fmt: skip


def roman_key(token: str) -> str:
    """The token with romanisation variants folded: "dzhafar" → "jafar", "qasem" → "kasem"."""
    for old, new in _ROMAN:
        if old in token:
            token = token.replace(old, new)
    return token


def loose_key(token: str) -> str:
    """Consonant key robust to vowel-less transliteration ("byryz" and "perez" → "brs")."""
    key = token.translate(_LOOSE)
    squeezed = key[:1]
    for char in key[1:]:
        if char != squeezed[-1]:
            squeezed += char
    return squeezed


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """Metaphone of a token (digits keep themselves)."""
    if token.isdigit():
        return token
    return metaphone(token) or token


def skeleton(token: str) -> str:
    """The token's consonants, keeping a leading vowel ("muhammad" → "mhmmd" → "mhmd")."""
    if not token:
        return token
    rest = token[1:].translate(_VOWELS)
    squeezed = [token[0]]
    for char in rest:
        if char != squeezed[-1]:
            squeezed.append(char)
    return "".join(squeezed)
