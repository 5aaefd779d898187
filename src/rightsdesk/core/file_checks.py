"""The structural checks every imported file passes before any importer reads it: no NUL
bytes, and for quoting CSV formats no quoted field left open at the end (a cut file).

Kept apart from the import framework so that a format can call them on its own (an event
export of gigabytes is checked in chunks, memory staying flat).
"""

from __future__ import annotations

from pathlib import Path

from rightsdesk.core.errors import EncodingError, InputError

#: Files of these kinds are text: a NUL byte in one means damage, not content.
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".json", ".xml", ".md", ".yml", ".html"})


#: bytes read at a time by ``check_structure`` (an event export can be gigabytes)
_CHUNK = 1 << 24


def check_structure(path: Path, quoted: bool = True) -> None:
    """Reject a file no import should read: NUL bytes anywhere, or (for a CSV whose format
    quotes fields, ``quoted``) a quoted field left open at the end of the file, the sign of a
    cut file. Formats that never quote (GDELT's tab-separated exports, where a URL may hold
    a lone ``"``) opt out of the quote check. Read in chunks: memory stays flat."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return
    count_quotes = quoted and path.suffix.lower() == ".csv"
    lines = 1  # line number at the start of the current chunk
    quotes = 0
    last_quote_line = 0
    previous = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                head = chunk[:nul]
                line = lines + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")
                raise EncodingError(
                    f"NUL byte at byte {handle.tell() - len(chunk) + nul}: not a text file, "
                    "or a damaged one",
                    file=path,
                    line=line,
                )
            if count_quotes:
                found = chunk.count(b'"')
                if found:
                    quotes += found
                    last_quote_line = lines + chunk.count(b"\n", 0, chunk.rfind(b'"'))
            # a \r\n split across two chunks is counted once
            split_crlf = previous.endswith(b"\r") and chunk.startswith(b"\n")
            lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            lines -= 1 if split_crlf else 0
            previous = chunk[-1:]
    if quotes % 2:
        raise InputError(
            "a quoted field is not closed before the end of the file (is the file cut?)",
            file=path,
            line=last_quote_line,
        )
