"""What the sanctions tests share: a store with the real lists of the shared data folder
imported, built once per test process as a template and copied per test module.

- ``sanctions_loaded``: module-scoped Settings of a SQLite store holding every list of
  ``LOAD`` whose importer exists (the programme registry, the UN list of 2026, OFAC's
  2024 SDN file, the EU Global Human Rights regime). A module's copy is its own, but shared
  by the tests of that module: a test that commits must undo it or build its own store.
- ``sanctions_loaded_pg``: the same on PostgreSQL (skips without a server).
- ``sanctions_session``: a session on ``sanctions_loaded`` rolled back after each test.
- ``import_file(settings, kind, path)``: one import in its own committed transaction, as
  ``rightsdesk import`` does.
- ``store_copy(backend, templates, folder, name, build)`` and ``imports(shared_data, steps)``:
  a module's own copy of any other template store (e.g. two versions of a list imported in
  order, for the history tests).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_factory, session_scope
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import all_importers, get_importer
from tests.conftest import PG_ENV, PG_HINT, make_settings
from tests.store_templates import Build, StoreTemplates, pg_drop, ready

#: (import kind, path under the shared data folder), in load order: the registry first, so
#: designations get their programme keys. Other helpers may extend this list.
LOAD: list[tuple[str, str]] = [
    ("opensanctions-programs", "sanctions/opensanctions-programs"),
    ("un-sc-consolidated", "sanctions/un/consolidated-2026-02-27.xml"),
    ("ofac-sdn-csv", "sanctions/ofac/sdn-2024-05-03.csv"),
    ("eu-journal-csv", "sanctions/eu-journal/32020R1998.csv"),
]

#: the template's name in ``StoreTemplates`` (one content per name)
TEMPLATE = "sanctions-" + "-".join(kind for kind, _ in LOAD)


def import_file(
    settings: Settings, kind: str, path: Path, force: bool = False, replace: bool = False
) -> ImportReport:
    """Import one file in its own committed transaction, as ``rightsdesk import`` does."""
    with session_scope(settings.database_url) as session:
        return run_import(
            session, get_importer(kind), path, actor="test", force=force, replace=replace
        )


def loaded_kinds() -> list[tuple[str, str]]:
    """The entries of ``LOAD`` whose importer exists now (the others are not built yet)."""
    known = {importer.kind for importer in all_importers()}
    return [(kind, rel) for kind, rel in LOAD if kind in known]


def load_sanctions(settings: Settings, shared_data: Path) -> list[ImportReport]:
    """Import every list of ``LOAD`` that has an importer into ``settings``' store.

    A folder entry (the programme registry) is imported file by file when its importer reads
    single files, or whole when it accepts the folder's first file as the set."""
    reports: list[ImportReport] = []
    for kind, rel in loaded_kinds():
        path = shared_data / rel
        if path.is_dir():
            importer = get_importer(kind)
            files = sorted(p for p in path.iterdir() if p.is_file())
            if getattr(importer, "reads_folder", False):
                files = files[:1]
            for file in files:
                reports.append(import_file(settings, kind, file))
        else:
            reports.append(import_file(settings, kind, path))
    return reports


def _template_build(shared_data: Path) -> Build:
    def build(settings: Settings) -> None:
        load_sanctions(settings, shared_data)

    return build


@contextmanager
def store_copy(
    backend: str, templates: StoreTemplates, folder: Path, name: str, build: Build
) -> Iterator[Settings]:
    """Settings of a new store on ``backend`` ("sqlite" or "postgresql") that is a copy of
    template ``name`` (built once per test process by ``build``); dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'sanctions.db'}"
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(PG_HINT)
        url = (
            make_url(base)
            .set(database=f"rdsanc_{uuid.uuid4().hex[:12]}")
            .render_as_string(hide_password=False)
        )
    templates.create(url, name, build)
    settings = make_settings(url, folder)
    ready(settings)
    try:
        yield settings
    finally:
        if backend == "sqlite":
            dispose_engine(url)
        else:
            pg_drop(url)


def imports(shared_data: Path, steps: list[tuple[str, str]]) -> Build:
    """A template build that imports ``steps`` ((kind, path under shared data)) in order."""

    def build(settings: Settings) -> None:
        for kind, rel in steps:
            import_file(settings, kind, shared_data / rel)

    return build


@pytest.fixture(scope="module")
def sanctions_loaded(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates, shared_data: Path
) -> Iterator[Settings]:
    """Settings of a SQLite store of this module's own with the lists of ``LOAD``."""
    folder = tmp_path_factory.mktemp("sanctions")
    build = _template_build(shared_data)
    with store_copy("sqlite", store_templates, folder, TEMPLATE, build) as settings:
        yield settings


@pytest.fixture(scope="module")
def sanctions_loaded_pg(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates, shared_data: Path
) -> Iterator[Settings]:
    """The same store on PostgreSQL (skipped when no server is configured)."""
    folder = tmp_path_factory.mktemp("sanctions-pg")
    build = _template_build(shared_data)
    with store_copy("postgresql", store_templates, folder, TEMPLATE, build) as settings:
        yield settings


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def sanctions_store(request: pytest.FixtureRequest) -> Settings:
    """``sanctions_loaded`` and then ``sanctions_loaded_pg``: a test that asks for this runs
    on both stores."""
    name = "sanctions_loaded" if request.param == "sqlite" else "sanctions_loaded_pg"
    settings: Settings = request.getfixturevalue(name)
    return settings


@pytest.fixture
def sanctions_session(sanctions_store: Settings) -> Iterator[Session]:
    """A session on ``sanctions_store``; whatever the test leaves uncommitted is rolled back."""
    session = session_factory(sanctions_store.database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
