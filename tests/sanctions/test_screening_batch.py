"""The batch contract (``rightsdesk sanctions screen INPUT.csv --output OUT.csv``): columns,
row order, empty cells without a match, bad input named by line and column (exit 65, no
traceback); the single-name command; forked workers write what one process writes."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.errors import EncodingError, InputError
from rightsdesk.sanctions.matching import DEFAULT_THRESHOLD
from rightsdesk.sanctions.screening import OUTPUT_COLUMNS, ScreeningIndex, check_csv, screen_csv
from tests.sanctions.screening_helpers import un_index_of

UN = "un_sc_sanctions"
ROWS = [
    # customer_id, full_name, first, last, date_of_birth, nationality
    ("c1", "Margaret Thompson Ellingworth", "", "", "", ""),
    ("c2", "Erik Badege", "", "", "1971", "Democratic Republic of the Congo"),
    ("c3", "", "Aiman", "al Zawahri", "", ""),
    ("c4", "John Arbuthnot Fisher", "", "", "1841-01-25", "GB"),
    ("c5", "Айман аз-Завахири", "", "", "", ""),
]


@pytest.fixture(scope="module")
def un_index(sanctions_loaded: Settings) -> ScreeningIndex:
    return un_index_of(sanctions_loaded)


def write_input(
    path: Path, rows: Sequence[tuple[str, ...]], header: tuple[str, ...] | None = None
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            header
            or (
                "customer_id",
                "full_name",
                "first_name",
                "last_name",
                "date_of_birth",
                "nationality",
            )
        )
        writer.writerows(rows)
    return path


def read_output(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def run(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "sanctions", *args],
        env={"RIGHTSDESK_DATA_DIR": str(settings.data_dir), "COLUMNS": "200"},
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_cli_contract_columns_order_and_matches(sanctions_loaded: Settings, tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.csv", ROWS)
    target = tmp_path / "out.csv"
    code, output = run(
        sanctions_loaded, "screen", str(source), "--output", str(target), "--list", UN
    )
    assert code == 0, output
    header, rows = read_output(target)
    assert header == [
        "customer_id",
        "full_name",
        "first_name",
        "last_name",
        "date_of_birth",
        "nationality",
        *OUTPUT_COLUMNS,
    ]
    assert [r["customer_id"] for r in rows] == ["c1", "c2", "c3", "c4", "c5"]  # input order
    by_id = {r["customer_id"]: r for r in rows}
    for quiet in ("c1", "c4"):  # nothing reaches the threshold: empty cells, count 0
        assert all(by_id[quiet][c] == "" for c in OUTPUT_COLUMNS if c != "match_count")
        assert by_id[quiet]["match_count"] == "0"
    badege = by_id["c2"]
    assert badege["best_match_name"] == "ERIC BADEGE" and badege["best_match_id"].startswith(
        "unsc-"
    )
    assert badege["best_match_programs"] == "UN-SC1533" and badege["best_match_lists"] == UN
    assert DEFAULT_THRESHOLD <= float(badege["best_score"]) <= 1.0
    assert "birth_date agree" in badege["explanation"]  # the date counted, and it says so
    # first and last name without full_name; the Cyrillic spelling: the same person
    assert by_id["c3"]["best_match_id"] == by_id["c5"]["best_match_id"] != ""
    assert "ZAWAHIRI" in by_id["c3"]["best_match_name"]
    assert "3 with a match" in output


def test_cli_threshold_and_bad_input(sanctions_loaded: Settings, tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.csv", ROWS)
    strict = tmp_path / "strict.csv"
    code, _ = run(
        sanctions_loaded, "screen", str(source), "-o", str(strict), "-t", "0.999", "-l", UN
    )
    assert code == 0
    _, rows = read_output(strict)
    assert sum(1 for r in rows if r["best_score"]) < 3

    no_name = write_input(tmp_path / "noname.csv", [("x", "Smith")], ("id", "name"))
    code, output = run(sanctions_loaded, "screen", str(no_name), "-o", str(tmp_path / "o.csv"))
    assert code == 65 and "full_name" in output and "Traceback" not in output

    bad = list(ROWS)
    bad[2] = ("c3", "Someone", "", "", "27/01/1964", "")
    bad_date = write_input(tmp_path / "baddate.csv", bad)
    target = tmp_path / "never.csv"
    code, output = run(sanctions_loaded, "screen", str(bad_date), "-o", str(target), "-l", UN)
    assert code == 65, output
    assert "line 4" in output and "date_of_birth" in output and "27/01/1964" in output
    assert not target.exists()  # checked before screening: nothing half-written

    country = write_input(tmp_path / "country.csv", [("c1", "Someone", "", "", "", "Atlantis")])
    code, output = run(sanctions_loaded, "screen", str(country), "-o", str(target), "-l", UN)
    assert code == 65 and "line 2" in output and "nationality" in output

    code, output = run(sanctions_loaded, "screen", str(tmp_path / "missing.csv"), "-o", "x.csv")
    assert code == 65 and "no such file" in output
    code, output = run(sanctions_loaded, "screen", str(source), "-o", "x.csv", "-l", "nolist")
    assert code == 66 and "un_sc_sanctions" in output


def test_screen_name_shows_explained_hits(sanctions_loaded: Settings) -> None:
    code, output = run(
        sanctions_loaded, "screen-name", "Erik Badege", "--birth-date", "1971", "-l", UN,
        "--format", "json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    hit = data["hits"][0]
    assert hit["caption"] == "ERIC BADEGE" and hit["programs"][0]["key"] == "UN-SC1533"
    assert hit["explanation"]["evidence"][0]["kind"] == "birth_date"
    code, output = run(sanctions_loaded, "screen-name", "Erik Badege", "-l", UN)
    assert code == 0 and "ERIC BADEGE" in output and "UN-SC1533" in output
    code, output = run(sanctions_loaded, "screen-name", "X", "--birth-date", "1971-13", "-l", UN)
    assert code == 65 and "--birth-date" in output


def test_workers_write_what_one_process_writes(un_index: ScreeningIndex, tmp_path: Path) -> None:
    rows = [(f"r{i}", name, "", "", "", "") for i in range(3) for _, name, *_ in ROWS if name]
    source = write_input(tmp_path / "in.csv", rows)
    seen: list[tuple[int, int]] = []
    one = screen_csv(
        un_index, source, tmp_path / "one.csv", progress=lambda d, t: seen.append((d, t))
    )
    two = screen_csv(un_index, source, tmp_path / "two.csv", workers=2)
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "two.csv").read_bytes()
    assert one.rows == two.rows == len(rows) and one.alerts == two.alerts > 0
    assert seen[0] == (0, len(rows)) and seen[-1] == (len(rows), len(rows))


def test_rows_are_checked_before_screening(un_index: ScreeningIndex, tmp_path: Path) -> None:
    source = write_input(
        tmp_path / "in.csv", [("a", "Eric Badege", "", "", "", ""), ("b", "", "", "", "1970", "")]
    )
    with pytest.raises(InputError) as caught:
        screen_csv(un_index, source, tmp_path / "out.csv")
    assert caught.value.location.line == 3 and caught.value.location.field == "full_name"
    clash = write_input(tmp_path / "clash.csv", [("Eric Badege", "1")], ("full_name", "best_score"))
    with pytest.raises(InputError, match="best_score"):
        screen_csv(un_index, clash, tmp_path / "out.csv")


def test_a_file_not_in_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "latin1.csv"
    source.write_bytes("full_name\nEric Badege\nJosé Martínez\n".encode("latin-1"))
    with pytest.raises(EncodingError) as caught:
        check_csv(source)
    assert caught.value.location.line == 3 and "UTF-8" in caught.value.message
