"""UN document symbols: the official form a resolution is stored under, and finding one from
any common spelling.

Sources write the same resolution several ways (unvotes ``R/68/262`` and ``ESS/10/19``, UN_DATA
``S/RES/2334(2016)`` and ``A/RES/41/68[E]``, users ``68/262`` or ``hrc/res/46/1``). Each is
stored in the UN's form (``A/RES/68/262``, ``A/RES/ES-10/19``, ``S/RES/2334 (2016)``,
``A/RES/2795 (XXVI)``, ``A/RES/41/68 E``) with a *symbol key* beside it: upper case, no spaces,
brackets or parenthesised year/session. Keys are what matching compares, so that a Security
Council number needs no year and a letter suffix may be written with or without a space.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.negotiation.votes.models import Resolution

__all__ = [
    "ROMAN",
    "find_resolution",
    "lookup_keys",
    "official_symbol",
    "symbol_key",
    "unvotes_symbol",
]

ROMAN = [
    "",
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
    "XVIII",
    "XIX",
    "XX",
    "XXI",
    "XXII",
    "XXIII",
    "XXIV",
    "XXV",
    "XXVI",
    "XXVII",
    "XXVIII",
    "XXIX",
    "XXX",
]

_PAREN = re.compile(r"\([^)]*\)")
_UNVOTES = re.compile(r"^(R|ESS|SS|A/RES)/(ES-|S-)?(\d+)(?:/(\d+)([A-Z]?))?(?:/?([A-Z]|[IVX]+))?$")
_GA = re.compile(r"^A/RES/(?:(ES-|S-)?(\d+)/)?(\d+)\s*\[?([A-Z]{0,2})\]?\s*(?:\(([^)]*)\))?$")
_SC = re.compile(r"^S/RES/(\d+)\s*(?:\((\d{4})\))?$")


def symbol_key(symbol: str | None) -> str | None:
    """The matching key of a symbol: upper case without spaces, dots after letters, brackets
    or parenthesised parts (``S/RES/2334 (2016)`` -> ``S/RES/2334``)."""
    if not symbol:
        return None
    text = _PAREN.sub("", symbol.upper())
    text = re.sub(r"[\s\[\]]", "", text)
    return text or None


def official_symbol(symbol: str | None) -> str | None:
    """A GA or SC symbol as the UN writes it (``S/RES/2334(2016)`` -> ``S/RES/2334 (2016)``,
    ``A/RES/41/68[E]`` -> ``A/RES/41/68 E``, ``A/RES/2704(XXV)`` -> ``A/RES/2704 (XXV)``);
    other symbols come back stripped and upper-cased."""
    if not symbol:
        return None
    text = " ".join(symbol.strip().upper().split())
    if m := _SC.match(text):
        return f"S/RES/{m[1]}" + (f" ({m[2]})" if m[2] else "")
    if m := _GA.match(text):
        special, session, number, letter, paren = m.groups()
        letter_part = f" {letter}" if letter else ""
        if session is not None:
            return f"A/RES/{special or ''}{int(session)}/{int(number)}{letter_part}"
        return f"A/RES/{int(number)}{letter_part}" + (f" ({paren})" if paren else "")
    return text


def unvotes_symbol(unres: str | None) -> str | None:
    """The official symbol of an unvotes ``unres`` value (``R/68/262``, ``R/26/2795``,
    ``ESS/10/19``, ``SS/1/59``, ``R/33/116A/I``).

    Until the 31st session (1976) GA resolutions were numbered across sessions with the session
    in Roman numerals (``A/RES/2795 (XXVI)``); a trailing section number (``/I``) names a part
    of the resolution voted on separately and is not part of the symbol.
    """
    if not unres or not unres.strip():
        return None
    text = unres.strip().upper()
    m = _UNVOTES.match(text)
    if m is None:
        return official_symbol(text)
    prefix, special, first, number, letter, tail = m.groups()
    if number is None:  # "SS/5": a special session's whole record
        return None
    if tail and len(tail) == 1 and tail in "ABCDEFGH" and not letter:
        letter = tail
    letter_part = f" {letter}" if letter else ""
    if prefix == "ESS" or special == "ES-":
        return f"A/RES/ES-{int(first)}/{int(number)}{letter_part}"
    if prefix == "SS" or special == "S-":
        return f"A/RES/S-{int(first)}/{int(number)}{letter_part}"
    if int(first) <= 30:
        roman = ROMAN[int(first)] if int(first) > 0 else str(first)
        return f"A/RES/{int(number)}{letter_part} ({roman})"
    return f"A/RES/{int(first)}/{int(number)}{letter_part}"


def lookup_keys(text: str) -> list[str]:
    """Symbol keys a user's spelling may stand for, most likely first (``68/262``,
    ``a/res/68/262``, ``ES-11/1``, ``hrc/res/46/1``, ``s/res/2334(2016)``, ``R/68/262``).

    Emergency special sessions (``ES-11/1``) are the General Assembly's only; special
    sessions (``S-34/1``) are both bodies', the Human Rights Council's first unless the
    spelling says ``A/RES/``."""
    key = symbol_key(text.strip().strip("\"'"))
    if not key:
        return []
    key = key.rstrip(".")
    # "ES11/1", "A/RES/ES11/1": the hyphen of an emergency or special session left out
    key = re.sub(r"(^|/)(ES|S)(\d+/\d+)", r"\1\2-\3", key)
    if m := re.match(r"^(?:A/)?HRC/?(?:RES/)?((?:S-)?\d+/\d+[A-Z]?)$", key):
        return ["A/HRC/RES/" + m[1]]  # "HRC/RES/S-34/1", "A/HRC/S-34/1", "HRC S-34/1"
    if key.startswith(("A/RES/", "A/HRC/", "S/RES/", "E/CN.4/", "A/C.3/", "S/")):
        return [key]
    if key.startswith("RES/"):
        return ["A/" + key]
    if re.match(r"^(R|ESS|SS)/(\d+)/(\d+)([A-Z]?)$", key):
        official = unvotes_symbol(key)
        found = symbol_key(official)
        return [found] if found else []
    if re.match(r"^ES-\d+/\d+[A-Z]?$", key):
        return ["A/RES/" + key]  # only the General Assembly holds emergency special sessions
    if re.match(r"^S-\d+/\d+[A-Z]?$", key):
        # a bare "S-34/1" is first the Human Rights Council's special session (its usual
        # citation); the General Assembly's are cited with their prefix ("A/RES/S-27/2")
        return ["A/HRC/RES/" + key, "A/RES/" + key]
    if re.match(r"^\d+/\d+[A-Z]?$", key):
        return ["A/RES/" + key, "A/HRC/RES/" + key]
    if re.match(r"^\d+[A-Z]?$", key):
        return ["A/RES/" + key, "S/RES/" + key]
    return [key]


def find_resolution(session: Session, text: str) -> Resolution | None:
    """The stored resolution a user's spelling names (see ``lookup_keys``), or None.

    Where several share a key (a resolution voted part by part in unvotes), the one with a
    first stored is returned (the whole text's symbol; sections share it).
    """
    for key in lookup_keys(text):
        found = session.scalars(
            select(Resolution).where(Resolution.symbol_key == key).order_by(Resolution.id)
        ).first()
        if found is not None:
            return found
    return None


_ADOPTED = re.compile(
    r"\s*:\s*(?:draft\s+)?resolutions?\s*/\s*(?:adopted|\[adopted).*$", re.IGNORECASE | re.DOTALL
)


def clean_title(title: str | None) -> str | None:
    """A UN Digital Library title without its statement of responsibility
    (``Territorial integrity of Ukraine : resolution / adopted by the General Assembly`` ->
    ``Territorial integrity of Ukraine``)."""
    if not title or not title.strip():
        return None
    return _ADOPTED.sub("", " ".join(title.split())).strip() or None


def _descriptor(text: str | None) -> str | None:
    """A UNBIS subject descriptor (upper case, ``--`` between terms) found in ``text``."""
    if not text:
        return None
    tail = text.rsplit(" - ", 1)[-1].strip()
    letters = [c for c in tail if c.isalpha()]
    return tail[:300] if letters and tail.upper() == tail else None


def unvotes_title(short: str | None, descr: str | None) -> tuple[str, str | None]:
    """(title, subject) of an unvotes roll call. The data set is not consistent: for recent
    sessions ``short`` or ``descr`` holds the library title ("...: resolution / adopted by the
    General Assembly") and the other the subject descriptors; for older ones ``short`` is a
    descriptor-like heading and ``descr`` the motion voted on. The title is the library title
    where there is one, else the heading; the descriptors are kept as the subject."""
    for title, other in ((short, descr), (descr, short)):
        if title and _ADOPTED.search(title):
            return clean_title(title) or title, _descriptor(other)
    heading = (short or "").strip() or (descr or "").strip()[:300] or "(no title)"
    return heading, _descriptor(short)
