"""Sections that forms add to shared pages (the state page), so the core needs no form imports.

A panel is a function ``(session, iso3) -> Panel | None``; forms register theirs when the app
assembles their routers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class Panel:
    title: str
    template: str  # a Jinja2 template fragment rendered inside the state page
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelFunc = Callable[[Session, str], Panel | None]

STATE_PANELS: list[PanelFunc] = []


def register_state_panel(func: PanelFunc) -> PanelFunc:
    if func not in STATE_PANELS:
        STATE_PANELS.append(func)
    return func


def state_panels(session: Session, iso3: str) -> list[Panel]:
    panels = [p for p in (f(session, iso3) for f in STATE_PANELS) if p is not None]
    return sorted(panels, key=lambda p: p.order)
