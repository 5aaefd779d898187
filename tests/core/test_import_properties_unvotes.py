"""Property-based import safety of the General Assembly votes (kind unvotes, three R data files;
issue 9, item 2). The real files restricted to session 1, written back as .rda: damaged bytes
in any of the files must give a clear error naming that file; partial, shuffled and repeated
vote tables either import without losing a stored row or are refused.
See tests/core/import_properties.py for the property and how it is checked on both stores."""

from __future__ import annotations

import bz2
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given

from tests.core.import_mutations import BINARY_MUTATIONS, mutate_binary
from tests.core.import_properties import (
    FEW,
    SEEDS,
    StoreMaker,
    Stores,
    build_stores,
    check_import,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
)
from tests.negotiation.conftest import _unvotes_sessions

FILES = ("un_votes.rda", "un_roll_calls.rda", "un_roll_call_issues.rda")


def _compress(path: Path) -> None:
    """bzip2 the .rda pyreadr wrote, as the real files are (pyreadr writes them plain; a plain
    one has no checksum, so a flipped byte in it can change a value unnoticed)."""
    path.write_bytes(bz2.compress(path.read_bytes()))


@pytest.fixture(scope="module")
def unvotes_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    votes = _unvotes_sessions(shared_data, tmp_path_factory.mktemp("unvotes"), (1,))
    for name in FILES:
        _compress(votes.parent / name)
    return votes


@pytest.fixture(scope="module")
def unvotes_stores(new_store: StoreMaker, unvotes_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "unvotes", unvotes_file)
    yield stores
    report_timing(stores)


def _folder_like(stores: Stores, real: Path) -> Path:
    """A fresh copy of the three files beside each other; returns its un_votes.rda."""
    folder = stores.folder / "unvotes"
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(real.parent / name, folder / name)
    return folder / FILES[0]


@pytest.mark.parametrize("how", BINARY_MUTATIONS)
@FEW
@given(seed=SEEDS)
def test_damaged_unvotes_file(
    unvotes_stores: Stores, unvotes_file: Path, how: str, seed: int
) -> None:
    rng = random.Random(seed)
    path = _folder_like(unvotes_stores, unvotes_file)
    damaged = path.parent / rng.choice(FILES)
    damaged.write_bytes(mutate_binary(damaged.read_bytes(), how, rng))
    check_import(unvotes_stores, path, how, damaged=damaged)


@pytest.mark.parametrize("how", ["shuffle", "duplicate", "subset"])
@FEW
@given(seed=SEEDS)
def test_rearranged_unvotes_tables(
    unvotes_stores: Stores, unvotes_file: Path, how: str, seed: int
) -> None:
    """Rows of one table reordered, repeated or left out (a partial data set)."""
    import pyreadr

    rng = random.Random(seed)
    path = _folder_like(unvotes_stores, unvotes_file)
    # reordered roll calls: see test_roll_call_order_does_not_change_resolutions
    target = path.parent / rng.choice(FILES[::2] if how == "shuffle" else FILES)
    name, frame = next(iter(pyreadr.read_r(str(target)).items()))
    order = list(range(len(frame)))
    if how == "shuffle":
        rng.shuffle(order)
    elif how == "duplicate":
        order += [rng.randrange(len(frame)) for _ in range(rng.randint(1, 5))]
        rng.shuffle(order)
    else:
        share = rng.uniform(0.1, 0.9)
        order = [i for i in order if rng.random() < share] or [0]
    pyreadr.write_rdata(str(target), frame.iloc[order].reset_index(drop=True), df_name=name)
    _compress(target)
    check_import(unvotes_stores, path, how, damaged=target)


def test_roll_call_order_does_not_change_resolutions(
    unvotes_stores: Stores, unvotes_file: Path
) -> None:
    """The same roll calls in reverse order must import to the same store."""
    import pyreadr

    path = _folder_like(unvotes_stores, unvotes_file)
    target = path.parent / FILES[1]
    name, frame = next(iter(pyreadr.read_r(str(target)).items()))
    pyreadr.write_rdata(str(target), frame.iloc[::-1].reset_index(drop=True), df_name=name)
    _compress(target)
    check_import(unvotes_stores, path, "shuffle", damaged=target)
