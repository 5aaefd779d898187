"""The documented CSV of responses (``responses-csv``): the module's own example imports,
re-imports unchanged, and bad rows are refused with line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.interventions.register.models import RegisterEntry
from rightsdesk.interventions.register.sources.responses_csv import (
    COLUMNS,
    EXAMPLE,
    ResponsesCsvImporter,
)
from tests.interventions.register.conftest import import_file


def test_documented_example(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert ResponsesCsvImporter().sniff(path)
    report = import_file(sqlite_settings, "responses-csv", path)
    assert (report.inserted, report.rows_read) == (2, 2)
    with session_scope(sqlite_settings.database_url) as s:
        rows = {e.kind: e for e in s.scalars(select(RegisterEntry))}
        darfur = rows["referral"]
        assert darfur.identifier == "S/RES/1593 (2005)" and darfur.mandate_body == "UNSC"
        assert [(x.role, x.iso3) for x in darfur.states] == [("situation", "SDN")]
        coi = rows["commission-of-inquiry"]
        assert coi.mandate_ref == "A/HRC/RES/S-17/1"
        assert coi.start_date is not None and coi.start_date.isoformat() == "2011-08-22"
        assert coi.sources[0].citation == "Human Rights Council resolution S-17/1"
    again = import_file(sqlite_settings, "responses-csv", path, force=True)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("referral,X,Title,UNSC,,SDN:victim,2005,,,,", "states", "unknown role"),
        ("referral,X,Title,UNSC,,Atlantis:situation,2005,,,,", "states", "unknown state"),
        ("referral,X,Title,UNSC,,SDN,2005-13,,,,", "start", "malformed date"),
        ("referral,X,Title,UNSC,,SDN,2005,2004,,,", "end", "before the start"),
        ("tribunal,X,Title,UNSC,,SDN,2005,,,,", "kind", "unknown kind"),
        ("referral,X,,UNSC,,SDN,2005,,,,", "title", "title is needed"),
        ("referral,X,Title,UNSC,,SDN,2005,,,javascript:alert(1),", "url", "https://"),
    ],
)
def test_bad_rows(
    sqlite_settings: Settings, tmp_path: Path, row: str, field: str, words: str
) -> None:
    path = tmp_path / "responses.csv"
    good = "fact-finding-mission,FFM-1,Mission,HRC,A/HRC/RES/1,MMR:situation,2017-03,,,,"
    path.write_text(",".join(COLUMNS) + "\n" + good + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_file(sqlite_settings, "responses-csv", path)
    assert (info.value.location.line, info.value.location.field) == (3, field)
    assert words in info.value.message and "responses.csv" in info.value.message
    with session_scope(sqlite_settings.database_url) as s:
        assert s.scalar(select(RegisterEntry)) is None  # the good row did not stay either
