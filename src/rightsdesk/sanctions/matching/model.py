"""What the matcher works on: a query (or a list entity) and its prepared, comparable form.

A :class:`Query` is the small, schema-agnostic slice of a FollowTheMoney entity that matching
uses. :func:`~rightsdesk.sanctions.matching.prepare.prepare` turns it once into a
:class:`Prepared` value holding every normalised and derived form (ASCII tokens, phonetic and
consonant keys, weights), so that the hot path, ``score``, does no text processing at all: the
screening index prepares each of ~60k list names once and compares millions of queries to them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    """A query or a list entity, reduced to what matching uses.

    ``birth_dates`` are ISO prefixes ("1964-01-27", "1971-05", "1971"), ``nationalities`` FtM
    country codes (ISO2 lower case), ``gender`` "male"/"female" or None.
    """

    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    identifiers: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()  # e-mail addresses and phone numbers
    # (kind, value) of identifiers whose kind is known ("passportNumber", "X123"): two
    # different values of one kind count against a match (see ``evidence.identifiers``)
    typed_identifiers: tuple[tuple[str, str], ...] = ()
    addresses: tuple[str, ...] = ()  # postal addresses as free text


@dataclass(frozen=True, slots=True)
class Token:
    """One name part in comparable form.

    ``text`` is lower-case ASCII; ``phonetic`` a metaphone key; ``skeleton`` the consonants
    after the first letter (so that an Arabic name transliterated without vowels, "mhmd",
    still meets "Muhammad"); ``loose`` a coarser consonant key for names from scripts without
    p, v or written short vowels ("byryz" ~ "Perez"); ``roman`` the text with romanisation
    variants folded ("dzhafar" ~ "jafar"); ``weight`` how much the token says about identity
    (long tokens say more than "al", "de" or an initial); ``latin`` whether the original was
    written in Latin script (a token transliterated from another script earns a
    "transliteration" label); ``common`` whether many unrelated people carry it
    (``common_names``: agreement on such parts alone proves little).
    """

    text: str
    phonetic: str
    skeleton: str
    loose: str
    roman: str
    weight: float
    latin: bool
    numeric: bool
    particle: bool  # "al", "bin", "van", "of", ...: agrees only when exactly the same
    common: bool = False  # many unrelated people carry it ("Mohammad", "John", "Kim")
    # a part that says little when only one name has it but contradicts when both have a
    # different one: a patronymic ("Viktorovich"), a country in a company name ("PLA China")
    qualifier: bool = False


@dataclass(frozen=True, slots=True)
class PreparedName:
    """One name of a query or entity: the original, its tokens and whole-name keys."""

    original: str
    tokens: tuple[Token, ...]
    key: str  # sorted token texts joined by a space: equal keys are the same name
    compact: str  # token texts joined without spaces, in order (catches "Jin Ping"/"Jinping")
    legal_forms: frozenset[str]  # normalised company forms removed from the tokens ("llc")
    total: float  # sum of the token weights
    has_number: bool  # some token is a number
    patronymic: int  # index of the first "bin"/"ibn"/"ben"/"bint"/"ould" token, -1 if none
    acronym: str = ""  # first letters of the parts of a name of 2+ parts ("pla" for PLA)
    common_only: bool = False  # a person's name of one or two full parts, all common


@dataclass(frozen=True, slots=True)
class Prepared:
    """A query or entity prepared once for many comparisons."""

    query: Query
    kind: str  # "person", "organization", "vessel" or "other": how names are compared
    names: tuple[PreparedName, ...]
    birth_dates: tuple[str, ...]
    nationalities: frozenset[str]
    gender: str | None
    identifiers: frozenset[str]  # upper-case alphanumerics only
    contacts: frozenset[str]  # lower-case e-mails, phone numbers as their last 9 digits
    typed_identifiers: frozenset[tuple[str, str]] = frozenset()  # (kind, cleaned value)
    addresses: tuple[frozenset[str], ...] = ()  # normalised address words (see ``address``)
