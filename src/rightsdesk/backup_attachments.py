"""The attachment files of a backup: copied beside it, checked before a restore uses them.

Attachment files live in the data folder (``attachments/ab/<sha256>``), not in the database,
so a backup of the database alone would restore rows pointing at files that are not there.
``rightsdesk backup FILE`` therefore also writes the folder ``FILE.attachments/``: every
file the backed-up ``violation_attachment`` table references (and no other), in the same
layout, with ``manifest.json`` listing their SHA-256 and sizes. Each file's SHA-256 is
checked while it is copied: a backup is refused rather than made from a damaged file.

``rightsdesk restore FILE`` reads the SHA-256 of every attachment row *in the database being
restored* and checks the file of each in ``FILE.attachments/`` before anything is replaced:
one missing or altered file and the restore is refused, the store left as it was. The files
are then copied into the data folder (renamed into place; files already there intact are
kept), and only then is the database replaced, so the restored rows never point at nothing.
The backup file itself keeps its format (a SQLite file or a pg_dump archive).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from rightsdesk.core.errors import ConflictError, InputError
from rightsdesk.monitoring.violations.attachment_store import ATTACHMENTS_DIR, blob_path

#: the table whose ``sha256`` column names attachment files
TABLE = "violation_attachment"
SUFFIX = ".attachments"
MANIFEST = "manifest.json"
FORMAT = "rightsdesk-attachments-1"
_CHUNK = 1 << 20


def files_root(data_dir: Path) -> Path:
    """The store's attachment folder under the data folder."""
    return data_dir / ATTACHMENTS_DIR


def beside(backup_file: Path) -> Path:
    """The folder of attachment files that goes with ``backup_file``."""
    return backup_file.with_name(backup_file.name + SUFFIX)


def referenced_in_sqlite(path: Path) -> list[str]:
    """The distinct SHA-256 values of the attachment table of a SQLite store (none when the
    store predates attachments), read without writing to it."""
    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
        ).fetchone()
        if not found:
            return []
        rows = conn.execute(
            "SELECT DISTINCT sha256 FROM violation_attachment ORDER BY sha256"
        ).fetchall()
    return [str(r[0]) for r in rows]


def _copy_checked(source: Path, dest: Path, sha256: str) -> int | None:
    """Copy ``source`` to ``dest`` computing its SHA-256; its size, or None (and no ``dest``)
    when it does not match."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as src, dest.open("wb") as out:
        while chunk := src.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != sha256:
        dest.unlink()
        return None
    return size


def _short(shas: list[str]) -> str:
    shown = ", ".join(s[:12] for s in shas[:5])
    return shown + (f" and {len(shas) - 5} more" if len(shas) > 5 else "")


def write_beside(shas: list[str], data_dir: Path, dest: Path) -> Path | None:
    """Copy the referenced files, checked, into a new temporary folder beside ``dest``; the
    folder (for ``publish``), or None when nothing is referenced. ConflictError, with
    nothing left behind, when a file is missing or altered in the store."""
    if not shas:
        return None
    root = files_root(data_dir)
    present = {sha: blob_path(root, sha) for sha in shas}
    missing = [sha for sha, path in present.items() if not path.is_file()]
    if missing:
        raise ConflictError(
            f"the store's attachment files are incomplete: {len(missing)} missing under "
            f"{root} ({_short(missing)}); restore them from an earlier backup. No backup made."
        )
    temp = Path(tempfile.mkdtemp(prefix=f".{dest.name}{SUFFIX}-", suffix=".tmp", dir=dest.parent))
    try:
        sizes: dict[str, int] = {}
        altered: list[str] = []
        for sha, path in present.items():
            target = blob_path(temp, sha)
            target.parent.mkdir(exist_ok=True)
            size = _copy_checked(path, target, sha)
            if size is None:
                altered.append(sha)
            else:
                sizes[sha] = size
        if altered:
            raise ConflictError(
                f"{len(altered)} attachment file(s) under {root} no longer match their "
                f"SHA-256 (altered or damaged: {_short(altered)}); restore them from an "
                "earlier backup. No backup made."
            )
        manifest = {"format": FORMAT, "files": dict(sorted(sizes.items()))}
        (temp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return temp


def publish(temp: Path | None, dest: Path) -> None:
    """Put the folder made by ``write_beside`` in place as ``dest``'s; with None, remove the
    folder an earlier backup left at that name (it would not belong to this backup)."""
    final = beside(dest)
    old = final.with_name(f".{final.name}.old")
    if final.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
    if temp is not None:
        os.replace(temp, final)
    shutil.rmtree(old, ignore_errors=True)


def discard(temp: Path | None) -> None:
    if temp is not None:
        shutil.rmtree(temp, ignore_errors=True)


def check_beside(shas: list[str], backup_file: Path) -> None:
    """Refuse (InputError naming the folder) unless every referenced file is in the backup's
    folder, listed in its manifest, with the SHA-256 the restored table records."""
    if not shas:
        return
    folder = beside(backup_file)
    if not folder.is_dir():
        raise InputError(
            f"the backup references {len(shas)} attachment file(s) but their folder {folder} "
            "is missing (made beside the file by `rightsdesk backup`); nothing was changed",
            file=backup_file,
        )
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        listed = set(manifest["files"]) if manifest.get("format") == FORMAT else set()
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"no readable {MANIFEST} ({type(exc).__name__}); nothing was changed", file=folder
        ) from exc
    missing = [s for s in shas if s not in listed or not blob_path(folder, s).is_file()]
    if missing:
        raise InputError(
            f"{len(missing)} attachment file(s) the backup references are not in it "
            f"({_short(missing)}); nothing was changed",
            file=folder,
        )
    altered = [s for s in shas if _sha256(blob_path(folder, s)) != s]
    if altered:
        raise InputError(
            f"{len(altered)} attachment file(s) do not match the SHA-256 recorded in the "
            f"backup's table: altered or damaged ({_short(altered)}); nothing was changed",
            file=folder,
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def install(shas: list[str], backup_file: Path, data_dir: Path) -> int:
    """Copy the (checked) files of the backup into the store's attachment folder; files
    already there and intact are kept, damaged ones replaced. The number copied."""
    folder, root = beside(backup_file), files_root(data_dir)
    copied = 0
    for sha in shas:
        target = blob_path(root, sha)
        if target.is_file() and _sha256(target) == sha:
            continue
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".restore-", suffix=".part", dir=target.parent)
        os.close(fd)
        temp = Path(name)
        try:
            if _copy_checked(blob_path(folder, sha), temp, sha) is None:
                raise InputError(f"changed while restoring ({sha[:12]})", file=folder)
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        copied += 1
    return copied
