"""Property-based import safety of the newer negotiation sources (issue 9, item 2): a UN Treaty
Collection status page (kind untc-status-html, ``icescr_op.html``), the OHCHR dashboard export
(kind ohchr-dashboard, an .xls) and UN Data's wide votes table (kind undata, a zipped CSV: the
first 20 rows of the real file). Damaged bytes must give a clear error or keep every stored
row; the zipped table's rows are also reordered, repeated and left out. Fewer examples than
for the other kinds: these imports take longer. (Kind undl has no real file in the open data
folder; its own tests use a synthetic one.)
See tests/core/import_properties.py for the property and how it is checked on both stores."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given

from tests.core.import_mutations import BINARY_MUTATIONS, DAMAGE, REARRANGE, mutate_text
from tests.core.import_properties import (
    FEW,
    SEEDS,
    StoreMaker,
    Stores,
    binary_property,
    build_stores,
    check_import,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
    text_property,
)

TREATIES = "negotiation/treaties"
PAGE = f"{TREATIES}/untc-status-html/icescr_op.html"
DASHBOARD = f"{TREATIES}/ohchr-dashboard/UnderlyingData_ICESCR_OHCHR_23_04_2026.xls"
INNER = "UN DATA.csv"


def _zip_table(data: bytes, target: Path) -> Path:
    """``data`` zipped as the real file is, with a fixed date: the same bytes on every run."""
    entry = zipfile.ZipInfo(INNER, date_time=(2022, 1, 29, 10, 37, 0))
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(entry, data)
    return target


@pytest.fixture(scope="module")
def undata_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with zipfile.ZipFile(shared_data / "negotiation/undata/UN_DATA.csv.zip") as archive:
        lines = archive.read(INNER).split(b"\n")
    folder = tmp_path_factory.mktemp("undata")
    return _zip_table(b"\n".join(lines[:21]) + b"\n", folder / "UN_DATA.csv.zip")


@pytest.fixture(scope="module")
def page_stores(new_store: StoreMaker, shared_data: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "untc-status-html", shared_data / PAGE)
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def dashboard_stores(new_store: StoreMaker, shared_data: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "ohchr-dashboard", shared_data / DASHBOARD)
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def undata_stores(new_store: StoreMaker, undata_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "undata", undata_file)
    yield stores
    report_timing(stores)


@pytest.mark.parametrize("how", DAMAGE)
@FEW
@given(seed=SEEDS)
def test_status_page_damaged(page_stores: Stores, shared_data: Path, how: str, seed: int) -> None:
    text_property(page_stores, shared_data / PAGE, how, seed)


@pytest.mark.parametrize("how", BINARY_MUTATIONS)
@FEW
@given(seed=SEEDS)
def test_dashboard_export_damaged(
    dashboard_stores: Stores, shared_data: Path, how: str, seed: int
) -> None:
    binary_property(dashboard_stores, shared_data / DASHBOARD, how, seed)


@pytest.mark.parametrize("how", ["cut", "nul"])  # flipped bytes: see the test below
@FEW
@given(seed=SEEDS)
def test_undata_zip_damaged(undata_stores: Stores, undata_file: Path, how: str, seed: int) -> None:
    binary_property(undata_stores, undata_file, how, seed)


def test_undata_zip_with_flipped_bytes(undata_stores: Stores, undata_file: Path) -> None:
    data = undata_file.read_bytes()
    undata_stores.folder.mkdir(parents=True, exist_ok=True)
    target = undata_stores.folder / undata_file.name
    for offset in range(200, min(len(data) - 100, 6200), 750):
        damaged = bytearray(data)
        damaged[offset] ^= 0x55
        target.write_bytes(bytes(damaged))
        check_import(undata_stores, target, "flip")


@pytest.mark.parametrize("how", DAMAGE + REARRANGE)
@FEW
@given(seed=SEEDS)
def test_undata_table_mutated(
    undata_stores: Stores, undata_file: Path, how: str, seed: int
) -> None:
    """The CSV inside the zip cut, damaged, reordered, repeated or partial."""
    with zipfile.ZipFile(undata_file) as archive:
        table = archive.read(INNER)
    undata_stores.folder.mkdir(parents=True, exist_ok=True)
    target = undata_stores.folder / undata_file.name
    _zip_table(mutate_text(table, how, random.Random(seed), "csv"), target)
    check_import(undata_stores, target, f"csv:{how}")
