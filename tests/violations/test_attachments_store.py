"""Attachment files on disk (no database): typed by content, stored once under their SHA-256,
atomic, refused with a clear error when empty, too large or of a kind not accepted.

Real Office documents and text come from the open data folder; the binary kinds this folder
lacks (PDF, images, audio, video) are built here from their published signatures.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from rightsdesk.core.errors import InputError
from rightsdesk.monitoring.violations.attachment_store import (
    DOCX,
    GIF,
    JPEG,
    M4A,
    MP3,
    MP4,
    PDF,
    PNG,
    TEXT,
    WAV,
    WEBP,
    XLSX,
    FileType,
    blob_path,
    check_name,
    sha256_file,
    store_file,
)

DOCX_FILE = "monitoring/ohchr-thematic-lists/UPR48_Slovenia_Thematic_list_of_Recommendations.docx"
XLSX_FILE = "interventions/ewp/mass-killing-events-master-list-2025.xlsx"
TEXT_FILE = "advocacy/un-general-debate/Session-75-2020/NOR_75_2020.txt"


def png_bytes() -> bytes:
    """A valid 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
SAMPLES: dict[str, tuple[bytes, FileType]] = {
    "pdf": (PDF_BYTES, PDF),
    "png": (png_bytes(), PNG),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9", JPEG),
    "gif": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 20 + b";", GIF),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 30, WEBP),
    "wav": (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 30, WAV),
    "mp3-id3": (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 40, MP3),
    "mp3-frame": (b"\xff\xfb\x90\x64" + b"\x00" * 200, MP3),
    "mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40, MP4),
    "m4a": (b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom" + b"\x00" * 40, M4A),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_accepted_kind_is_recognised_by_its_content(tmp_path: Path, name: str) -> None:
    data, kind = SAMPLES[name]
    stored = store_file(tmp_path, io.BytesIO(data))
    assert stored.file_type is kind and stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert blob_path(tmp_path, stored.sha256).read_bytes() == data


@pytest.mark.parametrize(
    ("relative", "kind"), [(DOCX_FILE, DOCX), (XLSX_FILE, XLSX), (TEXT_FILE, TEXT)]
)
def test_real_office_documents_and_text(
    tmp_path: Path, shared_data: Path, relative: str, kind: FileType
) -> None:
    source = shared_data / relative
    with source.open("rb") as handle:
        stored = store_file(tmp_path / "store", handle)
    assert stored.file_type is kind
    assert stored.sha256 == sha256_file(source)
    path = blob_path(tmp_path / "store", stored.sha256)
    assert path.parent.name == stored.sha256[:2] and path.read_bytes() == source.read_bytes()
    assert path.stat().st_mode & 0o077 == 0  # readable by the server's user only


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORD_TYPES = (
    b'<Types><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
REFUSED = {
    # a "PDF" whose bytes are a Windows program: the name and declared type count for nothing
    "exe named pdf": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(range(256)),
    "html with a NUL": b"<html><script>alert(1)</script>\x00</html>",
    "latin-1 text": "Déclaration du témoin".encode("latin-1"),
    "plain zip": _zip({"notes.txt": b"hello"}),
    "macro word document": _zip(
        {"[Content_Types].xml": WORD_TYPES, "word/vbaProject.bin": b"\x00" * 10}
    ),
    "macro-enabled type": _zip(
        {
            "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
            "word/document.xml": b"<w/>",
        }
    ),
    "quicktime": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 20,
    "bad mp3 frame": b"\xff\xfb\xf0\x64" + b"\x00" * 50,  # bitrate index 15: not a frame
    "svg": b"\xef\xbb\xbf<svg onload='x()'>\x1b</svg>",
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_other_content_is_refused_and_nothing_is_left(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="this kind of file is not accepted") as caught:
        store_file(tmp_path, io.BytesIO(REFUSED[name]))
    assert caught.value.location.field == "file" and "PDF, PNG" in caught.value.message
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_minimal_word_document_is_accepted(tmp_path: Path) -> None:
    data = _zip({"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w/>"})
    assert store_file(tmp_path, io.BytesIO(data)).file_type is DOCX


def test_oversize_and_empty_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="larger than the limit of 1,000 bytes"):
        store_file(tmp_path, io.BytesIO(PDF_BYTES + b" " * 1000), limit=1000)
    with pytest.raises(InputError, match="empty"):
        store_file(tmp_path, io.BytesIO(b""))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_same_content_is_stored_once_and_a_damaged_copy_repaired(tmp_path: Path) -> None:
    first = store_file(tmp_path, io.BytesIO(PDF_BYTES))
    path = blob_path(tmp_path, first.sha256)
    path.write_bytes(b"%PDF-damaged")
    second = store_file(tmp_path, io.BytesIO(PDF_BYTES))
    assert second == first and path.read_bytes() == PDF_BYTES
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.sha256]


def test_a_name_that_claims_another_kind_is_refused() -> None:
    check_name("statement.PDF", PDF)
    check_name("notes", TEXT)
    check_name("list.csv", TEXT)
    check_name("photo.unknownext", PNG)  # unknown extensions claim nothing
    with pytest.raises(InputError) as caught:
        check_name("Amina statement.pdf", TEXT)
    assert ".pdf" in caught.value.message and "plain text" in caught.value.message
    assert "Amina" not in caught.value.message  # the name itself is never repeated


def test_blob_path_accepts_only_a_hash(tmp_path: Path) -> None:
    for bad in ("../../etc/passwd", "AB" * 32, "a" * 63, ""):
        with pytest.raises(InputError):
            blob_path(tmp_path, bad)
