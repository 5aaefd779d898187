"""Property-based import safety of the sanctions lists (issue 9, item 2, as it applies to lists
with a history): OFAC's SDN file (the first 300 entries of the real 2024 file) damaged, cut,
reordered, repeated and partial, and the UN consolidated list (50 listings of the real 2026
file) damaged and cut, on SQLite and PostgreSQL.

The property differs from the other kinds' in one point, by design: a list file is a whole
version of the list, so an entry it no longer holds is *ended*, not kept as it was. So a
mutated file must fail with an error naming it and leave the store as it was, or succeed and:
delete nothing; change a stored designation the file does not restate only by ending it
(``delisted_on`` set to the file's version date); change an entity it does not restate only
in ``active`` and ``last_change``; write what it restates as the file alone writes it; keep
every recorded change. A version that would end most of the list is refused (see
``store_version``); a reordered file gives exactly the stored rows.
See tests/core/import_properties.py for the machinery (stores, snapshots, mutations)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from lxml import etree

from tests.core.import_mutations import DAMAGE, REARRANGE, mutate_text
from tests.core.import_properties import (
    MUST_REFUSE,
    PROPERTY,
    SEEDS,
    SHAPES,
    Snapshot,
    StoreMaker,
    Stores,
    build_stores,
    head_records,
    new_store,  # noqa: F401  (module-scoped fixture)
    report_timing,
    try_import,
)

OFAC_REAL = "sanctions/ofac/sdn-2024-05-03.csv"
UN_REAL = "sanctions/un/consolidated-2026-02-27.xml"
OFAC_VERSION, UN_VERSION = dt.date(2024, 5, 3), dt.date(2026, 2, 27)
COLUMNS = {s.table.name: s.values for s in SHAPES}
KEYS = {s.table.name: s.key for s in SHAPES}
#: the list's own version record, rewritten by every import of the list
FREE_TABLES = frozenset({"sanctions_list"})


def _col(table: str, row: tuple[Any, ...], name: str) -> Any:
    return row[COLUMNS[table].index(name)]


def _without_recorded_at(snap: Snapshot) -> Snapshot:
    """The snapshot without what differs between two stores holding the same facts: the
    change rows' import timestamps (they key those rows) and the id of the list's last
    dataset (a PostgreSQL sequence does not go back after a rolled-back import)."""
    out = dict(snap)
    at = KEYS["sanctions_change"].index("recorded_at")
    out["sanctions_change"] = {
        k[:at] + k[at + 1 :]: v for k, v in snap.get("sanctions_change", {}).items()
    }
    last = COLUMNS["sanctions_list"].index("last_dataset_id")
    out["sanctions_list"] = {
        k: v[:last] + v[last + 1 :] for k, v in snap.get("sanctions_list", {}).items()
    }
    return out


def sanctions_violations(
    before: Snapshot, after: Snapshot, file_rows: Snapshot, version: dt.date
) -> list[str]:
    """What the import did to stored rows that the history property forbids (at most six)."""
    problems: list[str] = []
    before, after = _without_recorded_at(before), _without_recorded_at(after)
    file_rows = _without_recorded_at(file_rows)
    restated = set(file_rows.get("sanctions_entity", {}))
    for table, rows in before.items():
        if table in FREE_TABLES:
            continue
        now = after.get(table, {})
        for key, old in rows.items():
            new = now.get(key)
            if new is None:
                problems.append(f"{table} {key}: deleted")
            elif new != old:
                problem = _changed(table, key, old, new, file_rows, restated, version)
                if problem:
                    problems.append(problem)
            if len(problems) >= 6:
                return problems
    return problems


def _changed(
    table: str,
    key: tuple[Any, ...],
    old: tuple[Any, ...],
    new: tuple[Any, ...],
    file_rows: Snapshot,
    restated: set[tuple[Any, ...]],
    version: dt.date,
) -> str | None:
    """Why changing stored row ``key`` from ``old`` to ``new`` breaks the property, or None."""
    said = file_rows.get(table, {}).get(key)
    if table == "sanctions_designation":
        if said is not None:  # restated: as the file says, but first seen as before
            same = [c for c in COLUMNS[table] if c not in ("first_seen", "last_seen")]
            if any(_col(table, new, c) != _col(table, said, c) for c in same):
                return f"{table} {key}: {new}, the file says {said}"
            return None
        ended = [
            c
            for c in COLUMNS[table]
            if _col(table, new, c) != _col(table, old, c) and c != "delisted_on"
        ]
        if ended or _col(table, new, "delisted_on") != version:
            return f"{table} {key}: {old} -> {new}, not an ending by the file's version"
        return None
    if table == "sanctions_entity":
        if key in restated:
            fields = ("schema", "caption", "properties")
            if any(_col(table, new, c) != _col(table, said, c) for c in fields):  # type: ignore[arg-type]
                return f"{table} {key}: {new}, the file says {said}"
            return None
        moved = [
            c
            for c in COLUMNS[table]
            if _col(table, new, c) != _col(table, old, c) and c not in ("active", "last_change")
        ]
        return f"{table} {key}: {moved} changed, not restated by the file" if moved else None
    if table in ("sanctions_name", "sanctions_country") and key[0] in restated:
        return None  # rebuilt from the restated entity's properties
    return f"{table} {key}: {old} -> {new}, not restated by the file"


def check_list_import(stores: Stores, path: Path, how: str, version: dt.date) -> str:
    """Import ``path`` onto the baseline and into the pre store; assert the property."""
    style, _, how = how.rpartition(":")
    onto = try_import(stores.base, stores.kind, path)
    alone = try_import(stores.pre, stores.kind, path)
    stores.examples += 1
    stores.seconds += onto.seconds + alone.seconds
    stores.outcomes[f"{how}:{'error' if onto.error else 'ok'}"] += 1
    if onto.error is not None:
        message = str(onto.error)
        assert path.name in message, f"{path.name} not named in {message!r}"
        assert "Traceback" not in message
        assert stores.current() == stores.base_snap, "a failed import changed the store"
        stores.errors += 1
        return "error"
    assert how not in MUST_REFUSE.get(style, ()), f"{how}: the damaged file was accepted"
    assert onto.after is not None
    if how == "shuffle":
        assert alone.error is None, f"a reordered valid file was refused: {alone.error}"
        assert _without_recorded_at(alone.after or {}) == _without_recorded_at(stores.base_snap)
    problems = sanctions_violations(stores.base_snap, onto.after, alone.after or {}, version)
    assert not problems, "\n".join(problems)
    return "ok"


def _mutated(stores: Stores, real: Path, how: str, seed: int) -> Path:
    data = mutate_text(real.read_bytes(), how, random.Random(seed), "csv")
    stores.folder.mkdir(parents=True, exist_ok=True)
    path = stores.folder / real.name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def ofac_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 300 entries of the 2024 file, bytes unchanged, under the same name."""
    folder = tmp_path_factory.mktemp("ofac-head")
    return head_records(shared_data / OFAC_REAL, folder / "sdn-2024-05-03.csv", 300)


@pytest.fixture(scope="module")
def un_file(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2026 list cut to its first 40 individuals and 10 entities (a valid list)."""
    root = etree.parse(str(shared_data / UN_REAL)).getroot()
    for group, keep in (("INDIVIDUALS", 40), ("ENTITIES", 10)):
        parent = root.find(group)
        assert parent is not None
        for child in list(parent)[keep:]:
            parent.remove(child)
    path = tmp_path_factory.mktemp("un-head") / "consolidated-2026-02-27.xml"
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


@pytest.fixture(scope="module")
def ofac_stores(new_store: StoreMaker, ofac_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "ofac-sdn-csv", ofac_file)
    yield stores
    report_timing(stores)


@pytest.fixture(scope="module")
def un_stores(new_store: StoreMaker, un_file: Path) -> Iterator[Stores]:  # noqa: F811
    stores = build_stores(new_store, "un-sc-consolidated", un_file)
    yield stores
    report_timing(stores)


@pytest.mark.parametrize("how", DAMAGE + REARRANGE)
@PROPERTY
@given(seed=SEEDS)
def test_ofac_mutated(ofac_stores: Stores, ofac_file: Path, how: str, seed: int) -> None:
    path = _mutated(ofac_stores, ofac_file, how, seed)
    check_list_import(ofac_stores, path, f"csv:{how}", OFAC_VERSION)


@pytest.mark.parametrize("how", DAMAGE)
@PROPERTY
@given(seed=SEEDS)
def test_un_mutated(un_stores: Stores, un_file: Path, how: str, seed: int) -> None:
    path = _mutated(un_stores, un_file, how, seed)
    check_list_import(un_stores, path, f"xml:{how}", UN_VERSION)
