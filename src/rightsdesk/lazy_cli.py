"""Command groups whose sub-apps are imported when used, not when the CLI starts.

Every form brings its own commands, and some of them pull in heavy libraries (scikit-learn for
forecasts and classification, Alembic for the store, pandas for analyses). Importing them all
before parsing the command line made every call, ``--help`` included, take seconds. A
``LazyGroup`` stands in for a Typer sub-app named by a ``"module:attribute"`` reference: it
knows its name, help line and whether it is hidden, and imports the real app only when the
command line goes into it (or when someone asks for its sub-commands). ``fast_params`` spares
the commands Typer's Pydantic import where their values need no check (a simple lookup such as
``rightsdesk states resolve France`` then starts in about half a second).
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from typing import Any

import typer
import typer.main
from typer._click import Context
from typer._coercion import PassThroughRuntimeParam, RuntimeParam, build_runtime_param
from typer.core import TyperCommand, TyperGroup

from rightsdesk.core.forms import load_ref

#: Annotations whose command-line value is already what the command gets.
_TEXT: tuple[Any, ...] = (str, str | None)


@dataclass(frozen=True)
class _BuiltOnFirstValue(RuntimeParam):
    """Typer's own coercion for a parameter, built when a value first needs it (a parameter
    left out, such as ``--install-completion``, never does)."""

    descriptor: Any

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        real = build_runtime_param(self.descriptor)
        param._runtime_param = real
        return real._coerce_value(value, param=param, ctx=ctx)


def fast_params(command: Any) -> None:
    """Spare a command (and its sub-commands) the import of Pydantic when its values do not
    need it.

    Typer 0.29 checks each parameter value with a Pydantic ``TypeAdapter``, built the first
    time the parameter is processed, even one not given (``--help`` too), and importing Pydantic
    costs about a quarter of a second of CPU: more than the rest of a simple lookup (``rightsdesk
    states resolve France``). A ``str`` parameter's command-line value is a string already, so
    it passes through; any other parameter gets Typer's coercion, built only once a value
    arrives.
    """
    params = list(getattr(command, "params", ()))
    if hasattr(command, "get_help_option"):  # made (and kept) on first use: make it now
        params.append(command.get_help_option(Context(command)))
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", True) is not None:
            continue  # not a Typer parameter, or its coercion is built already
        text = (
            descriptor.file_annotation is None
            and descriptor.annotation in _TEXT
            and getattr(descriptor.parameter_info, "parser", None) is None
            and not param.multiple
            and param.nargs == 1
        )
        info, annotation = descriptor.parameter_info, descriptor.annotation
        param._runtime_param = (
            PassThroughRuntimeParam(parameter_info=info, annotation=str)
            if text
            else _BuiltOnFirstValue(
                parameter_info=info, annotation=annotation, descriptor=descriptor
            )
        )
    for sub in getattr(command, "commands", {}).values():
        if not isinstance(sub, _Deferred):  # a lazy one does this when it loads
            fast_params(sub)


class _Deferred:
    """What ``LazyGroup`` and ``LazyCommand`` share: every call that needs the real command
    (parsing its arguments, running it, its help) goes to ``load()``, which imports it once."""

    def load(self) -> Any:  # pragma: no cover - each subclass defines it
        raise NotImplementedError

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

    def get_help(self, ctx: Any) -> str:
        return str(self.load().get_help(ctx))


class LazyGroup(_Deferred, TyperGroup):
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
            fast_params(real)
            self._real = real
        return self._real

    # ``commands`` is read by tools that walk the tree (the README test): load on demand
    @property
    def commands(self) -> Any:
        return self.load().commands if "_ref" in self.__dict__ else {}

    @commands.setter
    def commands(self, _value: Any) -> None:  # click.Group.__init__ assigns {}
        return

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self.load().get_command(ctx, cmd_name)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.load().list_commands(ctx))


class LazyCommand(_Deferred, TyperCommand):
    """A single command of the Typer app at ``ref`` (one whose commands are merged into the
    root, such as ``backup`` and ``restore``), imported on first real use."""

    def __init__(self, name: str, ref: str, help: str) -> None:
        self._ref = ref
        self._real: Any = None
        super().__init__(name=name, help=help, short_help=help)

    def load(self) -> Any:
        if self._real is None:
            group = typer.main.get_command(load_ref(self._ref))
            self._real = group.commands[str(self.name)]  # type: ignore[attr-defined]
            fast_params(self._real)
        return self._real

    def get_params(self, ctx: Any) -> list[Any]:
        return list(self.load().get_params(ctx))


#: The frame's own command groups: (name, "module:attribute" of the Typer app, help line).
CORE_GROUPS = (
    ("users", "rightsdesk.core.security.cli:users_app", "Accounts and API tokens."),
    ("audit", "rightsdesk.core.security.cli:audit_app", "The tamper-evident audit log."),
    ("keys", "rightsdesk.keys_cli:app", "Field encryption keys: status and rotation."),
    (
        "states",
        "rightsdesk.core.states_cli:app",
        "States: list them, or resolve a name or code (UN names, aliases, ISO2/ISO3, COW).",
    ),
)
#: Commands of the frame merged into the root: (name, app reference, help line).
CORE_COMMANDS = (
    (
        "backup",
        "rightsdesk.backup_cli:backup_app",
        "Write a consistent copy of the store, safe while the server runs.",
    ),
    (
        "restore",
        "rightsdesk.backup_cli:backup_app",
        "Replace the store with a backup (checked first).",
    ),
)


def _closed_pipe(exc: BaseException) -> bool:
    return isinstance(exc, BrokenPipeError) or (
        isinstance(exc, OSError) and exc.errno == errno.EPIPE
    )


def silence_stdout() -> None:
    """Point standard output at /dev/null: the reader left (``| head``), and Python's final
    flush must not fail (it would print a BrokenPipeError and exit 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's buffer)
        pass


class FormsGroup(TyperGroup):
    """The root group: its own commands plus one ``LazyGroup`` per command a form declares
    (``rightsdesk.forms.FORMS``), so ``rightsdesk --help`` lists them without importing them.

    It also ends every command the same way when the reader of its output goes away
    (``rightsdesk states list | head``): quietly, with exit code 0."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Any = None,
        **extra: Any,
    ) -> Any:
        fast_params(self)  # here: Typer adds the completion options after ``__init__``
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not in Python's final flush
            return result
        except OSError as exc:
            if not _closed_pipe(exc):
                raise
            silence_stdout()
            ctx.exit(0)

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, ref, text in CORE_GROUPS:
            self.add_command(LazyGroup(name, ref, text))
        for name, ref, text in CORE_COMMANDS:
            self.add_command(LazyCommand(name, ref, text))
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
