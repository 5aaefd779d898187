"""Shared machinery of the property-based import tests (tests/core/test_import_properties_*.py).

Issue 9, item 2: a damaged, partial, shuffled or repeated file either fails with a user error
naming the file and leaves the store as it was, or it succeeds and every row stored before is
still there, unchanged unless the file restates it (and then only to the file's values).

How it is checked, the same way for every import kind and both stores:

* ``Stores``: per test module and backend, a *pre* store (states plus the imports the kind
  needs first, e.g. hrc-resolutions before hrc-votes) and a *baseline* store (pre plus the
  real file). Each example imports the mutated file inside a transaction that is rolled back
  afterwards, as the CLI's ``session_scope`` does on an error: no copy per example, so the
  properties run quickly on PostgreSQL too.
* ``snapshot``: every row of every table, keyed by its natural key (a unique constraint, with
  foreign keys to surrogate ids replaced by the parent's natural key) and without surrogate
  ids, dataset links or timestamps, so two stores can be compared row by row.
* The file's own values: the mutated file imported into the *pre* store. A stored row may
  change only if that import wrote the same natural key (or, for the parts of a
  recommendation, its recommendation), and only to those values.
"""

from __future__ import annotations

import os
import random
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import Table, UniqueConstraint, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import Base, dispose_engine, session_factory, session_scope
from rightsdesk.core.errors import RightsdeskError
from rightsdesk.core.importing import run_import
from rightsdesk.core.scratch import drop_database
from rightsdesk.forms import all_importers, get_importer
from rightsdesk.store import init_store
from tests.conftest import PG_ENV, PG_HINT, TEST_SECRET, make_settings
from tests.core.import_mutations import Style, mutate_binary, mutate_text, split_records

all_importers()  # every form's models are in Base.metadata

#: Tables no import writes (accounts, the audit chain, provenance records).
SKIP_TABLES = frozenset(
    {"audit_entry", "dataset", "login_attempt", "user_account", "api_token", "user_session"}
)
#: Columns that differ between two stores holding the same facts.
SKIP_COLUMNS = frozenset({"id", "dataset_id", "created_at", "updated_at", "reviewed_at"})
#: Tables whose rows are parts of a recommendation: a file restating the recommendation
#: restates them all (its states, responses, themes, cluster membership).
PARTS = frozenset(
    {"recommending_state", "recommendation_response", "recommendation_theme", "cluster_member"}
)

Key = tuple[Any, ...]
Snapshot = dict[str, dict[Key, tuple[Any, ...]]]


@dataclass
class _Shape:
    table: Table
    key: list[str]
    values: list[str]
    parents: dict[str, str]  # column -> table whose surrogate id it holds


def _shapes() -> list[_Shape]:
    shapes = []
    for table in Base.metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        pk = [c.name for c in table.primary_key]
        uniques = [
            [c.name for c in con.columns]
            for con in table.constraints
            if isinstance(con, UniqueConstraint)
        ]
        uniques += [[c.name] for c in table.columns if c.unique and c.name != "id"]
        uniques += [[c.name for c in i.columns] for i in table.indexes if i.unique]
        key = uniques[0] if pk == ["id"] and uniques else pk
        if key == ["id"]:  # no natural key (a table no import writes): the whole row is one
            key = [c.name for c in table.columns if c.name not in SKIP_COLUMNS]
        parents = {
            fk.parent.name: fk.column.table.name
            for fk in table.foreign_keys
            if [c.name for c in fk.column.table.primary_key] == ["id"]
            and fk.column.table.name not in SKIP_TABLES
        }
        values = [c.name for c in table.columns if c.name not in SKIP_COLUMNS and c.name not in key]
        shapes.append(_Shape(table, key, values, parents))
    return shapes


SHAPES = _shapes()


def snapshot(session: Session) -> Snapshot:
    """Every imported row of the store, by natural key (see the module docstring)."""
    natural: dict[str, dict[Any, Key]] = {}
    snap: Snapshot = {}
    for shape in SHAPES:
        rows = session.execute(select(shape.table)).mappings().all()

        def plain(row: Any, name: str, shape: _Shape = shape) -> Any:
            value = row[name]
            parent = shape.parents.get(name)
            return (
                natural[parent].get(value, ("?", value)) if parent and value is not None else value
            )

        by_key: dict[Key, tuple[Any, ...]] = {}
        ids: dict[Any, Key] = {}
        for row in rows:
            key = tuple(plain(row, n) for n in shape.key)
            by_key[key] = tuple(plain(row, n) for n in shape.values)
            if "id" in row:
                ids[row["id"]] = key
        natural[shape.table.name] = ids
        snap[shape.table.name] = by_key
    return snap


@dataclass
class Outcome:
    """What importing one file into one store did (the transaction is already rolled back)."""

    after: Snapshot | None
    error: RightsdeskError | None
    seconds: float


def try_import(settings: Settings, kind: str, path: Path) -> Outcome:
    """Import ``path`` with --force, snapshot the result, roll everything back."""
    started = time.perf_counter()
    session = session_factory(settings.database_url)()
    try:
        try:
            run_import(session, get_importer(kind), path, actor="test", force=True)
            session.flush()
        except RightsdeskError as exc:
            session.rollback()
            return Outcome(None, exc, time.perf_counter() - started)
        return Outcome(snapshot(session), None, time.perf_counter() - started)
    finally:
        session.rollback()
        session.close()


@dataclass
class Stores:
    """The pre and baseline stores of one kind on one backend, with their snapshots."""

    backend: str
    kind: str
    pre: Settings
    base: Settings
    folder: Path
    pre_snap: Snapshot = field(default_factory=dict, repr=False)
    base_snap: Snapshot = field(default_factory=dict, repr=False)
    examples: int = 0
    errors: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    cli_checked: bool = False

    def current(self) -> Snapshot:
        with session_scope(self.base.database_url) as s:
            return snapshot(s)


@dataclass
class StoreMaker:
    """Makes stores on one backend for a whole module: clones of one initialised empty
    template (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), since
    initialising a store takes seconds and each kind needs two."""

    backend: str
    folder: Path
    template: str
    made: list[str] = field(default_factory=list)

    def clone(self, name: str, source: str | None = None) -> Settings:
        """A copy of ``source`` (default: the empty template) named ``name``."""
        origin = source or self.template
        dispose_engine(origin)
        if self.backend == "sqlite":
            target = self.folder / f"{name}.db"
            shutil.copyfile(make_url(origin).database or "", target)
            url = f"sqlite:///{target}"
        else:
            url = _pg_create(origin, f"rdprop_{uuid.uuid4().hex[:12]}")
        self.made.append(url)
        return make_settings(url, self.folder / "data")

    def close(self) -> None:
        for url in self.made:
            dispose_engine(url)
            if self.backend == "postgresql":
                _pg_drop(url)


def _pg_admin(url: str) -> Any:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _pg_create(origin: str, name: str, copy: bool = True) -> str:
    """A new database on ``origin``'s server: a copy of ``origin`` (``copy``) or empty. The
    server's own test database is never copied: another worker may be connected to it."""
    admin = _pg_admin(origin)
    try:
        with admin.connect() as conn:
            template = f' TEMPLATE "{make_url(origin).database}"' if copy else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    finally:
        admin.dispose()
    return make_url(origin).set(database=name).render_as_string(hide_password=False)


def _pg_drop(url: str) -> None:
    admin = _pg_admin(url)
    try:
        drop_database(admin, str(make_url(url).database))
    finally:
        admin.dispose()


_TEMPLATES: dict[str, str] = {}


def _template(backend: str, config: pytest.Config, folder: Path) -> str:
    """The initialised empty store of ``backend``, made once per test session."""
    if backend not in _TEMPLATES:
        if backend == "sqlite":
            url = f"sqlite:///{folder / 'template.db'}"
        else:
            base = os.environ.get(PG_ENV)
            assert base is not None
            url = _pg_create(base, f"rdproptpl_{uuid.uuid4().hex[:12]}", copy=False)
            config.add_cleanup(lambda: _pg_drop(url))
        init_store(make_settings(url, folder / "data"))
        dispose_engine(url)
        _TEMPLATES[backend] = url
    return _TEMPLATES[backend]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def new_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreMaker]:
    """Like ``store_url`` in tests/conftest.py (SQLite, and PostgreSQL when configured), but
    module-scoped: the pre and baseline stores are built once per module and backend."""
    backend = str(request.param)
    if backend == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(PG_HINT)
    template = _template(backend, request.config, tmp_path_factory.getbasetemp())
    maker = StoreMaker(backend, tmp_path_factory.mktemp(f"stores-{backend}"), template)
    yield maker
    maker.close()


def build_stores(
    maker: StoreMaker,
    kind: str,
    real: Path,
    before: tuple[tuple[str, Path], ...] = (),
) -> Stores:
    """The pre store (``before`` imported) and the baseline (plus ``real`` as ``kind``)."""
    pre = maker.clone(f"{kind}-pre") if before else make_settings(maker.template, maker.folder)
    for prior_kind, prior in before:
        with session_scope(pre.database_url) as s:
            run_import(s, get_importer(prior_kind), prior, actor="test")
    base = maker.clone(f"{kind}-base", pre.database_url)
    with session_scope(base.database_url) as s:
        run_import(s, get_importer(kind), real, actor="test")
    stores = Stores(maker.backend, kind, pre, base, maker.folder / "mutated")
    with session_scope(pre.database_url) as s:
        stores.pre_snap = snapshot(s)
    stores.base_snap = stores.current()
    return stores


def _is_restated(table: str, key: Key, file_rows: Snapshot, pre: Snapshot) -> bool:
    """Whether importing the file alone wrote row ``key`` of ``table`` (or, for the parts of a
    recommendation, its recommendation)."""
    written = file_rows.get(table, {})
    if key in written and written[key] != pre.get(table, {}).get(key):
        return True
    if table in PARTS:
        parent = key[0]  # the recommendation's natural key, resolved
        recs = file_rows.get("recommendation", {})
        return parent in recs
    return False


#: Damage every text import must refuse (issue 9: NUL bytes; a CSV's last line without all
#: its fields, the sign of a cut file).
MUST_REFUSE = {"csv": ("nul", "drop-last-field"), "blocks": ("nul",)}


def check_import(stores: Stores, path: Path, how: str, damaged: Path | None = None) -> str:
    """Import ``path`` onto the baseline and into the pre store; assert the property.

    ``how`` names the mutation; "shuffle" is a valid reordering of the real file, so its
    import into the pre store must give exactly the baseline's rows. ``damaged``: the file an
    error must name, when not ``path`` itself (a sibling the import reads). Returns "error"
    or "ok" (counted per mutation for the timing line). A mutation named "STYLE:how" with
    ``how`` in MUST_REFUSE[STYLE] must fail.
    """
    style, _, how = how.rpartition(":")
    onto = try_import(stores.base, stores.kind, path)
    alone = try_import(stores.pre, stores.kind, path)
    stores.examples += 1
    stores.seconds += onto.seconds + alone.seconds
    stores.outcomes[f"{how}:{'error' if onto.error else 'ok'}"] += 1
    if onto.error is not None:
        message = str(onto.error)
        named = damaged or path
        assert named.name in message, f"{named.name} not named in {message!r}"
        assert "Traceback" not in message
        assert stores.current() == stores.base_snap, "a failed import changed the store"
        stores.errors += 1
        if not stores.cli_checked:  # once per kind and store: the command line says the same
            stores.cli_checked = True
            code, output = run_cli(stores.base, "import", stores.kind, str(path), "--force")
            assert code != 0 and named.name in output.replace("\n", ""), output
            assert "Traceback" not in output, output
            assert stores.current() == stores.base_snap, "a failed command changed the store"
        return "error"
    assert how not in MUST_REFUSE.get(style, ()), f"{how}: the damaged file was accepted"
    assert onto.after is not None
    if how == "shuffle":
        assert alone.error is None, f"a reordered valid file was refused: {alone.error}"
        assert alone.after == stores.base_snap, _diff(stores.base_snap, alone.after)
    problems = violations(stores.base_snap, onto.after, stores.pre_snap, alone.after or {})
    assert not problems, "\n".join(problems)
    return "ok"


def violations(before: Snapshot, after: Snapshot, pre: Snapshot, file_rows: Snapshot) -> list[str]:
    """The stored rows ``after`` lost or changed though the file does not restate them, or
    changed to something other than the file's values (``file_rows``: the file imported into
    the ``pre`` store). At most six, for a readable failure."""
    problems: list[str] = []
    for table, rows in before.items():
        now = after.get(table, {})
        for key, old in rows.items():
            new = now.get(key)
            if new == old:
                continue
            if _is_restated(table, key, file_rows, pre):
                said = file_rows.get(table, {}).get(key)
                if new != said:
                    problems.append(f"{table} {key}: {old} -> {new}, the file says {said}")
            else:
                what = "deleted" if new is None else f"changed to {new}"
                problems.append(f"{table} {key}: {old} {what}, not restated by the file")
            if len(problems) >= 6:
                return problems
    return problems


def run_cli(settings: Settings, *args: str) -> tuple[int, str]:
    """``rightsdesk --database URL ARGS...``: (exit code, output); never an uncaught error."""
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, *args],
        env={"RIGHTSDESK_DATA_DIR": str(settings.data_dir), "RIGHTSDESK_SECRET_KEY": TEST_SECRET},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _diff(a: Snapshot, b: Snapshot | None) -> str:
    assert b is not None
    out = []
    for table in a:
        left, right = a[table], b.get(table, {})
        for key in sorted(set(left) ^ set(right), key=repr)[:3]:
            out.append(f"{table} {key}: {left.get(key)} vs {right.get(key)}")
        for key in [k for k in left if k in right and left[k] != right[k]][:3]:
            out.append(f"{table} {key}: {left[key]} vs {right[key]}")
    return "\n".join(out[:12]) or "equal"


def report_timing(stores: Stores) -> None:
    """One line per module and backend: the figures in the helper's report come from here."""
    print(
        f"\n[import-properties] {stores.kind} on {stores.backend}: "
        f"{stores.examples} examples, {stores.seconds:.1f} s importing; "
        + ", ".join(f"{k} {v}" for k, v in sorted(stores.outcomes.items()))
    )


#: Hypothesis settings of every property here: few examples per mutation (each imports twice),
#: replayable (derandomized, no example database), no deadline (PostgreSQL is slower), no
#: shrinking (a seed is opaque: a smaller one is no simpler a file, and each try imports twice).
PROPERTY = hsettings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SEEDS = st.integers(0, 2**32 - 1)


def text_property(stores: Stores, real: Path, how: str, seed: int, style: Style = "csv") -> str:
    """``real`` mutated as ``how`` says, written under its own name, checked onto the store."""
    data = mutate_text(real.read_bytes(), how, random.Random(seed), style)
    stores.folder.mkdir(parents=True, exist_ok=True)
    path = stores.folder / real.name
    path.write_bytes(data)
    return check_import(stores, path, f"{style}:{how}")


def binary_property(stores: Stores, real: Path, how: str, seed: int) -> str:
    """``real`` (.rda, .docx) damaged: a clear error, or (rarely) every stored row kept."""
    data = mutate_binary(real.read_bytes(), how, random.Random(seed))
    stores.folder.mkdir(parents=True, exist_ok=True)
    path = stores.folder / real.name
    path.write_bytes(data)
    return check_import(stores, path, how)


def head_records(source: Path, target: Path, count: int, style: Style = "csv") -> Path:
    """The first ``count`` records of a real file, bytes unchanged (a cut at a record end)."""
    data = source.read_bytes()
    head, records = split_records(data, style)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(head + b"".join(records[:count]))
    return target


#: For the slowest kinds (unvotes reads and writes R data files in each example).
FEW = hsettings(PROPERTY, max_examples=2)
