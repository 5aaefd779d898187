"""Attachment files on disk: stored once under their SHA-256, typed by their content.

A file is written to a temporary file in the store's ``.incoming`` folder while its SHA-256
and size are computed, then renamed to ``attachments/ab/abcdef...`` (the first two hex digits
as a folder, so no folder grows to millions of entries). The rename is atomic: a file under
its final name is always complete, whatever crashed in between. The same content uploaded
twice is kept once. Files and folders are created readable by the server's user only.

What a file *is* is decided here from its first bytes (magic numbers) and, for text and
Office documents, from its whole content, never from the name or the type the browser
declares: a page that trusted ``report.pdf`` with ``Content-Type: application/pdf`` would
store and later serve whatever an attacker sent under that label. Only kinds that evidence
usually comes in are accepted (``FILE_TYPES``); anything else is refused with the list.

No database here: ``attachments.py`` records the rows, ``backup_attachments`` copies the
files, and both use ``blob_path`` and ``sha256_file`` so they agree on the layout.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rightsdesk.core.errors import InputError

__all__ = [
    "ATTACHMENTS_DIR",
    "FILE_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "FileType",
    "StoredFile",
    "blob_path",
    "check_name",
    "file_type",
    "sha256_file",
    "store_file",
]

#: the folder under the data folder (``RIGHTSDESK_DATA_DIR``) that holds attachment files
ATTACHMENTS_DIR = "attachments"
#: Largest attachment accepted by default, in bytes (the setting ``attachment_max_bytes``,
#: RIGHTSDESK_ATTACHMENT_MAX_BYTES, decides). Under the web app's 10 MB limit on any upload
#: (``core.limits.MAX_UPLOAD``), which leaves room for the form's other fields.
MAX_ATTACHMENT_BYTES = 9_500_000
_CHUNK = 64 * 1024
_HEAD = 4096
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: what it is served as, its usual extension, in words."""

    media_type: str
    extension: str
    label: str
    other_extensions: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.other_extensions)


PDF = FileType("application/pdf", ".pdf", "PDF document")
PNG = FileType("image/png", ".png", "PNG image")
JPEG = FileType("image/jpeg", ".jpg", "JPEG image", (".jpeg", ".jpe", ".jfif"))
GIF = FileType("image/gif", ".gif", "GIF image")
WEBP = FileType("image/webp", ".webp", "WebP image")
TEXT = FileType("text/plain", ".txt", "plain text (UTF-8)", (".text", ".md", ".csv"))
MP3 = FileType("audio/mpeg", ".mp3", "MP3 audio")
MP4 = FileType("video/mp4", ".mp4", "MP4 video", (".m4v",))
M4A = FileType("audio/mp4", ".m4a", "MP4 audio")
WAV = FileType("audio/wav", ".wav", "WAV audio")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".docx",
    "Word document (docx)",
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsx",
    "Excel workbook (xlsx)",
)
FILE_TYPES: tuple[FileType, ...] = (PDF, PNG, JPEG, GIF, WEBP, TEXT, MP3, MP4, M4A, WAV, DOCX, XLSX)
_BY_MEDIA_TYPE = {t.media_type: t for t in FILE_TYPES}
_BY_EXTENSION = {ext: t for t in FILE_TYPES for ext in t.extensions}
# ISO base media brands of MP4 video and audio (not QuickTime's "qt  ", nor 3GP)
_MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "}
_M4A_BRANDS = {b"M4A ", b"M4B "}
# OOXML main parts: the macro-enabled variants (docm, xlsm) have other content types
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_ALLOWED_WORDS = "PDF, PNG, JPEG, GIF, WebP, UTF-8 text, MP3, MP4, WAV, Word (docx), Excel (xlsx)"


@dataclass(frozen=True)
class StoredFile:
    """A file now in the store: its SHA-256 (hex), size in bytes and kind."""

    sha256: str
    size: int
    file_type: FileType


def media_type_of(media_type: str) -> FileType | None:
    """The accepted kind served as ``media_type`` (None for an unknown one)."""
    return _BY_MEDIA_TYPE.get(media_type)


def blob_path(root: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 lives under ``root``; the hash is checked to be 64 hex
    digits first, so a value from a table or a manifest can never name another path."""
    if not _SHA256.match(sha256):
        raise InputError("not a SHA-256 (64 lowercase hex digits)", field="sha256")
    return root / sha256[:2] / sha256


def sha256_file(path: Path) -> str:
    """SHA-256 (hex) of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _mpeg_audio_frame(head: bytes) -> bool:
    """An MPEG-1/2 layer III frame header (an MP3 without an ID3 tag): 11 sync bits, layer III,
    a valid bitrate and sampling rate, so that arbitrary bytes starting 0xFF do not pass."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 0x3, (head[1] >> 1) & 0x3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 0x3
    return version != 1 and layer == 1 and bitrate not in (0, 15) and rate != 3


def _is_utf8_text(path: Path) -> bool:
    """The whole file decodes as UTF-8 and holds no control characters but tab, line ends and
    form feed: text a person wrote, not a binary that happens to decode."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    allowed = {"\t", "\n", "\r", "\f"}
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                text = decoder.decode(chunk)
                if any((ord(c) < 32 and c not in allowed) or c == "\x7f" for c in text):
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _ooxml_type(path: Path) -> FileType | None:
    """A Word or Excel document: a ZIP whose ``[Content_Types].xml`` names the main part of a
    docx or an xlsx (macro-enabled documents name another type and are refused)."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return None
            if info.file_size > 1_000_000:  # a real one is a few kB; never inflate a bomb
                return None
            types = archive.read(info)
            if any(n.lower().endswith("vbaproject.bin") for n in archive.namelist()):
                return None
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
        return None
    for marker, kind in _OOXML_MAIN.items():
        if marker in types:
            return kind
    return None


def file_type(path: Path, head: bytes | None = None) -> FileType | None:
    """The accepted kind of the file at ``path`` from its content, or None."""
    if head is None:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    simple = (
        (b"%PDF-", PDF),
        (b"\x89PNG\r\n\x1a\n", PNG),
        (b"\xff\xd8\xff", JPEG),
        (b"GIF87a", GIF),
        (b"GIF89a", GIF),
        (b"ID3", MP3),
    )
    for magic, kind in simple:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return WEBP if head[8:12] == b"WEBP" else WAV
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return MP4 if brand in _MP4_BRANDS else M4A if brand in _M4A_BRANDS else None
    if _mpeg_audio_frame(head):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_type(path)
    if _is_utf8_text(path):
        return TEXT
    return None


def check_name(filename: str | None, kind: FileType) -> None:
    """Refuse a file whose name claims another accepted kind than its content (a "report.pdf"
    that is an image or text): a sign of a mistake or of a disguised file. The name never
    makes a file acceptable; it can only make one refused. Only the extension is quoted in
    the message (the name itself may identify someone)."""
    if not filename:
        return
    suffix = Path(filename).suffix.lower()
    claimed = _BY_EXTENSION.get(suffix)
    if claimed is not None and claimed is not kind:
        raise InputError(
            f"the file's name ends in {suffix} but its content is {article(kind.label)}: "
            "check that it is the right file, or rename it",
            field="file",
        )


def article(label: str) -> str:
    return ("an " if label[0] in "AEIOU" else "a ") + label


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_dir(folder: Path) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def store_file(root: Path, stream: BinaryIO, limit: int = MAX_ATTACHMENT_BYTES) -> StoredFile:
    """Copy ``stream`` into the store under ``root``; its SHA-256, size and kind.

    InputError (field ``file``) when it is empty, over ``limit`` bytes, or of a kind not
    accepted; nothing is left behind then. A file already stored under the same hash is kept
    (checked first: a damaged copy is replaced by the new, intact one).
    """
    incoming = _private_dir(root / ".incoming")
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=incoming)
    temp = Path(name)
    try:
        digest, size, head = hashlib.sha256(), 0, b""
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InputError(
                        f"the file is larger than the limit of {limit:,} bytes", field="file"
                    )
                if len(head) < _HEAD:
                    head += chunk[: _HEAD - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise InputError("the file is empty", field="file")
        kind = file_type(temp, head)
        if kind is None:
            raise InputError(
                f"this kind of file is not accepted (its content is none of: {_ALLOWED_WORDS})",
                field="file",
            )
        sha = digest.hexdigest()
        final = blob_path(root, sha)
        folder = _private_dir(final.parent)
        if final.is_file() and sha256_file(final) == sha:
            temp.unlink()
        else:
            os.replace(temp, final)
            _fsync_dir(folder)
        return StoredFile(sha256=sha, size=size, file_type=kind)
    finally:
        temp.unlink(missing_ok=True)
