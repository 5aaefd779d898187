"""The GSP+ importers on the real files of the shared data folder and on malformed copies:
manyenviron's .rda (environmental agreements), the US Department of Labor's XML (ILO C138,
C182, CRC) and the two documented CSV formats. A bad file writes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError
from rightsdesk.core.importing import ReplaceRefusedError, run_import
from rightsdesk.forms import all_importers, detect_importer, get_importer
from rightsdesk.sanctions.models import ConventionStatus, IncentiveStatus
from rightsdesk.sanctions.sources.manyenviron_rda import SOURCE as MANYENVIRON
from tests.sanctions.conftest import import_file

RDA = "sanctions/conventions/manyenviron-memberships.rda"
USDOL = "sanctions/conventions/usdol-child-labor-countries-2021.xml"
STATUS_HEADER = "iso3,convention,status,date,as_of,source,note\n"
INCENTIVE_HEADER = "iso3,scheme,start_date,end_date,source,note\n"
NORMLEX = "ILO NORMLEX (ratifications by country)"


def statuses(settings: Settings) -> dict[tuple[str, str, str], ConventionStatus]:
    with session_scope(settings.database_url) as s:
        rows = s.scalars(select(ConventionStatus)).all()
        s.expunge_all()
    return {(r.iso3, r.convention, r.source): r for r in rows}


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_manyenviron_real_file(settings: Settings, shared_data: Path) -> None:
    """1,515 state x agreement statuses of the 8 environmental agreements (ECOLEX frame),
    the file's faults reported, not hidden; re-importing changes nothing."""
    report = import_file(settings, "manyenviron-rda", shared_data / RDA)
    assert report.inserted == 1515 and report.rejected == 0
    notes = "\n".join(report.messages)
    assert "1192-06-12" in notes  # Guinea's CBD signature, a typo for 1992
    assert "'EUE' is not a state code" in notes  # the European Union, not a state
    rows = statuses(settings)
    assert {k[1] for k in rows} == {
        "CITES", "MONTREAL", "BASEL", "CBD", "UNFCCC", "CARTAGENA", "STOCKHOLM", "KYOTO",
    }  # fmt: skip
    usa_kyoto = rows[("USA", "KYOTO", MANYENVIRON)]
    assert usa_kyoto.status == "signed" and usa_kyoto.date == dt.date(1998, 11, 12)
    can_kyoto = rows[("CAN", "KYOTO", MANYENVIRON)]
    assert can_kyoto.status == "denounced" and can_kyoto.date == dt.date(2012, 12, 15)
    gin_cbd = rows[("GIN", "CBD", MANYENVIRON)]
    assert gin_cbd.status == "ratified" and gin_cbd.date == dt.date(1993, 5, 7)
    assert usa_kyoto.as_of == dt.date(2013, 3, 25)  # the latest Kyoto date of the file
    assert all(r.dataset_id == report.dataset_id for r in rows.values())
    again = import_file(settings, "manyenviron-rda", shared_data / RDA)
    assert again.skipped_file


def test_usdol_real_file(sqlite_settings: Settings, shared_data: Path) -> None:
    """Yes/No for C138, C182 and the CRC, as of the end of the year the findings speak for;
    territories skipped; N/A and countries without a block stay unknown (no row)."""
    report = import_file(sqlite_settings, "usdol-child-labor-xml", shared_data / USDOL)
    assert report.inserted == 356
    assert "as of the end of 2022" in "\n".join(report.messages)
    assert "Tokelau" in "\n".join(report.messages)
    rows = statuses(sqlite_settings)
    source = "US Department of Labor, Findings on the Worst Forms of Child Labor (2022)"
    som = rows[("SOM", "C138", source)]
    assert som.status == "not-ratified" and som.date is None
    assert som.as_of == dt.date(2022, 12, 31)
    assert rows[("AFG", "C182", source)].status == "ratified"
    assert not any(k[0] == "CHN" for k in rows)  # China has no Conventions block
    assert {k[1] for k in rows} == {"C138", "C182", "CRC"}


def test_usdol_malformed(sqlite_settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    text = (shared_data / USDOL).read_text(encoding="utf-8")
    bad = write(tmp_path / "usdol-child-labor-countries-2021.xml", text.replace(
        "<C_138_Ratified>Yes</C_138_Ratified>", "<C_138_Ratified>Maybe</C_138_Ratified>", 1
    ))  # fmt: skip
    with pytest.raises(InputError) as err:
        import_file(sqlite_settings, "usdol-child-labor-xml", bad)
    assert err.value.location.field == "C_138_Ratified" and err.value.location.line == 73
    cut = write(tmp_path / "cut.xml", text[: len(text) // 2])
    with pytest.raises(InputError) as err:
        import_file(sqlite_settings, "usdol-child-labor-xml", cut)
    assert "XML" in err.value.message
    assert count(sqlite_settings, ConventionStatus) == 0


def test_manyenviron_malformed(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    cut = tmp_path / "manyenviron-memberships.rda"
    cut.write_bytes((shared_data / RDA).read_bytes()[:50_000])
    with pytest.raises(InputError) as err:
        import_file(sqlite_settings, "manyenviron-rda", cut)
    assert "R data file" in err.value.message
    assert count(sqlite_settings, ConventionStatus) == 0


def test_csv_statuses_and_replace(settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "statuses.csv",
        STATUS_HEADER
        + f"PAK,C029,ratified,1957-12-23,2025-01-01,{NORMLEX},\n"
        + f"Pakistan,ILO C87,ratified,1951-02-14,2025,{NORMLEX},name resolved\n"
        + "PAK,uncac,ratified,2007-08-31,2025-01-01,UNODC signature and ratification status,\n",
    )
    report = import_file(settings, "gsp-conventions-csv", path)
    assert report.inserted == 3
    rows = statuses(settings)
    c087 = rows[("PAK", "C087", NORMLEX)]
    assert c087.as_of == dt.date(2025, 12, 31) and c087.note == "name resolved"
    assert rows[("PAK", "UNCAC", "UNODC signature and ratification status")].status == "ratified"
    fewer = write(
        tmp_path / "fewer.csv",
        STATUS_HEADER + f"PAK,C029,ratified,1957-12-23,2025-01-01,{NORMLEX},\n",
    )
    kept = import_file(settings, "gsp-conventions-csv", fewer)
    assert kept.deleted == 0 and len(statuses(settings)) == 3  # a partial file only adds
    with pytest.raises(ReplaceRefusedError):  # half of NORMLEX's rows: refused without --yes
        import_file(settings, "gsp-conventions-csv", fewer, replace=True)
    with session_scope(settings.database_url) as s:
        importer = get_importer("gsp-conventions-csv")
        run_import(s, importer, fewer, actor="test", replace=True, yes=True)
    # --replace drops the rows of the file's own source only; UNODC's row stays
    assert set(statuses(settings)) == {
        ("PAK", "C029", NORMLEX),
        ("PAK", "UNCAC", "UNODC signature and ratification status"),
    }


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ("PAK,C029,yes please,,2025-01-01,src,", "status", "unknown status"),
        ("PAK,C029,unknown,,2025-01-01,src,", "status", "leave a state out"),
        ("PAK,C999,ratified,,2025-01-01,src,", "convention", "unknown convention"),
        ("PAK,C029,ratified,23/12/1957,2025-01-01,src,", "date", "malformed date"),
        ("PAK,C029,ratified,,,src,", "as_of", "as_of is missing"),
        ("PAK,C029,ratified,,2025-01-01,,", "source", "source is missing"),
        ("Atlantis,C029,ratified,,2025-01-01,src,", "iso3", "Atlantis"),
    ],
)
def test_csv_bad_row_writes_nothing(
    sqlite_settings: Settings, tmp_path: Path, row: str, field: str, words: str
) -> None:
    good = f"ARG,C029,ratified,1950-01-01,2025-01-01,{NORMLEX},\n"
    path = write(tmp_path / "statuses.csv", STATUS_HEADER + good + row + "\n")
    with pytest.raises(InputError) as err:
        import_file(sqlite_settings, "gsp-conventions-csv", path)
    assert err.value.location.line == 3 and err.value.location.field == field
    assert words in err.value.message and "statuses.csv" in err.value.message
    assert count(sqlite_settings, ConventionStatus) == 0


def test_csv_structure_errors(sqlite_settings: Settings, tmp_path: Path) -> None:
    twice = f"PAK,C029,ratified,,2025-01-01,{NORMLEX},\n"
    path = write(tmp_path / "twice.csv", STATUS_HEADER + twice + twice)
    with pytest.raises(InputError, match="listed twice"):
        import_file(sqlite_settings, "gsp-conventions-csv", path)
    no_source = write(
        tmp_path / "cols.csv", "iso3,convention,status,date,as_of,note\nPAK,C029,,,,\n"
    )
    with pytest.raises(InputError, match="missing column"):
        import_file(sqlite_settings, "gsp-conventions-csv", no_source)
    empty = write(tmp_path / "empty.csv", STATUS_HEADER)
    with pytest.raises(InputError, match="no status"):
        import_file(sqlite_settings, "gsp-conventions-csv", empty)
    assert count(sqlite_settings, ConventionStatus) == 0


def test_incentives_csv(settings: Settings, tmp_path: Path) -> None:
    act = "Commission list of GSP+ beneficiaries (test data)"
    path = write(
        tmp_path / "incentives.csv",
        INCENTIVE_HEADER
        + f"PAK,gsp-plus,2014-01-01,,{act},\n"
        + f"ARM,gsp-plus,2014-01-01,2022-01-01,{act},graduated\n",
    )
    report = import_file(settings, "gsp-incentives-csv", path)
    assert report.inserted == 2
    bad = write(tmp_path / "bad.csv", INCENTIVE_HEADER + f"PAK,gsp-max,2014-01-01,,{act},\n")
    with pytest.raises(InputError) as err:
        import_file(settings, "gsp-incentives-csv", bad)
    assert err.value.location.field == "scheme" and err.value.location.line == 2
    backwards = write(
        tmp_path / "back.csv", INCENTIVE_HEADER + f"PAK,eba,2014-01-01,2010-01-01,{act},\n"
    )
    with pytest.raises(InputError, match="before start_date"):
        import_file(settings, "gsp-incentives-csv", backwards)
    assert count(settings, IncentiveStatus) == 2


def test_sniff_is_precise(shared_data: Path, tmp_path: Path) -> None:
    """Each format is recognised by its own importer only, and no other form's file is
    taken for one of ours."""
    status_csv = write(tmp_path / "s.csv", STATUS_HEADER + "PAK,C029,ratified,,2025,x,\n")
    incentive_csv = write(tmp_path / "i.csv", INCENTIVE_HEADER + "PAK,gsp,,,x,\n")
    mine = {
        shared_data / RDA: "manyenviron-rda",
        shared_data / USDOL: "usdol-child-labor-xml",
        status_csv: "gsp-conventions-csv",
        incentive_csv: "gsp-incentives-csv",
    }
    for path, kind in mine.items():
        found = detect_importer(path)
        assert found is not None and found.kind == kind, path
    ours = {"manyenviron-rda", "usdol-child-labor-xml", "gsp-conventions-csv", "gsp-incentives-csv"}
    others = [
        shared_data / "negotiation/treaties/un_hr_ratifications.csv",
        shared_data / "negotiation/unvotes/un_votes.rda",
        shared_data / "sanctions/un/consolidated-2026-02-27.xml",
    ]
    importers = [i for i in all_importers() if i.kind in ours]
    for path in others:
        assert not [i.kind for i in importers if i.sniff(path)], path
    renamed = tmp_path / "memberships.rda"
    shutil.copy(shared_data / RDA, renamed)
    assert all(not i.sniff(renamed) for i in importers if i.kind != "manyenviron-rda")


def test_imports_and_editors_rows(sqlite_settings: Settings, tmp_path: Path) -> None:
    """A file restating an editor's row (same state, convention, source) takes it over; a
    ``--replace`` import never deletes a row an editor entered."""
    from rightsdesk.sanctions.gsp import StatusInput, set_status

    with session_scope(sqlite_settings.database_url) as s:
        set_status(s, "editor-a", StatusInput("PAK", "C029", "signed", NORMLEX, None, "2024-01-01"))
        set_status(
            s, "editor-a", StatusInput("KEN", "C087", "ratified", NORMLEX, None, "2024-01-01")
        )
    path = write(
        tmp_path / "s.csv", STATUS_HEADER + f"PAK,C029,ratified,1957-12-23,2025-01-01,{NORMLEX},\n"
    )
    with session_scope(sqlite_settings.database_url) as s:
        importer = get_importer("gsp-conventions-csv")
        report = run_import(s, importer, path, actor="test", replace=True, yes=True)
    assert report.updated == 1 and report.deleted == 0
    rows = statuses(sqlite_settings)
    assert rows[("PAK", "C029", NORMLEX)].status == "ratified"
    assert rows[("PAK", "C029", NORMLEX)].entered_by is None
    assert rows[("KEN", "C087", NORMLEX)].entered_by == "editor-a"
