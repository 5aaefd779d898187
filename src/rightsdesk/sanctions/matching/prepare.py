"""Prepare a query or entity once: normalised names, token keys and weights, clean evidence.

Everything that ``score`` needs is computed here, so that comparing two prepared values does no
string normalisation, transliteration or phonetic encoding: those cost tens of microseconds per
name, the comparison itself must cost about as much in total.
"""

from __future__ import annotations

import re
from functools import lru_cache

from followthemoney import model as ftm_model

from rightsdesk.sanctions.matching.address import address_words
from rightsdesk.sanctions.matching.align import all_common
from rightsdesk.sanctions.matching.common_names import is_common
from rightsdesk.sanctions.matching.model import Prepared, PreparedName, Query, Token
from rightsdesk.sanctions.matching.text import (
    ABBREVIATIONS,
    ORG_GENERIC,
    PARTICLES,
    PATRONYMIC,
    canonical_number,
    is_latin,
    legal_form_split,
    loose_key,
    merge_letters,
    merge_numbers,
    person_core,
    phonetic_key,
    roman_key,
    skeleton,
    split_tokens,
)

MAX_NAME_CHARS = 300
MAX_PARTS = 24
_ID_CLEAN = re.compile(r"[^A-Z0-9]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


@lru_cache(maxsize=256)
def schema_kind(schema: str) -> str:
    """How names of this FtM schema compare: person, organization, entity, vessel or other.

    "entity" (a bare LegalEntity) may be either a person or a company, so its names get both
    treatments (legal forms removed, initials allowed).
    """
    found = ftm_model.get(schema)
    if found is None:
        return "other"
    if found.is_a("Person"):
        return "person"
    if found.is_a("Organization"):
        return "organization"
    if found.is_a("LegalEntity"):
        return "entity"
    if found.is_a("Vessel") or found.is_a("Airplane"):
        return "vessel"
    return "other"


def token_weight(text: str, kind: str, first: bool = False) -> float:
    """How much a token says about identity: particles, initials, generic words say little.

    ``first``: the token opens a person's name of several parts, where "Ben" or "Bin" cannot
    mean "son of" and is a given name ("Ben Netanyahu") or a family name put first.
    """
    if text.isdigit():
        return 1.0
    if len(text) == 1:
        return 0.3
    if text in PARTICLES and not (first and text in PATRONYMIC):
        return 0.3
    if kind != "person" and text in ORG_GENERIC:
        return 0.4
    if is_qualifier(text, kind):
        return QUALIFIER_WEIGHT
    return min(1.0, 0.55 + 0.1 * len(text))


QUALIFIER_WEIGHT = 0.45
# Russian, Ukrainian and Belarusian patronymics: the father's given name, which many records
# leave out ("Sergey Lavrov" for Sergey Viktorovich Lavrov).
_PATRONYMIC_ENDINGS = (
    "ovich", "evich", "ovych", "evych", "ovitch", "evitch", "ovna", "evna", "ivna", "ichna",
    "yevich", "ievich", "avich",
)  # fmt: skip


@lru_cache(maxsize=1)
def _country_words() -> frozenset[str]:
    """One-word country names in FollowTheMoney's registry ("china", "iran", "syria")."""
    from followthemoney.types import registry

    return frozenset(
        n.lower() for n in registry.country.names.values() if n.isalpha() and len(n) > 3
    )


def is_qualifier(text: str, kind: str) -> bool:
    """A patronymic in a person's name, or a country name in an organisation's: parts that
    records often leave out (``Token.qualifier``)."""
    if kind == "person":
        return len(text) >= 7 and text.endswith(_PATRONYMIC_ENDINGS)
    return kind in ("organization", "vessel", "other") and text in _country_words()


@lru_cache(maxsize=32_768)  # names repeat within a batch; a prepared name is ~1.5 kB
def prepare_name(name: str, kind: str) -> PreparedName | None:
    """Normalise one name; None when nothing comparable is left (empty, punctuation only).

    Names are cut at ``MAX_NAME_CHARS`` characters and ``MAX_PARTS`` parts: no real name is
    longer, and a hostile megabyte-long "name" must not cost a quadratic alignment.
    """
    name = name[:MAX_NAME_CHARS]
    latin = is_latin(name)
    text = name
    forms: frozenset[str] = frozenset()
    if kind in ("organization", "entity", "vessel", "other"):
        text, forms = legal_form_split(text)
    if kind in ("person", "entity"):
        text = person_core(text)
    person = kind == "person"
    raw = merge_numbers([canonical_number(t, person) for t in split_tokens(text)])
    if kind in ("organization", "vessel", "other"):
        raw = [ABBREVIATIONS.get(t, t) for t in merge_letters(raw)]
    elif person:
        raw = split_initials(raw)
    if not raw:
        return None
    raw = raw[:MAX_PARTS]
    people = kind in ("person", "entity")
    many = len(raw) > 1  # "Ben" first in a person's name is Benjamin, not "son of"
    tokens = tuple(
        Token(
            text=t,
            phonetic=phonetic_key(t),
            skeleton=skeleton(t),
            loose=loose_key(t),
            roman=roman_key(t),
            weight=token_weight(t, kind, person and n == 0 and many),
            latin=latin,
            numeric=t.isdigit(),
            particle=t in PARTICLES and not (person and n == 0 and t in PATRONYMIC and many),
            common=people and is_common(t),
            qualifier=is_qualifier(t, kind),
        )
        for n, t in enumerate(raw)
    )
    words = [t for t in raw if t not in PARTICLES and not t.isdigit()]
    return PreparedName(
        original=name,
        tokens=tokens,
        key=" ".join(sorted(raw)),
        compact="".join(raw),
        legal_forms=forms,
        total=sum(t.weight for t in tokens),
        has_number=any(t.numeric for t in tokens),
        patronymic=next((i for i, t in enumerate(raw) if t in PATRONYMIC), -1),
        acronym="".join(t[0] for t in words) if len(words) >= 2 and not person else "",
        common_only=people and all_common(tokens),
    )


_NOT_INITIALS = frozenset(["jr", "sr", "ng", "nh", "th", "ch", "sh", "st", "mr", "dr", "ms", "md"])
_CONSONANTS = frozenset("bcdfghjklmnpqrstvwxz")


def split_initials(tokens: list[str]) -> list[str]:
    """Two consonants standing as a part of a person's name are initials: "JC Juncker".

    No given or family name is two consonants; "Jr", "Sr" and the Vietnamese "Ng" are kept.
    """
    out: list[str] = []
    for token in tokens:
        if len(token) == 2 and token not in _NOT_INITIALS and set(token) <= _CONSONANTS:
            out.extend(token)
        else:
            out.append(token)
    return out


def _clean_date(value: str) -> str | None:
    found = _DATE.match(value.strip())
    return found.group(0) if found else None


def _clean_contact(value: str) -> str | None:
    """An e-mail address in lower case, or a phone number as its last 9 digits."""
    value = value.strip().lower()
    if "@" in value:
        found = _EMAIL.search(value)
        return found.group(0) if found else None
    digits = re.sub(r"\D", "", value)
    return digits[-9:] if len(digits) >= 7 else None


def prepare(q: Query) -> Prepared:
    """Normalise, transliterate and tokenise a query once for many comparisons.

    Duplicate names (same tokens in any order) are kept once; dates are cut to their ISO
    prefix; identifiers keep only upper-case letters and digits ("AB-123 456" → "AB123456");
    addresses become word sets (``address.address_words``).
    """
    kind = schema_kind(q.schema)
    names: dict[str, PreparedName] = {}
    for raw in q.names:
        if not raw or not raw.strip():
            continue
        prepared = prepare_name(raw.strip(), kind)
        if prepared is not None and prepared.key not in names:
            names[prepared.key] = prepared
    dates = tuple(sorted({d for d in (_clean_date(v) for v in q.birth_dates) if d}))
    idents = frozenset(
        cleaned for cleaned in (_ID_CLEAN.sub("", i.upper()) for i in q.identifiers) if cleaned
    )
    contacts = frozenset(c for c in (_clean_contact(v) for v in q.contacts) if c)
    typed = frozenset(
        (kind, cleaned)
        for kind, value in q.typed_identifiers
        if (cleaned := _ID_CLEAN.sub("", value.upper()))
    )
    addresses = tuple(dict.fromkeys(w for w in (address_words(a) for a in q.addresses) if w))
    gender = q.gender.strip().lower() if q.gender and q.gender.strip() else None
    return Prepared(
        query=q,
        kind=kind,
        names=tuple(names.values()),
        birth_dates=dates,
        nationalities=frozenset(c.strip().lower() for c in q.nationalities if c.strip()),
        gender=gender if gender in ("male", "female") else None,
        identifiers=idents,
        contacts=contacts,
        typed_identifiers=typed,
        addresses=addresses,
    )
