"""What the monitoring importers share: reading UPR Info's legacy exports, the normalised text
that keys a recommendation, and the UPR cycle of a session.

UPR Info's exports (recommendations and voluntary pledges alike) come from a classic Mac tool:
bare CR line endings and Mac Roman bytes. ``decode_legacy_text`` reads them; ``UprInfoExport``
recognises them from their first bytes alone (``--kind auto``).
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import ClassVar

from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.core.importing import head_text, read_text

__all__ = [
    "COLUMNS",
    "decode_legacy_text",
    "natural_key",
    "normalise_text",
    "text_hash",
    "UprInfoExport",
    "upr_cycle",
    "whole_number",
]

# The header of UPR Info's exports, in order (recommendations and pledges alike).
COLUMNS = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)


class UprInfoExport:
    """What UPR Info's two exports share: where they come from, and how ``--kind auto`` tells
    them apart from their first bytes (the same header row; the pledges' Response column says
    "Voluntary Pledge")."""

    source_url: str | None = "https://www.upr-info.org/database/"
    licence: str | None = "none stated; derived from UPR Info"
    pledges: ClassVar[bool] = False

    def sniff(self, path: Path) -> bool:
        head = head_text(path, 4096)
        first = head.replace("\r", "\n").split("\n", 1)[0]
        cells = [c.strip() for c in next(csv.reader([first]), [])]
        pledges = "Voluntary Pledge" in head
        return cells[: len(COLUMNS)] == list(COLUMNS) and pledges == self.pledges


def whole_number(value: str, path: Path, line: int, name: str, low: int, high: int) -> int | None:
    """``value`` as a whole number from ``low`` to ``high`` (None when empty), or an
    InputError naming the file, line and field."""
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise InputError(
            f"{name} must be a whole number from {low} to {high}, not {value!r}",
            file=path,
            line=line,
            field=name,
        )
    return number


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORDS = re.compile(r"[^\w]+")


def decode_legacy_text(path: Path) -> str:
    """The file as text: UTF-8, or Mac Roman when the file has bare CR line endings.

    Mac Roman decodes any byte, so it is only tried for files that look like classic Mac
    exports (CR, no LF); anything else must be UTF-8. Control characters (a binary file, a
    truncated copy) are refused too, with their line.
    """
    data = path.read_bytes()
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\r" in data and b"\n" not in data:
            content = data.decode("mac_roman")
        else:
            content = read_text(path)  # raises EncodingError with the line of the bad byte
    bad = _CONTROL.search(content)
    if bad is not None:
        before = content[: bad.start()]
        line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
        raise EncodingError(
            f"control character {bad.group()!r} in the text: not a text export",
            file=path,
            line=line,
        )
    return content


def normalise_text(text: str) -> str:
    """Case, accents, punctuation and spacing do not make two recommendations different."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _WORDS.sub(" ", text).strip()


def text_hash(text: str) -> str:
    """SHA-1 of the normalised text: the cluster key of identical recommendations."""
    return hashlib.sha1(normalise_text(text).encode("utf-8"), usedforsecurity=False).hexdigest()


def natural_key(*parts: object) -> str:
    """SHA-1 of the identifying parts; texts among them are normalised first."""
    cells = [normalise_text(p) if isinstance(p, str) else str(p) for p in parts]
    joined = "\x1f".join(cells).encode("utf-8")
    return hashlib.sha1(joined, usedforsecurity=False).hexdigest()


def upr_cycle(session: int | None) -> int | None:
    """UPR cycle of a Working Group session: 1-12 first, 13-26 second, 27-40 third, 41-54..."""
    if session is None:
        return None
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14
