"""The command line: exit codes, users and tokens, audit verify, clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["--database", url, "init"])
    assert result.exit_code == 0, result.output
    return url


def test_init_is_repeatable(db: str) -> None:
    result = runner.invoke(app, ["--database", db, "init"])
    assert result.exit_code == 0 and "store ready" in result.output


def test_commands_refuse_uninitialised_store(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--database", str(tmp_path / "new.db"), "audit", "verify"])
    assert result.exit_code == 78
    assert "rightsdesk init" in result.output


def test_states_lookup(db: str) -> None:
    result = runner.invoke(
        app, ["--database", db, "states", "resolve", "Iran (Islamic Republic of)"]
    )
    assert result.exit_code == 0 and result.output.startswith("IRN\t")
    listed = runner.invoke(app, ["--database", db, "states", "list", "--format", "csv"])
    assert listed.exit_code == 0 and "IRN" in listed.output
    bad = runner.invoke(app, ["--database", db, "states", "resolve", "Norwya"])
    assert bad.exit_code == 66 and "Traceback" not in bad.output


def test_users_and_tokens(db: str) -> None:
    ok = runner.invoke(
        app,
        ["--database", db, "users", "add", "amina", "--role", "editor"],
        input="a long enough password\n",
    )
    assert ok.exit_code == 0, ok.output
    dup = runner.invoke(
        app,
        ["--database", db, "users", "add", "amina", "--role", "editor"],
        input="a long enough password\n",
    )
    assert dup.exit_code == 1 and "already exists" in dup.output
    short = runner.invoke(app, ["--database", db, "users", "add", "bo"], input="short\n")
    assert short.exit_code == 65 and "at least" in short.output
    role = runner.invoke(
        app,
        ["--database", db, "users", "add", "cy", "--role", "king"],
        input="a long enough password\n",
    )
    assert role.exit_code == 65 and "unknown role" in role.output
    token = runner.invoke(app, ["--database", db, "users", "token", "amina"])
    assert token.exit_code == 0 and token.output.strip().startswith("rd_")
    missing = runner.invoke(app, ["--database", db, "users", "token", "nobody"])
    assert missing.exit_code == 66


def test_audit_verify(db: str) -> None:
    runner.invoke(app, ["--database", db, "users", "add", "amina"], input="a long password\n")
    result = runner.invoke(app, ["--database", db, "audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output


def test_import_errors_are_clear(db: str, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["--database", db, "import", "auto", str(tmp_path / "no.csv")])
    assert missing.exit_code == 65 and "no such file" in missing.output
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["--database", db, "import", "auto", str(odd)])
    assert result.exit_code == 64 and "no importer recognises" in result.output
    result = runner.invoke(app, ["--database", db, "import", "no-such-kind", str(odd)])
    assert result.exit_code == 64 and "known kinds" in result.output


def test_every_command_has_help() -> None:
    import typer.main

    root = typer.main.get_command(app)
    stack: list[tuple[list[str], Any]] = [([], root)]
    while stack:
        path, cmd = stack.pop()
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert (cmd.help or "").strip() or not path, f"{' '.join(path)} has no help"
        for name, sub in getattr(cmd, "commands", {}).items():
            stack.append(([*path, name], sub))


def test_import_kind_option_form(db: str, tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["--database", db, "import", "--kind", "auto", str(odd)])
    assert result.exit_code == 64 and "no importer recognises" in result.output
    result = runner.invoke(app, ["--database", db, "import", "auto"])
    assert result.exit_code == 64 and "name the kind" in result.output


def test_help_imports_no_form_command_module() -> None:
    """Issue 10 item 4: every call, ``--help`` included, took 2.3-2.9 s because the root
    imported every form's commands (scikit-learn, scipy, pandas, Alembic) before parsing the
    command line. The forms' command groups are now imported when the command line goes into
    them; a test counts what ``--help`` imports rather than timing it."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rightsdesk.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "assert 'negotiation' in result.output and 'monitoring' in result.output\n"
        "heavy = [m for m in ('sklearn', 'scipy', 'alembic', 'rightsdesk.negotiation.cli',\n"
        "         'rightsdesk.monitoring.cli', 'sqlalchemy', 'pandas', 'numpy',\n"
        "         'typer.rich_utils', 'rightsdesk.backup') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_tables_fit_80_columns(db: str, tmp_path: Path, shared_data: Path) -> None:
    """The import summary keeps one line per file (a short name, details with --verbose) and
    ``treaties list`` wraps names but never cuts a date, in an 80-column terminal."""
    import shutil

    long_name = tmp_path / "un-human-rights-treaty-ratifications-scraped-2026-02-03.csv"
    shutil.copy(shared_data / "negotiation" / "treaties" / "un_hr_ratifications.csv", long_name)
    env = {"COLUMNS": "80"}
    args = ["--database", db, "import", "untc-ratifications", str(long_name), "--no-warm"]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), result.stdout
    [row] = [line for line in lines if "…" in line]  # the file's one line, name shortened
    assert "un-human-rights" in row and "02-03.csv" in row
    listed = runner.invoke(app, ["--database", db, "negotiation", "treaties", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert all(len(line) <= 80 for line in listed.stdout.splitlines()), listed.stdout
    assert "1965-12-21" in listed.stdout and "1969-01-04" in listed.stdout  # ICERD, whole
