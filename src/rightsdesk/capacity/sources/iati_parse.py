"""Reading IATI XML safely and in a stream: the parts both IATI importers (codelists and
activity files) share.

IATI files are published by thousands of organisations and fetched from anywhere, so they are
read as untrusted input: a file declaring a DTD (the vehicle of entity-expansion "bombs" and of
external entities that read local files or the network) is refused before parsing, and lxml
runs with entity resolution, DTD loading and network access off. Files are read with
``iterparse`` and each top-level element is cleared once handled, so a 100 MB d-portal export
needs no more memory than one activity. Every problem becomes an ``InputError`` naming the file,
the line (lxml's ``sourceline``) and the field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from rightsdesk.core.errors import InputError

__all__ = [
    "XML_NS",
    "XmlStream",
    "local",
    "narrative",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_float",
    "root_name",
]

XML_NS = "{http://www.w3.org/XML/1998/namespace}"
#: How much of a file's head is read to find its root element (sniff, DTD check).
HEAD_BYTES = 65536
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_MAX_VALUE = Decimal("1e18")  # Numeric(20, 2): 18 digits before the point


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(HEAD_BYTES)
    except OSError:
        return b""


def _root_start(head: bytes) -> tuple[bytes, bool]:
    """The text from the root element's ``<`` on, and whether a DOCTYPE came before it."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        match = _PROLOG_ITEM.match(head, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    rest = head[pos:]
    return rest, rest[:9].upper() == b"<!DOCTYPE"


def root_name(path: Path) -> str | None:
    """The local name of the root element of an XML file, from its first bytes (``sniff``);
    None when the file is not XML, declares a DTD, or cannot be read."""
    if path.suffix.lower() != ".xml":
        return None
    rest, doctype = _root_start(_head(path))
    if doctype:
        return None
    match = re.match(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)", rest)
    return match.group(2).decode() if match else None


def local(element: etree._Element) -> str:
    """The element's tag without namespace ("" for comments and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


@dataclass
class XmlStream:
    """The top-level elements of one XML file, read one at a time.

    ``root`` is the root element (its attributes are read when the stream starts; its
    children are cleared as the caller moves on). Iterating yields each child of the root
    once it is complete; the caller must take what it needs before asking for the next.
    """

    path: Path
    progress: Callable[[int], None] | None = None  # told how many bytes were read
    root: etree._Element | None = None

    def __iter__(self) -> Iterator[etree._Element]:
        _, doctype = _root_start(_head(self.path))
        if doctype:
            raise _dtd_error(self.path)
        with self.path.open("rb") as handle:
            yield from self._elements(_Counting(handle, self.progress))

    def _elements(self, source: _Counting) -> Iterator[etree._Element]:
        events = etree.iterparse(
            source,
            events=("start", "end"),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        try:
            for event, element in events:
                if event == "start":
                    if depth == 0:
                        self.root = element
                        if element.getroottree().docinfo.internalDTD is not None:
                            raise _dtd_error(self.path)  # a DTD after a long prolog
                    depth += 1
                    continue
                depth -= 1
                if depth == 1:
                    yield element
                    element.clear()
                    parent = element.getparent()
                    if parent is not None:
                        while element.getprevious() is not None:
                            del parent[0]
        except etree.XMLSyntaxError as exc:
            raise InputError(
                f"malformed XML ({exc.msg}); is the file cut or damaged?",
                file=self.path,
                line=exc.lineno,
            ) from exc
        if self.root is None:
            raise InputError("the file holds no XML element", file=self.path, line=1)


def _dtd_error(path: Path) -> InputError:
    return InputError(
        "the file declares a DTD (<!DOCTYPE ...>); IATI files have none, and entity "
        "declarations are refused as unsafe",
        file=path,
        line=1,
    )


class _Counting:
    """A binary file that reports how much of it the parser has read (the progress bar)."""

    def __init__(self, handle: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self.handle = handle
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if self.progress is not None and data:
            self.progress(len(data))
        return data


def narrative(element: etree._Element | None, default_lang: str | None = None) -> str | None:
    """The text of an IATI text element: in 2.0x its ``<narrative>`` children (the English
    one, else the first), in 1.0x its own text. Whitespace is collapsed; None when empty.

    A narrative without ``xml:lang`` is in the activity's language (``default_lang``)."""
    if element is None:
        return None
    narratives = [c for c in element if local(c) == "narrative"]
    if not narratives:
        return _clean(element.text)
    chosen = None
    for item in narratives:
        lang = item.get(f"{XML_NS}lang") or default_lang or ""
        if lang.lower().startswith("en") and _clean(item.text):
            chosen = item
            break
    if chosen is None:
        chosen = next((n for n in narratives if _clean(n.text)), narratives[0])
    return _clean(chosen.text)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    out = " ".join(text.split())
    return out or None


def parse_date(value: str | None, path: Path, line: int | None, field: str) -> dt.date | None:
    """An IATI date (``YYYY-MM-DD``, possibly followed by a time or zone), or None if empty."""
    if value is None or not value.strip():
        return None
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError(value)
        return dt.date.fromisoformat(match.group(1))
    except ValueError as exc:
        raise InputError(
            f"malformed date {value.strip()!r} (expected YYYY-MM-DD)",
            file=path,
            line=line,
            field=field,
        ) from exc


def parse_datetime(
    value: str | None, path: Path, line: int | None, field: str
) -> dt.datetime | None:
    """An ISO date-time as a UTC datetime (a time without zone is taken as UTC)."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            f"malformed date-time {value.strip()!r} (expected YYYY-MM-DDThh:mm:ss)",
            file=path,
            line=line,
            field=field,
        ) from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def parse_decimal(value: str | None, path: Path, line: int | None, field: str) -> Decimal:
    """An amount (``xsd:decimal``), rounded to cents as stored; required."""
    text = (value or "").strip()
    try:
        amount = Decimal(text)
        if not amount.is_finite() or abs(amount) >= _MAX_VALUE:
            raise InvalidOperation(text)
    except InvalidOperation as exc:
        shown = repr(text) if text else "empty"
        raise InputError(
            f"the value is {shown}, not a number (expected e.g. 1500.00)",
            file=path,
            line=line,
            field=field,
        ) from exc
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_float(value: str | None, path: Path, line: int | None, field: str) -> float | None:
    """A percentage or other decimal attribute; None when absent."""
    if value is None or not value.strip():
        return None
    try:
        number = float(value.strip())
    except ValueError as exc:
        raise InputError(
            f"{value.strip()!r} is not a number", file=path, line=line, field=field
        ) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise InputError(f"{value.strip()!r} is not a number", file=path, line=line, field=field)
    return number
