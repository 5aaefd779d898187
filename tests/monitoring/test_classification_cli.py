"""The command-line contract of `rightsdesk monitoring train | classify | suggest`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.classification.classifier import save_classifier
from rightsdesk.monitoring.classification.training import fit
from tests.monitoring.conftest import QUICK, read_rows, seed_store, spread, training, upr_file

runner = CliRunner()


def invoke(settings: Settings, *args: str):
    return runner.invoke(
        app,
        ["--database", settings.database_url, "monitoring", *args],
        env={"RIGHTSDESK_DATA_DIR": str(settings.data_dir)},
    )


def upr_sample(shared_data: Path, tmp_path: Path, n: int) -> tuple[Path, list[str]]:
    """The first ``n`` rows of a real UPR Info export, copied as it is: Mac Roman, bare CR."""
    raw = upr_file(shared_data, "sessions-14-17.csv").read_bytes().decode("mac_roman")
    reader = csv.reader(raw.splitlines())  # bare CR handled by splitlines
    header = next(reader)
    path = tmp_path / "input.csv"
    with path.open("w", encoding="mac_roman", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r")
        writer.writerow(header)
        for _, cells in zip(range(n), reader, strict=False):
            writer.writerow(cells)
    assert b"\n" not in path.read_bytes()
    return path, header


@pytest.fixture
def trained(sqlite_settings: Settings, shared_data: Path) -> list[str]:
    """A small model in the data folder of the test store; returns its training labels."""
    rows = spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 500)
    clf = fit(training(rows), QUICK)
    save_classifier(clf, sqlite_settings.data_dir)
    return clf.theme_labels


def test_classify_contract(
    sqlite_settings: Settings, trained: list[str], shared_data: Path, tmp_path: Path
) -> None:
    source, header = upr_sample(shared_data, tmp_path, 60)
    out = tmp_path / "out" / "classified.csv"
    result = invoke(sqlite_settings, "classify", str(source), "--output", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as handle:
        got = list(csv.DictReader(handle))
        handle.seek(0)
        columns = next(csv.reader(handle))
    assert columns == header + ["predicted_issues", "predicted_action"]
    assert len(got) == 60
    with source.open(encoding="mac_roman", newline="") as handle:
        original = list(csv.DictReader(handle))
    for before, after in zip(original, got, strict=True):
        assert all(after[c] == before[c] for c in header)  # Issue, Action kept untouched
        labels = after["predicted_issues"].split(",")
        assert labels and set(labels) <= set(trained)
        assert after["predicted_action"] in {"1", "2", "3", "4", "5"}


def test_classify_without_model(
    sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    source, _ = upr_sample(shared_data, tmp_path, 5)
    out = tmp_path / "out.csv"
    result = invoke(sqlite_settings, "classify", str(source), "--output", str(out))
    assert result.exit_code != 0
    assert "rightsdesk monitoring train" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_classify_bad_inputs(sqlite_settings: Settings, trained: list[str], tmp_path: Path) -> None:
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("To,Recommendation\nNorway,Ratify the CRPD\n", encoding="utf-8")
    result = invoke(sqlite_settings, "classify", str(no_text), "-o", str(tmp_path / "a.csv"))
    assert result.exit_code == 65
    assert "no_text.csv" in result.output and "'Text'" in result.output

    latin = tmp_path / "latin.csv"
    latin.write_bytes(
        b"To,Text\nNorway,Ratify the CRPD\nChad,Bring Hiss\xe8ne Habr\xe9 to justice\n"
    )
    result = invoke(sqlite_settings, "classify", str(latin), "-o", str(tmp_path / "b.csv"))
    assert result.exit_code == 65
    assert "latin.csv" in result.output and "line 3" in result.output

    blank = tmp_path / "blank.csv"
    blank.write_text("To,Text\nNorway,Ratify the CRPD\nChad,\n", encoding="utf-8")
    result = invoke(sqlite_settings, "classify", str(blank), "-o", str(tmp_path / "c.csv"))
    assert result.exit_code == 65 and "line 3" in result.output
    assert "Traceback" not in result.output


def test_train_then_suggest_from_store(sqlite_settings: Settings, shared_data: Path) -> None:
    from rightsdesk.monitoring.classification.models import Suggestion

    rows = read_rows(upr_file(shared_data, "sessions-1-5.csv"))
    with session_scope(sqlite_settings.database_url) as session:
        seed_store(session, spread(rows, 400))
        unlabelled = seed_store(session, rows[-5:], labelled=False)
    result = invoke(sqlite_settings, "train")
    assert result.exit_code == 0, result.output
    meta = json.loads((sqlite_settings.data_dir / "models" / "recommendations.json").read_text())
    assert meta["training_rows_themes"] == 400 == meta["training_rows_actions"]
    assert meta["sessions_used"] == [1, 2, 3, 4, 5] and meta["theme_labels"]

    result = invoke(sqlite_settings, "suggest")
    assert result.exit_code == 0, result.output
    with session_scope(sqlite_settings.database_url) as session:
        stored = session.query(Suggestion).all()
        assert {s.recommendation_id for s in stored} == set(unlabelled)
        assert {s.kind for s in stored} == {"theme", "action"}
        assert all(s.status == "pending" for s in stored)
        count = len(stored)
    again = invoke(sqlite_settings, "suggest")
    assert again.exit_code == 0
    with session_scope(sqlite_settings.database_url) as session:
        assert session.query(Suggestion).count() == count  # idempotent
