"""Backup and restore of the whole store, on SQLite and PostgreSQL.

SQLite: ``backup`` copies the live file with SQLite's online backup API (one read transaction,
so the copy is consistent while the server and imports keep running) into a temporary file
that is then renamed into place. ``restore`` first checks that the file is a rightsdesk store
at a schema revision this release knows, made with the same secret key; then it copies it to
a temporary file beside the store and renames that over the store (atomic: a failure leaves
the store as it was). It refuses while another program has the store open (a running server),
whose connections would go on writing into the replaced file.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists`` in a single
transaction, with the client programs found on PATH or under ``/usr/lib/postgresql/*/bin``.

Attachment files (kept in the data folder, not the database) go into the folder
``FILE.attachments/`` beside the backup, checked by SHA-256 both ways (``backup_attachments``):
a restore whose files are missing or altered is refused before anything is replaced.

Both return a ``StoreSummary`` (rows per table, schema revisions, the audit log's length and
head hash, attachment files), so a round trip can be checked: what ``backup`` reports,
``restore`` reports again.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, column, create_engine, func, inspect, select, table
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from rightsdesk import backup_attachments as files
from rightsdesk.core.config import (
    REFERENCE_KIND,
    Settings,
    check_store_key,
    key_fingerprint,
    key_source,
    stored_fingerprint,
)
from rightsdesk.core.db import dispose_engine, sqlite_path
from rightsdesk.core.errors import ConfigError, ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.store import alembic_config

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


@dataclass
class StoreSummary:
    """What a store holds: enough to tell that a restore gave back what the backup took."""

    tables: dict[str, int] = field(default_factory=dict)
    revisions: list[str] = field(default_factory=list)
    audit_entries: int = 0
    audit_intact: bool = True
    audit_head: str = audit.GENESIS
    attachment_files: int = 0

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def summarise(engine: Engine) -> StoreSummary:
    """Row counts of every table, the schema revisions and the audit chain's state and head."""
    out = StoreSummary()
    names = sorted(n for n in inspect(engine).get_table_names() if not n.startswith("sqlite_"))
    with Session(engine) as session:
        for name in names:
            count = session.scalar(select(func.count()).select_from(table(name)))
            out.tables[name] = int(count or 0)
        if "alembic_version" in names:
            version = table("alembic_version", column("version_num"))
            out.revisions = sorted(str(v) for v in session.scalars(select(version.c.version_num)))
        if "audit_entry" in names:
            mark = audit.checkpoint(session)
            out.audit_entries, out.audit_head = mark.count, mark.head
            out.audit_intact = audit.verify_chain(session, expect=str(mark)).ok
        if files.TABLE in names:
            sha = table(files.TABLE, column("sha256")).c.sha256
            out.attachment_files = int(session.scalar(select(func.count(sha.distinct()))) or 0)
    return out


@contextmanager
def _engine(url: str | URL) -> Iterator[Engine]:
    """A short-lived engine (not the process-wide one of ``core.db``), disposed afterwards."""
    engine = create_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        yield engine
    finally:
        engine.dispose()


def store_summary(settings: Settings) -> StoreSummary:
    """The summary of the configured store."""
    configure_encryption(settings.secret_key)
    with _engine(settings.database_url) as engine:
        return summarise(engine)


def _known_revisions(url: str) -> set[str]:
    from alembic.script import ScriptDirectory  # when needed: not at CLI start

    script = ScriptDirectory.from_config(alembic_config(url))
    return {rev.revision for rev in script.walk_revisions()}


def _check_revisions(revisions: list[str], url: str, what: Path) -> None:
    if not revisions:
        raise InputError("not a rightsdesk store (no schema revision recorded)", file=what)
    unknown = sorted(set(revisions) - _known_revisions(url))
    if unknown:
        raise InputError(
            f"made by another release of rightsdesk: schema revision {', '.join(unknown)} is "
            "unknown to this one; restore it with the release that made it",
            file=what,
        )


def _check_key(notes: list[str | None], settings: Settings, what: Path) -> None:
    stored = next((fp for fp in map(stored_fingerprint, notes) if fp), None)
    expected = key_fingerprint(settings.secret_key)
    if stored is not None and stored != expected:
        raise ConfigError(
            f"{what}: this backup was made with another secret key (fingerprint {stored}; "
            f"{key_source(settings)} has {expected}), so its encrypted fields and sessions "
            "would be unreadable. Restore with the original key (its secret.key in "
            "RIGHTSDESK_DATA_DIR, or RIGHTSDESK_SECRET_KEY); nothing was changed."
        )


def _file_head(path: Path, size: int = 16) -> bytes:
    if not path.is_file():
        raise NotFoundError(f"no such file: {path}")
    with path.open("rb") as handle:
        return handle.read(size)


# --- SQLite ---------------------------------------------------------------------------------


def _ro_uri(path: Path) -> str:
    return f"file:{quote(str(path.absolute()))}?mode=ro"


def _ro_url(path: Path) -> URL:
    """A SQLAlchemy URL opening ``path`` read-only (never creating it)."""
    database = f"file:{quote(str(path.absolute()))}"
    return URL.create("sqlite", database=database, query={"mode": "ro", "uri": "true"})


def _sqlite_copy(source: Path, dest: Path) -> None:
    """Copy ``source`` into the new file ``dest`` with the online backup API (a consistent
    snapshot of the source, whatever other connections do), as a self-contained file."""
    with closing(sqlite3.connect(_ro_uri(source), uri=True)) as src:
        src.execute("PRAGMA busy_timeout=30000")
        with closing(sqlite3.connect(dest)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # no -wal file beside a backup
            dst.commit()
    with dest.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_beside(target: Path, tag: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{tag}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # SQLite creates it; mkstemp only reserved a unique name
    return Path(name)


def inspect_sqlite_backup(path: Path, settings: Settings) -> StoreSummary:
    """Check that ``path`` is an intact rightsdesk SQLite store this release can use, with the
    configured key; its summary. InputError or ConfigError (naming the file) otherwise."""
    if _file_head(path) != SQLITE_MAGIC:
        raise InputError("not a SQLite database (nor a rightsdesk backup)", file=path)
    try:
        with closing(sqlite3.connect(_ro_uri(path), uri=True)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise InputError(
                    f"the database is damaged ({check[0] if check else '?'})", file=path
                )
        with _engine(_ro_url(path)) as engine:
            summary = summarise(engine)
            _check_revisions(summary.revisions, settings.database_url, path)
            if "dataset" not in summary.tables:
                raise InputError("not a rightsdesk store (no dataset table)", file=path)
            datasets = table("dataset", column("kind"), column("notes"))
            with engine.connect() as conn:
                notes = list(
                    conn.scalars(select(datasets.c.notes).where(datasets.c.kind == REFERENCE_KIND))
                )
    except sqlite3.DatabaseError as exc:
        raise InputError(f"cannot read the database ({exc})", file=path) from exc
    _check_key(notes, settings, path)
    if not summary.audit_intact:
        raise ConfigError(
            f"{path}: the audit log of this backup does not verify with {key_source(settings)}: "
            "it was made with another secret key, or its log was altered. Nothing was changed."
        )
    return summary


def _refuse_if_in_use(target: Path) -> None:
    """Take the store out of WAL mode, which SQLite allows only to its sole user: proof that
    no server or import has it open (their connections would write into the old file)."""
    try:
        with closing(sqlite3.connect(f"file:{quote(str(target))}?mode=rw", uri=True)) as conn:
            conn.execute("PRAGMA busy_timeout=2000")
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            return  # unreadable or damaged: it is about to be replaced anyway
        mode = None
    if not mode or str(mode[0]).lower() != "delete":
        raise ConflictError(
            f"the store {target} is in use by another program (a running `rightsdesk serve` "
            "or import?): stop it, then restore. Nothing was changed."
        )


def _sqlite_backup(source: Path, dest: Path, data_dir: Path) -> StoreSummary:
    if not source.is_file():
        raise NotFoundError(f"the store {source} does not exist; nothing to back up")
    if dest.exists() and dest.resolve() == source.resolve():
        raise InputError("the backup cannot replace the store itself", file=dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(dest, "backup")
    folder = None
    try:
        _sqlite_copy(source, temp)
        with _engine(_ro_url(temp)) as engine:
            summary = summarise(engine)
        folder = files.write_beside(files.referenced_in_sqlite(temp), data_dir, dest)
        os.replace(temp, dest)
        files.publish(folder, dest)
        folder = None
        _fsync_dir(dest.parent)
    finally:
        temp.unlink(missing_ok=True)
        files.discard(folder)
    return summary


def _sqlite_restore(source: Path, target: Path, settings: Settings) -> StoreSummary:
    summary = inspect_sqlite_backup(source, settings)
    shas = files.referenced_in_sqlite(source)
    files.check_beside(shas, source)  # refused here: nothing replaced yet
    files.install(shas, source, settings.data_dir)  # before the rows that point at them
    target.parent.mkdir(parents=True, exist_ok=True)
    dispose_engine(settings.database_url)  # this process's own connections
    temp = _temp_beside(target, "restore")
    try:
        _sqlite_copy(source, temp)
        if target.exists():
            _refuse_if_in_use(target)
        os.replace(temp, target)
        _fsync_dir(target.parent)
    finally:
        temp.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):  # the old file's, if any: never to be applied to the new
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return summary


# --- PostgreSQL -----------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: PATH first, then the newest
    ``/usr/lib/postgresql/VERSION/bin``; ConfigError saying what to install if neither."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in re.split(r"[.]", p.parts[-3])],
    )
    if candidates:
        return str(candidates[-1])
    raise ConfigError(
        f"{name} was not found on PATH nor under /usr/lib/postgresql/*/bin: install the "
        "PostgreSQL client programs of the server's version or newer (Debian: postgresql-client)"
    )


def _pg_connection(url: str) -> tuple[list[str], dict[str, str]]:
    """Arguments and environment naming the database for libpq tools; the password goes in
    the environment (PGPASSWORD), never on the command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    for key, var in (("host", "PGHOST"), ("port", "PGPORT"), ("username", "PGUSER")):
        value = getattr(parsed, key)
        if value:
            env[var] = str(value)
    params = "&".join(f"{quote(str(k))}={quote(str(v))}" for k, v in parsed.query.items())
    dbname = f"postgresql:///{quote(parsed.database or '')}" + (f"?{params}" if params else "")
    return [f"--dbname={dbname}"], env


def _run(cmd: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(cmd[0]).name
        raise ConfigError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def _copy_rows(archive: Path, table_name: str) -> list[dict[str, str | None]]:
    """The rows of one table in a custom-format dump (its COPY data, read by pg_restore)."""
    text = _run(
        [pg_tool("pg_restore"), "--data-only", f"--table={table_name}", "-f", "-", str(archive)]
    )
    rows: list[dict[str, str | None]] = []
    columns: list[str] = []
    copying = False
    for line in text.splitlines():
        if line.startswith("COPY "):
            inside = line[line.index("(") + 1 : line.rindex(")")]
            columns = [c.strip().strip('"') for c in inside.split(",")]
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            values = [None if v == "\\N" else _unescape(v) for v in line.split("\t")]
            rows.append(dict(zip(columns, values, strict=False)))
    return rows


def _unescape(value: str) -> str:
    escapes = {"\\t": "\t", "\\n": "\n", "\\r": "\r", "\\\\": "\\"}
    return re.sub(r"\\[tnr\\]", lambda m: escapes[m.group(0)], value)


def inspect_pg_backup(path: Path, settings: Settings) -> list[str]:
    """Check that ``path`` is a custom-format dump of a rightsdesk store this release knows,
    made with the configured key; its schema revisions."""
    if _file_head(path, len(PG_MAGIC)) != PG_MAGIC:
        raise InputError("not a PostgreSQL custom-format dump (pg_dump -Fc)", file=path)
    listing = _run([pg_tool("pg_restore"), "--list", str(path)])
    if " TABLE DATA public alembic_version " not in listing:
        raise InputError("not a rightsdesk store (no schema revision recorded)", file=path)
    revisions = sorted(str(r["version_num"]) for r in _copy_rows(path, "alembic_version"))
    _check_revisions(revisions, settings.database_url, path)
    datasets = _copy_rows(path, "dataset")
    _check_key(
        [r.get("notes") for r in datasets if r.get("kind") == REFERENCE_KIND], settings, path
    )
    return revisions


def _pg_attachments(archive: Path) -> list[str]:
    """The SHA-256 values of the attachment table in a dump (none if it has no such table)."""
    return sorted({str(r["sha256"]) for r in _copy_rows(archive, files.TABLE) if r["sha256"]})


def _pg_backup(url: str, dest: Path, data_dir: Path) -> StoreSummary:
    dest.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_beside(dest, "backup")
    args, env = _pg_connection(url)
    folder = None
    try:
        _run([pg_tool("pg_dump"), "--format=custom", f"--file={temp}", *args], env)
        with temp.open("rb") as handle:
            os.fsync(handle.fileno())
        folder = files.write_beside(_pg_attachments(temp), data_dir, dest)
        os.replace(temp, dest)
        files.publish(folder, dest)
        folder = None
        _fsync_dir(dest.parent)
    finally:
        temp.unlink(missing_ok=True)
        files.discard(folder)
    with _engine(url) as engine:  # pg_dump's snapshot: the same while nothing else writes
        return summarise(engine)


def _pg_restore(source: Path, url: str, settings: Settings) -> StoreSummary:
    inspect_pg_backup(source, settings)
    shas = _pg_attachments(source)
    files.check_beside(shas, source)  # refused here: nothing replaced yet
    files.install(shas, source, settings.data_dir)
    dispose_engine(url)
    args, env = _pg_connection(url)
    cmd = [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run([*cmd, "--single-transaction", "--exit-on-error", *args, str(source)], env)
    with _engine(url) as engine:
        return summarise(engine)


# --- the two operations ---------------------------------------------------------------------


def backup(settings: Settings, dest: Path) -> StoreSummary:
    """Write a consistent copy of the store to ``dest`` (replaced atomically if it exists),
    and the attachment files it references to ``dest.attachments/``."""
    configure_encryption(settings.secret_key)  # the audit chain's key, for the summary
    check_store_key(settings)  # a backup under the wrong key would not restore
    dest = dest.expanduser().absolute()
    source = sqlite_path(settings.database_url)
    if source is not None:
        return _sqlite_backup(source, dest, settings.data_dir)
    if make_url(settings.database_url).get_backend_name() == "postgresql":
        return _pg_backup(settings.database_url, dest, settings.data_dir)
    raise ConfigError(f"backup supports SQLite files and PostgreSQL, not {settings.database_url}")


def restore(settings: Settings, source: Path) -> StoreSummary:
    """Replace the store with the backup ``source``, after checking it and its attachment
    files (each file's SHA-256 against the backup's table); the restored summary."""
    configure_encryption(settings.secret_key)
    source = source.expanduser().absolute()
    target = sqlite_path(settings.database_url)
    if target is not None:
        return _sqlite_restore(source, target, settings)
    if make_url(settings.database_url).get_backend_name() == "postgresql":
        return _pg_restore(source, settings.database_url, settings)
    raise ConfigError(f"restore supports SQLite files and PostgreSQL, not {settings.database_url}")
