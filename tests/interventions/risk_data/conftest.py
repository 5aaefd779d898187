"""What the risk data tests share: the eight real source files and a store template holding
all of them, imported once per test process and backend (``tests/conftest.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import ImportReport, run_import
from rightsdesk.forms import get_importer
from tests.conftest import StoreTemplate
from tests.store_templates import Build

#: kind -> the file under ``../shared/data/interventions`` it reads
RISK_FILES: dict[str, tuple[str, ...]] = {
    "ewp-basedata": ("ewp", "basedata2025_4august2025.csv"),
    "ewp-predictors": ("ewp", "prepared2024predictors-2025-09-03.csv"),
    "ewp-forecasts": ("ewp", "FOOSforecasts_3Sep2025.csv"),
    "pts": ("pts", "PTS-2024.csv"),
    "cirights": ("other", "cirights_v1.22.11.25.csv"),
    "ucdp-battledeaths": ("ucdp", "BattleDeaths_v25_1.csv"),
    "ucdp-acd": ("ucdp", "ucdp-prio-acd-201.csv"),
    "ucdp-onesided": ("other", "OneSided_v23_1.csv"),
}
#: data rows of each file (one stored row each)
ROWS: dict[str, int] = {
    "ewp-basedata": 11313,
    "ewp-predictors": 9463,
    "ewp-forecasts": 5047,
    "pts": 10220,
    "cirights": 7541,
    "ucdp-battledeaths": 1995,
    "ucdp-acd": 2448,
    "ucdp-onesided": 1191,
}
RISK = "risk-data-all"  # the template holding every risk source


def risk_file(shared_data: Path, kind: str) -> Path:
    return shared_data.joinpath("interventions", *RISK_FILES[kind])


def import_risk(
    settings: Settings, kind: str, path: Path, force: bool = False, replace: bool = False
) -> ImportReport:
    """One file in its own committed transaction, as ``rightsdesk import KIND FILE`` does."""
    with session_scope(settings.database_url) as session:
        return run_import(
            session, get_importer(kind), path, actor="test", force=force, replace=replace
        )


def build_risk(shared_data: Path) -> Build:
    def build(settings: Settings) -> None:
        for kind in RISK_FILES:
            import_risk(settings, kind, risk_file(shared_data, kind))

    return build


@pytest.fixture
def store_template(shared_data: Path) -> StoreTemplate:
    """Every test of this folder starts from a store holding the eight risk files."""
    return RISK, build_risk(shared_data)


@pytest.fixture
def risk_settings(store_template: StoreTemplate, settings: Settings) -> Settings:
    """The test's own copy of a store holding the eight risk files."""
    return settings
