"""Field key rotation, behind ``rightsdesk keys rotate`` and ``rightsdesk keys status``
(the commands are in ``rightsdesk.keys_cli``, which loads every form's tables first: core
knows no form, so it rotates the encrypted columns of the tables the caller has loaded).

Why rotate: a key that may have been copied (a laptop lost, an administrator gone) should stop
protecting anything. Rotation makes a new key, re-encrypts every ``EncryptedText`` value of
every table under it, and then retires the older keys from the key file.

The order is what makes it safe to interrupt at any point:

1. the new key is written to the key file *first*, in front of the old ones (a crash after the
   commit can then never leave values under a key that exists nowhere);
2. every encrypted value is read with the whole ring and written with the new key, in one
   transaction, audited with the number of values per table (never a value);
3. only after the commit are the old keys removed from the file -- once a check finds that no
   value still needs them (one written meanwhile by a server that had not yet noticed the new
   key is re-encrypted first).

If step 2 fails, the transaction rolls back and the key file is put back as it was: every
value is under the old keys, as before. The key derived from the secret always stays readable
(``crypto``): it is where stores without a key file keep their values.

Keys given in ``RIGHTSDESK_FIELD_KEYS`` are not rotated here (the command cannot change the
environment of the server); move them to the key file first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Column, Table, and_, bindparam, column, or_, select, table, update
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import Base, session_scope
from rightsdesk.core.errors import ConfigError, RightsdeskError
from rightsdesk.core.security import audit, crypto

__all__ = ["RotationReport", "encrypted_columns", "rotate", "scan"]
#: Rows re-encrypted per UPDATE batch.
BATCH = 500


@dataclass
class RotationReport:
    """What a rotation did: values re-encrypted per table, the new key's fingerprint."""

    fingerprint: str
    tables: dict[str, int] = field(default_factory=dict)
    retired: int = 0
    late: int = 0  # values written under an old key during the rotation, re-encrypted after

    @property
    def values(self) -> int:
        return sum(self.tables.values())


def encrypted_columns() -> dict[Table, list[Column[Any]]]:
    """Every loaded table with ``EncryptedText`` columns, and those columns.

    Raises ``ConfigError`` when none is loaded: a rotation that silently skipped the forms'
    tables would retire the keys their values still need."""
    found: dict[Table, list[Column[Any]]] = {}
    for tbl in Base.metadata.sorted_tables:
        cols = [c for c in tbl.columns if isinstance(c.type, crypto.EncryptedText)]
        if cols:
            found[tbl] = cols
    if not found:
        raise ConfigError("no table with encrypted columns is loaded (load the forms' models)")
    return found


def _raw(tbl: Table, cols: list[Column[Any]]) -> tuple[Any, list[Any], list[Any]]:
    """A plain view of the table: the tokens as stored, without the column type decrypting."""
    keys = [c.name for c in tbl.primary_key.columns]
    names = [c.name for c in cols]
    plain = table(tbl.name, *(column(n) for n in [*keys, *names]), schema=tbl.schema)
    return plain, [plain.c[k] for k in keys], [plain.c[n] for n in names]


def _rows(session: Session, tbl: Table, cols: list[Column[Any]]) -> list[tuple[Any, ...]]:
    """Every row's key and tokens, read whole before any is rewritten (no cursor stays open
    on a table while it is updated)."""
    plain, keys, values = _raw(tbl, cols)
    query = select(*keys, *values).where(or_(*(v.is_not(None) for v in values)))
    return [tuple(row) for row in session.execute(query.order_by(*keys))]


def reencrypt_table(
    session: Session,
    tbl: Table,
    cols: list[Column[Any]],
    reader: MultiFernet,
    writer: Fernet,
    only_unreadable_by: MultiFernet | None = None,
) -> int:
    """Re-encrypt the table's values with ``writer``; returns how many values changed.

    With ``only_unreadable_by`` only the values that ring cannot read are rewritten (the
    check after the commit). A value no key reads stops everything, naming the table, column
    and row, never the token.
    """
    plain, keys, values = _raw(tbl, cols)
    nkeys = len(keys)
    statement = (
        update(plain)
        .where(and_(*(k == bindparam(f"k_{k.name}") for k in keys)))
        .values({v.name: bindparam(f"v_{v.name}") for v in values})
    )
    batch: list[dict[str, Any]] = []
    changed = 0
    for row in _rows(session, tbl, cols):
        params = {f"k_{k.name}": row[i] for i, k in enumerate(keys)}
        touched = False
        for j, v in enumerate(values):
            token = row[nkeys + j]
            params[f"v_{v.name}"] = token
            if token is None:
                continue
            data = str(token).encode("ascii", "replace")
            if only_unreadable_by is not None:
                try:
                    only_unreadable_by.decrypt(data)
                    continue
                except InvalidToken:
                    pass
            try:
                clear = reader.decrypt(data)
            except InvalidToken as exc:
                where = ", ".join(f"{k.name}={row[i]}" for i, k in enumerate(keys))
                raise RightsdeskError(
                    f"{tbl.name}.{v.name} ({where}) is encrypted with a key that is not in "
                    "the ring (a lost key file?); nothing was changed"
                ) from exc
            params[f"v_{v.name}"] = writer.encrypt(clear).decode("ascii")
            touched = True
            changed += 1
        if touched:
            batch.append(params)
        if len(batch) >= BATCH:
            session.execute(statement, batch)
            batch = []
    if batch:
        session.execute(statement, batch)
    return changed


def rotate(settings: Settings, actor: str) -> RotationReport:
    """Make a new field key, re-encrypt every value under it, then retire the old keys."""
    crypto.configure_encryption(settings.secret_key, settings.data_dir)
    ring = crypto.key_ring()
    if ring.source == "environment":
        raise ConfigError(
            f"the field keys come from {crypto.FIELD_KEYS_ENV}: rotation rewrites the key "
            f"file ({settings.data_dir / crypto.FIELD_KEYS_FILE}); move the keys there first"
        )
    path = settings.data_dir / crypto.FIELD_KEYS_FILE
    had_file = path.exists()
    old = crypto.read_key_file(path)
    new = Fernet.generate_key()
    report = RotationReport(fingerprint=crypto.fingerprint(new))
    tables = encrypted_columns()
    crypto.write_key_file(path, [new, *old])  # 1. the new key exists before any value uses it
    try:
        reader = crypto.key_ring().fernet()
        with session_scope(settings.database_url) as session:
            audit.lock_chain(session)
            for tbl, cols in tables.items():
                report.tables[tbl.name] = reencrypt_table(session, tbl, cols, reader, Fernet(new))
            audit.record(
                session,
                actor,
                "rotate",
                "field-keys",
                None,
                after={"key": report.fingerprint, "values": report.tables},
            )
    except BaseException:
        # 2. failed: nothing was committed, every value is still under the old keys
        if had_file:
            crypto.write_key_file(path, old)
        else:
            path.unlink(missing_ok=True)
        crypto.configure_encryption(settings.secret_key, settings.data_dir)
        raise
    # 3. committed: values another process wrote meanwhile under an old key move too
    newest = MultiFernet([Fernet(new)])
    with session_scope(settings.database_url) as session:
        for tbl, cols in tables.items():
            report.late += reencrypt_table(
                session, tbl, cols, reader, Fernet(new), only_unreadable_by=newest
            )
    report.retired = len(old)
    crypto.write_key_file(path, [new])
    crypto.configure_encryption(settings.secret_key, settings.data_dir)
    return report


@dataclass
class ScanReport:
    """How many stored values each key of the ring reads (``keys status --check``)."""

    by_key: dict[str, int] = field(default_factory=dict)
    unreadable: int = 0


def scan(settings: Settings) -> ScanReport:
    """Count the stored values under each key (every value is decrypted: slow on big stores)."""
    ring = crypto.key_ring()
    named = [(crypto.fingerprint(k), Fernet(k)) for k in ring.all_keys]
    report = ScanReport({name: 0 for name, _ in named})
    with session_scope(settings.database_url) as session:
        for tbl, cols in encrypted_columns().items():
            for row in _rows(session, tbl, cols):
                for token in row[len(tbl.primary_key.columns) :]:
                    if token is None:
                        continue
                    report.unreadable += _count(named, str(token), report.by_key)
    return report


def _count(named: list[tuple[str, Fernet]], token: str, by_key: dict[str, int]) -> int:
    for name, key in named:
        try:
            key.decrypt(token.encode("ascii", "replace"))
        except InvalidToken:
            continue
        by_key[name] += 1
        return 0
    return 1
