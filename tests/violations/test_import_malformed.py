"""Malformed event files: each is refused with an InputError naming the line and field, nothing
is stored, and the message never repeats a sensitive value; random bytes and random rows
(hypothesis) end in an InputError or a complete import, never a partial one or a traceback."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.monitoring.violations.models import Event, Perpetrator, Source, Victim
from tests.violations.test_import_events import HEADER, ucdp_rows

SECRET_NAME = "Testvictim Secretname"
SECRET_PLACE = "Testplace Hideout"


def as_text(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def counts(settings: Settings) -> tuple[int, ...]:
    with session_scope(settings.database_url) as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Event, Victim, Source, Perpetrator)
        )


def attempt(settings: Settings, path: Path) -> None:
    with session_scope(settings.database_url) as session:
        run_import(session, get_importer("events"), path, actor="test", force=True)


@pytest.fixture(scope="module")
def base_rows(shared_data: Path) -> list[dict[str, str]]:
    rows = ucdp_rows(shared_data, 6)
    rows[1]["victim_name"] = SECRET_NAME
    return rows


def _set(index: int, column: str, value: str) -> Callable[[list[dict[str, str]]], str]:
    def make(rows: list[dict[str, str]]) -> str:
        changed = [dict(r) for r in rows]
        changed[index][column] = value
        return as_text(changed)

    return make


# (name, how to spoil the file, expected line, expected field or None)
CASES: list[tuple[str, Callable[[list[dict[str, str]]], bytes | str], int, str | None]] = [
    (
        "missing column",
        lambda rows: as_text(rows, [h for h in HEADER if h != "country"]),
        1,
        "country",
    ),
    (
        "unknown column",
        lambda rows: as_text(rows).replace("victim_name", "victim name", 1),
        1,
        "victim name",
    ),
    (
        "no header",
        lambda rows: "\n".join(as_text(rows).splitlines()[1:]),
        1,
        "title",
    ),
    (
        "column twice",
        lambda rows: as_text(rows).replace("victim_sex", "victim_name", 1),
        1,
        "victim_name",
    ),
    ("bad date", _set(3, "start_date", "2019-13-45"), 5, "start_date"),
    ("empty title", _set(2, "title", ""), 4, "title"),
    ("unknown country", _set(3, "country", "Atlantis"), 5, "country"),
    ("bad level", _set(4, "confidentiality", "top secret"), 6, "confidentiality"),
    ("unknown act", _set(2, "violation_type", "jaywalking"), 4, "violation_type"),
    ("bad role", _set(2, "perpetrator_role", "bystander"), 4, "perpetrator_role"),
    ("bad sex", _set(1, "victim_sex", SECRET_NAME), 3, "victim_sex"),
    ("conflicting rows", _set(1, "description", "Other"), 3, "description"),
    (
        "NUL byte",
        lambda rows: as_text(rows).encode().replace(b"Killing", b"Kil\x00ling", 1),
        4,
        None,
    ),
    ("cut file", lambda rows: as_text(rows) + 'x,"an unclosed title', 10, None),
    ("cut row", lambda rows: as_text(rows).rstrip("\n").rsplit(",", 4)[0], 9, None),
    (
        "latin-1",
        lambda rows: as_text(rows).replace("in 20", "\u00e9 in 20", 1).encode("latin-1"),
        2,
        None,
    ),
]


@pytest.mark.parametrize(("name", "spoil", "line", "field"), CASES, ids=[c[0] for c in CASES])
def test_malformed_file_is_refused_whole(
    sqlite_settings: Settings,
    tmp_path: Path,
    base_rows: list[dict[str, str]],
    name: str,
    spoil: Callable[[list[dict[str, str]]], bytes | str],
    line: int,
    field: str | None,
) -> None:
    before = counts(sqlite_settings)
    content = spoil(base_rows)
    path = tmp_path / "events.csv"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        attempt(sqlite_settings, path)
    error = caught.value
    assert error.location.file is not None
    if line:
        assert error.location.line == line, error.message
    if field is not None:
        assert error.location.field == field, error.message
    assert SECRET_NAME not in error.message and "Testvictim" not in error.message
    assert counts(sqlite_settings) == before


def test_sensitive_columns_are_not_echoed(sqlite_settings: Settings, tmp_path: Path) -> None:
    header = ["event_id", "title", "start_date", "country", "place", "latitude", "longitude"]
    header += ["location_sensitive", "victim_name"]
    row = {"event_id": "e1", "title": "T", "start_date": "2020", "country": "FRA"}
    row |= {"place": SECRET_PLACE, "latitude": "48.85", "longitude": "2.35"}
    row |= {"location_sensitive": "yes", "victim_name": SECRET_NAME}
    other = {**row, "place": SECRET_PLACE + " 2", "victim_name": "x" * 3000}
    for rows, field in (
        ([row, other], "place"),
        ([row, {**row, "latitude": "91.5"}], "latitude"),
        ([{**row, "victim_name": SECRET_NAME * 200}], "victim_name"),
    ):
        path = tmp_path / "s.csv"
        path.write_text(as_text(rows, header), encoding="utf-8")
        with pytest.raises(InputError) as caught:
            attempt(sqlite_settings, path)
        assert caught.value.location.field == field
        for secret in (SECRET_PLACE, SECRET_NAME, "91.5", "48.85"):
            assert secret not in caught.value.message
    assert counts(sqlite_settings) == (0, 0, 0, 0)


_cells = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=12,
)
_values = st.one_of(
    _cells,
    st.sampled_from(
        [
            "2019",
            "2019-03",
            "2019-02-30",
            "Syria",
            "SYR",
            "Korea",
            "killing",
            "public",
            "yes",
            "A",
            "7",
            "",
            "direct",
            "female",
        ]
    ),
)
_row = st.fixed_dictionaries({h: _values for h in HEADER})
_counter = itertools.count()


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.one_of(st.binary(max_size=300), st.lists(_row, min_size=1, max_size=4)))
def test_random_input_imports_whole_or_not_at_all(
    sqlite_settings: Settings, tmp_path: Path, data: bytes | list[dict[str, str]]
) -> None:
    path = tmp_path / f"random-{next(_counter)}.csv"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(as_text(data), encoding="utf-8")
    before = counts(sqlite_settings)
    try:
        attempt(sqlite_settings, path)
    except InputError:
        assert counts(sqlite_settings) == before
        return
    assert isinstance(data, list)  # random bytes never make a valid events file
    after = counts(sqlite_settings)
    assert after[0] >= before[0] and after[0] - before[0] <= len(data)
