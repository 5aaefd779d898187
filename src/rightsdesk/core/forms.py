"""What a form of work declares about itself, so the frame can assemble it without guessing.

A form package (``negotiation``, ``monitoring``, ``sanctions``, ...) states once, in its
``__init__.py``, which importers, tables, web routes, commands and state-page panels it brings.
The parts are named as ``"module:attribute"`` references and imported only when the frame needs
them: the CLI answers ``--help`` without loading FastAPI, and the web app without loading every
importer. ``rightsdesk/forms.py`` lists the forms; this module is core and imports none of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Command:
    """A Typer sub-app a form mounts under the root: ``rightsdesk NAME ...``.

    ``alias`` marks a path kept for scripts written against an older command tree; it is
    listed in the README but hidden from ``--help``.
    """

    name: str
    app: str  # "module:attribute" of a typer.Typer
    alias: bool = False
    help: str | None = None  # the line ``rightsdesk --help`` shows (default: the form's summary)


@dataclass(frozen=True)
class Form:
    """One form of human rights diplomacy, as the frame sees it.

    ``url`` is None while the form is planned (its home card says so). ``migrations`` is the
    package that holds the form's Alembic revisions (one branch label per form).
    """

    name: str
    title: str
    summary: str
    url: str | None = None
    importers: tuple[str, ...] = ()  # "module:attribute" of a list[Importer], in load order
    models: tuple[str, ...] = ()  # modules whose import defines the form's tables
    router: str | None = None  # "module:attribute" of a fastapi.APIRouter
    commands: tuple[Command, ...] = ()
    state_panels: tuple[str, ...] = ()  # "module:attribute" of a panel function
    migrations: str | None = None  # package holding the form's Alembic revisions
    links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # home card (label, url)
    warmups: tuple[str, ...] = ()  # "module:attribute" of a list[WarmTask] (core.warmup)
    # public functions other forms may call, by name: (name, "module:attribute"); a form reads
    # another only through these (``rightsdesk.forms.service``), never by importing it
    services: tuple[tuple[str, str], ...] = ()

    @property
    def planned(self) -> bool:
        return self.url is None

    def migration_folder(self) -> Path | None:
        if self.migrations is None:
            return None
        module = importlib.import_module(self.migrations)
        return Path(next(iter(module.__path__)))


@cache
def load_ref(ref: str) -> Any:
    """Import ``"package.module:attribute"`` (dotted attributes allowed)."""
    module_name, _, attribute = ref.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attribute.split(".") if attribute else ():
        obj = getattr(obj, part)
    return obj


def load_callable(ref: str) -> Callable[..., Any]:
    obj = load_ref(ref)
    if not callable(obj):
        raise TypeError(f"{ref} is not callable")
    return obj  # type: ignore[no-any-return]
