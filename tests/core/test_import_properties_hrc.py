"""Property-based import safety of the Human Rights Council files (issue 9, item 2):
``resolutions.csv`` (kind hrc-resolutions) and ``votes_long.csv`` (kind hrc-votes), extracts
of the real files with their bytes unchanged, cut, damaged, shuffled, repeated and partial.
See tests/core/import_properties.py for the property and how it is checked on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given

from tests.core.import_mutations import TEXT_MUTATIONS, split_records
from tests.core.import_properties import (
    PROPERTY,
    SEEDS,
    StoreMaker,
    Stores,
    build_stores,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
    text_property,
)

HRC = "negotiation/hrc"


@pytest.fixture(scope="module")
def hrc_files(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """resolutions.csv: 60 records of the real file, 4 of them with recorded votes;
    votes_long.csv: every state's vote on those 4 (about 200 rows). Bytes as in the files."""
    folder = tmp_path_factory.mktemp("hrc")
    head, votes = split_records((shared_data / HRC / "votes_long.csv").read_bytes(), "csv")
    voted: list[bytes] = []
    for record in votes:
        rid = record.split(b",", 1)[0]
        if rid not in voted:
            voted.append(rid)
        if len(voted) == 4:
            break
    kept = [r for r in votes if r.split(b",", 1)[0] in voted]
    (folder / "votes_long.csv").write_bytes(head + b"".join(kept))
    rhead, resolutions = split_records((shared_data / HRC / "resolutions.csv").read_bytes(), "csv")
    chosen = [r for r in resolutions if r.split(b",", 1)[0] in voted]
    chosen += [r for r in resolutions[:56] if r not in chosen]
    (folder / "resolutions.csv").write_bytes(rhead + b"".join(chosen))
    return folder / "resolutions.csv", folder / "votes_long.csv"


@pytest.fixture(scope="module")
def resolutions_stores(new_store: StoreMaker, hrc_files: tuple[Path, Path]) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "hrc-resolutions", hrc_files[0])
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def votes_stores(new_store: StoreMaker, hrc_files: tuple[Path, Path]) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(
        new_store, "hrc-votes", hrc_files[1], before=(("hrc-resolutions", hrc_files[0]),)
    )
    yield stores
    report_timing(stores)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_resolutions_file_mutated(
    resolutions_stores: Stores, hrc_files: tuple[Path, Path], how: str, seed: int
) -> None:
    text_property(resolutions_stores, hrc_files[0], how, seed)


@pytest.mark.parametrize("how", TEXT_MUTATIONS)
@PROPERTY
@given(seed=SEEDS)
def test_votes_file_mutated(
    votes_stores: Stores, hrc_files: tuple[Path, Path], how: str, seed: int
) -> None:
    text_property(votes_stores, hrc_files[1], how, seed)


def test_the_check_finds_lost_and_changed_rows() -> None:
    """The property can fail: a lost vote, a vote changed without the file restating it, a
    restated row changed to something else than the file says, and a part of a
    recommendation dropped although the file does not restate the recommendation."""
    from tests.core.import_properties import Snapshot, violations

    pre: Snapshot = {"state_vote": {}}
    before: Snapshot = {
        "state_vote": {(("hrc", "1"), "FRA"): ("yes",), (("hrc", "1"), "NOR"): ("no",)},
        "recommending_state": {(("k1",), "CUB"): ()},
    }
    same = {t: dict(rows) for t, rows in before.items()}
    assert violations(before, same, pre, {}) == []
    lost = {**same, "state_vote": {(("hrc", "1"), "FRA"): ("yes",)}}
    assert "deleted" in violations(before, lost, pre, {})[0]
    changed = {**same, "state_vote": {**before["state_vote"], (("hrc", "1"), "NOR"): ("yes",)}}
    assert "not restated" in violations(before, changed, pre, {})[0]
    says_abstain = {"state_vote": {(("hrc", "1"), "NOR"): ("abstain",)}}
    assert "the file says" in violations(before, changed, pre, says_abstain)[0]
    says_yes = {"state_vote": {(("hrc", "1"), "NOR"): ("yes",)}}
    assert violations(before, changed, pre, says_yes) == []
    no_part = {**same, "recommending_state": {}}
    assert violations(before, no_part, pre, {}) != []
    assert violations(before, no_part, pre, {"recommendation": {("k1",): ("text",)}}) == []
