"""What the register tests share: the three open sources (UN peacekeeping operations, the ABA
ICC tree, the ICJ list of cases) imported once per test process and backend into a template
store (``register_template``), so a test's ``settings`` store is a copy that already holds them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import get_importer
from tests.conftest import StoreTemplate

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "interventions"


def source_files(root: Path) -> dict[str, Path]:
    """The real files of each register import kind under ``interventions/``."""
    return {
        "un-peacekeeping": root / "un-peacekeeping" / "DPPADPOSS-PKO.csv",
        "icc-aba": root / "icc-aba" / "_situations" / "uganda.md",
        "icj-cases": root / "icj" / "icj-cases.json",
    }


def import_file(
    settings: Settings, kind: str, path: Path, force: bool = False, replace: bool = False
) -> ImportReport:
    """Import one file in its own committed transaction, as ``rightsdesk import`` does."""
    with session_scope(settings.database_url) as session:
        return run_import(
            session, get_importer(kind), path, actor="test", force=force, replace=replace
        )


def load_register(settings: Settings, root: Path = DATA) -> None:
    for kind, path in source_files(root).items():
        import_file(settings, kind, path)


@pytest.fixture(scope="module")
def store_template(shared_data: Path) -> StoreTemplate:
    """Tests of a module that uses this start from the imported register."""
    root = shared_data / "interventions"
    return ("register", lambda s: load_register(s, root))
