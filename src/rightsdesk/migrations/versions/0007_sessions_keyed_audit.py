"""core: server-side sessions, token expiry and last use, keyed audit chain, normalised names

- ``user_session``: browser sessions kept on the server (revoked at logout, on a password
  change or deactivation; idle and absolute timeouts).
- ``api_token.expires_at`` and ``api_token.last_used_at``.
- ``audit_entry.scheme``: 1 for the entries written so far (plain SHA-256 chain, which still
  verifies), 2 for entries chained from now on with an HMAC keyed outside the database. No
  entry is changed: the column is added with a default, so the append-only triggers stay and
  no row is rewritten.
- ``login_attempt.address`` indexed (failures are counted per client address too).
- User names are normalised as logins now compare them (Unicode NFKC, case-folded, trimmed), so
  an existing account keeps logging in with the name it used. Should two existing names become
  one ("Ana" beside "ana"), the name already in normal form (or else the older account) keeps
  it and the other becomes ``NAME#ID``, the name it logs in with from now on (``rightsdesk users
  list`` shows it).

Revision ID: 0007_sessions_keyed_audit
Revises: 0006_audit_chain
Create Date: 2026-12-08 09:00:00
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_sessions_keyed_audit"
down_revision: str | Sequence[str] | None = "0006_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = ("audit_entry_no_update", "audit_entry_no_delete")
NAME_COLUMN = 100


def _key(name: str) -> str:
    """``rightsdesk.core.security.users.lookup_key`` as of this revision."""
    return unicodedata.normalize("NFKC", name).casefold().strip()


def _normalise_names() -> None:
    bind = op.get_bind()
    users = bind.execute(sa.text("SELECT id, name FROM user_account ORDER BY id")).all()
    taken = {name for _id, name in users if _key(name) == name and name}
    for user_id, name in users:
        if name in taken and _key(name) == name:
            continue
        key = _key(name)[:NAME_COLUMN] or f"user#{user_id}"
        if key in taken:
            key = f"{key[: NAME_COLUMN - 12]}#{user_id}"
        taken.add(key)
        bind.execute(
            sa.text("UPDATE user_account SET name = :name WHERE id = :id"),
            {"name": key, "id": user_id},
        )


def upgrade() -> None:
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
    )
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_session_user_id"), ["user_id"], unique=False)

    # plain ALTER TABLE ADD COLUMN on both stores (no batch rebuild: nothing is copied)
    op.add_column("api_token", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("api_token", sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "audit_entry",
        sa.Column("scheme", sa.SmallInteger(), server_default=sa.text("1"), nullable=False),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_address"), ["address"], unique=False)
    _normalise_names()


def downgrade() -> None:
    """Names stay normalised (they still log in); keyed audit entries will no longer verify
    with the code of 0006."""
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_address"))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("scheme")
    if sqlite:
        for name, verb in zip(SQLITE_TRIGGERS, ("UPDATE", "DELETE"), strict=True):
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON audit_entry "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_session_user_id"))
    op.drop_table("user_session")
