"""Property-based import safety of the treaty files (issue 9, item 2): the UN Treaty Collection
ratifications table (kind untc-ratifications, ``un_hr_ratifications.csv``), the 2015 scrape's
participants (kind untreaties, ``treaties/4-9.csv``, CAT) and its reservation texts (kind
untreaties-reservations, ``declarations/4-9.txt``), cut, damaged, shuffled, repeated and
partial. See tests/core/import_properties.py for the property and how it is checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given

from tests.core.import_mutations import TEXT_MUTATIONS
from tests.core.import_properties import (
    PROPERTY,
    SEEDS,
    StoreMaker,
    Stores,
    build_stores,
    head_records,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
    text_property,
)

TREATIES = "negotiation/treaties"
UNTREATIES = f"{TREATIES}/untreaties"


@pytest.fixture(scope="module")
def untc_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 250 rows of the real table (about 100 states' actions), bytes unchanged."""
    folder = tmp_path_factory.mktemp("untc")
    source = shared_data / TREATIES / "un_hr_ratifications.csv"
    return head_records(source, folder / source.name, 250)


@pytest.fixture(scope="module")
def untc_stores(new_store: StoreMaker, untc_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "untc-ratifications", untc_file)
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def participants_stores(new_store: StoreMaker, shared_data: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "untreaties", shared_data / UNTREATIES / "treaties/4-9.csv")
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def reservations_stores(new_store: StoreMaker, shared_data: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(
        new_store, "untreaties-reservations", shared_data / UNTREATIES / "declarations/4-9.txt"
    )
    yield stores
    report_timing(stores)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_untc_ratifications_mutated(
    untc_stores: Stores, untc_file: Path, how: str, seed: int
) -> None:
    text_property(untc_stores, untc_file, how, seed)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_untreaties_participants_mutated(
    participants_stores: Stores, shared_data: Path, how: str, seed: int
) -> None:
    text_property(participants_stores, shared_data / UNTREATIES / "treaties/4-9.csv", how, seed)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_untreaties_reservations_mutated(
    reservations_stores: Stores, shared_data: Path, how: str, seed: int
) -> None:
    source = shared_data / UNTREATIES / "declarations/4-9.txt"
    text_property(reservations_stores, source, how, seed, style="blocks")
