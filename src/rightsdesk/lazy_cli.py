"""Command groups whose sub-apps are imported when used, not when the CLI starts.

Every form brings its own commands, and some of them pull in heavy libraries (scikit-learn for
forecasts and classification, Alembic for the store, pandas for analyses). Importing them all
before parsing the command line made every call, ``--help`` included, take seconds. A
``LazyGroup`` stands in for a Typer sub-app named by a ``"module:attribute"`` reference: it
knows its name, help line and whether it is hidden, and imports the real app only when the
command line goes into it (or when someone asks for its sub-commands).
"""

from __future__ import annotations

from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from rightsdesk.core.forms import load_ref


class LazyGroup(TyperGroup):
    """A command group that becomes the Typer app at ``ref`` on first real use.

    (Typer carries its own copy of click, so this subclasses Typer's group and types the
    click objects it passes on as ``Any``.)"""

    def __init__(self, name: str, ref: str, help: str | None, hidden: bool = False) -> None:
        self._ref = ref
        self._real: Any = None
        super().__init__(name=name, help=help, short_help=help, hidden=hidden)

    def load(self) -> Any:
        """The real group (imported once)."""
        if self._real is None:
            real = typer.main.get_command(load_ref(self._ref))
            if not hasattr(real, "commands"):  # pragma: no cover - a form mistake
                raise TypeError(f"{self._ref} is not a command group")
            real.name = self.name
            self._real = real
        return self._real

    # ``commands`` is read by tools that walk the tree (the README test): load on demand
    @property
    def commands(self) -> Any:
        return self.load().commands if "_ref" in self.__dict__ else {}

    @commands.setter
    def commands(self, _value: Any) -> None:  # click.Group.__init__ assigns {}
        return

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        return self.load().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        return self.load().invoke(ctx)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.load().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.load().list_commands(ctx))

    def get_help(self, ctx: Any) -> str:
        return str(self.load().get_help(ctx))


class FormsGroup(TyperGroup):
    """The root group: its own commands plus one ``LazyGroup`` per command a form declares
    (``rightsdesk.forms.FORMS``), so ``rightsdesk --help`` lists them without importing them."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        from rightsdesk.forms import FORMS

        for form in FORMS:
            for command in form.commands:
                self.add_command(
                    LazyGroup(
                        command.name,
                        command.app,
                        command.help or form.summary,
                        hidden=command.alias,
                    )
                )
