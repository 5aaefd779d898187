"""What every form's commands share: the settings of this invocation, output, error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.errors import RightsdeskError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)

_STATE: dict[str, Any] = {"database": None}


def set_database_option(url: str | None) -> None:
    _STATE["database"] = url


def settings() -> Settings:
    """Settings for this command: environment and TOML, then ``--database``."""
    return load_settings().with_database(_STATE["database"])


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn user-facing errors into a red message and their exit code; no traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except RightsdeskError as exc:
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, soft_wrap=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; nothing was written")
            raise typer.Exit(130) from None

    return wrapper


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
