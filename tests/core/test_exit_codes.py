"""One exit code per kind of refusal, across every command: 66 when what was named does not
exist (a state, group, symbol, instrument, recommendation, user, token), 65 when the input is
ambiguous or malformed. Scripts branch on these codes (issue 10, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from tests.conftest import TEST_SECRET

runner = CliRunner()

NOT_FOUND = 66
BAD_INPUT = 65

#: Commands naming something that is not in the store (an initialised store, no data).
UNKNOWN = [
    ["states", "resolve", "Narnia"],
    ["negotiation", "treaties", "status", "Narnia"],
    ["negotiation", "treaties", "gaps", "Narnia"],
    ["negotiation", "treaties", "reservations", "Narnia"],
    ["negotiation", "treaties", "reservations", "France", "--instrument", "NOPE"],
    ["negotiation", "treaties", "matrix", "--group", "NOPE-GROUP"],
    ["negotiation", "votes", "agreement", "Narnia"],
    ["negotiation", "votes", "agreement", "France", "--with", "Narnia"],
    ["negotiation", "votes", "cohesion", "NOPE-GROUP"],
    ["negotiation", "votes", "defectors", "NOPE-GROUP"],
    ["negotiation", "votes", "show", "A/RES/99/999"],
    ["negotiation", "votes", "uncorrect", "99999"],
    ["negotiation", "positions", "forecast", "--like", "A/RES/99/999"],
    ["negotiation", "agreement", "Narnia"],  # the older path, same command
    ["treaties", "status", "Narnia"],  # the root alias
    ["monitoring", "status", "999999", "implemented"],
    ["monitoring", "search", "", "--state", "Narnia"],
    ["users", "token", "nobody"],
    ["users", "role", "nobody", "viewer"],
    ["users", "revoke", "99999"],
    ["interventions", "framework", "show", "Narnia"],
    ["interventions", "framework", "rate", "Narnia", "1.1", "high"],
]

#: Commands given a name that could mean several things, or a malformed value.
AMBIGUOUS_OR_BAD = [
    ["states", "resolve", "Korea"],
    ["negotiation", "treaties", "status", "Korea"],
    ["negotiation", "votes", "agreement", "Korea"],
    ["states", "resolve", "x" * 300],
    ["interventions", "framework", "rate", "France", "1.99", "high"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One store for the module (made once: ``init`` takes seconds), with the key every
    test's commands use (``tests/conftest.py``)."""
    folder = tmp_path_factory.mktemp("exit-codes")
    url = f"sqlite:///{folder / 'store.db'}"
    env = {"RIGHTSDESK_SECRET_KEY": TEST_SECRET, "RIGHTSDESK_DATA_DIR": str(folder / "data")}
    result = runner.invoke(app, ["--database", url, "init"], env=env)
    assert result.exit_code == 0, result.output
    return url


@pytest.mark.parametrize("args", UNKNOWN, ids=" ".join)
def test_not_found_is_66(store: str, args: list[str]) -> None:
    result = runner.invoke(app, ["--database", store, *args])
    assert result.exit_code == NOT_FOUND, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", AMBIGUOUS_OR_BAD, ids=lambda a: " ".join(a)[:40])
def test_ambiguous_or_bad_input_is_65(store: str, args: list[str]) -> None:
    result = runner.invoke(app, ["--database", store, *args])
    assert result.exit_code == BAD_INPUT, result.output
    assert "Traceback" not in result.output


def test_a_closed_pipe_exits_0(tmp_path: Path) -> None:
    """``rightsdesk ... | head`` ends quietly with 0 when the reader stops reading: here a
    reader that reads nothing (``true``), so the writer always meets the closed pipe, in the
    middle of the output (CSV, larger than a write buffer) or at the final flush (one line)."""
    env = {**os.environ, "RIGHTSDESK_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "80"}
    for command in ("states list --format csv", "states resolve France"):
        script = f"{sys.executable} -m rightsdesk {command} | true; echo rc=${{PIPESTATUS[0]}}"
        done = subprocess.run(
            ["bash", "-c", script], capture_output=True, text=True, env=env, timeout=120
        )
        assert "rc=0" in done.stdout, done.stdout + done.stderr
        assert "BrokenPipeError" not in done.stderr and "Traceback" not in done.stderr
