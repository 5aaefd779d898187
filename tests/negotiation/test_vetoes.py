"""Security Council vetoes from the vetoes dataset (the real file of the shared data): every
veto since 1946 with who cast it, provenance, idempotent re-import, kept rows, bad files as
user errors, and the page and API showing them; on both stores."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import run_import
from rightsdesk.core.provenance import Dataset
from rightsdesk.forms import detect_importer, get_importer
from rightsdesk.negotiation.votes.models import CouncilVeto
from rightsdesk.negotiation.votes.showing import council_page

FILE = Path("interventions/unsc-vetoes/unsc_vetoes_1946_sept2022.csv")


def _real(shared_data: Path) -> Path:
    path = shared_data / FILE
    if not path.is_file():
        pytest.skip(f"{path} not in the shared data")
    return path


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_real_vetoes_file(settings: Settings, shared_data: Path) -> None:
    path = _real(shared_data)
    found = detect_importer(path)
    assert found is not None and found.kind == "unsc-vetoes"
    with session_scope(settings.database_url) as s:
        report = run_import(s, get_importer("unsc-vetoes"), path, actor="test")
        assert report.rows_read == 214 and report.inserted == 214
    with session_scope(settings.database_url) as s:
        vetoes = list(s.scalars(select(CouncilVeto)))
        assert len(vetoes) == 214
        # the Soviet Union and the Russian Federation: 90 + 31 vetoed drafts (the 0/1 columns
        # alone say 84 + 31: they miss vetoes the member_veto columns name)
        by_moscow = [v for v in vetoes if {"SUN", "RUS"} & set(v.vetoed_by.split(","))]
        assert len(by_moscow) == 121
        joint = s.scalars(select(CouncilVeto).where(CouncilVeto.draft == "S/14459")).one()
        assert joint.vetoed_by == "FRA,GBR,USA"
        ukraine = s.scalars(select(CouncilVeto).where(CouncilVeto.draft == "S/2022/155")).one()
        assert ukraine.vetoed_by == "RUS" and ukraine.date.isoformat() == "2022-02-25"
        assert ukraine.topic == "Ukraine" and ukraine.meeting == "S/PV.8979"
        dataset = s.get(Dataset, ukraine.dataset_id)
        assert dataset is not None and dataset.kind == "unsc-vetoes"
        assert dataset.period_end is not None and dataset.period_end.year == 2022
        # three vetoes cast in one meeting on one day (1946): kept apart, not merged
        assert s.scalar(select(func.count()).where(CouncilVeto.draft == "S/PV.49")) == 3
        page = council_page(s)
        assert page["per_member"]["SUN"] == 90 and page["per_member"]["RUS"] == 31
        assert (page["per_member"]["USA"], page["per_member"]["FRA"]) == (82, 16)
        assert (page["per_member"]["GBR"], page["per_member"]["CHN"]) == (29, 17)
        first = page["vetoes"][0]
        assert first["date"] >= "2022-02-25" and first["topic"]
        row = next(v for v in page["vetoes"] if v["symbol"] == "S/2022/155")
        assert row["vetoed_by"] == ["RUS"] and row["topic"] == "Ukraine"
    with session_scope(settings.database_url) as s:
        again = run_import(s, get_importer("unsc-vetoes"), path, actor="test", force=True)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, 214)


def test_a_shorter_file_deletes_nothing(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    header, rows = _rows(_real(shared_data))
    url = sqlite_settings.database_url
    with session_scope(url) as s:
        run_import(s, get_importer("unsc-vetoes"), _write(tmp_path / "all.csv", header, rows))
    with session_scope(url) as s:
        report = run_import(
            s, get_importer("unsc-vetoes"), _write(tmp_path / "few.csv", header, rows[-3:])
        )
        assert report.deleted == 0 and any("kept 211" in m for m in report.messages)
    with session_scope(url) as s:
        assert s.scalar(select(func.count()).select_from(CouncilVeto)) == 214


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2022-25-02"}, "date"),
        ({"Russia": "yes"}, "Russia"),
        (  # no member named: not a veto
            {"Russia": "0", "China": "0", "member_veto1": "", "member_veto2": ""},
            "draft",
        ),
        ({"member_veto1": "Germany"}, "member_veto1"),
        ({"draft": "A/RES/68/262", "meeting_record": ""}, "draft"),
    ],
)
def test_bad_rows_are_user_errors(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    change: dict[str, str],
    field: str,
) -> None:
    header, rows = _rows(_real(shared_data))
    sample = [dict(r) for r in rows[-3:]]
    sample[1].update(change)
    path = _write(tmp_path / "bad.csv", header, sample)
    with session_scope(sqlite_settings.database_url) as s, pytest.raises(InputError) as err:
        run_import(s, get_importer("unsc-vetoes"), path, actor="test")
    assert (err.value.location.line, err.value.location.field) == (3, field)
    assert "bad.csv" in str(err.value)


def test_missing_column_is_a_user_error(sqlite_settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "vetoes.csv"
    path.write_text("year,date,draft\n2022,2/25/2022,S/2022/155\n", encoding="utf-8")
    with session_scope(sqlite_settings.database_url) as s, pytest.raises(InputError) as err:
        run_import(s, get_importer("unsc-vetoes"), path, actor="test")
    assert "missing column" in str(err.value)


def test_page_and_api_show_the_vetoes(
    client_for: Any, sqlite_settings: Settings, shared_data: Path
) -> None:
    path = _real(shared_data)
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("unsc-vetoes"), path, actor="test")
    client = client_for("viewer")
    api = client.get("/api/v1/security-council/vetoes")
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["per_member"]["RUS"] + body["per_member"]["SUN"] == 121
    row = next(v for v in body["vetoes"] if v["symbol"] == "S/2022/155")
    assert row["vetoed_by"] == ["RUS"] and row["date"] == "2022-02-25"
    assert row["topic"] == "Ukraine" and row["roll_call_id"] is None
    page = client.get("/security-council")
    assert page.status_code == 200
    assert "S/2022/155" in page.text and "Ukraine" in page.text
