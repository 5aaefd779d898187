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


def _commands(cmd: object = None, prefix: str = "") -> list[str]:
    """Every command path of the tree, at any depth (``negotiation treaties matrix``)."""
    cmd = cmd or typer.main.get_command(app)
    out: list[str] = []
    for name, sub in getattr(cmd, "commands", {}).items():
        path = f"{prefix}{name}"
        if getattr(sub, "commands", None):
            out += _commands(sub, path + " ")
        else:
            out.append(path)
    return out


def _documented(path: str) -> bool:
    """``rightsdesk PATH`` appears, or a table row for ``rightsdesk PARENT ...`` names it."""
    if f"rightsdesk {path}" in README:
        return True
    parent, _, last = path.rpartition(" ")
    return any(
        line.startswith(f"| `rightsdesk {parent}") and last in line for line in README.splitlines()
    )


def test_every_command_is_documented() -> None:
    commands = _commands()
    assert "users add" in commands
    missing = [c for c in commands if not _documented(c)]
    assert missing == []


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in README and "bash scripts/test.sh" in ci
