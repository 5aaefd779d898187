"""The fine-tuned encoder for the action category (`monitoring train --action-model encoder`):
fitted on real UPR Info rows, saved beside the classifier, loaded wherever the data folder
moved, replaced cleanly by a linear model; clear errors when it cannot run."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.monitoring.classification import encoder
from rightsdesk.monitoring.classification.classifier import (
    MODEL_FILE,
    load_classifier,
    model_dir,
    save_classifier,
)
from rightsdesk.monitoring.classification.training import fit
from tests.monitoring.conftest import QUICK, read_rows, seed_store, spread, training, upr_file

runner = CliRunner()
#: A small fine-tune: one pass, short texts (seconds on two cores).
TINY = encoder.EncoderConfig(epochs=1, batch_size=16, max_length=32)
ENCODER = dataclasses.replace(QUICK, action_model="encoder", encoder=TINY)


@pytest.fixture
def rows(shared_data: Path) -> list[dict[str, str]]:
    return spread(read_rows(upr_file(shared_data, "sessions-1-5.csv")), 64)


def test_fine_tune_gives_a_probability_per_category(rows: list[dict[str, str]]) -> None:
    texts = [r["Text"] for r in rows]
    actions = [int(r["Action"]) for r in rows]
    steps: list[tuple[int, int]] = []
    model = encoder.fine_tune(texts, actions, TINY, lambda done, total: steps.append((done, total)))
    assert model.classes == sorted(set(actions))
    assert steps[-1] == (4, 4)  # 64 texts in batches of 16, one pass
    probs = model.probabilities(texts[:10])
    assert probs.shape == (10, len(model.classes))
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_saved_beside_the_classifier_and_loaded_where_the_folder_moved(
    rows: list[dict[str, str]], tmp_path: Path
) -> None:
    clf = fit(training(rows), ENCODER)
    assert clf.action_encoder is not None and clf.metadata["action_model"] == "encoder"
    assert clf.metadata["encoder"]["max_length"] == 32
    texts = [r["Text"] for r in rows[:12]]
    before = [p.action for p in clf.predict(texts)]
    first = tmp_path / "first"
    save_classifier(clf, first)
    weights = model_dir(first) / encoder.ENCODER_FOLDER
    assert (weights / "config.json").is_file()
    # the pickle keeps the folder, not the 90 MB of weights
    assert (model_dir(first) / MODEL_FILE).stat().st_size < 20_000_000
    moved = tmp_path / "moved"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    loaded = load_classifier(moved)
    predictions = loaded.predict(texts)
    assert [p.action for p in predictions] == before
    assert all(0.0 < p.action_confidence <= 1.0 for p in predictions)
    # a linear model saved over it takes its place whole: the unused weights go
    save_classifier(fit(training(rows), QUICK), moved)
    assert not (model_dir(moved) / encoder.ENCODER_FOLDER).exists()
    assert load_classifier(moved).action_encoder is None


def test_missing_weights_and_missing_packages_say_what_to_do(
    rows: list[dict[str, str]], tmp_path: Path, monkeypatch: Any
) -> None:
    model = encoder.ActionEncoder([4, 5], TINY, tmp_path / "nowhere")
    with pytest.raises(NotFoundError, match="--action-model encoder"):
        model.probabilities(["Ratify the convention"])
    real = importlib.util.find_spec

    def without_torch(name: str, *args: Any) -> Any:
        return None if name == "torch" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_torch)
    assert not encoder.available()
    with pytest.raises(InputError, match="install.sh encoder"):
        fit(training(rows), ENCODER)
    with pytest.raises(InputError, match="unknown action model"):
        fit(training(rows), dataclasses.replace(QUICK, action_model="forest"))


def invoke(settings: Settings, *args: str):
    return runner.invoke(
        app,
        ["--database", settings.database_url, "monitoring", *args],
        env={"RIGHTSDESK_DATA_DIR": str(settings.data_dir)},
    )


def test_train_command_with_the_encoder(
    sqlite_settings: Settings, rows: list[dict[str, str]]
) -> None:
    with session_scope(sqlite_settings.database_url) as session:
        seed_store(session, rows[:48])
    bad = invoke(sqlite_settings, "train", "--action-model", "forest")
    assert bad.exit_code == 65 and "--action-model" in bad.output, bad.output
    result = invoke(sqlite_settings, "train", "--action-model", "encoder")
    assert result.exit_code == 0, result.output
    assert "encoder" in result.output
    folder = sqlite_settings.data_dir / "models"
    meta = json.loads((folder / "recommendations.json").read_text())
    assert meta["action_model"] == "encoder" and meta["encoder"]["epochs"] == 2.0
    assert (folder / encoder.ENCODER_FOLDER / "config.json").is_file()
