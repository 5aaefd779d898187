"""Property-based import safety of the recommendation files (issue 9, item 2): UPR Info's
exports (kind upr-info, ``sessions-1-5.csv``; kind upr-pledges, ``voluntary-pledges.csv``:
bare CR line endings, Mac Roman bytes) and OHCHR's thematic lists (kind ohchr-thematic, a Word
document: damaged zip bytes, and its table's rows reordered, repeated or left out).
See tests/core/import_properties.py for the property and how it is checked on both stores."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given

from tests.core.import_mutations import BINARY_MUTATIONS, REARRANGE, TEXT_MUTATIONS
from tests.core.import_properties import (
    PROPERTY,
    SEEDS,
    StoreMaker,
    Stores,
    binary_property,
    build_stores,
    check_import,
    head_records,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
    text_property,
)

UPR = "monitoring/upr-info"
THEMATIC = "monitoring/ohchr-thematic-lists/UPR20_Slovenia_ThematicListRecommendations_E.docx"


@pytest.fixture(scope="module")
def upr_files(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The first 150 recommendations and 120 pledges of the real exports, bytes unchanged."""
    folder = tmp_path_factory.mktemp("upr")
    recs = head_records(shared_data / UPR / "sessions-1-5.csv", folder / "sessions-1-5.csv", 150)
    pledges = shared_data / UPR / "voluntary-pledges.csv"
    return recs, head_records(pledges, folder / pledges.name, 120)


@pytest.fixture(scope="module")
def upr_stores(new_store: StoreMaker, upr_files: tuple[Path, Path]) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "upr-info", upr_files[0])
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def pledges_stores(new_store: StoreMaker, upr_files: tuple[Path, Path]) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "upr-pledges", upr_files[1])
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def thematic_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real document with the first 50 rows of its table (an import of the whole one
    takes seconds; each example imports twice)."""
    source = shared_data / THEMATIC
    target = tmp_path_factory.mktemp("thematic") / source.name
    _rearranged_docx(source, target, "head", random.Random(0))
    return target


@pytest.fixture(scope="module")
def thematic_stores(new_store: StoreMaker, thematic_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "ohchr-thematic", thematic_file)
    yield stores
    report_timing(stores)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_upr_info_export_mutated(
    upr_stores: Stores, upr_files: tuple[Path, Path], how: str, seed: int
) -> None:
    text_property(upr_stores, upr_files[0], how, seed)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_voluntary_pledges_mutated(
    pledges_stores: Stores, upr_files: tuple[Path, Path], how: str, seed: int
) -> None:
    text_property(pledges_stores, upr_files[1], how, seed)


@pytest.mark.parametrize("how", BINARY_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_thematic_list_damaged(
    thematic_stores: Stores, thematic_file: Path, how: str, seed: int
) -> None:
    binary_property(thematic_stores, thematic_file, how, seed)


def _rearranged_docx(source: Path, target: Path, how: str, rng: random.Random) -> None:
    """``source`` with the rows of its first table (after the header row) reordered,
    repeated or partly left out; everything else in the package as it was."""
    from copy import deepcopy

    from lxml import etree

    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    with zipfile.ZipFile(source) as zin:
        document = etree.fromstring(zin.read("word/document.xml"))
        table = document.find(".//w:tbl", ns)
        assert table is not None
        rows = table.findall("w:tr", ns)[1:]
        for row in rows:
            table.remove(row)
        if how == "shuffle":
            rng.shuffle(rows)
        elif how == "head":
            rows = rows[:50]
        elif how == "duplicate":
            for _ in range(rng.randint(1, 5)):
                rows.insert(rng.randrange(len(rows) + 1), deepcopy(rng.choice(rows)))
        else:
            share = rng.uniform(0.1, 0.9)
            rows = [r for r in rows if rng.random() < share] or [rows[0]]
        table.extend(rows)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "word/document.xml":
                    data = etree.tostring(document, xml_declaration=True, standalone=True)
                zout.writestr(item, data)


@pytest.mark.parametrize("how", REARRANGE)
@PROPERTY
@given(seed=SEEDS)
def test_thematic_list_rows_rearranged(
    thematic_stores: Stores, thematic_file: Path, how: str, seed: int
) -> None:
    source = thematic_file
    thematic_stores.folder.mkdir(parents=True, exist_ok=True)
    target = thematic_stores.folder / source.name
    _rearranged_docx(source, target, how, random.Random(seed))
    check_import(thematic_stores, target, how)
