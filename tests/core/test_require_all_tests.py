"""RIGHTSDESK_REQUIRE_ALL_TESTS=1 (set by ``.ci/run``) turns every skip into a failure, so CI
cannot pass while PostgreSQL, Chromium or the data folder is missing; xfail stays xfail."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REQUIRE_ALL_ENV, ROOT

TESTS = """
import pytest

def test_passes():
    pass

def test_skips():
    pytest.skip("no server")

@pytest.mark.skipif(True, reason="not here")
def test_skipif():
    pass

@pytest.fixture
def missing():
    pytest.skip("no browser")

def test_fixture_skips(missing):
    pass

@pytest.mark.xfail(reason="known")
def test_xfails():
    assert False
"""

MODULE_SKIP = """
import pytest

pytest.skip("no data folder", allow_module_level=True)

def test_never():
    pass
"""


def _run(folder: Path, require: str) -> tuple[dict[str, int], str]:
    """Run pytest on ``folder`` with the hooks of tests/conftest.py; the outcome counts."""
    env = {**os.environ, REQUIRE_ALL_ENV: require, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    (folder / "pytest.ini").write_text("[pytest]\n")  # not the project's options
    args = ["-q", "-rA", "-p", "tests.conftest", "-p", "no:cacheprovider", str(folder)]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    summary = proc.stdout.strip().splitlines()[-1]
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", summary)}
    return counts, proc.stdout


def test_skips_are_skips_by_default(tmp_path: Path) -> None:
    (tmp_path / "test_tiny.py").write_text(TESTS)
    counts, out = _run(tmp_path, "0")
    assert counts == {"passed": 1, "skipped": 3, "xfailed": 1}, out


def test_required_skips_fail(tmp_path: Path) -> None:
    (tmp_path / "test_tiny.py").write_text(TESTS)
    counts, out = _run(tmp_path, "1")
    # a skip in setup (skipif, a fixture) fails as an error, one in the test as a failure
    assert counts == {"failed": 1, "errors": 2, "passed": 1, "xfailed": 1}, out
    assert f"{REQUIRE_ALL_ENV}=1 turns every skip into a failure. Skipped: no server" in out
    assert "Skipped: no browser" in out and "Skipped: not here" in out


def test_required_module_skip_fails(tmp_path: Path) -> None:
    (tmp_path / "test_module.py").write_text(MODULE_SKIP)
    counts, out = _run(tmp_path, "1")
    assert counts == {"error": 1}, out
    assert "Skipped: no data folder" in out
