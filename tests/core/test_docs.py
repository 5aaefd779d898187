"""The README documents every setting and every command (a new one without docs fails here)."""

from __future__ import annotations

from pathlib import Path

import typer.main

from rightsdesk.cli import app
from rightsdesk.core.config import SETTINGS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [env for env, _doc in SETTINGS.values() if env not in README]
    assert missing == []


def _commands() -> list[str]:
    root = typer.main.get_command(app)
    out: list[str] = []
    for name, cmd in getattr(root, "commands", {}).items():
        subs = getattr(cmd, "commands", None)
        if subs:
            out += [f"{name} {sub}" for sub in subs]
        else:
            out.append(name)
    return out


def test_every_command_is_documented() -> None:
    missing = [
        c
        for c in _commands()
        if f"rightsdesk {c}" not in README
        and not any(
            f"{c.split()[0]} {c.split()[-1]}" in line
            for line in README.splitlines()
            if line.startswith("| `rightsdesk")
        )
    ]
    assert missing == []


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in README and "bash scripts/test.sh" in ci
