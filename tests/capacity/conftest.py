"""What the capacity tests share: the real IATI files of the shared data folder imported into a
test store, once per test module and per store (SQLite and PostgreSQL).

- ``capacity_store``: module-scoped Settings of a store holding the three IATI codelists
  (Sector, OrganisationType, ActivityStatus) and the three activity files (CAFOD 1.00, DFID
  1.01, d-portal 2.02/2.03): 57 + 205 + 401 programmes. Shared by the tests of a module, so a
  test that COMMITS changes there (a web client, a CLI command) must undo them or use
  ``load_capacity`` on a fresh ``settings`` store instead.
- ``capacity_loaded``: a session on that store; it is closed (rolled back) after each test, so
  flushing without committing is safe.
- ``load_capacity(settings, shared_data)``: import the same files into any store (e.g. the
  function-scoped ``settings`` fixture of ``tests/conftest.py``) when a test must write.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_factory, session_scope
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.core.scratch import drop_database
from rightsdesk.forms import get_importer
from rightsdesk.store import init_store
from tests.conftest import PG_ENV, PG_HINT, make_settings

CODELISTS = ("Sector.xml", "OrganisationType.xml", "ActivityStatus.xml")
ACTIVITY_FILES = ("cafod-drc-v1.00.xml", "dfid-drc-v1.01.xml", "dportal-covid-2020-v2.0x.xml")
#: iati-activity elements in each real file (each one a distinct iati-identifier)
ACTIVITY_COUNTS = {
    "cafod-drc-v1.00.xml": 57,
    "dfid-drc-v1.01.xml": 205,
    "dportal-covid-2020-v2.0x.xml": 401,
}


def iati_dir(shared_data: Path) -> Path:
    return shared_data / "capacity" / "iati"


def codelist_file(shared_data: Path, name: str) -> Path:
    return iati_dir(shared_data) / "codelists" / name


def activity_file(shared_data: Path, name: str) -> Path:
    return iati_dir(shared_data) / "activities" / name


def import_file(
    settings: Settings, kind: str, path: Path, force: bool = False, replace: bool = False
) -> ImportReport:
    """Import one file in its own committed transaction, as ``rightsdesk import`` does."""
    with session_scope(settings.database_url) as session:
        return run_import(
            session, get_importer(kind), path, actor="test", force=force, replace=replace
        )


def load_capacity(settings: Settings, shared_data: Path) -> list[ImportReport]:
    """Import the three codelists, then the three activity files, into ``settings``' store."""
    reports = [
        import_file(settings, "iati-codelist", codelist_file(shared_data, name))
        for name in CODELISTS
    ]
    reports += [
        import_file(settings, "iati-activities", activity_file(shared_data, name))
        for name in ACTIVITY_FILES
    ]
    return reports


@pytest.fixture(scope="session")
def _capacity_templates(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[dict[str, str]]:
    """The loaded stores every module copies: built once per test run and store (the import
    of the three files takes several seconds; a copy takes a fraction of one)."""
    from rightsdesk.core.scratch import scratch_database

    tmp = tmp_path_factory.mktemp("capacity-template")
    made: dict[str, str] = {}
    with ExitStack() as stack:

        def build(kind: str) -> str:
            if kind not in made:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp / 'template.db'}"
                else:
                    base = os.environ.get(PG_ENV)
                    if not base:
                        pytest.skip(PG_HINT)
                    url = stack.enter_context(scratch_database(base, "rdcaptpl"))
                s = make_settings(url, tmp)
                init_store(s)
                load_capacity(s, shared_data)
                dispose_engine(url)  # a template must have no open connection
                made[kind] = url
            return made[kind]

        yield _Builder(build)


class _Builder(dict[str, str]):
    """``templates[kind]`` builds the template store of ``kind`` on first use."""

    def __init__(self, build: Callable[[str], str]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, kind: str) -> str:
        return self._build(kind)


@contextmanager
def _pg_copy(template_url: str, prefix: str) -> Iterator[str]:
    """A new PostgreSQL database copied from ``template_url`` (CREATE DATABASE ... TEMPLATE),
    dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    url = make_url(template_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    # connected to the server's test database: the template itself must have no connection
    admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
        try:
            yield target
        finally:
            dispose_engine(target)
            drop_database(admin, name)
    finally:
        admin.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def capacity_store(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _capacity_templates: dict[str, str],
) -> Iterator[Settings]:
    """Settings of a store of this module's own with the real IATI codelists and activity
    files imported (a copy of the template store)."""
    tmp = tmp_path_factory.mktemp("capacity")
    template = _capacity_templates[request.param]
    if request.param == "sqlite":
        source = Path(template.removeprefix("sqlite:///"))
        shutil.copyfile(source, tmp / "capacity.db")
        url = f"sqlite:///{tmp / 'capacity.db'}"
        yield make_settings(url, tmp)
        dispose_engine(url)
        return
    with _pg_copy(template, "rdcap") as url:
        yield make_settings(url, tmp)


@pytest.fixture
def capacity_loaded(capacity_store: Settings) -> Iterator[Session]:
    """A session on ``capacity_store``; whatever the test leaves uncommitted is rolled back."""
    session = session_factory(capacity_store.database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()
