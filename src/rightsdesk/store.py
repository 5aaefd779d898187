"""Opening the store: schema migrations over every form's branch, seeds, readiness check.

This sits above ``core`` because the migrations are the forms' own: one Alembic version folder
and one branch label per form, listed by ``rightsdesk.forms.migration_folders()``.

The revision graph::

    core          0001_core ── 0006_audit_chain ── ...       src/rightsdesk/migrations/versions/
    negotiation   0002_treaties ── 0003_votes ── ...          src/rightsdesk/negotiation/migrations/
    monitoring    0004_monitoring ── 0005_suggestions ── ...  src/rightsdesk/monitoring/migrations/

Each form's branch has its own base revision (``down_revision = None``) that ``depends_on`` a
core revision, so ``core@head`` and ``FORM@head`` each name exactly one revision and a form can
be upgraded alone (``command.upgrade(cfg, "negotiation@head")``; core first, as it depends on it).
``rightsdesk init`` applies ``heads``, all branches. Within a branch the revisions are linear.

Writing a revision (there is no alembic.ini; ``alembic_config`` is the configuration)::

    from alembic import command
    from rightsdesk.store import alembic_config, upgrade

    url = "sqlite:///dev.db"
    upgrade(url)  # autogenerate compares the models with a store at head
    cfg = alembic_config(url)
    # a change to an existing form's tables: the revision lands in that branch's folder
    command.revision(cfg, "what changes", autogenerate=True, head="negotiation@head",
                     rev_id="0007_treaty_notes")

A new form's branch: create ``src/rightsdesk/FORM/migrations/__init__.py``, set
``migrations="rightsdesk.FORM.migrations"`` in the form's ``FORM`` and list the form in
``rightsdesk.forms.FORMS`` (that puts the folder in ``version_locations``), then::

    command.revision(cfg, "FORM: first tables", autogenerate=True, head="base",
                     branch_label="FORM", depends_on="core@head", rev_id="0008_FORM",
                     version_path="src/rightsdesk/FORM/migrations")

(the command line equivalent is ``alembic revision --head=base --branch-label=FORM
--depends-on=core@head --version-path=src/rightsdesk/FORM/migrations``), or write the file
by hand: ``down_revision = None``, ``branch_labels = ("FORM",)``, ``depends_on = "<core's
head revision id>"``. Do not base a form on ``--head=core@head``: its revisions would descend
from core, carry the ``core`` label too, and ``core@head`` would no longer name one revision.
Later revisions of the form follow ``FORM@head``; one that needs a newer core revision names
it in ``depends_on``. Objects the models cannot declare (full-text search) are listed in
``rightsdesk.migrations.MIGRATION_ONLY`` so autogenerate leaves them alone.

Stores made before the form registry (``0003_votes`` then revised ``0001_core`` directly) are
stamped ``{0002_treaties, 0003_votes, 0005_suggestions}``; in the new graph ``0002_treaties``
is an ancestor of ``0003_votes``, and ``upgrade`` drops such redundant stamps before upgrading.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Connection, String, column, delete, insert, select, table
from sqlalchemy.orm import Session

from rightsdesk.core.config import REFERENCE_KIND, Settings, check_store_key
from rightsdesk.core.db import get_engine, session_scope, utcnow
from rightsdesk.core.errors import ConfigError
from rightsdesk.core.importing import drop_interrupted
from rightsdesk.core.provenance import Dataset, refresh_periods
from rightsdesk.core.security import audit
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.core.states import seed_states
from rightsdesk.forms import migration_folders

if TYPE_CHECKING:  # Alembic is imported when a store is checked, not when the CLI starts
    from alembic.config import Config
    from alembic.script import Script, ScriptDirectory


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("rightsdesk") / "migrations"))
    cfg.set_main_option(
        "version_locations", " ".join(str(folder) for folder in migration_folders())
    )
    cfg.set_main_option("path_separator", "space")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _script(url: str) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(url))


def _parents(script: ScriptDirectory, revision: Script | None) -> list[str]:
    """The revisions ``revision`` stands on: its down revisions and its ``depends_on``."""
    if revision is None:
        return []
    refs: list[str] = []
    for refs_of in (revision.down_revision, revision.dependencies):
        if isinstance(refs_of, str):
            refs.append(refs_of)
        elif refs_of:
            refs.extend(refs_of)
    out = []
    for ref in refs:  # depends_on may name a branch label; resolve it to a revision id
        parent = script.get_revision(ref)
        if parent is not None:
            out.append(parent.revision)
    return out


def _ancestors(script: ScriptDirectory, revisions: Iterable[str]) -> set[str]:
    """Every revision strictly below the given ones (through down revisions and depends_on).

    Raises alembic's ``CommandError`` ("Can't locate revision") if the store names a revision
    the code does not know (a store made by a newer release).
    """
    seen: set[str] = set()
    stack = [p for rev_id in revisions for p in _parents(script, script.get_revision(rev_id))]
    while stack:
        rev_id = stack.pop()
        if rev_id in seen:
            continue
        seen.add(rev_id)
        stack.extend(_parents(script, script.get_revision(rev_id)))
    return seen


def redundant_stamps(script: ScriptDirectory, stamped: Iterable[str]) -> set[str]:
    """Stamped revisions that are ancestors of other stamped ones.

    Alembic keeps only heads in ``alembic_version``; a store made before the branches were
    made linear has such rows (``0002_treaties`` beside its descendant ``0003_votes``).
    """
    stamped = set(stamped)
    return stamped & _ancestors(script, stamped)


def _drop_redundant_stamps(connection: Connection, script: ScriptDirectory) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    stamped = MigrationContext.configure(connection).get_current_heads()
    redundant = redundant_stamps(script, stamped)
    if redundant:
        version_num = column("version_num", String(32))
        connection.execute(
            delete(table("alembic_version", version_num)).where(version_num.in_(sorted(redundant)))
        )
    return redundant


def upgrade(url: str) -> None:
    """Apply every pending migration, on every branch (forms add their own branches).

    One transaction: redundant version rows left by an older release are dropped first, then
    alembic upgrades to ``heads``; a failure leaves the store as it was. (On SQLite, pysqlite
    opens the transaction at the first data change, so DDL before it, as in the first
    migration of a new store, is not rolled back.)
    """
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    with get_engine(url).begin() as connection:
        _drop_redundant_stamps(connection, script)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "heads")


def _applied(script: ScriptDirectory, url: str) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        stamped = set(MigrationContext.configure(connection).get_current_heads())
    return stamped | _ancestors(script, stamped)


def applied(url: str) -> set[str]:
    """Every revision the store has: its stamped heads and all that lies below them."""
    return _applied(_script(url), url)


def pending(url: str) -> bool:
    """Whether the store is behind the code (pages and commands refuse to run on it).

    Behind means some head of the code's revision graph is not applied. Redundant stamps (an
    ancestor stamped beside its descendant, as older releases left them) do not make a store
    behind; ``upgrade`` removes them.
    """
    script = _script(url)
    return not set(script.get_heads()) <= _applied(script, url)


def init_store(settings: Settings, actor: str = "system") -> tuple[int, int]:
    """Create or migrate the schema and seed the states; safe to repeat. Returns counts."""
    configure_encryption(settings.secret_key, settings.data_dir)
    upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        states, links = seed_states(session)
        drop_interrupted(session)
        refresh_periods(session)  # periods of datasets imported before they were recorded
        if session.scalar(select(Dataset.id).where(Dataset.kind == REFERENCE_KIND)) is None:
            record_reference(session, states, actor)
    check_store_key(settings)
    return states, links


def record_reference(session: Session, states: int, actor: str) -> None:
    """The Dataset of the built-in reference data, written once per store, and its audit."""
    session.execute(
        insert(Dataset).values(
            kind=REFERENCE_KIND,
            source="country-converter and pycountry, with rightsdesk's own tables of "
            "historical states, UN-style names and group memberships",
            source_url=None,
            licence="GPL-3.0 (country-converter), LGPL-2.1 (pycountry)",
            file_name="(built-in)",
            sha256="-",
            imported_by=actor,
            imported_at=utcnow(),
            rows_read=states,
            inserted=states,
            updated=0,
            unchanged=0,
            rejected=0,
        )
    )
    audit.record(session, actor, "init", "store", None, after={"states": states})


def check_ready(settings: Settings) -> None:
    """Refuse to work on a store that was never initialised or is behind the code."""
    configure_encryption(settings.secret_key, settings.data_dir)
    try:
        behind = pending(settings.database_url)
    except Exception as exc:
        raise ConfigError(f"cannot open the store {settings.database_url}: {exc}") from exc
    if behind:
        raise ConfigError(
            f"the store {settings.database_url} is not initialised or is out of date; "
            "run `rightsdesk init`"
        )
    check_store_key(settings)


def open_session(settings: Settings) -> Session:
    """A session on the configured store, for notebooks and scripts."""
    from rightsdesk.core.db import session_factory

    return session_factory(settings.database_url)()
