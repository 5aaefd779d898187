"""The one list of forms. The web app, the CLI root, ``load``, the home and state pages and the
migrations read it; nothing registers itself by being imported.

Adding a form: create its package, declare ``FORM = Form(...)`` in its ``__init__.py``, and add
it to ``FORMS`` below.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rightsdesk import advocacy, capacity, interventions, monitoring, negotiation, sanctions
from rightsdesk.core.errors import UnknownFormatError
from rightsdesk.core.forms import Command, Form, load_callable, load_ref

if TYPE_CHECKING:
    from fastapi import APIRouter
    from sqlalchemy.orm import Session

    from rightsdesk.core.importing import Importer

FORMS: tuple[Form, ...] = (
    negotiation.FORM,
    monitoring.FORM,
    advocacy.FORM,
    sanctions.FORM,
    capacity.FORM,
    interventions.FORM,
)


def built_forms() -> list[Form]:
    return [form for form in FORMS if not form.planned]


def all_importers() -> list[Importer]:
    """Every known format, in the order ``load`` imports them (states-dependent ones first)."""
    out: list[Importer] = []
    for form in FORMS:
        for ref in form.importers:
            out.extend(load_ref(ref))
    return out


def get_importer(kind: str) -> Importer:
    importers = all_importers()
    for importer in importers:
        if importer.kind == kind:
            return importer
    kinds = ", ".join(i.kind for i in importers)
    raise UnknownFormatError(f"unknown import kind {kind!r}; known kinds: {kinds}")


def detect_importer(path: Path) -> Importer | None:
    """The importer that recognises ``path`` (``--kind auto``), or None."""
    for importer in all_importers():
        if importer.sniff(path):
            return importer
    return None


def load_models() -> None:
    """Import every form's tables so the metadata (and Alembic) sees them all."""
    import rightsdesk.core.provenance
    import rightsdesk.core.security.models
    import rightsdesk.core.states  # noqa: F401

    for form in FORMS:
        for module in form.models:
            load_ref(module)


def routers() -> list[APIRouter]:
    return [load_ref(form.router) for form in FORMS if form.router]


def commands() -> list[tuple[Command, Any]]:
    """Each form's Typer sub-apps with their names (aliases last)."""
    pairs = [(c, load_ref(c.app)) for form in FORMS for c in form.commands]
    return sorted(pairs, key=lambda pair: pair[0].alias)


def service(form_name: str, name: str) -> Callable[..., Any]:
    """A public function another form declared in its ``services``: how one form reads
    another's data without importing it (the capacity form reads recommendations this way)."""
    for form in FORMS:
        if form.name == form_name:
            for declared, ref in form.services:
                if declared == name:
                    return load_callable(ref)
            known = ", ".join(n for n, _ in form.services) or "none"
            raise LookupError(f"form {form_name!r} offers no service {name!r} (offers: {known})")
    raise LookupError(f"no form named {form_name!r}")


def state_panels(session: Session, iso3: str, reader: Any = None) -> list[Any]:
    """The sections every form adds to a state's page, in their declared order.

    A panel whose content depends on who reads it (documented violations: each record has a
    confidentiality level) declares a ``reader`` parameter and receives the logged-in user;
    the others are called with the session and the state alone.
    """
    panels = []
    for form in FORMS:
        for ref in form.state_panels:
            fn = load_callable(ref)
            wants_reader = "reader" in inspect.signature(fn).parameters
            panel = fn(session, iso3, reader=reader) if wants_reader else fn(session, iso3)
            if panel is not None:
                panels.append(panel)
    return sorted(panels, key=lambda p: p.order)


def migration_folders() -> list[Path]:
    """The Alembic version folders: core's, then one per form that has tables."""
    from importlib import resources

    folders = [Path(str(resources.files("rightsdesk") / "migrations" / "versions"))]
    for form in FORMS:
        folder = form.migration_folder()
        if folder is not None:
            folders.append(folder)
    return folders
