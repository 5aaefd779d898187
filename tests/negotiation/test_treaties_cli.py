"""``rightsdesk treaties ...`` through the real CLI: exit codes, CSV layout, clear errors."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.db import dispose_engine
from rightsdesk.negotiation.treaties.instruments import SHORTS
from tests.conftest import TEST_SECRET

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["--database", url, "init"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def loaded_template(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A folder holding ``cli.db`` and ``data/`` as ``rightsdesk init`` then ``rightsdesk load``
    of the treaty folder (both formats) leave them: loading takes seconds, so it runs once per
    module and every test gets a copy (the tests of this module only read). The key is the
    tests' own (``_test_secret`` sets it only later, for each test)."""
    folder = tmp_path_factory.mktemp("treaties-cli")
    url = f"sqlite:///{folder / 'cli.db'}"
    env = {"RIGHTSDESK_DATA_DIR": str(folder / "data"), "RIGHTSDESK_SECRET_KEY": TEST_SECRET}
    for args in (["init"], ["load", str(shared_data / "negotiation/treaties")]):
        result = runner.invoke(app, ["--database", url, *args], env=env)
        assert result.exit_code == 0, result.output
    dispose_engine(url)  # nothing left open on the file the tests copy, its WAL folded in
    conn = sqlite3.connect(folder / "cli.db")
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return folder


@pytest.fixture
def loaded(loaded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A store after ``rightsdesk load`` of the treaty folder (both formats): the test's own
    copy of the module's loaded store and data folder."""
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    shutil.copyfile(loaded_template / "cli.db", tmp_path / "cli.db")
    if (loaded_template / "data").is_dir():
        shutil.copytree(loaded_template / "data", tmp_path / "data")
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_fresh_store_lists_the_18_instruments(db: str) -> None:
    result = runner.invoke(app, ["--database", db, "treaties", "list", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["short"] for r in rows] == list(SHORTS) and len(rows) == 18
    assert {r["parties"] for r in rows} == {"0"}
    assert next(r for r in rows if r["short"] == "OP-CAT")["body"] == "SPT"


def test_matrix_after_load(loaded: str) -> None:
    result = runner.invoke(app, ["--database", loaded, "treaties", "matrix", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["iso3", "state", *SHORTS]
    nor = next(r for r in rows if r[0] == "NOR")
    assert nor[2 + SHORTS.index("ICCPR")] == "ratified"
    usa = next(r for r in rows if r[0] == "USA")
    assert usa[2 + SHORTS.index("ICESCR")] == "signed"
    assert usa[2 + SHORTS.index("CRC")] == "signed"
    assert len(rows) - 1 >= 193  # every UN member has a row
    table = runner.invoke(app, ["--database", loaded, "treaties", "matrix"])
    assert table.exit_code == 0 and all(s in table.output for s in ("ICERD", "CPED"))


def test_matrix_long_and_group(loaded: str) -> None:
    result = runner.invoke(
        app,
        ["--database", loaded, "treaties", "matrix", "-f", "csv", "--long", "--group", "un-weog"],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == [
        "iso3",
        "state",
        "instrument",
        "status",
        "consent_type",
        "signature_date",
        "consent_date",
        "dataset_id",
    ]
    states = {r["iso3"] for r in rows}
    assert "NOR" in states and "CHN" not in states
    nor = next(r for r in rows if r["iso3"] == "NOR" and r["instrument"] == "ICCPR")
    assert (nor["consent_date"], nor["consent_type"]) == ("1972-09-13", "ratification")
    assert len(rows) == 18 * len(states)
    js = runner.invoke(app, ["--database", loaded, "treaties", "matrix", "-f", "json", "-g", "EU"])
    payload = json.loads(js.output)
    assert payload["group"] == "EU" and payload["instruments"] == list(SHORTS)
    bad = runner.invoke(app, ["--database", loaded, "treaties", "matrix", "--group", "NATO"])
    assert bad.exit_code == 66 and "UN-WEOG" in bad.output and "Traceback" not in bad.output


def test_gaps(loaded: str) -> None:
    result = runner.invoke(
        app, ["--database", loaded, "treaties", "gaps", "United States of America", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    gaps = {g["instrument"]: g for g in json.loads(result.output)["gaps"]}
    assert gaps["ICESCR"]["signed"] and gaps["ICESCR"]["signature_date"] == "1977-10-05"
    assert "ICCPR" not in gaps and "CAT" not in gaps
    table = runner.invoke(app, ["--database", loaded, "treaties", "gaps", "US"])
    assert table.exit_code == 0 and "13 gap(s)" in table.output and "ICESCR" in table.output
    bad = runner.invoke(app, ["--database", loaded, "treaties", "gaps", "Norwya"])
    assert bad.exit_code != 0 and "Norway" in bad.output and "Traceback" not in bad.output


def test_reservations(loaded: str) -> None:
    result = runner.invoke(
        app, ["--database", loaded, "treaties", "reservations", "USA", "-i", "CAT", "-f", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 1 and rows[0]["instrument"] == "CAT" and "Senate" in rows[0]["text"]
    bad = runner.invoke(app, ["--database", loaded, "treaties", "reservations", "USA", "-i", "XYZ"])
    assert bad.exit_code == 66 and "ICCPR" in bad.output


def test_uninitialised_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--database", str(tmp_path / "new.db"), "treaties", "list"])
    assert result.exit_code == 78 and "rightsdesk init" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("matrix", "--format", "csv"),
        ("matrix", "--format", "json", "--group", "un-weog"),
        ("matrix", "--long", "--format", "csv", "-g", "EU"),
        ("matrix", "--group", "NATO"),
        ("gaps", "USA", "--format", "csv"),
        ("list", "--format", "json"),
        ("list",),
        ("reservations", "USA", "--format", "csv"),
    ],
)
def test_canonical_path_and_alias_agree(loaded: str, args: tuple[str, ...]) -> None:
    """``rightsdesk negotiation treaties ...`` and its alias ``rightsdesk treaties ...`` give
    the same exit code and the same output, byte for byte."""
    alias = runner.invoke(app, ["--database", loaded, "treaties", *args])
    canonical = runner.invoke(app, ["--database", loaded, "negotiation", "treaties", *args])
    assert (canonical.exit_code, canonical.output) == (alias.exit_code, alias.output)
    assert alias.exit_code == (66 if "NATO" in args else 0), alias.output


def test_alias_is_hidden_from_help() -> None:
    root = runner.invoke(app, ["--help"])
    listed = {line.split()[0] for line in root.output.splitlines() if line.startswith("  ")}
    assert root.exit_code == 0 and "negotiation" in listed
    assert "treaties" not in listed  # the alias works but is not listed
    tree = runner.invoke(app, ["negotiation", "--help"])
    assert tree.exit_code == 0 and "treaties" in tree.output
