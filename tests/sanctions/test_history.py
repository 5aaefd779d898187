"""Designation history as ``store_version`` writes it and ``sanctions.history`` reads it back,
on versions of a small list built here (every transition: added, changed, removed, listed
again, an older file, a repeated entity, no version date), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.importing import (
    ImportContext,
    ImportReport,
    ReplaceRefusedError,
    run_import,
)
from rightsdesk.sanctions.history import (
    date_bound,
    designation_spans,
    entity_changes,
    get_list,
    list_changes,
    list_versions,
)
from rightsdesk.sanctions.models import SanctionEntity, SanctionList, SanctionProgram
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList
from rightsdesk.sanctions.sources.store_version import store_version

KEY = "us_ofac_sdn"  # a list key the programme resolver knows the issuer of
V1, V2, V3 = dt.date(2020, 1, 1), dt.date(2021, 6, 1), dt.date(2022, 3, 1)


class _VersionImporter:
    """An importer whose file names a ParsedList held in memory (the file is a stand-in)."""

    kind = "test-sanctions-version"
    label = source = "test"
    source_url: str | None = None
    licence: str | None = None

    def __init__(self, parsed: ParsedList) -> None:
        self.parsed = parsed

    def sniff(self, path: Path) -> bool:
        return False

    def run(self, ctx: ImportContext) -> None:
        store_version(ctx, self.parsed)


def person(n: int, programs: list[str], **props: list[str]) -> ParsedEntity:
    pe = ParsedEntity(f"t-{n}", "Person")
    for prop, values in {"name": [f"Person {n}"], **props}.items():
        for value in values:
            pe.add(prop, value)
    pe.designations = [
        ParsedDesignation("US Office of Foreign Assets Control", code, source_ref=str(n))
        for code in programs
    ]
    return pe


def put(
    settings: Settings,
    tmp_path: Path,
    version: dt.date | None,
    *entities: ParsedEntity,
    replace: bool = False,
) -> ImportReport:
    """Import one version (each call a distinct stand-in file)."""
    path = tmp_path / f"v-{version}-{len(list(tmp_path.iterdir()))}.txt"
    path.write_text(repr(entities), encoding="utf-8")
    parsed = ParsedList(KEY, "Test list", "Test authority", version, list(entities))
    with session_scope(settings.database_url) as session:
        return run_import(session, _VersionImporter(parsed), path, actor="test", replace=replace)


def entity(session: Session, n: int) -> SanctionEntity:
    return session.scalars(select(SanctionEntity).where(SanctionEntity.entity_id == f"t-{n}")).one()


def test_three_versions(settings: Settings, tmp_path: Path) -> None:
    put(settings, tmp_path, V1, person(1, ["A"]), person(2, ["A", "B"]), person(3, ["B"]))
    report = put(
        settings,
        tmp_path,
        V2,
        person(1, ["A"], nationality=["ru"]),
        person(2, ["A"]),
        person(4, ["C"], alias=["Пётр Четвёртый"]),
    )
    assert (report.inserted, report.updated, report.rows_read) == (1, 3, 3)
    put(settings, tmp_path, V3, person(1, ["A"], nationality=["ru"]), person(3, ["B"]))
    with session_scope(settings.database_url) as s:
        rows = [(c.version_date, c.change, c.entity_id, c.detail) for c in list_changes(s, KEY)]
        assert rows == [
            (V1, "added", "t-1", "programmes: A"),
            (V1, "added", "t-2", "programmes: A, B"),
            (V1, "added", "t-3", "programmes: B"),
            (V2, "changed", "t-1", "properties: nationality"),
            (V2, "changed", "t-2", "programmes: -B"),
            (V2, "removed", "t-3", "ended: B"),
            (V2, "added", "t-4", "programmes: C"),
            (V3, "removed", "t-2", "ended: A"),
            (V3, "added", "t-3", "programmes: B"),  # listed again
            (V3, "removed", "t-4", "ended: C"),
        ]
        versions = list_versions(s, KEY)
        assert [
            (v.version_date, v.previous_version, v.added, v.removed, v.changed) for v in versions
        ] == [
            (V1, None, 3, 0, 0),
            (V2, V1, 1, 1, 2),
            (V3, V2, 1, 2, 0),
        ]
        two = entity(s, 2)
        assert not two.active and two.first_seen == V1 and two.last_seen == V2
        spans = {(d.program_code, d.delisted_on) for d in two.designations}
        assert spans == {("A", V3), ("B", V2)}
        three = entity(s, 3)
        assert three.active and [d.delisted_on for d in three.designations] == [None]
        assert three.last_seen == V3 and three.last_change == V3
        one = entity(s, 1)
        assert [(c.prop, c.iso3) for c in one.countries] == [("nationality", "RUS")]
        four = entity(s, 4)
        assert [(n.kind, n.script) for n in four.names] == [
            ("name", "Latin"),
            ("alias", "Cyrillic"),
        ]
        lst = get_list(s, KEY)
        assert lst.version_date == V3 and lst.entity_count == 2


def test_filters_of_the_changes(settings: Settings, tmp_path: Path) -> None:
    put(settings, tmp_path, V1, person(1, ["A"]), person(2, ["B"]))
    put(settings, tmp_path, V2, person(1, ["A"]), person(3, ["A"]))
    with session_scope(settings.database_url) as s:
        assert [c.entity_id for c in list_changes(s, KEY, start=V2)] == ["t-2", "t-3"]
        assert [c.entity_id for c in list_changes(s, KEY, end=V1)] == ["t-1", "t-2"]
        added = list_changes(s, KEY, start=date_bound("2021"), change="added")
        assert [c.entity_id for c in added] == ["t-3"]
        under_a = list_changes(s, KEY, program="A")
        assert [(c.version_date, c.entity_id) for c in under_a] == [(V1, "t-1"), (V2, "t-3")]
        with pytest.raises(InputError):
            list_changes(s, KEY, change="deleted")
        with pytest.raises(NotFoundError, match=KEY):
            list_changes(s, "nope")
        assert [c.change for c in entity_changes(s, "t-2")] == ["added", "removed"]


def test_an_older_file_and_first_seen(settings: Settings, tmp_path: Path) -> None:
    put(settings, tmp_path, V2, person(1, ["A"]))
    report = put(settings, tmp_path, V1, person(1, ["A", "Z"]), person(9, ["Q"]))
    assert any("older than the stored one" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        one = entity(s, 1)
        assert one.first_seen == V1 and one.active
        ended = {d.program_code: d.delisted_on for d in one.designations}
        assert ended == {"A": None, "Z": V2}  # not in the newer file: ended by then at latest
        nine = entity(s, 9)
        assert not nine.active and nine.designations[0].delisted_on == V2
        assert [c.version_date for c in list_changes(s, KEY)] == [V2]  # nothing recorded
        assert get_list(s, KEY).version_date == V2


def test_a_version_ending_most_of_the_list_needs_replace(
    settings: Settings, tmp_path: Path
) -> None:
    """A file that would end 25 of 30 listings is taken for a cut or wrong file."""
    put(settings, tmp_path, V1, *(person(n, ["A"]) for n in range(30)))
    with pytest.raises(ReplaceRefusedError, match="25 of the 30 entities in force"):
        put(settings, tmp_path, V2, *(person(n, ["A"]) for n in range(5)))
    with session_scope(settings.database_url) as s:
        assert all(e.active for e in s.scalars(select(SanctionEntity)))
        assert get_list(s, KEY).version_date == V1
    put(settings, tmp_path, V2, *(person(n, ["A"]) for n in range(5)), replace=True)
    with session_scope(settings.database_url) as s:
        active = [e.entity_id for e in s.scalars(select(SanctionEntity)) if e.active]
        assert len(active) == 5
        assert len(list_changes(s, KEY, start=V2, change="removed")) == 25


def test_a_repeated_entity_is_merged(settings: Settings, tmp_path: Path) -> None:
    report = put(settings, tmp_path, V1, person(1, ["A"]), person(1, ["B"], alias=["Other"]))
    assert any("appears twice" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        one = entity(s, 1)
        assert sorted(d.program_code for d in one.designations) == ["A", "B"]
        assert one.properties["alias"] == ["Other"]


def test_no_version_date(settings: Settings, tmp_path: Path) -> None:
    put(settings, tmp_path, V1, person(1, ["A"]))
    report = put(settings, tmp_path, None, person(2, ["A"]))
    assert any("no version date" in m for m in report.messages)
    with session_scope(settings.database_url) as s:
        assert entity(s, 1).designations[0].delisted_on == dt.date.today()


def test_programme_keys_from_the_registry(settings: Settings, tmp_path: Path) -> None:
    with session_scope(settings.database_url) as s:
        s.add(
            SanctionProgram(
                key="US-GLOMAG", title="Global Magnitsky", issuer="us_ofac", aliases=["GLOMAG"]
            )
        )
    put(settings, tmp_path, V1, person(1, ["GLOMAG", "UNKNOWN-X"]))
    with session_scope(settings.database_url) as s:
        keys = {d.program_code: d.program_key for d in entity(s, 1).designations}
        assert keys == {"GLOMAG": "US-GLOMAG", "UNKNOWN-X": None}
        spans = designation_spans(entity(s, 1))
        assert [x.active for x in spans] == [True, True]


def test_designation_spans_put_those_in_force_first(settings: Settings, tmp_path: Path) -> None:
    put(settings, tmp_path, V1, person(1, ["A", "B"]))
    put(settings, tmp_path, V2, person(1, ["B"]))
    with session_scope(settings.database_url) as s:
        spans = designation_spans(entity(s, 1))
        assert [(x.program_code, x.active, x.delisted_on) for x in spans] == [
            ("B", True, None),
            ("A", False, V2),
        ]
        assert s.scalars(select(SanctionList.key)).all() == [KEY]


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2021", False, dt.date(2021, 1, 1)),
        ("2021", True, dt.date(2021, 12, 31)),
        ("2024-02", True, dt.date(2024, 2, 29)),
        ("2024-12", True, dt.date(2024, 12, 31)),
        ("2024-02", False, dt.date(2024, 2, 1)),
        ("2024-05-03", True, dt.date(2024, 5, 3)),
        (None, False, None),
        ("  ", True, None),
    ],
)
def test_date_bound(text: str | None, end: bool, expected: dt.date | None) -> None:
    assert date_bound(text, end=end) == expected


@pytest.mark.parametrize("text", ["20x1", "2021-13", "2021-02-30", "21-01-01", "2021/01"])
def test_date_bound_refuses(text: str) -> None:
    with pytest.raises(InputError, match="malformed date") as caught:
        date_bound(text, field="to")
    assert caught.value.location.field == "to"
