"""Backup and restore with attachment files (issue 12, item 5), on SQLite and PostgreSQL: the
backup carries the referenced files (and only those) with a manifest; a restore checks each
file's SHA-256 against the restored table and refuses, changing nothing, on any mismatch or
missing file; a backup is refused rather than made from an altered file."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, table
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from rightsdesk.backup import backup, restore
from rightsdesk.backup_attachments import MANIFEST, beside
from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope, sqlite_path
from rightsdesk.core.errors import ConflictError, InputError
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.attachment_store import blob_path
from rightsdesk.monitoring.violations.attachments import (
    add_attachment,
    attachments_root,
    get_attachment,
    read_verified,
)
from tests.violations.conftest import Seeded
from tests.violations.test_attachments_store import PDF_BYTES

TEXT = b"Compte rendu de l'entretien.\n"
EDITOR = Principal(user_id=None, name="test-editor", role="admin")


def _attach(settings: Settings, seeded: Seeded) -> dict[str, int]:
    """Three rows: the PDF twice (one file) and a text; plus a file no row references."""
    ids = {}
    with session_scope(settings.database_url) as s:
        for key, (level, data, name) in {
            "pdf": ("confidential", PDF_BYTES, "a.pdf"),
            "pdf-again": ("public", PDF_BYTES, "b.pdf"),
            "text": ("restricted", TEXT, "c.txt"),
        }.items():
            row = add_attachment(s, EDITOR, settings, seeded.events[level], io.BytesIO(data), name)
            ids[key] = row.id
    stray = blob_path(attachments_root(settings), "f" * 64)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not referenced")
    return ids


def _rows(url: str) -> int:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(select(func.count()).select_from(table("violation_attachment"))) or 0
            )
    finally:
        engine.dispose()


SHAS = sorted(hashlib.sha256(d).hexdigest() for d in (PDF_BYTES, TEXT))


def test_round_trip_brings_back_the_files(
    violations_settings: tuple[Settings, Seeded], tmp_path: Path
) -> None:
    settings, seeded = violations_settings
    ids = _attach(settings, seeded)
    file = tmp_path / "backups" / "store.bak"
    made = backup(settings, file)
    assert made.attachment_files == 2
    folder = beside(file)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert sorted(manifest["files"]) == SHAS
    assert manifest["files"][SHAS[0]] in (len(PDF_BYTES), len(TEXT))
    stored = sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    assert stored == SHAS  # the unreferenced file stays out

    shutil.rmtree(attachments_root(settings))  # the data folder's files are lost
    dispose_engine(settings.database_url)
    restored = restore(settings, file)
    dispose_engine(settings.database_url)
    assert restored.attachment_files == 2 and restored.tables == made.tables
    with session_scope(settings.database_url) as s:
        for key, data in (("pdf", PDF_BYTES), ("pdf-again", PDF_BYTES), ("text", TEXT)):
            row = get_attachment(s, EDITOR, ids[key])
            assert read_verified(s, EDITOR, settings, row) == data


def _refused_and_unchanged(settings: Settings, seeded: Seeded, file: Path) -> None:
    """After the backup, one more attachment and the store's files gone: a refused restore
    leaves both as they are."""
    with session_scope(settings.database_url) as s:
        add_attachment(s, EDITOR, settings, seeded.events["public"], io.BytesIO(b"x\n"), "d.txt")
    shutil.rmtree(attachments_root(settings), ignore_errors=True)
    url = settings.database_url
    db = sqlite_path(url)
    dispose_engine(url)  # (its last checkpoint writes the file)
    before = (db.read_bytes() if db else b"", _rows(url))
    with pytest.raises(InputError, match="nothing was changed") as caught:
        restore(settings, file)
    assert str(file) in caught.value.message
    assert (db.read_bytes() if db else b"", _rows(url)) == before
    assert not attachments_root(settings).exists()


def test_restore_refuses_an_altered_file_and_changes_nothing(
    violations_settings: tuple[Settings, Seeded], tmp_path: Path
) -> None:
    settings, seeded = violations_settings
    _attach(settings, seeded)
    file = tmp_path / "store.bak"
    backup(settings, file)
    copy = blob_path(beside(file), hashlib.sha256(TEXT).hexdigest())
    copy.write_bytes(TEXT.replace(b"entretien", b"entrevue!"))
    _refused_and_unchanged(settings, seeded, file)


def test_restore_refuses_a_missing_file_or_folder(
    violations_sqlite: tuple[Settings, Seeded], tmp_path: Path
) -> None:
    settings, seeded = violations_sqlite
    _attach(settings, seeded)
    file = tmp_path / "store.bak"
    backup(settings, file)
    blob_path(beside(file), hashlib.sha256(TEXT).hexdigest()).unlink()
    _refused_and_unchanged(settings, seeded, file)
    shutil.rmtree(beside(file))
    _refused_and_unchanged(settings, seeded, file)


def test_backup_refuses_an_altered_file_in_the_store(
    violations_settings: tuple[Settings, Seeded], tmp_path: Path
) -> None:
    settings, seeded = violations_settings
    _attach(settings, seeded)
    path = blob_path(attachments_root(settings), hashlib.sha256(PDF_BYTES).hexdigest())
    path.write_bytes(PDF_BYTES + b"%edited")
    file = tmp_path / "store.bak"
    with pytest.raises(ConflictError, match="altered or damaged"):
        backup(settings, file)
    assert not file.exists() and not beside(file).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
    path.unlink()
    with pytest.raises(ConflictError, match="1 missing"):
        backup(settings, file)


def test_cli_names_the_folder_and_counts_the_files(
    violations_sqlite: tuple[Settings, Seeded], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, seeded = violations_sqlite
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(settings.data_dir))
    _attach(settings, seeded)
    file = tmp_path / "cli.bak"
    db = settings.database_url
    made = CliRunner().invoke(app, ["--database", db, "backup", str(file)])
    assert made.exit_code == 0, made.output
    said = made.output.replace("\n", "")
    assert "2 attachment files" in said and f"attachment files: {file}.attachments" in said
    dispose_engine(db)
    done = CliRunner().invoke(app, ["--database", db, "restore", str(file), "--yes"])
    assert done.exit_code == 0, done.output
    assert "2 attachment files" in done.output.replace("\n", "")
    copy = blob_path(beside(file), hashlib.sha256(PDF_BYTES).hexdigest())
    copy.write_bytes(b"%PDF-forged")
    dispose_engine(db)
    refused = CliRunner().invoke(app, ["--database", db, "restore", str(file), "--yes"])
    assert refused.exit_code == 65 and "nothing was changed" in refused.output.replace("\n", " ")
